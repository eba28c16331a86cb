// matrix/matrix.hpp — a small row-major matrix of doubles with numpy-like operations.
//
// The lectures write every layer as matrix algebra: Z = W·X + b, A = g(Z),
// dW = (1/m)·dZ·A_prevᵀ, db = (1/m)·np.sum(dZ, axis=1, keepdims=True). This file gives
// exactly those operations, with numpy's rules:
//   * element-wise + - * / between matrices of equal shape, or with broadcasting of a
//     column vector (n,1) across columns or a row vector (1,m) across rows (Z = W·X + b);
//   * scalar operations, exp / log / sqrt / maximum / abs / clip;
//   * sum / mean / max / argmax along an axis with kept dimensions (axis 0 = down the
//     rows, giving (1,m); axis 1 = across the columns, giving (n,1));
//   * matmul(A, B), with transposed operands that are never copied: matmul(W.T(), dZ).
// Storage is one contiguous, 64-byte-aligned block (good for SIMD); copies are deep
// (value semantics, like numpy's .copy()). Shape mismatches throw nn::ShapeError with
// numpy-style messages naming both shapes. M(i, j) is bounds-checked when the library is
// built with NN_CHECK_BOUNDS (make DEBUG=1); M.at(i, j) is always checked.
#pragma once
#include <cstddef>
#include <initializer_list>
#include <string>
#include <vector>

#include "matrix/errors.hpp"

namespace nn {

class Matrix;

// A transposed view of a matrix, for matmul only: matmul(W.T(), dZ) reads W as Wᵀ
// without copying it (the GEMM handles the transpose while packing).
struct Transposed {
    const Matrix& of;
};

class Matrix {
public:
    Matrix() = default;
    Matrix(std::size_t rows, std::size_t cols, double fill = 0.0);
    // Matrix{{1, 2, 3}, {4, 5, 6}} builds a 2x3 matrix row by row.
    Matrix(std::initializer_list<std::initializer_list<double>> rows);
    Matrix(const Matrix& other);
    Matrix(Matrix&& other) noexcept;
    Matrix& operator=(const Matrix& other);
    Matrix& operator=(Matrix&& other) noexcept;
    ~Matrix();

    static Matrix zeros(std::size_t rows, std::size_t cols) { return Matrix(rows, cols, 0.0); }
    static Matrix ones(std::size_t rows, std::size_t cols) { return Matrix(rows, cols, 1.0); }
    static Matrix eye(std::size_t n);
    // A (rows, cols) matrix whose elements are not set: for results that the next loop
    // writes in full (it saves a pass over memory). Never read an element before writing it.
    static Matrix uninitialized(std::size_t rows, std::size_t cols);
    // A (rows, cols) matrix filled row by row from values (values.size() must equal rows*cols).
    static Matrix from_vector(std::size_t rows, std::size_t cols, const std::vector<double>& values);

    std::size_t rows() const { return rows_; }
    std::size_t cols() const { return cols_; }
    std::size_t size() const { return rows_ * cols_; }
    bool empty() const { return size() == 0; }
    // "(25, 400)", as numpy prints a shape.
    std::string shape() const;

    double* data() { return data_; }
    const double* data() const { return data_; }
    double* begin() { return data_; }
    double* end() { return data_ + size(); }
    const double* begin() const { return data_; }
    const double* end() const { return data_ + size(); }

    double& operator()(std::size_t i, std::size_t j) {
#ifdef NN_CHECK_BOUNDS
        check_index(i, j);
#endif
        return data_[i * cols_ + j];
    }
    double operator()(std::size_t i, std::size_t j) const {
#ifdef NN_CHECK_BOUNDS
        check_index(i, j);
#endif
        return data_[i * cols_ + j];
    }
    double& at(std::size_t i, std::size_t j) { check_index(i, j); return data_[i * cols_ + j]; }
    double at(std::size_t i, std::size_t j) const { check_index(i, j); return data_[i * cols_ + j]; }

    // numpy's W.T, for matmul: no copy. Use nn::transpose(W) for a transposed copy.
    Transposed T() const { return Transposed{*this}; }

    // In-place element-wise operations (same broadcasting rules as the free operators).
    Matrix& operator+=(const Matrix& other);
    Matrix& operator-=(const Matrix& other);
    Matrix& operator*=(const Matrix& other);
    Matrix& operator/=(const Matrix& other);
    Matrix& operator+=(double s);
    Matrix& operator-=(double s);
    Matrix& operator*=(double s);
    Matrix& operator/=(double s);

    void fill(double value);

private:
    struct NoFill {};
    Matrix(std::size_t rows, std::size_t cols, NoFill);
    void check_index(std::size_t i, std::size_t j) const;
    std::size_t rows_ = 0, cols_ = 0;
    double* data_ = nullptr;
};

// ---- element-wise arithmetic with broadcasting ------------------------------------
Matrix operator+(const Matrix& a, const Matrix& b);
Matrix operator-(const Matrix& a, const Matrix& b);
Matrix operator*(const Matrix& a, const Matrix& b);  // element-wise (numpy's *), not matmul
Matrix operator/(const Matrix& a, const Matrix& b);
Matrix operator+(const Matrix& a, double s);
Matrix operator-(const Matrix& a, double s);
Matrix operator*(const Matrix& a, double s);
Matrix operator/(const Matrix& a, double s);
Matrix operator+(double s, const Matrix& a);
Matrix operator-(double s, const Matrix& a);
Matrix operator*(double s, const Matrix& a);
Matrix operator/(double s, const Matrix& a);
Matrix operator-(const Matrix& a);

// Comparisons give 1.0 where true and 0.0 where false (numpy's boolean arrays as numbers):
// D = rand(n, m) < keep_prob is a dropout mask.
Matrix operator<(const Matrix& a, double s);
Matrix operator>(const Matrix& a, double s);
Matrix operator>=(const Matrix& a, double s);

// ---- element-wise functions -------------------------------------------------------
Matrix exp(const Matrix& a);
Matrix log(const Matrix& a);
Matrix sqrt(const Matrix& a);
Matrix abs(const Matrix& a);
Matrix square(const Matrix& a);
Matrix maximum(const Matrix& a, double s);  // np.maximum(a, s)
Matrix minimum(const Matrix& a, double s);
Matrix clip(const Matrix& a, double lo, double hi);
Matrix sign(const Matrix& a);

// ---- reductions (axis 0: down the rows -> (1, cols); axis 1: across columns -> (rows, 1)) ----
double sum(const Matrix& a);
double mean(const Matrix& a);
double max(const Matrix& a);
double min(const Matrix& a);
Matrix sum(const Matrix& a, int axis);   // keepdims=True
Matrix mean(const Matrix& a, int axis);  // keepdims=True
Matrix max(const Matrix& a, int axis);   // keepdims=True
std::vector<std::size_t> argmax(const Matrix& a, int axis);  // axis 0: per column; 1: per row
double frobenius_norm(const Matrix& a);  // ‖A‖_F = sqrt(Σ a_ij²)

// ---- linear algebra ---------------------------------------------------------------
Matrix transpose(const Matrix& a);
Matrix matmul(const Matrix& a, const Matrix& b);          // A·B
Matrix matmul(Transposed a, const Matrix& b);             // Aᵀ·B
Matrix matmul(const Matrix& a, Transposed b);             // A·Bᵀ
Matrix matmul(Transposed a, Transposed b);                // Aᵀ·Bᵀ

// ---- slicing ----------------------------------------------------------------------
// The columns idx[0], idx[1], ... of a, in that order (X[:, idx] in numpy): a mini-batch.
Matrix select_columns(const Matrix& a, const std::vector<std::size_t>& idx);
// Columns [begin, end) of a (X[:, begin:end]).
Matrix columns(const Matrix& a, std::size_t begin, std::size_t end);
Matrix select_rows(const Matrix& a, const std::vector<std::size_t>& idx);
Matrix rows(const Matrix& a, std::size_t begin, std::size_t end);
Matrix reshape(const Matrix& a, std::size_t rows, std::size_t cols);

// ---- comparison helpers (tests, gradient checks) -------------------------------------
bool same_shape(const Matrix& a, const Matrix& b);
// Exact equality of shape and every element (for tests; use allclose for computed values).
bool operator==(const Matrix& a, const Matrix& b);
bool operator!=(const Matrix& a, const Matrix& b);
// numpy.allclose: |a - b| <= atol + rtol·|b| everywhere (and equal shapes).
bool allclose(const Matrix& a, const Matrix& b, double rtol = 1e-9, double atol = 1e-12);
bool has_nan_or_inf(const Matrix& a);

// "(25, 400)" for any shape; used in every error message.
std::string shape_string(std::size_t rows, std::size_t cols);

}  // namespace nn
