// matrix/matrix.cpp — storage, broadcasting arithmetic, reductions, slicing.
// The matrix product lives in matrix/gemm.cpp; every matmul() here is one call to it.
#include "matrix/matrix.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <new>

#include "matrix/gemm.hpp"
#include "matrix/parallel.hpp"
#include "matrix/vecmath.hpp"

namespace nn {

// ---- storage ----------------------------------------------------------------------

namespace {
constexpr std::size_t kAlignment = 64;  // one cache line; also an AVX-512 register

double* allocate(std::size_t n) {
    if (n == 0) return nullptr;
    return static_cast<double*>(::operator new[](n * sizeof(double), std::align_val_t(kAlignment)));
}
void release(double* p) {
    if (p) ::operator delete[](p, std::align_val_t(kAlignment));
}
}  // namespace

std::string shape_string(std::size_t rows, std::size_t cols) {
    return "(" + std::to_string(rows) + ", " + std::to_string(cols) + ")";
}

Matrix::Matrix(std::size_t rows, std::size_t cols, double fill) : rows_(rows), cols_(cols) {
    if (rows != 0 && cols > static_cast<std::size_t>(-1) / sizeof(double) / rows)
        throw ShapeError("Matrix: shape " + shape_string(rows, cols) + " is too large");
    data_ = allocate(rows * cols);
    std::fill(begin(), end(), fill);
}

Matrix::Matrix(std::size_t rows, std::size_t cols, NoFill) : rows_(rows), cols_(cols) {
    if (rows != 0 && cols > static_cast<std::size_t>(-1) / sizeof(double) / rows)
        throw ShapeError("Matrix: shape " + shape_string(rows, cols) + " is too large");
    data_ = allocate(rows * cols);
}

Matrix Matrix::uninitialized(std::size_t rows, std::size_t cols) { return Matrix(rows, cols, NoFill{}); }

Matrix::Matrix(std::initializer_list<std::initializer_list<double>> rows) {
    rows_ = rows.size();
    cols_ = rows_ ? rows.begin()->size() : 0;
    for (const auto& r : rows)
        if (r.size() != cols_)
            throw ShapeError("Matrix: rows of different lengths (" + std::to_string(cols_) + " and " +
                             std::to_string(r.size()) + ") in an initializer list");
    data_ = allocate(rows_ * cols_);
    std::size_t k = 0;
    for (const auto& r : rows)
        for (double v : r) data_[k++] = v;
}

Matrix::Matrix(const Matrix& other) : rows_(other.rows_), cols_(other.cols_), data_(allocate(other.size())) {
    if (size()) std::memcpy(data_, other.data_, size() * sizeof(double));
}

Matrix::Matrix(Matrix&& other) noexcept : rows_(other.rows_), cols_(other.cols_), data_(other.data_) {
    other.rows_ = other.cols_ = 0;
    other.data_ = nullptr;
}

Matrix& Matrix::operator=(const Matrix& other) {
    if (this == &other) return *this;
    if (size() != other.size()) {
        release(data_);
        data_ = nullptr;
        data_ = allocate(other.size());
    }
    rows_ = other.rows_;
    cols_ = other.cols_;
    if (size()) std::memcpy(data_, other.data_, size() * sizeof(double));
    return *this;
}

Matrix& Matrix::operator=(Matrix&& other) noexcept {
    if (this == &other) return *this;
    release(data_);
    rows_ = other.rows_;
    cols_ = other.cols_;
    data_ = other.data_;
    other.rows_ = other.cols_ = 0;
    other.data_ = nullptr;
    return *this;
}

Matrix::~Matrix() { release(data_); }

Matrix Matrix::eye(std::size_t n) {
    Matrix I(n, n);
    for (std::size_t i = 0; i < n; ++i) I(i, i) = 1.0;
    return I;
}

Matrix Matrix::from_vector(std::size_t rows, std::size_t cols, const std::vector<double>& values) {
    if (values.size() != rows * cols)
        throw ShapeError("from_vector: cannot reshape " + std::to_string(values.size()) +
                         " values into shape " + shape_string(rows, cols));
    Matrix M(rows, cols);
    std::copy(values.begin(), values.end(), M.begin());
    return M;
}

std::string Matrix::shape() const { return shape_string(rows_, cols_); }

void Matrix::check_index(std::size_t i, std::size_t j) const {
    if (i >= rows_ || j >= cols_)
        throw ShapeError("index (" + std::to_string(i) + ", " + std::to_string(j) +
                         ") is out of bounds for shape " + shape());
}

void Matrix::fill(double value) { std::fill(begin(), end(), value); }

// ---- broadcasting -------------------------------------------------------------------
// numpy's rule for two 2-D shapes: along each axis the sizes must be equal, or one of
// them must be 1 (that operand is repeated). (25, 5000) + (25, 1) adds b to every column.

namespace {

std::size_t broadcast_dim(std::size_t a, std::size_t b, bool& ok) {
    if (a == b) return a;
    if (a == 1) return b;
    if (b == 1) return a;
    ok = false;
    return 0;
}

// One row of a broadcast operation: po[j] = op(pa[j·a_col], pb[j·b_col]), where a stride of 0
// repeats a single value. Written out per case so that each loop is a plain vector loop.
template <class Op>
void broadcast_row(double* po, const double* pa, std::size_t a_col, const double* pb, std::size_t b_col,
                   std::size_t n, Op op) {
    if (a_col == 1 && b_col == 1) {
        for (std::size_t j = 0; j < n; ++j) po[j] = op(pa[j], pb[j]);
    } else if (a_col == 1) {  // b is a column vector: one value for the whole row
        const double b = pb[0];
        for (std::size_t j = 0; j < n; ++j) po[j] = op(pa[j], b);
    } else if (b_col == 1) {  // a is a column vector
        const double a = pa[0];
        for (std::size_t j = 0; j < n; ++j) po[j] = op(a, pb[j]);
    } else {
        for (std::size_t j = 0; j < n; ++j) po[j] = op(pa[0], pb[0]);
    }
}

template <class Op>
Matrix broadcast(const char* name, const Matrix& a, const Matrix& b, Op op) {
    if (same_shape(a, b)) {  // the common case: one flat loop
        Matrix out = Matrix::uninitialized(a.rows(), a.cols());
        const double *pa = a.data(), *pb = b.data();
        double* po = out.data();
        const std::size_t n = a.size();
        NN_PARALLEL_FOR(n)
        for (std::size_t i = 0; i < n; ++i) po[i] = op(pa[i], pb[i]);
        return out;
    }
    bool ok = true;
    std::size_t r = broadcast_dim(a.rows(), b.rows(), ok);
    std::size_t c = broadcast_dim(a.cols(), b.cols(), ok);
    if (!ok)
        throw ShapeError(std::string(name) + ": operands could not be broadcast together with shapes " +
                         a.shape() + " " + b.shape());
    Matrix out = Matrix::uninitialized(r, c);
    // A stride of 0 repeats the single row or column of a broadcast operand.
    const std::size_t a_row = a.rows() == 1 ? 0 : a.cols(), a_col = a.cols() == 1 ? 0 : 1;
    const std::size_t b_row = b.rows() == 1 ? 0 : b.cols(), b_col = b.cols() == 1 ? 0 : 1;
    NN_PARALLEL_FOR(r * c)
    for (std::size_t i = 0; i < r; ++i) {
        const double* pa = a.data() + i * a_row;
        const double* pb = b.data() + i * b_row;
        broadcast_row(out.data() + i * c, pa, a_col, pb, b_col, c, op);
    }
    return out;
}

// In place: a op= b, where b must broadcast to a's shape (a's shape never changes).
template <class Op>
void broadcast_into(const char* name, Matrix& a, const Matrix& b, Op op) {
    bool fits = (b.rows() == a.rows() || b.rows() == 1) && (b.cols() == a.cols() || b.cols() == 1);
    if (!fits)
        throw ShapeError(std::string(name) + ": non-broadcastable operand with shape " + b.shape() +
                         " doesn't match the output shape " + a.shape());
    const std::size_t b_row = b.rows() == 1 ? 0 : b.cols(), b_col = b.cols() == 1 ? 0 : 1;
    NN_PARALLEL_FOR(a.size())
    for (std::size_t i = 0; i < a.rows(); ++i) {
        double* pa = a.data() + i * a.cols();
        broadcast_row(pa, pa, 1, b.data() + i * b_row, b_col, a.cols(), op);
    }
}

template <class F>
Matrix map(const Matrix& a, F f) {
    Matrix out = Matrix::uninitialized(a.rows(), a.cols());
    const double* pa = a.data();
    double* po = out.data();
    const std::size_t n = a.size();
    NN_PARALLEL_FOR(n)
    for (std::size_t i = 0; i < n; ++i) po[i] = f(pa[i]);
    return out;
}

template <class F>
void map_into(Matrix& a, F f) {
    double* p = a.data();
    const std::size_t n = a.size();
    NN_PARALLEL_FOR(n)
    for (std::size_t i = 0; i < n; ++i) p[i] = f(p[i]);
}

const auto add = [](double x, double y) { return x + y; };
const auto subtract = [](double x, double y) { return x - y; };
const auto multiply = [](double x, double y) { return x * y; };
const auto divide = [](double x, double y) { return x / y; };

}  // namespace

Matrix operator+(const Matrix& a, const Matrix& b) { return broadcast("add", a, b, add); }
Matrix operator-(const Matrix& a, const Matrix& b) { return broadcast("subtract", a, b, subtract); }
Matrix operator*(const Matrix& a, const Matrix& b) { return broadcast("multiply", a, b, multiply); }
Matrix operator/(const Matrix& a, const Matrix& b) { return broadcast("divide", a, b, divide); }

Matrix& Matrix::operator+=(const Matrix& o) { broadcast_into("add", *this, o, add); return *this; }
Matrix& Matrix::operator-=(const Matrix& o) { broadcast_into("subtract", *this, o, subtract); return *this; }
Matrix& Matrix::operator*=(const Matrix& o) { broadcast_into("multiply", *this, o, multiply); return *this; }
Matrix& Matrix::operator/=(const Matrix& o) { broadcast_into("divide", *this, o, divide); return *this; }
Matrix& Matrix::operator+=(double s) { map_into(*this, [s](double x) { return x + s; }); return *this; }
Matrix& Matrix::operator-=(double s) { map_into(*this, [s](double x) { return x - s; }); return *this; }
Matrix& Matrix::operator*=(double s) { map_into(*this, [s](double x) { return x * s; }); return *this; }
Matrix& Matrix::operator/=(double s) { map_into(*this, [s](double x) { return x / s; }); return *this; }

Matrix operator+(const Matrix& a, double s) { return map(a, [s](double x) { return x + s; }); }
Matrix operator-(const Matrix& a, double s) { return map(a, [s](double x) { return x - s; }); }
Matrix operator*(const Matrix& a, double s) { return map(a, [s](double x) { return x * s; }); }
Matrix operator/(const Matrix& a, double s) { return map(a, [s](double x) { return x / s; }); }
Matrix operator+(double s, const Matrix& a) { return map(a, [s](double x) { return s + x; }); }
Matrix operator-(double s, const Matrix& a) { return map(a, [s](double x) { return s - x; }); }
Matrix operator*(double s, const Matrix& a) { return map(a, [s](double x) { return s * x; }); }
Matrix operator/(double s, const Matrix& a) { return map(a, [s](double x) { return s / x; }); }
Matrix operator-(const Matrix& a) { return map(a, [](double x) { return -x; }); }

Matrix operator<(const Matrix& a, double s) { return map(a, [s](double x) { return x < s ? 1.0 : 0.0; }); }
Matrix operator>(const Matrix& a, double s) { return map(a, [s](double x) { return x > s ? 1.0 : 0.0; }); }
Matrix operator>=(const Matrix& a, double s) { return map(a, [s](double x) { return x >= s ? 1.0 : 0.0; }); }

// ---- element-wise functions -------------------------------------------------------

Matrix exp(const Matrix& a) {
    Matrix out = Matrix::uninitialized(a.rows(), a.cols());
    exp_array(a.data(), out.data(), a.size());
    return out;
}
Matrix log(const Matrix& a) {
    Matrix out = Matrix::uninitialized(a.rows(), a.cols());
    log_array(a.data(), out.data(), a.size());
    return out;
}
Matrix sqrt(const Matrix& a) { return map(a, [](double x) { return std::sqrt(x); }); }
Matrix abs(const Matrix& a) { return map(a, [](double x) { return std::fabs(x); }); }
Matrix square(const Matrix& a) { return map(a, [](double x) { return x * x; }); }
Matrix maximum(const Matrix& a, double s) { return map(a, [s](double x) { return x > s ? x : (x != x ? x : s); }); }
Matrix minimum(const Matrix& a, double s) { return map(a, [s](double x) { return x < s ? x : (x != x ? x : s); }); }
Matrix clip(const Matrix& a, double lo, double hi) {
    if (lo > hi) throw ValueError("clip: lower bound " + std::to_string(lo) + " exceeds upper bound " + std::to_string(hi));
    return map(a, [lo, hi](double x) { return x < lo ? lo : (x > hi ? hi : x); });
}
Matrix sign(const Matrix& a) { return map(a, [](double x) { return x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0); }); }

// ---- reductions ---------------------------------------------------------------------

namespace {
void check_axis(const char* name, int axis) {
    if (axis != 0 && axis != 1)
        throw ValueError(std::string(name) + ": axis " + std::to_string(axis) + " is out of bounds for a 2-D matrix");
}
void check_not_empty(const char* name, const Matrix& a) {
    if (a.empty()) throw ShapeError(std::string(name) + ": zero-size matrix " + a.shape() + " has no elements");
}

// Σ x[0..n) with eight running partial sums (numpy's sum also adds eight at a time): the
// additions are independent, so the compiler vectorizes them and they do not wait on each
// other, and the rounding error grows more slowly than with one running total.
double sum_contiguous(const double* x, std::size_t n) {
    double part[8] = {};
    std::size_t j = 0;
    for (; j + 8 <= n; j += 8)
        for (std::size_t l = 0; l < 8; ++l) part[l] += x[j + l];
    double s = ((part[0] + part[1]) + (part[2] + part[3])) + ((part[4] + part[5]) + (part[6] + part[7]));
    for (; j < n; ++j) s += x[j];
    return s;
}
}  // namespace

double sum(const Matrix& a) { return sum_contiguous(a.data(), a.size()); }
double mean(const Matrix& a) {
    check_not_empty("mean", a);
    return sum(a) / static_cast<double>(a.size());
}
double max(const Matrix& a) {
    check_not_empty("max", a);
    return *std::max_element(a.begin(), a.end());
}
double min(const Matrix& a) {
    check_not_empty("min", a);
    return *std::min_element(a.begin(), a.end());
}

Matrix sum(const Matrix& a, int axis) {
    check_axis("sum", axis);
    if (axis == 0) {  // column sums -> (1, cols): add the rows one after another
        Matrix out(1, a.cols());
        double* o = out.data();
        for (std::size_t i = 0; i < a.rows(); ++i) {
            const double* row = a.data() + i * a.cols();
            for (std::size_t j = 0; j < a.cols(); ++j) o[j] += row[j];
        }
        return out;
    }
    Matrix out(a.rows(), 1);  // row sums -> (rows, 1)
    for (std::size_t i = 0; i < a.rows(); ++i) out.data()[i] = sum_contiguous(a.data() + i * a.cols(), a.cols());
    return out;
}

Matrix mean(const Matrix& a, int axis) {
    check_axis("mean", axis);
    check_not_empty("mean", a);
    return sum(a, axis) / static_cast<double>(axis == 0 ? a.rows() : a.cols());
}

Matrix max(const Matrix& a, int axis) {
    check_axis("max", axis);
    check_not_empty("max", a);
    if (axis == 0) {  // column maxima: compare the rows one after another
        Matrix out = rows(a, 0, 1);
        double* o = out.data();
        for (std::size_t i = 1; i < a.rows(); ++i) {
            const double* row = a.data() + i * a.cols();
            for (std::size_t j = 0; j < a.cols(); ++j) o[j] = o[j] < row[j] ? row[j] : o[j];
        }
        return out;
    }
    Matrix out(a.rows(), 1);
    for (std::size_t i = 0; i < a.rows(); ++i) {
        const double* row = a.data() + i * a.cols();
        out(i, 0) = *std::max_element(row, row + a.cols());
    }
    return out;
}

std::vector<std::size_t> argmax(const Matrix& a, int axis) {
    check_axis("argmax", axis);
    check_not_empty("argmax", a);
    if (axis == 0) {  // for each column, the row of its largest entry (first one on ties, like numpy)
        std::vector<std::size_t> idx(a.cols(), 0);
        for (std::size_t i = 1; i < a.rows(); ++i)
            for (std::size_t j = 0; j < a.cols(); ++j)
                if (a(i, j) > a(idx[j], j)) idx[j] = i;
        return idx;
    }
    std::vector<std::size_t> idx(a.rows());
    for (std::size_t i = 0; i < a.rows(); ++i) {
        const double* row = a.data() + i * a.cols();
        idx[i] = static_cast<std::size_t>(std::max_element(row, row + a.cols()) - row);
    }
    return idx;
}

double frobenius_norm(const Matrix& a) {
    double s = 0;
    for (double v : a) s += v * v;
    return std::sqrt(s);
}

// ---- linear algebra ---------------------------------------------------------------

Matrix transpose(const Matrix& a) {
    Matrix t = Matrix::uninitialized(a.cols(), a.rows());
    const std::size_t tile = 32;  // copy in tiles so both sides stay in cache
    for (std::size_t i0 = 0; i0 < a.rows(); i0 += tile)
        for (std::size_t j0 = 0; j0 < a.cols(); j0 += tile)
            for (std::size_t i = i0; i < std::min(i0 + tile, a.rows()); ++i)
                for (std::size_t j = j0; j < std::min(j0 + tile, a.cols()); ++j) t(j, i) = a(i, j);
    return t;
}

namespace {
// C = op(A)·op(B) where op(X) is X or Xᵀ; A is stored as (a_rows, a_cols).
Matrix product(const Matrix& a, bool ta, const Matrix& b, bool tb) {
    const std::size_t M = ta ? a.cols() : a.rows(), K = ta ? a.rows() : a.cols();
    const std::size_t Kb = tb ? b.cols() : b.rows(), N = tb ? b.rows() : b.cols();
    if (K != Kb)
        throw ShapeError("matmul: shapes " + shape_string(M, K) + " and " + shape_string(Kb, N) + " not aligned: " +
                         std::to_string(K) + " (dim 1) != " + std::to_string(Kb) + " (dim 0)");
    Matrix c = Matrix::uninitialized(M, N);
    gemm(ta, tb, M, N, K, 1.0, a.data(), a.cols(), b.data(), b.cols(), 0.0, c.data(), N);  // beta = 0: C is not read
    return c;
}
}  // namespace

Matrix matmul(const Matrix& a, const Matrix& b) { return product(a, false, b, false); }
Matrix matmul(Transposed a, const Matrix& b) { return product(a.of, true, b, false); }
Matrix matmul(const Matrix& a, Transposed b) { return product(a, false, b.of, true); }
Matrix matmul(Transposed a, Transposed b) { return product(a.of, true, b.of, true); }

// ---- slicing ----------------------------------------------------------------------

Matrix select_columns(const Matrix& a, const std::vector<std::size_t>& idx) {
    for (std::size_t j : idx)
        if (j >= a.cols())
            throw ShapeError("select_columns: index " + std::to_string(j) + " is out of bounds for axis 1 with size " +
                             std::to_string(a.cols()));
    Matrix out = Matrix::uninitialized(a.rows(), idx.size());
    for (std::size_t i = 0; i < a.rows(); ++i) {
        const double* src = a.data() + i * a.cols();
        double* dst = out.data() + i * idx.size();
        for (std::size_t k = 0; k < idx.size(); ++k) dst[k] = src[idx[k]];
    }
    return out;
}

Matrix columns(const Matrix& a, std::size_t begin, std::size_t end) {
    if (begin > end || end > a.cols())
        throw ShapeError("columns: slice [" + std::to_string(begin) + ", " + std::to_string(end) +
                         ") is out of bounds for shape " + a.shape());
    Matrix out(a.rows(), end - begin);
    for (std::size_t i = 0; i < a.rows(); ++i)
        std::copy(a.data() + i * a.cols() + begin, a.data() + i * a.cols() + end, out.data() + i * out.cols());
    return out;
}

Matrix select_rows(const Matrix& a, const std::vector<std::size_t>& idx) {
    Matrix out(idx.size(), a.cols());
    for (std::size_t k = 0; k < idx.size(); ++k) {
        if (idx[k] >= a.rows())
            throw ShapeError("select_rows: index " + std::to_string(idx[k]) + " is out of bounds for axis 0 with size " +
                             std::to_string(a.rows()));
        std::copy(a.data() + idx[k] * a.cols(), a.data() + (idx[k] + 1) * a.cols(), out.data() + k * a.cols());
    }
    return out;
}

Matrix rows(const Matrix& a, std::size_t begin, std::size_t end) {
    if (begin > end || end > a.rows())
        throw ShapeError("rows: slice [" + std::to_string(begin) + ", " + std::to_string(end) +
                         ") is out of bounds for shape " + a.shape());
    Matrix out(end - begin, a.cols());
    std::copy(a.data() + begin * a.cols(), a.data() + end * a.cols(), out.data());
    return out;
}

Matrix reshape(const Matrix& a, std::size_t rows, std::size_t cols) {
    if (rows * cols != a.size())
        throw ShapeError("reshape: cannot reshape array of size " + std::to_string(a.size()) + " into shape " +
                         shape_string(rows, cols));
    Matrix out(rows, cols);
    std::copy(a.begin(), a.end(), out.begin());
    return out;
}

// ---- comparison helpers ---------------------------------------------------------------

bool same_shape(const Matrix& a, const Matrix& b) { return a.rows() == b.rows() && a.cols() == b.cols(); }

bool operator==(const Matrix& a, const Matrix& b) {
    return same_shape(a, b) && std::equal(a.begin(), a.end(), b.begin());
}
bool operator!=(const Matrix& a, const Matrix& b) { return !(a == b); }

bool allclose(const Matrix& a, const Matrix& b, double rtol, double atol) {
    if (!same_shape(a, b)) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        double x = a.data()[i], y = b.data()[i];
        if (!(std::fabs(x - y) <= atol + rtol * std::fabs(y))) return false;
    }
    return true;
}

bool has_nan_or_inf(const Matrix& a) {
    for (double v : a)
        if (!std::isfinite(v)) return true;
    return false;
}

}  // namespace nn
