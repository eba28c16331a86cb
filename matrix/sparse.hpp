// matrix/sparse.hpp — a matrix that is mostly zeros, for the two products training does with X.
//
// The first layer of a network multiplies by its input X twice in every iteration:
//     Z[1]  = W[1]·X                 (forward)
//     dW[1] = (1/m)·dZ[1]·Xᵀ         (backward)
// Images are mostly background: 72.8% of the 20x20 digits' pixels are 0 (81% of MNIST's), and
// a dense product spends that share of its multiply-adds on zeros. X does not change while a
// network trains, so it pays to list its nonzero entries once and let both products visit only
// those: for the digits, 3.7x fewer multiply-adds, and in this library's measurements 1.6-1.9x
// less time for each product (the visits are less regular than a dense product's; see
// bench/README.md). The results are the same sums as the dense ones, up to rounding (terms
// that are 0 are left out, and the rest are added in another order).
//
//     SparseMatrix Xs(X);                    // once
//     Matrix Z  = matmul(W, Xs);             // W·X
//     Matrix Z1 = matmul_plus_bias(W, Xs, b); // W·X + b, in one pass
//     Matrix dW = matmul(dZ, Xs.T());        // dZ·Xᵀ
//
// nn::train makes such a copy of X by itself when X is mostly zeros (see mostly_zeros below).
// The inner loop has an AVX-512, an AVX2 and a baseline (SSE2 / NEON) version, chosen like the
// element-wise functions' (NN_SIMD or nn::set_simd_level, matrix/vecmath.hpp). Results do not
// depend on the thread count.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "matrix/matrix.hpp"

namespace nn {

// The nonzeros of a matrix, row by row ("compressed sparse rows"): row r holds value[e] at
// column index[e] for e in [start[r], start[r + 1]), columns in increasing order.
// The columns are cut into blocks of `block` columns, and the entries are stored block by
// block: start[q·rows + r] is where row r's entries in block q begin (the block's last row
// ends where the next block's first row begins). A product that visits one block of columns
// at a time for all rows reads only one block of the dense operand's rows, which stays in the
// fastest cache (see sparse.cpp).
// With `merged` = 2, rows 2g and 2g + 1 share one list g (g < lists()): the columns where
// either of them is nonzero, each entry with two values, value[2e] for row 2g and value[2e + 1]
// for row 2g + 1 (0 where that row has none), and start[q·lists() + g] in place of
// start[q·rows + r]. X's rows can be listed that way for dZ·Xᵀ (see RowLists): neighbouring
// pixels are nonzero in many of the same images, so a pair's list is about 0.59 as long as the
// two rows' lists, and each row of the dense operand that an entry reads serves both rows.
struct SparseRows {
    std::size_t rows = 0, cols = 0, block = 1;
    std::size_t merged = 1;          // rows per list: 1, or 2 (pairs of rows)
    std::vector<std::size_t> start;  // lists()·blocks() + 1 offsets
    std::vector<std::uint32_t> index;
    std::vector<double> value;  // `merged` values per entry
    std::size_t blocks() const { return cols == 0 ? 0 : (cols + block - 1) / block; }
    std::size_t lists() const { return (rows + merged - 1) / merged; }
};

class SparseMatrix;
// Xᵀ for matmul, as Matrix::T() is: no copy.
struct SparseTransposed {
    const SparseMatrix& of;
};

// How a SparseMatrix lists its rows (for dZ·Xᵀ): one by one, or in pairs (SparseRows::merged).
// Pairs pay only with AVX-512, whose 32 registers hold both rows' sums beside a table row:
// dZ·Xᵀ on the digits 1.06-1.14x faster there (a training iteration 1.03-1.06x), but
// 0.84-0.87x with AVX2 and 0.78-0.79x with SSE2 (16 registers: the pairs must be gone through
// in passes). Auto: pairs when the SIMD level in use (matrix/vecmath.hpp) is AVX-512. Either
// kind works with every level.
enum class RowLists { Auto, Single, Pairs };

class SparseMatrix {
public:
    SparseMatrix() = default;
    // The nonzero entries of `dense` (an entry is kept if it is not 0; NaN is kept).
    explicit SparseMatrix(const Matrix& dense, RowLists rows = RowLists::Auto);

    std::size_t rows() const { return rows_; }
    std::size_t cols() const { return cols_; }
    std::size_t nonzeros() const { return by_column_.value.size(); }
    // nonzeros / (rows·cols): 0.272 for the digits
    double density() const;
    std::string shape() const;  // "(400, 4000)"
    SparseTransposed T() const { return SparseTransposed{*this}; }
    Matrix to_dense() const;

    // The same entries twice: by rows of X, one by one or in pairs (for dZ·Xᵀ), and by
    // columns of X (for W·X).
    const SparseRows& by_row() const { return by_row_; }
    const SparseRows& by_column() const { return by_column_; }

private:
    std::size_t rows_ = 0, cols_ = 0;
    SparseRows by_row_, by_column_;
};

// True when at most a third of x's entries are nonzero: then the products below are faster
// than the dense ones (measured on the training shapes; at a density of about one half they
// are even).
bool mostly_zeros(const Matrix& x);

Matrix matmul(const Matrix& a, const SparseMatrix& b);      // A·B, B sparse (W·X)
Matrix matmul(const Matrix& a, SparseTransposed b);         // A·Bᵀ, B sparse (dZ·Xᵀ)

// W·X + b for a column b (n, 1), added to every column: the same numbers as matmul(W, X) + b,
// bit for bit, but b is added as each sum is written into the result instead of in a second
// pass over it (a training iteration of the digits 1.02-1.03x faster).
Matrix matmul_plus_bias(const Matrix& W, const SparseMatrix& X, const Matrix& b);

}  // namespace nn
