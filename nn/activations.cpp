// nn/activations.cpp — see activations.hpp for the lecture and the formulas.
#include "nn/activations.hpp"

#include <cmath>

#include "matrix/parallel.hpp"
#include "matrix/vecmath.hpp"

namespace nn {

Activation parse_activation(const std::string& name) {
    if (name == "sigmoid" || name == "logistic") return Activation::Sigmoid;
    if (name == "tanh") return Activation::Tanh;
    if (name == "relu") return Activation::ReLU;
    if (name == "leaky_relu" || name == "leaky-relu") return Activation::LeakyReLU;
    if (name == "elu") return Activation::ELU;
    if (name == "linear" || name == "identity") return Activation::Linear;
    throw ValueError("unknown activation '" + name + "' (choose sigmoid, tanh, relu, leaky_relu, elu or linear)");
}

std::string activation_name(Activation g) {
    switch (g) {
        case Activation::Sigmoid: return "sigmoid";
        case Activation::Tanh: return "tanh";
        case Activation::ReLU: return "relu";
        case Activation::LeakyReLU: return "leaky_relu";
        case Activation::ELU: return "elu";
        case Activation::Linear: return "linear";
    }
    return "?";
}

// a = 1 / (1 + e^(−z))
Matrix sigmoid(const Matrix& Z) {
    Matrix A = Matrix::uninitialized(Z.rows(), Z.cols());
    sigmoid_array(Z.data(), A.data(), Z.size());  // 1 / (1 + e^(−z)), element by element
    return A;
}

// a = (e^z − e^(−z)) / (e^z + e^(−z))
Matrix tanh(const Matrix& Z) {
    Matrix A = Matrix::uninitialized(Z.rows(), Z.cols());
    tanh_array(Z.data(), A.data(), Z.size());  // tanh z, element by element (vectorized)
    return A;
}

// a = max(0, z)
Matrix relu(const Matrix& Z) { return maximum(Z, 0.0); }

// a = max(0.01 z, z)
Matrix leaky_relu(const Matrix& Z) {
    Matrix A = Z;
    for (double& a : A) a = a < 0 ? kLeakySlope * a : a;
    return A;
}

// a = α (e^z − 1) for z < 0, z otherwise
Matrix elu(const Matrix& Z, double alpha) {
    Matrix A = Matrix::uninitialized(Z.rows(), Z.cols());
    expm1_array(Z.data(), A.data(), Z.size());  // e^z − 1 for every z (vectorized), then:
    for (std::size_t i = 0; i < Z.size(); ++i) {
        const double z = Z.data()[i];
        A.data()[i] = z < 0 ? alpha * A.data()[i] : z;
    }
    return A;
}

Matrix activation_forward(const Matrix& Z, Activation g) {
    switch (g) {
        case Activation::Sigmoid: return sigmoid(Z);
        case Activation::Tanh: return tanh(Z);
        case Activation::ReLU: return relu(Z);
        case Activation::LeakyReLU: return leaky_relu(Z);
        case Activation::ELU: return elu(Z);
        case Activation::Linear: return Z;
    }
    return Z;
}

Matrix activation_derivative(const Matrix& Z, const Matrix& A, Activation g) {
    switch (g) {
        case Activation::Sigmoid: return A * (1.0 - A);   // g'(z) = a (1 − a)
        case Activation::Tanh: return 1.0 - square(A);    // g'(z) = 1 − a²
        case Activation::ReLU: return Z >= 0.0;           // 0 if z < 0, 1 if z ≥ 0
        case Activation::LeakyReLU: {                     // 0.01 if z < 0, 1 if z ≥ 0
            Matrix d = Z >= 0.0;
            for (double& v : d) v = v > 0 ? 1.0 : kLeakySlope;
            return d;
        }
        case Activation::ELU: {                           // α e^z if z < 0, 1 if z ≥ 0
            Matrix d = exp(Z);                            // e^z (vectorized)
            for (std::size_t i = 0; i < Z.size(); ++i) d.data()[i] = Z.data()[i] < 0 ? kEluAlpha * d.data()[i] : 1.0;
            return d;
        }
        case Activation::Linear: return Matrix::ones(Z.rows(), Z.cols());
    }
    return Matrix();
}

// dZ = dA * g'(Z)
Matrix activation_backward(const Matrix& dA, const Matrix& Z, const Matrix& A, Activation g) {
    if (!same_shape(dA, Z))
        throw ShapeError("activation_backward: dA has shape " + dA.shape() + " but Z has shape " + Z.shape());
    // sigmoid and tanh, the hot paths of the lectures' networks: one fused loop each
    if (g == Activation::Sigmoid || g == Activation::Tanh) {
        Matrix dZ = Matrix::uninitialized(dA.rows(), dA.cols());
        const double *da = dA.data(), *a = A.data();
        double* dz = dZ.data();
        const std::size_t n = dA.size();
        if (g == Activation::Sigmoid) {
            NN_PARALLEL_FOR(n)
            for (std::size_t i = 0; i < n; ++i) dz[i] = da[i] * a[i] * (1.0 - a[i]);  // dZ = dA · a(1 − a)
        } else {
            NN_PARALLEL_FOR(n)
            for (std::size_t i = 0; i < n; ++i) dz[i] = da[i] * (1.0 - a[i] * a[i]);  // dZ = dA · (1 − a²)
        }
        return dZ;
    }
    return dA * activation_derivative(Z, A, g);
}

}  // namespace nn
