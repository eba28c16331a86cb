// nn/softmax.hpp — softmax and its cross-entropy (one class out of K).
//
// "Deep Learning, Chapter 2: Building Neural Network from Scratch", slide "Softmax"
// (worked example z = [5, 2, −1, 3] → a = [0.842, 0.042, 0.002, 0.114]); CS229
// "Neural Networks": several sigmoids for multi-label, softmax for one of K.
//
//   a_k = e^(z_k) / Σ_j e^(z_j)        computed as e^(z_k − max z) / Σ_j e^(z_j − max z),
//                                      which is the same number but never overflows
//   L(a, y) = −Σ_k y_k log a_k          with y one-hot, and  dL/dz = a − y
#pragma once
#include <vector>

#include "matrix/matrix.hpp"

namespace nn {

// Column-wise softmax of Z (K, m): every column of the result sums to 1.
Matrix softmax(const Matrix& Z);

// log softmax by log-sum-exp: log a_k = z_k − max z − log Σ_j e^(z_j − max z).
Matrix log_softmax(const Matrix& Z);

// J = −(1/m) Σ_i Σ_k Y_ki log A_ki, for probabilities A (K, m) and one-hot Y (K, m).
double softmax_cross_entropy(const Matrix& A, const Matrix& Y);

// The same cost computed from the scores Z by log-sum-exp: finite even when a
// probability underflows to 0.
double softmax_cross_entropy_from_logits(const Matrix& Z, const Matrix& Y);

}  // namespace nn
