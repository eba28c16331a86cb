// nn/deep_network.cpp — see deep_network.hpp for the slides and the equations.
#include "nn/deep_network.hpp"

#include <charconv>

#include "nn/losses.hpp"
#include "nn/softmax.hpp"

namespace nn {

Output parse_output(const std::string& name) {
    if (name == "softmax") return Output::Softmax;
    if (name == "sigmoid") return Output::Sigmoid;
    throw ValueError("unknown output activation '" + name + "' (choose softmax or sigmoid)");
}

std::string output_name(Output out) { return out == Output::Softmax ? "softmax" : "sigmoid"; }

Parameters initialize_parameters(const std::vector<std::size_t>& layer_dims, Init init, Random& rng) {
    if (layer_dims.size() < 2) throw ValueError("a network needs at least an input and an output layer");
    for (std::size_t l = 0; l < layer_dims.size(); ++l)
        if (layer_dims[l] == 0) throw ValueError("layer " + std::to_string(l) + " of " + layers_string(layer_dims) + " has no units");
    Parameters p;
    p.W.resize(layer_dims.size());
    p.b.resize(layer_dims.size());
    for (std::size_t l = 1; l < layer_dims.size(); ++l) {
        p.W[l] = init_weights(init, layer_dims[l], layer_dims[l - 1], rng);  // (n[l], n[l−1])
        p.b[l] = Matrix::zeros(layer_dims[l], 1);                           // (n[l], 1)
    }
    return p;
}

Model make_model(const std::vector<std::size_t>& layer_dims, Activation hidden, Output output, Init init, Random& rng) {
    Model model;
    model.layer_dims = layer_dims;
    model.hidden = hidden;
    model.output = output;
    model.params = initialize_parameters(layer_dims, init, rng);
    return model;
}

// ---- forward ------------------------------------------------------------------------

namespace {
// A sparse copy must be of the same matrix (its shape, at least, is checked).
void check_same_input(const char* where, const Matrix& A_prev, const SparseMatrix& sparse) {
    if (A_prev.rows() != sparse.rows() || A_prev.cols() != sparse.cols())
        throw ShapeError(std::string(where) + ": the sparse copy of the input has shape " + sparse.shape() +
                         " but the input has shape " + A_prev.shape());
}
}  // namespace

// Z = W·A_prev + b
Matrix linear_forward(const Matrix& A_prev, const Matrix& W, const Matrix& b, const SparseMatrix* A_prev_sparse) {
    if (A_prev_sparse) {  // the same, skipping A_prev's zeros, with b added as each sum is written
        check_same_input("linear_forward", A_prev, *A_prev_sparse);
        return matmul_plus_bias(W, *A_prev_sparse, b);
    }
    Matrix Z = matmul(W, A_prev);  // W·A_prev
    Z += b;                        // b (n, 1) is broadcast across the m columns
    return Z;
}

LayerCache linear_activation_forward(const Matrix& A_prev, const Matrix& W, const Matrix& b, Activation g,
                                     const SparseMatrix* A_prev_sparse) {
    LayerCache cache;
    cache.A_prev = &A_prev;
    cache.A_prev_sparse = A_prev_sparse;
    cache.Z = linear_forward(A_prev, W, b, A_prev_sparse);  // Z = W·A_prev + b
    cache.A = activation_forward(cache.Z, g);  // A = g(Z)
    return cache;
}

Matrix output_activation(const Matrix& Z, Output out) { return out == Output::Softmax ? softmax(Z) : sigmoid(Z); }

ForwardPass model_forward(const Matrix& X, const Model& model, const SparseMatrix* X_sparse) {
    const Parameters& p = model.params;
    const std::size_t L = p.L();
    if (X.rows() != model.layer_dims[0])
        throw ShapeError("model_forward: X has shape " + X.shape() + " but the network expects " +
                         std::to_string(model.layer_dims[0]) + " input features per column (layers " +
                         layers_string(model.layer_dims) + ")");
    ForwardPass fwd;
    fwd.caches.resize(L + 1);  // sized once: caches[l].A_prev points into caches[l−1]
    const Matrix* A_prev = &X;  // A[0] = X
    const SparseMatrix* A_prev_sparse = X_sparse;  // only the first layer's input can have one
    for (std::size_t l = 1; l < L; ++l) {  // hidden layers: Z[l] = W[l]·A[l−1] + b[l], A[l] = g(Z[l])
        fwd.caches[l] = linear_activation_forward(*A_prev, p.W[l], p.b[l], model.hidden, A_prev_sparse);
        A_prev = &fwd.caches[l].A;
        A_prev_sparse = nullptr;
    }
    LayerCache& out = fwd.caches[L];  // the output layer: A[L] = σ(Z[L]) or softmax(Z[L])
    out.A_prev = A_prev;
    out.A_prev_sparse = A_prev_sparse;
    out.Z = linear_forward(*A_prev, p.W[L], p.b[L], A_prev_sparse);
    out.A = output_activation(out.Z, model.output);
    return fwd;
}

double compute_cost(const Matrix& AL, const Matrix& Y, Output out) {
    return out == Output::Softmax ? softmax_cross_entropy(AL, Y) : binary_cross_entropy(AL, Y);
}

// ---- backward -----------------------------------------------------------------------

LinearGradients linear_backward(const Matrix& dZ, const Matrix& A_prev, const Matrix& W, bool need_dA_prev,
                                const SparseMatrix* A_prev_sparse) {
    if (A_prev_sparse) check_same_input("linear_backward", A_prev, *A_prev_sparse);
    const double m = static_cast<double>(A_prev.cols());
    LinearGradients g;
    g.dW = A_prev_sparse ? matmul(dZ, A_prev_sparse->T()) : matmul(dZ, A_prev.T());  // skipping zeros if listed
    g.dW *= 1.0 / m;                   // dW = (1/m)·dZ·A_prevᵀ
    g.db = sum(dZ, 1) / m;             // db = (1/m)·np.sum(dZ, axis=1, keepdims=True)
    if (need_dA_prev) g.dA_prev = matmul(W.T(), dZ);  // dA_prev = Wᵀ·dZ
    return g;
}

LinearGradients linear_activation_backward(const Matrix& dA, const LayerCache& cache, const Matrix& W, Activation g,
                                           bool need_dA_prev) {
    Matrix dZ = activation_backward(dA, cache.Z, cache.A, g);  // dZ = dA * g'(Z)
    return linear_backward(dZ, *cache.A_prev, W, need_dA_prev, cache.A_prev_sparse);
}

Gradients model_backward(const ForwardPass& fwd, const Matrix& Y, const Model& model) {
    const std::size_t L = model.params.L();
    check_same_shape("model_backward", fwd.AL(), Y);
    Gradients grads;
    grads.dW.resize(L + 1);
    grads.db.resize(L + 1);
    Matrix dZ = fwd.AL() - Y;  // dZ[L] = A[L] − Y
    LinearGradients g = linear_backward(dZ, *fwd.caches[L].A_prev, model.params.W[L], L > 1, fwd.caches[L].A_prev_sparse);
    grads.dW[L] = std::move(g.dW);
    grads.db[L] = std::move(g.db);
    for (std::size_t l = L - 1; l >= 1; --l) {  // hidden layers, from the top down
        g = linear_activation_backward(g.dA_prev, fwd.caches[l], model.params.W[l], model.hidden, l > 1);
        grads.dW[l] = std::move(g.dW);
        grads.db[l] = std::move(g.db);
    }
    return grads;
}

void update_parameters(Parameters& p, const Gradients& grads, double learning_rate) {
    if (grads.dW.size() != p.W.size() || grads.db.size() != p.b.size())
        throw ShapeError("update_parameters: gradients for " + std::to_string(grads.dW.size() ? grads.dW.size() - 1 : 0) +
                         " layers, parameters for " + std::to_string(p.L()));
    for (std::size_t l = 1; l <= p.L(); ++l) {
        p.W[l] -= learning_rate * grads.dW[l];  // W[l] := W[l] − α·dW[l]
        p.b[l] -= learning_rate * grads.db[l];  // b[l] := b[l] − α·db[l]
    }
}

// ---- prediction ---------------------------------------------------------------------

Matrix predict_proba(const Matrix& X, const Model& model) { return model_forward(X, model).AL(); }

std::vector<int> predict(const Matrix& X, const Model& model) { return predict_labels(predict_proba(X, model)); }

std::string layers_string(const std::vector<std::size_t>& dims) {
    std::string s;
    for (std::size_t i = 0; i < dims.size(); ++i) s += (i ? "-" : "") + std::to_string(dims[i]);
    return s;
}

std::vector<std::size_t> parse_layers(const std::string& text) {
    std::vector<std::size_t> dims;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t comma = text.find(',', start);
        std::string part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        std::size_t v = 0;
        auto res = std::from_chars(part.data(), part.data() + part.size(), v);
        if (part.empty() || res.ec != std::errc() || res.ptr != part.data() + part.size() || v == 0)
            throw ValueError("--layers '" + text + "': '" + part + "' is not a positive whole number (example: 400,25,10)");
        dims.push_back(v);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    if (dims.size() < 2) throw ValueError("--layers '" + text + "': need at least an input and an output size (example: 400,25,10)");
    return dims;
}

}  // namespace nn
