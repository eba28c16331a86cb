// nn/perceptron.hpp — Rosenblatt's perceptron learning rule (1957).
//
// "Introduction to Deep Learning, Chapter 2: Neural Networks", slides "Unit Step Function",
// "Rosenblatt's Perceptron Learning Rule" and "Perceptron Rule in Python" (iris: setosa vs
// versicolor, sepal and petal length, eta 0.1, 10 epochs → weights [-0.4 -0.68 1.82],
// converged after the 6th epoch).
//
//   z = wᵀx + b                     net input
//   ŷ = 1 if z ≥ 0, else −1         unit step
//   for each sample, in order:  update = η (y − ŷ);  w := w + update·x;  b := b + update
// Weights and bias start at zero; labels are ±1 (0/1 labels are mapped 0 → −1).
// X is (n_x, m), one sample per column, as everywhere in this project.
#pragma once
#include <vector>

#include "matrix/matrix.hpp"

namespace nn {

struct Perceptron {
    Matrix w;                 // (n_x, 1)
    double b = 0;             // the slides' w_[0]
    std::vector<int> errors;  // misclassifications (updates ≠ 0) in each epoch
};

// Labels as ±1: accepts ±1 as they are, maps 0/1 to −1/+1; anything else throws ValueError.
std::vector<int> to_plus_minus_one(const std::vector<int>& y);

Perceptron train_perceptron(const Matrix& X, const std::vector<int>& y, double eta, int epochs);
// z = wᵀX + b for every column
Matrix net_input(const Matrix& X, const Matrix& w, double b);
// ŷ = 1 if z ≥ 0, else −1 (the unit step; Adaline's quantizer is the same function)
inline int unit_step(double z) { return z >= 0.0 ? 1 : -1; }
std::vector<int> unit_step(const Matrix& z);  // for every entry of a (1, m) row
// 1 where z ≥ 0, else −1
std::vector<int> predict(const Perceptron& p, const Matrix& X);

// Checks X (n_x, m) against y (m labels): non-empty, same m. Names the caller on error.
void check_examples(const char* who, const Matrix& X, std::size_t n_labels);

// Checks a learning rate (positive and finite) and a number of epochs or iterations (positive).
// rate_name and steps_name are the caller's words, e.g. "learning rate eta" and "epochs".
void check_schedule(const char* who, const char* rate_name, double rate, const char* steps_name, int steps);

}  // namespace nn
