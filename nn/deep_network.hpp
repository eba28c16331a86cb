// nn/deep_network.hpp — an L-layer network built from forward and backward blocks with caches.
//
// "Introduction to Deep Learning, Chapter 2", slides "Notations in Deep Neural Networks",
// "Getting your matrix dimensions correct", "Building Blocks of Deep Neural Networks";
// "Deep Learning, Chapter 2: Building Neural Network from Scratch", slide "Summary of
// Forward/Backward Computations";
// CS229 "Neural Networks", backpropagation with cached values.
//
// Notation (the slides'): layer l = 1..L has n[l] units; n[0] = n_x inputs.
//   W[l] is (n[l], n[l−1]),  b[l] is (n[l], 1),  A[0] = X is (n_x, m), one example per column.
//
// Forward, for l = 1..L:               Backward, for l = L..1:
//   Z[l] = W[l]·A[l−1] + b[l]            dZ[L] = A[L] − Y            (sigmoid or softmax output
//   A[l] = g[l](Z[l])                                                 with cross-entropy)
//                                        dZ[l] = dA[l] * g[l]'(Z[l])  (hidden layers)
//                                        dW[l] = (1/m)·dZ[l]·A[l−1]ᵀ
//                                        db[l] = (1/m)·Σ_columns dZ[l]
//                                        dA[l−1] = W[l]ᵀ·dZ[l]
// Update: W[l] := W[l] − α·dW[l],  b[l] := b[l] − α·db[l].
#pragma once
#include <string>
#include <vector>

#include "matrix/matrix.hpp"
#include "matrix/random.hpp"
#include "matrix/sparse.hpp"
#include "nn/activations.hpp"
#include "nn/initialization.hpp"

namespace nn {

// The output layer's activation: K sigmoids (multi-label, or K = 1 binary) or a softmax (one of K).
enum class Output { Sigmoid, Softmax };
Output parse_output(const std::string& name);
std::string output_name(Output out);

// W[l], b[l] for l = 1..L, as the slides number them (W[0] and b[0] are unused and empty).
struct Parameters {
    std::vector<Matrix> W, b;
    std::size_t L() const { return W.empty() ? 0 : W.size() - 1; }
};

struct Gradients {
    std::vector<Matrix> dW, db;  // dW[l], db[l] for l = 1..L
};

// A network: its layer sizes n[0..L], its activations, and its parameters.
struct Model {
    std::vector<std::size_t> layer_dims;  // n[0] = n_x, ..., n[L] = n_y
    Activation hidden = Activation::ReLU;
    Output output = Output::Softmax;
    Parameters params;
};

// W[l] from `init` (numpy's draw order: W[1], W[2], ...), b[l] = 0.
Parameters initialize_parameters(const std::vector<std::size_t>& layer_dims, Init init, Random& rng);
Model make_model(const std::vector<std::size_t>& layer_dims, Activation hidden, Output output, Init init, Random& rng);

// What a layer's forward step keeps for its backward step.
// A_prev points at the layer's input (X, or the previous layer's A): a pointer, not a copy,
// because X alone can be many megabytes. Keep X alive until the backward pass is done.
// A_prev_sparse, when set, points at the same input with only its nonzeros listed
// (matrix/sparse.hpp); nn::train sets it for the first layer when X is mostly zeros, and the
// products with A_prev then skip them. It changes the speed, not the result (up to rounding).
struct LayerCache {
    const Matrix* A_prev = nullptr;
    const SparseMatrix* A_prev_sparse = nullptr;
    Matrix Z, A;
};

// Z = W·A_prev + b   (W·A_prev from A_prev_sparse when it is given)
Matrix linear_forward(const Matrix& A_prev, const Matrix& W, const Matrix& b, const SparseMatrix* A_prev_sparse = nullptr);
// Z = W·A_prev + b, A = g(Z)
LayerCache linear_activation_forward(const Matrix& A_prev, const Matrix& W, const Matrix& b, Activation g,
                                     const SparseMatrix* A_prev_sparse = nullptr);
// A[L] = σ(Z[L]) or softmax(Z[L])
Matrix output_activation(const Matrix& Z, Output out);

// The whole forward pass. caches[l] for l = 1..L (caches[0] unused); caches[L].A is Ŷ = A[L].
struct ForwardPass {
    std::vector<LayerCache> caches;
    const Matrix& AL() const { return caches.back().A; }
};
// X_sparse: X's nonzeros (optional, see LayerCache), for the first layer's products.
ForwardPass model_forward(const Matrix& X, const Model& model, const SparseMatrix* X_sparse = nullptr);

// Cross-entropy of the output: softmax → −(1/m) Σ Y log A;  sigmoid → −(1/m) Σ [Y log A + (1−Y) log(1−A)]
double compute_cost(const Matrix& AL, const Matrix& Y, Output out);

// dW = (1/m)·dZ·A_prevᵀ, db = (1/m)·Σ dZ, dA_prev = Wᵀ·dZ (skipped when not needed, e.g. for l = 1)
// (dZ·A_prevᵀ from A_prev_sparse when it is given)
struct LinearGradients {
    Matrix dA_prev, dW, db;
};
LinearGradients linear_backward(const Matrix& dZ, const Matrix& A_prev, const Matrix& W, bool need_dA_prev = true,
                                const SparseMatrix* A_prev_sparse = nullptr);
// dZ = dA * g'(Z), then linear_backward
LinearGradients linear_activation_backward(const Matrix& dA, const LayerCache& cache, const Matrix& W, Activation g,
                                           bool need_dA_prev = true);
// The whole backward pass, starting from dZ[L] = A[L] − Y.
Gradients model_backward(const ForwardPass& forward, const Matrix& Y, const Model& model);

// W[l] := W[l] − α·dW[l],  b[l] := b[l] − α·db[l]
void update_parameters(Parameters& params, const Gradients& grads, double learning_rate);

// Ŷ for new data, and the predicted labels (argmax, or ≥ 0.5 for a single output).
Matrix predict_proba(const Matrix& X, const Model& model);
std::vector<int> predict(const Matrix& X, const Model& model);

// "400-25-10" for a layer list; parse_layers("400,25,10") the other way (throws ValueError).
std::string layers_string(const std::vector<std::size_t>& dims);
std::vector<std::size_t> parse_layers(const std::string& text);

}  // namespace nn
