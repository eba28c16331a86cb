// nn/initialization.hpp — how the weights start.
//
// CMPE 258 "Deep Neural Network", slides "Pitfall: all zero initialization" and "Small
// random numbers" (W = 0.01·np.random.randn(D, H)); "Weights initialization", slides
// "Xavier initialization", "He initialization", "Initialization for Hyperbolic tangent"
// and the table "Weights initialization" (uniform [−r, r] or normal σ per activation);
// CS229 "Neural Networks", Xavier and He.
//
//   zeros            W = 0                         (the pitfall: every hidden unit stays identical)
//   small            W = 0.01 · randn               (the assignment's choice)
//   xavier           W = randn · √(1 / n[l−1])      (fan-in form)
//   he               W = randn · √(2 / n[l−1])      (fan-in form, for ReLU)
//   logistic-normal  σ = √(2 / (n_in + n_out))       logistic-uniform  r = √(6 / (n_in + n_out))
//   tanh-normal      σ = 4 √(2 / (n_in + n_out))     tanh-uniform      r = 4 √(6 / (n_in + n_out))
//   relu-normal      σ = √2 √(2 / (n_in + n_out))    relu-uniform      r = √2 √(6 / (n_in + n_out))
// Biases start at zero. Random draws follow numpy: for l = 1..L, W[l] = randn(n[l], n[l−1])·σ
// (or uniform(−r, r, (n[l], n[l−1]))), so np.random.seed(s) reproduces the same weights.
#pragma once
#include <string>
#include <vector>

#include "matrix/random.hpp"

namespace nn {

enum class Init { Zeros, Small, Xavier, He, LogisticNormal, LogisticUniform, TanhNormal, TanhUniform, ReluNormal, ReluUniform };

Init parse_init(const std::string& name);
std::string init_name(Init init);

// The weights of one layer, shape (n_out, n_in), drawn from rng in numpy's order.
Matrix init_weights(Init init, std::size_t n_out, std::size_t n_in, Random& rng);

}  // namespace nn
