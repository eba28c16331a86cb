// nn/activations.hpp — activation functions and their derivatives.
//
// Lecture "Weights initialization" (CMPE 258), slides "Activation functions in Neural
// Network" and "Derivatives of activation functions"; "Introduction to Deep Learning,
// Chapter 2", slide "Activation functions"; CS229 "Neural Networks", why activations.
//
//   sigmoid     a = 1 / (1 + e^(−z))            g'(z) = a (1 − a)
//   tanh        a = (e^z − e^(−z)) / (e^z + e^(−z))   g'(z) = 1 − a²
//   ReLU        a = max(0, z)                   g'(z) = 0 if z < 0, 1 if z ≥ 0
//   leaky ReLU  a = max(0.01 z, z)              g'(z) = 0.01 if z < 0, 1 if z ≥ 0
//   ELU         a = α (e^z − 1) if z < 0, z     g'(z) = α e^z if z < 0, 1 if z ≥ 0
//
// Each derivative is written the way the slides write it: in terms of a when the slide
// does (sigmoid, tanh), in terms of z otherwise.
#pragma once
#include <string>

#include "matrix/matrix.hpp"

namespace nn {

enum class Activation { Sigmoid, Tanh, ReLU, LeakyReLU, ELU, Linear };

// "sigmoid", "tanh", "relu", "leaky_relu", "elu", "linear"; throws ValueError listing them.
Activation parse_activation(const std::string& name);
std::string activation_name(Activation g);

constexpr double kLeakySlope = 0.01;  // the 0.01 in max(0.01 z, z)
constexpr double kEluAlpha = 1.0;     // α of ELU

Matrix sigmoid(const Matrix& Z);
Matrix tanh(const Matrix& Z);
Matrix relu(const Matrix& Z);
Matrix leaky_relu(const Matrix& Z);
Matrix elu(const Matrix& Z, double alpha = kEluAlpha);

// A = g(Z)
Matrix activation_forward(const Matrix& Z, Activation g);
// g'(Z), given Z and A = g(Z) (whichever the formula needs)
Matrix activation_derivative(const Matrix& Z, const Matrix& A, Activation g);
// dZ = dA * g'(Z)  — the step every backward pass takes through an activation
Matrix activation_backward(const Matrix& dA, const Matrix& Z, const Matrix& A, Activation g);

}  // namespace nn
