// matrix/sparse: the nonzeros of a matrix, and the products W·X and dZ·Xᵀ computed from them.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "matrix/parallel.hpp"
#include "matrix/random.hpp"
#include "matrix/sparse.hpp"
#include "matrix/vecmath.hpp"
#include "tests/helpers.hpp"

using nn::Matrix;

namespace {

// A (rows, cols) matrix whose entries are nonzero (normal random numbers) with probability `density`.
Matrix random_sparse(std::size_t rows, std::size_t cols, double density, nn::Random& rng) {
    Matrix x(rows, cols);
    for (double& v : x)
        if (rng.random_double() < density) v = rng.gauss();
    return x;
}

// The worst error of `got` against the plain triple loop for A·B (B given as dense), divided by
// what rounding allows: (K + 2)·eps·Σ_k |a_ik||b_kj| per entry.
double worst_scaled_error(const Matrix& got, const Matrix& A, const Matrix& B) {
    REQUIRE(got.rows() == A.rows());
    REQUIRE(got.cols() == B.cols());
    double worst = 0;
    for (std::size_t i = 0; i < A.rows(); ++i)
        for (std::size_t j = 0; j < B.cols(); ++j) {
            double sum = 0, scale = 1e-300;
            for (std::size_t k = 0; k < A.cols(); ++k) {
                sum += A(i, k) * B(k, j);
                scale += std::fabs(A(i, k) * B(k, j));
            }
            const double tol = static_cast<double>(A.cols() + 2) * 2.2e-16 * scale;
            worst = std::max(worst, std::fabs(got(i, j) - sum) / tol);
        }
    return worst;
}

}  // namespace

TEST_CASE("SparseMatrix lists the nonzeros row by row and column by column", "[sparse]") {
    const Matrix x{{0, 2, 0, 0}, {1, 0, 0, 3}, {0, 0, 0, 0}};
    const nn::SparseMatrix s(x, nn::RowLists::Single);
    REQUIRE(s.rows() == 3);
    REQUIRE(s.cols() == 4);
    REQUIRE(s.shape() == "(3, 4)");
    REQUIRE(s.nonzeros() == 3);
    REQUIRE(s.density() == Approx(0.25));
    // rows: row 0 has (1, 2); row 1 has (0, 1), (3, 3); row 2 nothing
    REQUIRE(s.by_row().merged == 1);
    REQUIRE(s.by_row().start == std::vector<std::size_t>{0, 1, 3, 3});
    REQUIRE(s.by_row().index == std::vector<std::uint32_t>{1, 0, 3});
    REQUIRE(s.by_row().value == std::vector<double>{2, 1, 3});
    // pairs of rows: rows 0 and 1 share list 0, the union of their columns 0, 1, 3 with two
    // values each (0 for the row that has none there); row 2, alone in list 1, has nothing
    const nn::SparseMatrix sp(x, nn::RowLists::Pairs);
    const nn::SparseRows& p = sp.by_row();
    REQUIRE(p.merged == 2);
    REQUIRE(p.lists() == 2);
    REQUIRE(p.start == std::vector<std::size_t>{0, 3, 3});
    REQUIRE(p.index == std::vector<std::uint32_t>{0, 1, 3});
    REQUIRE(p.value == std::vector<double>{0, 1, 2, 0, 0, 3});
    REQUIRE(sp.by_column().index == s.by_column().index);  // the same lists by columns
    REQUIRE(sp.to_dense() == x);
    // columns: column 0 has (1, 1); column 1 has (0, 2); column 2 nothing; column 3 has (1, 3)
    REQUIRE(s.by_column().start == std::vector<std::size_t>{0, 1, 2, 2, 3});
    REQUIRE(s.by_column().index == std::vector<std::uint32_t>{1, 0, 1});
    REQUIRE(s.by_column().value == std::vector<double>{1, 2, 3});
    REQUIRE(s.to_dense() == x);
    REQUIRE(s.T().of.rows() == 3);
}

TEST_CASE("SparseMatrix: long rows are stored in blocks of columns", "[sparse]") {
    // 700 columns: the rows are cut into blocks of 128 columns (6 blocks, the last of 60).
    Matrix x(2, 700);
    x(0, 5) = 1;
    x(0, 699) = 2;
    x(1, 128) = 3;
    x(1, 127) = 4;
    const nn::SparseMatrix s(x, nn::RowLists::Single);
    const nn::SparseRows& r = s.by_row();
    REQUIRE(r.block == 128);
    REQUIRE(r.blocks() == 6);
    REQUIRE(r.start.size() == 2 * 6 + 1);
    // block 0: row 0 has column 5, row 1 column 127; block 1: row 1 has column 128; block 5: row 0 has 699
    REQUIRE(r.start == std::vector<std::size_t>{0, 1, 2, 2, 3, 3, 3, 3, 3, 3, 3, 4, 4});
    REQUIRE(r.index == std::vector<std::uint32_t>{5, 127, 128, 699});
    REQUIRE(r.value == std::vector<double>{1, 4, 3, 2});
    // the two rows as one pair: one list per block
    const nn::SparseMatrix sp(x, nn::RowLists::Pairs);
    const nn::SparseRows& p = sp.by_row();
    REQUIRE(p.start == std::vector<std::size_t>{0, 2, 3, 3, 3, 3, 4});
    REQUIRE(p.index == std::vector<std::uint32_t>{5, 127, 128, 699});
    REQUIRE(p.value == std::vector<double>{1, 0, 0, 4, 0, 3, 2, 0});
    REQUIRE(s.by_column().blocks() == 1);  // 2 rows: one block
    REQUIRE(s.to_dense() == x);
}

TEST_CASE("SparseMatrix lists rows in pairs by default only with AVX-512", "[sparse]") {
    const Matrix x{{0, 2, 0}, {1, 0, 3}};
    for (nn::SimdLevel level : {nn::SimdLevel::Baseline, nn::SimdLevel::Avx2, nn::SimdLevel::Avx512}) {
        const testing::SimdLevelGuard simd(level);
        if (!simd.ok) continue;  // this CPU cannot run that version
        INFO("SIMD level " << static_cast<int>(level));
        REQUIRE(nn::SparseMatrix(x).by_row().merged == (level == nn::SimdLevel::Avx512 ? 2u : 1u));
    }
}

TEST_CASE("mostly_zeros: at most a third of the entries nonzero", "[sparse]") {
    REQUIRE(nn::mostly_zeros(Matrix{{1, 0, 0}}));
    REQUIRE_FALSE(nn::mostly_zeros(Matrix{{1, 1, 0}}));
    REQUIRE(nn::mostly_zeros(Matrix(4, 4)));
    REQUIRE_FALSE(nn::mostly_zeros(Matrix()));
    REQUIRE(nn::SparseMatrix(Matrix(0, 5)).density() == 0.0);
}

TEST_CASE("sparse products match the triple loop, every SIMD version, shapes with tails and blocks", "[sparse]") {
    struct Shape {
        std::size_t n, K, m;  // W is (n, K), X is (K, m)
        double density;
    };
    const std::vector<Shape> shapes = {
        {1, 1, 1, 1.0},    {25, 400, 61, 0.27}, {7, 13, 700, 0.3},   {33, 5, 9, 0.5},    {70, 600, 130, 0.2},
        {25, 3, 1000, 0.1}, {3, 20, 20, 0.0},   {10, 9, 11, 1.0},    {32, 40, 30, 0.05}, {64, 17, 520, 0.4},
        // around the lanes where a shorter loop takes over (baseline up to 16 and 26, AVX-512 up
        // to 24, AVX2 up to 28), and past them in a second block of 32 rows
        {16, 21, 50, 0.4},  {17, 33, 45, 0.3},  {24, 50, 80, 0.3},   {26, 14, 70, 0.5},  {27, 9, 60, 0.6},
        {28, 31, 90, 0.3},  {29, 12, 600, 0.5}, {56, 19, 40, 0.4},   {49, 23, 35, 0.5},
    };
    const nn::SimdLevel level = GENERATE(nn::SimdLevel::Baseline, nn::SimdLevel::Avx2, nn::SimdLevel::Avx512);
    const nn::RowLists lists = GENERATE(nn::RowLists::Single, nn::RowLists::Pairs);  // (both work with every level)
    const testing::SimdLevelGuard simd(level);
    if (!simd.ok) return;  // this CPU cannot run that version
    REQUIRE(nn::active_simd_level() == level);
    nn::Random rng(7);
    for (const Shape& sh : shapes) {
        INFO("W (" << sh.n << ", " << sh.K << "), X (" << sh.K << ", " << sh.m << "), density " << sh.density
                   << (lists == nn::RowLists::Pairs ? ", rows in pairs" : ", rows one by one"));
        const Matrix X = random_sparse(sh.K, sh.m, sh.density, rng);
        const nn::SparseMatrix Xs(X, lists);
        REQUIRE(Xs.by_row().merged == (lists == nn::RowLists::Pairs ? 2u : 1u));
        const Matrix W = rng.randn(sh.n, sh.K);
        const Matrix dZ = rng.randn(sh.n, sh.m);
        const Matrix Z = nn::matmul(W, Xs);       // W·X
        const Matrix dW = nn::matmul(dZ, Xs.T());  // dZ·Xᵀ
        REQUIRE(worst_scaled_error(Z, W, X) <= 1.0);
        REQUIRE(worst_scaled_error(dW, dZ, nn::transpose(X)) <= 1.0);
        if (sh.density > 0) REQUIRE(nn::max(nn::abs(Z)) > 0);  // not all zero by accident
        const Matrix b = rng.randn(sh.n, 1);
        REQUIRE(nn::matmul_plus_bias(W, Xs, b) == Z + b);  // W·X + b in one pass: the same numbers
    }
}

TEST_CASE("sparse products: thread counts 1 and 2 give identical results", "[sparse]") {
    nn::Random rng(3);
    const Matrix X = random_sparse(400, 3000, 0.27, rng);  // large enough to be shared by threads
    const nn::RowLists lists = GENERATE(nn::RowLists::Single, nn::RowLists::Pairs);
    const nn::SparseMatrix Xs(X, lists);
    const Matrix W = rng.randn(25, 400), dZ = rng.randn(25, 3000);
    const int before = nn::max_threads();
    const Matrix b = rng.randn(25, 1);
    nn::set_threads(1);
    const Matrix Z1 = nn::matmul(W, Xs), dW1 = nn::matmul(dZ, Xs.T()), Zb1 = nn::matmul_plus_bias(W, Xs, b);
    nn::set_threads(2);
    const Matrix Z2 = nn::matmul(W, Xs), dW2 = nn::matmul(dZ, Xs.T()), Zb2 = nn::matmul_plus_bias(W, Xs, b);
    nn::set_threads(before);
    REQUIRE(Z1 == Z2);
    REQUIRE(dW1 == dW2);
    REQUIRE(Zb1 == Zb2);
    REQUIRE(Zb1 == Z1 + b);
    REQUIRE(worst_scaled_error(Z1, W, X) <= 1.0);
}

TEST_CASE("sparse products: NaN entries are kept, shapes that do not fit are refused", "[sparse]") {
    Matrix x(3, 4);
    x(0, 1) = std::numeric_limits<double>::quiet_NaN();
    x(2, 3) = 1;
    const nn::SparseMatrix s(x);
    REQUIRE(s.nonzeros() == 2);
    // −0 is zero (left out); infinity and the smallest subnormal are not
    Matrix edges(1, 4);
    edges(0, 0) = -0.0;
    edges(0, 1) = std::numeric_limits<double>::infinity();
    edges(0, 2) = std::numeric_limits<double>::denorm_min();
    edges(0, 3) = -std::numeric_limits<double>::denorm_min();
    const nn::SparseMatrix e(edges);
    REQUIRE(nn::SparseMatrix(edges, nn::RowLists::Single).by_row().index == std::vector<std::uint32_t>{1, 2, 3});
    REQUIRE(nn::SparseMatrix(edges, nn::RowLists::Pairs).by_row().index == std::vector<std::uint32_t>{1, 2, 3});
    REQUIRE(e.by_column().start == std::vector<std::size_t>{0, 0, 1, 2, 3});
    const Matrix z = nn::matmul(Matrix{{1, 1, 1}}, s);  // (1, 3)·(3, 4)
    REQUIRE(std::isnan(z(0, 1)));
    REQUIRE(z(0, 3) == 1);
    REQUIRE(z(0, 0) == 0);
    REQUIRE_THROWS_WITH(nn::matmul(Matrix(2, 4), s), Catch::Contains("shapes (2, 4) and (3, 4) not aligned: 4 (dim 1) != 3 (dim 0)"));
    REQUIRE_THROWS_WITH(nn::matmul(Matrix(2, 3), s.T()), Catch::Contains("shapes (2, 3) and (4, 3) not aligned: 3 (dim 1) != 4 (dim 0)"));
    REQUIRE_THROWS_AS(nn::matmul(Matrix(2, 3), s.T()), nn::ShapeError);
    REQUIRE(nn::matmul(Matrix(0, 3), s).rows() == 0);  // empty products are empty
    REQUIRE(nn::matmul(Matrix(2, 0), nn::SparseMatrix(Matrix(0, 5))) == Matrix(2, 5));
    // W·X + b: b must be one value per row of W; with no terms, every column is b
    const Matrix b{{1.5}, {-2}};
    REQUIRE(nn::matmul_plus_bias(Matrix(2, 0), nn::SparseMatrix(Matrix(0, 5)), b) == Matrix(2, 5) + b);
    const nn::SparseMatrix s2(Matrix{{0, 1, 0, 2}, {3, 0, 0, 0}, {0, 0, 4, 0}});
    REQUIRE(nn::matmul_plus_bias(Matrix{{1, 1, 1}, {0, 2, 0}}, s2, b) == Matrix{{4.5, 2.5, 5.5, 3.5}, {4, -2, -2, -2}});
    REQUIRE_THROWS_WITH(nn::matmul_plus_bias(Matrix(2, 3), s, Matrix(3, 1)),
                        Catch::Contains("matmul_plus_bias: b has shape (3, 1) but W·X has 2 rows: b must be (2, 1)"));
    REQUIRE_THROWS_AS(nn::matmul_plus_bias(Matrix(2, 3), s, Matrix(2, 4)), nn::ShapeError);
}
