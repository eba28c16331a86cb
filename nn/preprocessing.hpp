// nn/preprocessing.hpp — feature scaling by standardization.
//
// "Introduction to Deep Learning, Chapter 2", slides "Feature Scaling" and "Feature Scaling
// in Python"; CMPE 258 "Weights initialization", slide "Normalizing inputs to speed up
// learning" (X = (X − μ)/σ).
//
//   x_std = (x − μ) / σ,   μ and σ per feature (population σ, like numpy's x.std())
// Fit μ and σ on the training data only, then apply the same μ and σ to the test data.
// A constant feature (σ = 0, e.g. a pixel that is always blank) is only centred (σ taken as 1).
#pragma once
#include "matrix/matrix.hpp"

namespace nn {

struct Standardizer {
    Matrix mu, sigma;  // (n_x, 1) each
};

// μ = mean over the m examples, σ = √(mean (x − μ)²), for each row of X (n_x, m).
Standardizer fit_standardizer(const Matrix& X);
// (X − μ) / σ
Matrix standardize(const Matrix& X, const Standardizer& s);

}  // namespace nn
