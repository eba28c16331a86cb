// nn/losses.cpp — see losses.hpp.
#include "nn/losses.hpp"

#include <cmath>
#include <string>

#include "matrix/vecmath.hpp"

namespace nn {

void check_same_shape(const char* name, const Matrix& A, const Matrix& Y) {
    if (!same_shape(A, Y))
        throw ShapeError(std::string(name) + ": A has shape " + A.shape() + " but Y has shape " + Y.shape());
    if (A.cols() == 0) throw ShapeError(std::string(name) + ": no examples (m = 0)");
}

Matrix one_hot(const std::vector<int>& y, std::size_t K) {
    if (K == 0) throw ValueError("one_hot: the number of classes K must be at least 1");
    Matrix Y(K, y.size());
    for (std::size_t i = 0; i < y.size(); ++i) {
        if (y[i] < 0 || static_cast<std::size_t>(y[i]) >= K)
            throw ValueError("one_hot: label " + std::to_string(y[i]) + " of example " + std::to_string(i) +
                             " is out of range [0, " + std::to_string(K - 1) + "]");
        Y(static_cast<std::size_t>(y[i]), i) = 1.0;
    }
    return Y;
}

Matrix binary_targets(const std::vector<int>& y) {
    Matrix Y(1, y.size());
    for (std::size_t i = 0; i < y.size(); ++i) {
        if (y[i] != 0 && y[i] != 1)
            throw ValueError("label " + std::to_string(y[i]) + " of example " + std::to_string(i) +
                             " is not 0 or 1 (a single sigmoid output needs 0/1 labels)");
        Y(0, i) = y[i];
    }
    return Y;
}

double safe_log(double a) { return std::log(clip_for_log(a)); }

Matrix safe_log(const Matrix& A) {
    Matrix L = Matrix::uninitialized(A.rows(), A.cols());
    for (std::size_t i = 0; i < A.size(); ++i) L.data()[i] = clip_for_log(A.data()[i]);
    log_array(L.data(), L.data(), L.size());  // log, in place
    return L;
}

// J = −(1/m) Σ [y log a + (1 − y) log(1 − a)]
double binary_cross_entropy(const Matrix& A, const Matrix& Y) {
    check_same_shape("binary_cross_entropy", A, Y);
    const Matrix log_a = safe_log(A), log_1_minus_a = safe_log(1.0 - A);
    return -sum(Y * log_a + (1.0 - Y) * log_1_minus_a) / static_cast<double>(A.cols());
}

// J = (1/m) Σ ½ (a − y)²
double squared_error(const Matrix& A, const Matrix& Y) {
    check_same_shape("squared_error", A, Y);
    return 0.5 * sum(square(A - Y)) / static_cast<double>(A.cols());
}

// J = (1/m) Σ |a − y|
double l1_error(const Matrix& A, const Matrix& Y) {
    check_same_shape("l1_error", A, Y);
    return sum(abs(A - Y)) / static_cast<double>(A.cols());
}

// dJ/dA = (A − Y) / m
Matrix squared_error_gradient(const Matrix& A, const Matrix& Y) {
    check_same_shape("squared_error_gradient", A, Y);
    return (A - Y) / static_cast<double>(A.cols());
}

// dJ/dA = sign(A − Y) / m
Matrix l1_error_gradient(const Matrix& A, const Matrix& Y) {
    check_same_shape("l1_error_gradient", A, Y);
    return sign(A - Y) / static_cast<double>(A.cols());
}

std::vector<int> predict_labels(const Matrix& A) {
    std::vector<int> labels(A.cols());
    if (A.rows() == 1) {
        for (std::size_t i = 0; i < A.cols(); ++i) labels[i] = A(0, i) >= 0.5 ? 1 : 0;
        return labels;
    }
    std::vector<std::size_t> best = argmax(A, 0);
    for (std::size_t i = 0; i < A.cols(); ++i) labels[i] = static_cast<int>(best[i]);
    return labels;
}

double accuracy(const Matrix& A, const std::vector<int>& y) {
    if (y.size() != A.cols())
        throw ShapeError("accuracy: " + std::to_string(y.size()) + " labels for " + std::to_string(A.cols()) +
                         " predictions " + A.shape());
    return accuracy(predict_labels(A), y);
}

double accuracy(const std::vector<int>& predicted, const std::vector<int>& y) {
    if (predicted.size() != y.size())
        throw ShapeError("accuracy: " + std::to_string(predicted.size()) + " predictions for " +
                         std::to_string(y.size()) + " labels");
    if (y.empty()) throw ShapeError("accuracy: no examples");
    std::size_t right = 0;
    for (std::size_t i = 0; i < y.size(); ++i) right += predicted[i] == y[i];
    return static_cast<double>(right) / static_cast<double>(y.size());
}

}  // namespace nn
