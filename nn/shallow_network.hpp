// nn/shallow_network.hpp — the one-hidden-layer network of the assignment, written out by hand.
//
// CMPE 258 "Deep Neural Network" (Assignment 3): 400 inputs (20x20 digits), 25 sigmoid
// hidden units, 10 outputs; the six functions the assignment asks for (one-hot, sigmoid,
// forward propagation, backward propagation, gradient descent, softmax); weights drawn
// after np.random.seed(1) as randn·0.01, biases zero. Slides "Forward propagation",
// "Backward propagation", "Derivative of dL/dW[2]", "Derivative of dL/dZ[1]", "Derivative of
// dL/dW[1]", "Derivative of dL/db[1]".
//
//   Z1 = W1·X + b1         A1 = σ(Z1)                 (25, m)
//   Z2 = W2·A1 + b2        A2 = softmax(Z2) or σ(Z2)  (10, m)
//   dZ2 = A2 − Y           dW2 = (1/m)·dZ2·A1ᵀ        db2 = (1/m)·Σ dZ2
//   dZ1 = W2ᵀ·dZ2 * A1(1 − A1)
//                          dW1 = (1/m)·dZ1·Xᵀ         db1 = (1/m)·Σ dZ1
//   W := W − α·dW,  b := b − α·db
// one_hot is in nn/losses.hpp, sigmoid in nn/activations.hpp, softmax in nn/softmax.hpp.
// nn/deep_network.hpp is the same network for any number of layers; with L = 2 the two agree.
#pragma once
#include <vector>

#include "matrix/matrix.hpp"
#include "matrix/random.hpp"
#include "nn/deep_network.hpp"

namespace nn {

struct ShallowParameters {
    Matrix W1, b1, W2, b2;  // (n_h, n_x), (n_h, 1), (n_y, n_h), (n_y, 1)
};

struct ShallowCache {
    Matrix Z1, A1, Z2, A2;
};

struct ShallowGradients {
    Matrix dW1, db1, dW2, db2;
};

// np.random.seed(seed); W1 = randn(n_h, n_x)·0.01; b1 = 0; W2 = randn(n_y, n_h)·0.01; b2 = 0
ShallowParameters initialize_shallow(std::size_t n_x, std::size_t n_h, std::size_t n_y, unsigned seed = 1);

ShallowCache forward_propagation(const Matrix& X, const ShallowParameters& p, Output out = Output::Softmax);
ShallowGradients backward_propagation(const Matrix& X, const Matrix& Y, const ShallowParameters& p,
                                      const ShallowCache& cache);
void gradient_descent(ShallowParameters& p, const ShallowGradients& g, double learning_rate);

// Full-batch training as in the assignment; returns the cost before each update.
std::vector<double> train_shallow(ShallowParameters& p, const Matrix& X, const Matrix& Y, double learning_rate,
                                  int iterations, Output out = Output::Softmax);

std::vector<int> predict_shallow(const Matrix& X, const ShallowParameters& p, Output out = Output::Softmax);

}  // namespace nn
