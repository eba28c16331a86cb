// nn/logistic_regression.hpp — logistic regression as a single neuron, vectorized.
//
// "Introduction to Deep Learning, Chapter 2", slides "Logistic Regression", "Logistic
// Regression Cost Function", "Gradient Descent for Logistic Regression", "Logistic
// Regression Computation Graph", "Logistic Regression Derivatives" and "Vectorizing
// Logistic Regression"; CS229 "Neural Networks", logistic regression as a neuron;
// CMPE 258, slide "Logistic regression with L2 Regularization".
//
//   Z = wᵀX + b                    (1, m)
//   A = σ(Z)                       ŷ = P(y = 1 | x)
//   J = −(1/m) Σ [y log a + (1 − y) log(1 − a)] + (λ/2m)‖w‖²
//   dZ = A − Y
//   dw = (1/m)·X·dZᵀ + (λ/m)·w      db = (1/m)·Σ dZ
//   w := w − α·dw,   b := b − α·db
// Labels are 0/1; predict 1 where A ≥ 0.5.
#pragma once
#include <vector>

#include "matrix/matrix.hpp"

namespace nn {

struct LogisticRegression {
    Matrix w;      // (n_x, 1)
    double b = 0;
    double lambd = 0;  // L2 strength λ (0: no regularization)
    std::vector<double> cost;  // J before each update
};

// Gradient descent from zero weights (a single neuron has no symmetry to break).
LogisticRegression train_logistic_regression(const Matrix& X, const std::vector<int>& y, double learning_rate,
                                             int iterations, double lambd = 0.0);

// A = σ(wᵀX + b)
Matrix predict_proba(const LogisticRegression& model, const Matrix& X);
std::vector<int> predict(const LogisticRegression& model, const Matrix& X);

// J(w, b) and its gradient, as the slides write them (for training and gradient checks).
double logistic_cost(const LogisticRegression& model, const Matrix& X, const Matrix& Y);
void logistic_gradients(const LogisticRegression& model, const Matrix& X, const Matrix& Y, Matrix& dw, double& db);

}  // namespace nn
