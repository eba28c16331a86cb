// nn/adaline.hpp — ADAptive LInear NEuron and the delta rule (Widrow & Hoff, 1960).
//
// "Introduction to Deep Learning, Chapter 2: Neural Networks", slides "Adaptive Linear
// Neurons and the Delta Rule", "Gradient Descent of a Cost Function", "Updating weights
// using gradient descent", "Different Learning Rates: 0.01 vs. 0.0001", "Using feature
// scaling in Adaline" and "Adaline with SGD in Python".
//
//   output = wᵀx + b                 (linear activation g(z) = z)
//   J(w)   = ½ Σ_i (y_i − output_i)²  (sum of squared errors)
//   batch GD, once per epoch over all samples:
//     errors = y − output;   w := w + α·X·errors;   b := b + α·Σ errors
//   SGD: the same update after every single sample, samples shuffled each epoch
// Labels are ±1; predict 1 where the output is ≥ 0, else −1.
#pragma once
#include <vector>

#include "matrix/matrix.hpp"
#include "matrix/random.hpp"

namespace nn {

struct Adaline {
    Matrix w;                  // (n_x, 1)
    double b = 0;
    std::vector<double> cost;  // J per epoch (see the training functions)
};

// Batch gradient descent from zero weights. cost[e] is J at the start of epoch e, i.e. the
// cost of the weights that epoch's update uses (as the slides' AdalineGD records it).
Adaline train_adaline_gd(const Matrix& X, const std::vector<int>& y, double alpha, int epochs);

// Stochastic gradient descent from zero weights: every epoch draws rng.permutation(m) and
// updates after each sample in that order; cost[e] is J over all samples after epoch e.
Adaline train_adaline_sgd(const Matrix& X, const std::vector<int>& y, double alpha, int epochs, Random& rng);

// One more pass of per-sample updates on new data, keeping the weights (online learning,
// like scikit-learn's partial_fit). The model must already have weights of the right size.
void adaline_partial_fit(Adaline& model, const Matrix& X, const std::vector<int>& y, double alpha);

// J = ½ Σ (y − (wᵀX + b))²
double adaline_cost(const Adaline& model, const Matrix& X, const std::vector<int>& y);
// dJ/dw = −X·errors, dJ/db = −Σ errors (for gradient checking)
void adaline_gradient(const Adaline& model, const Matrix& X, const std::vector<int>& y, Matrix& dw, double& db);

std::vector<int> predict(const Adaline& model, const Matrix& X);

}  // namespace nn
