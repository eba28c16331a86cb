// nn/shallow_network.cpp — see shallow_network.hpp for the slides and the equations.
#include "nn/shallow_network.hpp"

#include "nn/activations.hpp"
#include "nn/losses.hpp"
#include "nn/softmax.hpp"

namespace nn {

ShallowParameters initialize_shallow(std::size_t n_x, std::size_t n_h, std::size_t n_y, unsigned seed) {
    Random rng(seed);  // np.random.seed(1)
    ShallowParameters p;
    p.W1 = rng.randn(n_h, n_x) * 0.01;  // W1 = np.random.randn(n_h, n_x) * 0.01
    p.b1 = Matrix::zeros(n_h, 1);
    p.W2 = rng.randn(n_y, n_h) * 0.01;  // W2 = np.random.randn(n_y, n_h) * 0.01
    p.b2 = Matrix::zeros(n_y, 1);
    return p;
}

ShallowCache forward_propagation(const Matrix& X, const ShallowParameters& p, Output out) {
    ShallowCache c;
    c.Z1 = matmul(p.W1, X) + p.b1;   // Z1 = W1·X + b1
    c.A1 = sigmoid(c.Z1);            // A1 = σ(Z1)
    c.Z2 = matmul(p.W2, c.A1) + p.b2;  // Z2 = W2·A1 + b2
    c.A2 = out == Output::Softmax ? softmax(c.Z2) : sigmoid(c.Z2);  // A2 = softmax(Z2)
    return c;
}

ShallowGradients backward_propagation(const Matrix& X, const Matrix& Y, const ShallowParameters& p,
                                      const ShallowCache& c) {
    const double m = static_cast<double>(X.cols());
    ShallowGradients g;
    Matrix dZ2 = c.A2 - Y;                              // dZ2 = A2 − Y
    g.dW2 = matmul(dZ2, c.A1.T()) / m;                  // dW2 = (1/m)·dZ2·A1ᵀ
    g.db2 = sum(dZ2, 1) / m;                            // db2 = (1/m)·np.sum(dZ2, axis=1, keepdims=True)
    Matrix dZ1 = matmul(p.W2.T(), dZ2) * c.A1 * (1.0 - c.A1);  // dZ1 = W2ᵀ·dZ2 * A1(1 − A1)
    g.dW1 = matmul(dZ1, X.T()) / m;                     // dW1 = (1/m)·dZ1·Xᵀ
    g.db1 = sum(dZ1, 1) / m;                            // db1 = (1/m)·np.sum(dZ1, axis=1, keepdims=True)
    return g;
}

void gradient_descent(ShallowParameters& p, const ShallowGradients& g, double lr) {
    p.W1 -= lr * g.dW1;  // W1 := W1 − α·dW1
    p.b1 -= lr * g.db1;
    p.W2 -= lr * g.dW2;
    p.b2 -= lr * g.db2;
}

std::vector<double> train_shallow(ShallowParameters& p, const Matrix& X, const Matrix& Y, double lr, int iterations,
                                  Output out) {
    std::vector<double> costs;
    for (int i = 0; i < iterations; ++i) {
        ShallowCache c = forward_propagation(X, p, out);  // 1. forward pass
        costs.push_back(out == Output::Softmax ? softmax_cross_entropy(c.A2, Y)  // 2. cost
                                               : binary_cross_entropy(c.A2, Y));
        ShallowGradients g = backward_propagation(X, Y, p, c);  // 3. backward pass
        gradient_descent(p, g, lr);                              // 4. parameter update
    }
    return costs;
}

std::vector<int> predict_shallow(const Matrix& X, const ShallowParameters& p, Output out) {
    return predict_labels(forward_propagation(X, p, out).A2);
}

}  // namespace nn
