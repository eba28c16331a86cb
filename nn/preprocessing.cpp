// nn/preprocessing.cpp — see preprocessing.hpp.
#include "nn/preprocessing.hpp"

#include <cmath>

namespace nn {

Standardizer fit_standardizer(const Matrix& X) {
    if (X.cols() == 0) throw ValueError("standardize: no examples to fit μ and σ on");
    Standardizer s;
    s.mu = mean(X, 1);                                 // μ_j = (1/m) Σ_i x_ji
    s.sigma = sqrt(mean(square(X - s.mu), 1));         // σ_j = √((1/m) Σ_i (x_ji − μ_j)²)
    for (double& v : s.sigma)
        if (v == 0.0) v = 1.0;  // constant feature: centre only
    return s;
}

Matrix standardize(const Matrix& X, const Standardizer& s) {
    if (X.rows() != s.mu.rows())
        throw ShapeError("standardize: X has " + std::to_string(X.rows()) + " features but the standardizer was fitted on " +
                         std::to_string(s.mu.rows()));
    return (X - s.mu) / s.sigma;  // x_std = (x − μ) / σ
}

}  // namespace nn
