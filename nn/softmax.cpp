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
    E *= 1.0 / sum(E, 0);                     // divide each column by its sum (one division
                                              // per column, then a multiplication per entry)
    return E;
}

// log a = (z − max z) − log Σ e^(z − max z)
Matrix log_softmax(const Matrix& Z) {
    Matrix shifted = Z - max(Z, 0);
    return shifted - log(sum(exp(shifted), 0));
}

// J = −(1/m) Σ Y ∘ log A
// Only the entries with y ≠ 0 add to the sum (one per example when Y is one-hot), so each
// block of entries first gathers those (a, y) pairs, then takes all their logs in one
// vectorized pass (log_array) and adds up y log a.
double softmax_cross_entropy(const Matrix& A, const Matrix& Y) {
    check_same_shape("softmax_cross_entropy", A, Y);
    const double *a = A.data(), *y = Y.data();
    const double total = parallel_block_sum(A.size(), [&](std::size_t lo, std::size_t hi) {
        static thread_local double a_kept[kSumBlock], y_kept[kSumBlock];  // (one block's entries at most)
        std::size_t n = 0;
        for (std::size_t i = lo; i < hi; ++i) {  // keep the entries with y ≠ 0 (no branch)
            a_kept[n] = clip_for_log(a[i]);  // log 0 would be −inf: clip as safe_log does
            y_kept[n] = y[i];
            n += y[i] != 0.0;
        }
        log_array(a_kept, a_kept, n);  // log a
        double s = 0;
        for (std::size_t k = 0; k < n; ++k) s += y_kept[k] * a_kept[k];  // Σ y log a
        return s;
    });
    return -total / static_cast<double>(A.cols());
}

double softmax_cross_entropy_from_logits(const Matrix& Z, const Matrix& Y) {
    check_same_shape("softmax_cross_entropy_from_logits", Z, Y);
    return -sum(Y * log_softmax(Z)) / static_cast<double>(Z.cols());
}

}  // namespace nn
