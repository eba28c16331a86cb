// nn/logistic_regression.cpp — see logistic_regression.hpp.
#include "nn/logistic_regression.hpp"

#include "nn/activations.hpp"
#include "nn/losses.hpp"
#include "nn/perceptron.hpp"

namespace nn {

Matrix predict_proba(const LogisticRegression& model, const Matrix& X) {
    return sigmoid(matmul(model.w.T(), X) + model.b);  // A = σ(wᵀX + b)
}

double logistic_cost(const LogisticRegression& model, const Matrix& X, const Matrix& Y) {
    const double m = static_cast<double>(X.cols());
    double J = binary_cross_entropy(predict_proba(model, X), Y);  // −(1/m) Σ [y log a + (1−y) log(1−a)]
    return J + model.lambd / (2 * m) * sum(square(model.w));     // + (λ/2m)‖w‖²
}

void logistic_gradients(const LogisticRegression& model, const Matrix& X, const Matrix& Y, Matrix& dw, double& db) {
    const double m = static_cast<double>(X.cols());
    Matrix dZ = predict_proba(model, X) - Y;                    // dZ = A − Y
    dw = matmul(X, dZ.T()) / m + (model.lambd / m) * model.w;   // dw = (1/m)·X·dZᵀ + (λ/m)·w
    db = sum(dZ) / m;                                           // db = (1/m)·Σ dZ
}

LogisticRegression train_logistic_regression(const Matrix& X, const std::vector<int>& y, double learning_rate,
                                             int iterations, double lambd) {
    check_examples("logistic regression", X, y.size());
    check_schedule("logistic regression", "learning rate", learning_rate, "iterations", iterations);
    if (lambd < 0) throw ValueError("logistic regression: lambd must be 0 or positive");
    const Matrix Y = binary_targets(y);  // labels 0/1 as a (1, m) row
    LogisticRegression model;
    model.w = Matrix::zeros(X.rows(), 1);
    model.lambd = lambd;
    for (int i = 0; i < iterations; ++i) {
        model.cost.push_back(logistic_cost(model, X, Y));
        Matrix dw;
        double db = 0;
        logistic_gradients(model, X, Y, dw, db);
        model.w -= learning_rate * dw;  // w := w − α·dw
        model.b -= learning_rate * db;  // b := b − α·db
    }
    return model;
}

std::vector<int> predict(const LogisticRegression& model, const Matrix& X) {
    return predict_labels(predict_proba(model, X));  // 1 where A ≥ 0.5
}

}  // namespace nn
