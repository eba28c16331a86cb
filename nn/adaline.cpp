// nn/adaline.cpp — see adaline.hpp.
#include "nn/adaline.hpp"

#include "nn/perceptron.hpp"

namespace nn {

namespace {
Matrix labels_row(const std::vector<int>& labels) {
    std::vector<int> y = to_plus_minus_one(labels);
    Matrix Y(1, y.size());
    for (std::size_t i = 0; i < y.size(); ++i) Y(0, i) = y[i];
    return Y;
}

// One sample's delta-rule update: error = y − (wᵀx + b); w += α·error·x; b += α·error
void update_one(Adaline& a, const Matrix& X, std::size_t i, double target, double alpha) {
    double output = a.b;
    for (std::size_t j = 0; j < X.rows(); ++j) output += a.w(j, 0) * X(j, i);
    const double error = target - output;
    for (std::size_t j = 0; j < X.rows(); ++j) a.w(j, 0) += alpha * error * X(j, i);
    a.b += alpha * error;
}
}  // namespace

double adaline_cost(const Adaline& a, const Matrix& X, const std::vector<int>& y) {
    Matrix errors = labels_row(y) - net_input(X, a.w, a.b);  // y − output
    return 0.5 * sum(square(errors));                        // J = ½ Σ errors²
}

void adaline_gradient(const Adaline& a, const Matrix& X, const std::vector<int>& y, Matrix& dw, double& db) {
    Matrix errors = labels_row(y) - net_input(X, a.w, a.b);
    dw = -matmul(X, errors.T());  // ∂J/∂w = −Σ_i (y_i − output_i) x_i
    db = -sum(errors);            // ∂J/∂b = −Σ_i (y_i − output_i)
}

Adaline train_adaline_gd(const Matrix& X, const std::vector<int>& y, double alpha, int epochs) {
    check_examples("adaline", X, y.size());
    check_schedule("adaline", "learning rate", alpha, "epochs", epochs);
    const Matrix Y = labels_row(y);
    Adaline a;
    a.w = Matrix::zeros(X.rows(), 1);
    for (int e = 0; e < epochs; ++e) {
        Matrix errors = Y - net_input(X, a.w, a.b);   // errors = y − (wᵀX + b)
        a.w += alpha * matmul(X, errors.T());         // w := w + α·X·errors
        a.b += alpha * sum(errors);                   // b := b + α·Σ errors
        a.cost.push_back(0.5 * sum(square(errors)));  // J = ½ Σ errors²
    }
    return a;
}

Adaline train_adaline_sgd(const Matrix& X, const std::vector<int>& y, double alpha, int epochs, Random& rng) {
    check_examples("adaline (SGD)", X, y.size());
    check_schedule("adaline", "learning rate", alpha, "epochs", epochs);
    const Matrix Y = labels_row(y);
    Adaline a;
    a.w = Matrix::zeros(X.rows(), 1);
    for (int e = 0; e < epochs; ++e) {
        for (std::size_t i : rng.permutation(X.cols())) update_one(a, X, i, Y(0, i), alpha);  // shuffled, one at a time
        a.cost.push_back(adaline_cost(a, X, y));
    }
    return a;
}

void adaline_partial_fit(Adaline& a, const Matrix& X, const std::vector<int>& y, double alpha) {
    check_examples("adaline partial_fit", X, y.size());
    if (a.w.rows() != X.rows())
        throw ShapeError("adaline partial_fit: the model has " + std::to_string(a.w.rows()) + " weights but X has " +
                         std::to_string(X.rows()) + " features");
    const Matrix Y = labels_row(y);
    for (std::size_t i = 0; i < X.cols(); ++i) update_one(a, X, i, Y(0, i), alpha);
}

std::vector<int> predict(const Adaline& a, const Matrix& X) { return unit_step(net_input(X, a.w, a.b)); }  // quantizer

}  // namespace nn
