// nn/perceptron.cpp — see perceptron.hpp.
#include "nn/perceptron.hpp"

#include <cmath>
#include <string>

namespace nn {

void check_examples(const char* who, const Matrix& X, std::size_t n_labels) {
    if (X.cols() == 0 || X.rows() == 0)
        throw ValueError(std::string(who) + ": no training data (X has shape " + X.shape() + ")");
    if (X.cols() != n_labels)
        throw ShapeError(std::string(who) + ": X has " + std::to_string(X.cols()) + " examples (shape " + X.shape() +
                         ", one per column) but y has " + std::to_string(n_labels) + " labels");
}

void check_schedule(const char* who, const char* rate_name, double rate, const char* steps_name, int steps) {
    if (!(rate > 0) || !std::isfinite(rate)) throw ValueError(std::string(who) + ": " + rate_name + " must be a positive number");
    if (steps <= 0)
        throw ValueError(std::string(who) + ": the number of " + steps_name + " must be positive, got " + std::to_string(steps));
}

std::vector<int> to_plus_minus_one(const std::vector<int>& y) {
    bool zero_one = true, plus_minus = true;
    for (int v : y) {
        zero_one &= (v == 0 || v == 1);
        plus_minus &= (v == -1 || v == 1);
    }
    if (plus_minus) return y;
    if (zero_one) {
        std::vector<int> out(y.size());
        for (std::size_t i = 0; i < y.size(); ++i) out[i] = y[i] == 1 ? 1 : -1;
        return out;
    }
    for (std::size_t i = 0; i < y.size(); ++i)
        if (y[i] != -1 && y[i] != 0 && y[i] != 1)
            throw ValueError("labels must be -1/+1 (or 0/1), but label " + std::to_string(i) + " is " + std::to_string(y[i]));
    throw ValueError("labels mix -1 and 0: use -1/+1 or 0/1");
}

Matrix net_input(const Matrix& X, const Matrix& w, double b) {
    return matmul(w.T(), X) + b;  // z = wᵀX + b, shape (1, m)
}

Perceptron train_perceptron(const Matrix& X, const std::vector<int>& labels, double eta, int epochs) {
    check_examples("perceptron", X, labels.size());
    check_schedule("perceptron", "learning rate eta", eta, "epochs", epochs);
    const std::vector<int> y = to_plus_minus_one(labels);
    const std::size_t n = X.rows(), m = X.cols();
    Perceptron p;
    p.w = Matrix::zeros(n, 1);  // weights start at zero
    for (int epoch = 0; epoch < epochs; ++epoch) {
        int errors = 0;
        for (std::size_t i = 0; i < m; ++i) {
            double z = p.b;  // z = wᵀx + b
            for (std::size_t j = 0; j < n; ++j) z += p.w(j, 0) * X(j, i);
            const int y_hat = unit_step(z);               // ŷ = 1 if z ≥ 0, else −1
            const double update = eta * (y[i] - y_hat);   // η (y − ŷ)
            for (std::size_t j = 0; j < n; ++j) p.w(j, 0) += update * X(j, i);  // w := w + update·x
            p.b += update;                                                     // b := b + update
            errors += update != 0.0;
        }
        p.errors.push_back(errors);
    }
    return p;
}

std::vector<int> unit_step(const Matrix& z) {
    std::vector<int> y_hat(z.size());
    for (std::size_t i = 0; i < z.size(); ++i) y_hat[i] = unit_step(z.data()[i]);
    return y_hat;
}

std::vector<int> predict(const Perceptron& p, const Matrix& X) { return unit_step(net_input(X, p.w, p.b)); }

}  // namespace nn
