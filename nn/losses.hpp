// nn/losses.hpp — cost functions, one-hot labels and accuracy.
//
// "Introduction to Deep Learning, Chapter 2", slides "Logistic Regression Cost Function"
// (cross-entropy) and "Gradient Descent of a Cost Function" (sum of squared errors);
// CMPE 258 "Deep Neural Network" (one-hot encoding, the assignment's cost);
// CS229 "Neural Networks": several sigmoid outputs (multi-label) and ReLU regression
// with squared (L2) or absolute (L1) loss.
//
//   binary cross-entropy  J = −(1/m) Σ_i Σ_k [y log a + (1 − y) log(1 − a)]
//                         (summed over the K sigmoid outputs: the multi-label case)
//   squared error         J = (1/m) Σ ½ (a − y)²        dJ/da = (a − y) / m
//   L1 (absolute) error   J = (1/m) Σ |a − y|           dJ/da = sign(a − y) / m
// Softmax cross-entropy is in nn/softmax.hpp.
#pragma once
#include <cfloat>
#include <cstddef>
#include <vector>

#include "matrix/matrix.hpp"

namespace nn {

// One-hot encoding: Y (K, m) with Y[y_i, i] = 1. Labels must lie in [0, K).
Matrix one_hot(const std::vector<int>& y, std::size_t K);
// The targets of a single sigmoid output: Y (1, m) with Y[0, i] = y_i. Labels must be 0 or 1.
Matrix binary_targets(const std::vector<int>& y);

// a raised to the smallest normal double, so that its log is finite (≈ −708 at worst)
inline double clip_for_log(double a) { return a < DBL_MIN ? DBL_MIN : a; }
// log that never returns −inf: log(max(a, smallest normal double)) ≈ −708 at worst.
// (NaN stays NaN, so a diverged run still shows in the cost.)
double safe_log(double a);
Matrix safe_log(const Matrix& A);  // element by element, vectorized

double binary_cross_entropy(const Matrix& A, const Matrix& Y);
double squared_error(const Matrix& A, const Matrix& Y);
double l1_error(const Matrix& A, const Matrix& Y);

// dJ/dA of the two regression losses (same shape as A).
Matrix squared_error_gradient(const Matrix& A, const Matrix& Y);
Matrix l1_error_gradient(const Matrix& A, const Matrix& Y);

// Fraction of columns where argmax(A) equals the label (K >= 2), or, for a single output
// row, where (A >= 0.5) equals the 0/1 label.
double accuracy(const Matrix& A, const std::vector<int>& y);
// Fraction of positions where the predicted label equals the true one.
double accuracy(const std::vector<int>& predicted, const std::vector<int>& y);

// Labels predicted from output probabilities: argmax over rows, or threshold 0.5 if K = 1.
std::vector<int> predict_labels(const Matrix& A);

// Throws ShapeError "<name>: A has shape (..) but Y has shape (..)" unless shapes agree.
void check_same_shape(const char* name, const Matrix& A, const Matrix& Y);

}  // namespace nn
