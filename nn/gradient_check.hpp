// nn/gradient_check.hpp — numeric gradient checking by centred differences.
//
// Every backward pass in this project is checked against the definition of a derivative:
//     ∂J/∂θ_i ≈ (J(θ + ε e_i) − J(θ − ε e_i)) / 2ε        (error O(ε²); ε = 1e-6 in double)
// and the two gradient vectors g (backprop) and ĝ (numeric) are compared by
//     relative difference = ‖g − ĝ‖ / (‖g‖ + ‖ĝ‖)
// which is about 1e-9 when backprop is right and around 1 when it is wrong. All
// parameters are flattened into one vector θ (W[1], b[1], W[2], ... in order) and back.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "nn/deep_network.hpp"

namespace nn {

struct GradientCheckResult {
    double relative_difference = 0;  // ‖g − ĝ‖ / (‖g‖ + ‖ĝ‖)
    double gradient_norm = 0;        // ‖g‖ (a check of 0 against 0 proves nothing)
    std::string worst_entry;         // e.g. "dW2[3, 7]"
    double worst_analytic = 0, worst_numeric = 0;
    std::size_t n_parameters = 0;
};

// θ = [W[1], b[1], ..., W[L], b[L]] flattened row by row, and back.
std::vector<double> flatten(const Parameters& p);
void unflatten(const std::vector<double>& theta, Parameters& p);
std::vector<double> flatten(const Gradients& g);

// Compares `grads` with centred differences of cost(params) over every parameter.
GradientCheckResult gradient_check(const Parameters& params, const Gradients& grads,
                                   const std::function<double(const Parameters&)>& cost, double epsilon = 1e-6);

// The usual case: the gradient of compute_cost(model_forward(X)) from model_backward.
GradientCheckResult gradient_check_model(const Model& model, const Matrix& X, const Matrix& Y, double epsilon = 1e-6);

// Generic form for any function of one matrix (used for single layers and losses):
// compares dX with centred differences of f around X.
GradientCheckResult gradient_check_matrix(const Matrix& X, const Matrix& dX, const std::function<double(const Matrix&)>& f,
                                          double epsilon = 1e-6);

}  // namespace nn
