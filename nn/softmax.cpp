// nn/softmax.cpp — see softmax.hpp.
#include "nn/softmax.hpp"

#include <cmath>

#include "matrix/parallel.hpp"
#include "matrix/vecmath.hpp"

#include "nn/losses.hpp"

namespace nn {

// a = e^(z − max z) / Σ e^(z − max z), column by column
Matrix softmax(const Matrix& Z) {
    Matrix E = Z - max(Z, 0);                 // z − max z (column by column)
    exp_array(E.data(), E.data(), E.size());  // e^(z − max z), in place
    E /= sum(E, 0);                           // divide each column by its sum
    return E;
}

// log a = (z − max z) − log Σ e^(z − max z)
Matrix log_softmax(const Matrix& Z) {
    Matrix shifted = Z - max(Z, 0);
    return shifted - log(sum(exp(shifted), 0));
}

// J = −(1/m) Σ Y ∘ log A
double softmax_cross_entropy(const Matrix& A, const Matrix& Y) {
    check_same_shape("softmax_cross_entropy", A, Y);
    const double *a = A.data(), *y = Y.data();
    const double total = parallel_sum(A.size(), [&](std::size_t i) {
        return y[i] != 0.0 ? y[i] * safe_log(a[i]) : 0.0;  // y log a (one-hot Y: one log per example)
    });
    return -total / static_cast<double>(A.cols());
}

double softmax_cross_entropy_from_logits(const Matrix& Z, const Matrix& Y) {
    check_same_shape("softmax_cross_entropy_from_logits", Z, Y);
    return -sum(Y * log_softmax(Z)) / static_cast<double>(Z.cols());
}

}  // namespace nn
