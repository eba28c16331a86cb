#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "matrix/matrix.hpp"
#include "matrix/vecmath.hpp"
#include "tests/helpers.hpp"

using nn::Matrix;

TEST_CASE("construction, shape and element access", "[matrix]") {
    Matrix A{{1, 2, 3}, {4, 5, 6}};
    REQUIRE(A.rows() == 2);
    REQUIRE(A.cols() == 3);
    REQUIRE(A.shape() == "(2, 3)");
    REQUIRE(A(1, 2) == 6);
    REQUIRE(reinterpret_cast<std::uintptr_t>(A.data()) % 64 == 0);
    REQUIRE_THROWS_AS(A.at(2, 0), nn::ShapeError);
    REQUIRE_THROWS_WITH(A.at(0, 3), Catch::Contains("out of bounds for shape (2, 3)"));
    REQUIRE_THROWS_AS((Matrix{{1, 2}, {3}}), nn::ShapeError);
    Matrix I = Matrix::eye(3);
    REQUIRE(nn::sum(I) == 3);
    REQUIRE(I(1, 1) == 1);
    REQUIRE(I(0, 1) == 0);
}

TEST_CASE("value semantics: copies are deep", "[matrix]") {
    Matrix A{{1, 2}, {3, 4}};
    Matrix B = A;
    B(0, 0) = 100;
    REQUIRE(A(0, 0) == 1);
    Matrix C;
    C = A;
    C(1, 1) = -1;
    REQUIRE(A(1, 1) == 4);
    Matrix D = std::move(C);
    REQUIRE(D(1, 1) == -1);
}

TEST_CASE("broadcasting: column vector b across the columns of W·X", "[matrix]") {
    Matrix Z{{1, 2, 3}, {4, 5, 6}};
    Matrix b{{10}, {20}};
    Matrix out = Z + b;
    REQUIRE(out == Matrix{{11, 12, 13}, {24, 25, 26}});
    Matrix row{{1, 0, -1}};
    REQUIRE((Z * row) == Matrix{{1, 0, -3}, {4, 0, -6}});
    REQUIRE((b - Z) == Matrix{{9, 8, 7}, {16, 15, 14}});
    Matrix Zc = Z;
    Zc += b;
    REQUIRE(Zc == out);
    Zc /= Matrix{{2}, {4}};
    REQUIRE(Zc(1, 0) == 6);
}

TEST_CASE("broadcasting errors name both shapes like numpy", "[matrix]") {
    Matrix A(25, 400), B(25, 5000), c(3, 1);
    REQUIRE_THROWS_WITH(A + B, "add: operands could not be broadcast together with shapes (25, 400) (25, 5000)");
    REQUIRE_THROWS_AS(A * c, nn::ShapeError);
    Matrix small(1, 400);
    REQUIRE_THROWS_WITH(small += A, Catch::Contains("doesn't match the output shape (1, 400)"));
}

TEST_CASE("scalar operations and element-wise functions", "[matrix]") {
    Matrix A{{1, -2}, {0.5, 4}};
    REQUIRE((2.0 * A) == Matrix{{2, -4}, {1, 8}});
    REQUIRE((1.0 - A) == Matrix{{0, 3}, {0.5, -3}});
    REQUIRE((A / 2.0)(1, 1) == 2);
    REQUIRE((1.0 / A)(1, 0) == 2);
    REQUIRE(nn::maximum(A, 0.0) == Matrix{{1, 0}, {0.5, 4}});
    REQUIRE(nn::clip(A, -1, 1) == Matrix{{1, -1}, {0.5, 1}});
    REQUIRE((A < 1.0) == Matrix{{0, 1}, {1, 0}});
    REQUIRE(nn::sqrt(nn::square(A)) == nn::abs(A));
    REQUIRE(nn::log(nn::exp(A))(1, 1) == Approx(4.0).epsilon(1e-15));
    REQUIRE(nn::sign(A) == Matrix{{1, -1}, {1, 1}});
}

TEST_CASE("the SIMD version of the element-wise functions can be forced and named", "[matrix]") {
    const nn::SimdLevel best = nn::active_simd_level();
    REQUIRE(best != nn::SimdLevel::Auto);
    REQUIRE(nn::simd_level_available(nn::SimdLevel::Baseline));  // every build has it
    REQUIRE(nn::set_simd_level(nn::SimdLevel::Baseline));
    REQUIRE(nn::active_simd_level() == nn::SimdLevel::Baseline);
    REQUIRE(std::string(nn::simd_level_name(nn::active_simd_level())) == "baseline");
    for (nn::SimdLevel level : {nn::SimdLevel::Avx2, nn::SimdLevel::Avx512})
        if (!nn::simd_level_available(level)) {  // refused, and nothing changes
            REQUIRE_FALSE(nn::set_simd_level(level));
            REQUIRE(nn::active_simd_level() == nn::SimdLevel::Baseline);
        }
    REQUIRE(nn::set_simd_level(nn::SimdLevel::Auto));
    REQUIRE(nn::active_simd_level() == best);
    REQUIRE(std::string(nn::simd_level_name(nn::SimdLevel::Avx2)) == "avx2");
    REQUIRE(std::string(nn::simd_level_name(nn::SimdLevel::Avx512)) == "avx512");
}

TEST_CASE("vectorized exp agrees with std::exp to 2 ulp, with IEEE edge cases (every SIMD version)", "[matrix]") {
    const testing::SimdLevelGuard simd(GENERATE(nn::SimdLevel::Baseline, nn::SimdLevel::Avx2, nn::SimdLevel::Avx512));
    if (!simd.ok) return;  // this CPU cannot run that version
    std::vector<double> x;
    for (int i = -7460; i <= 7100; ++i) x.push_back(i * 0.1 + 0.0123);
    for (double v : {0.0, -0.0, 1e-300, -1e-300, 709.78, 709.79, -745.13, -745.2, 1000.0, -1000.0})
        x.push_back(v);
    x.push_back(std::numeric_limits<double>::infinity());
    x.push_back(-std::numeric_limits<double>::infinity());
    x.push_back(std::numeric_limits<double>::quiet_NaN());
    std::vector<double> y(x.size());
    nn::exp_array(x.data(), y.data(), x.size());
    int bad = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        double e = std::exp(x[i]);
        if (std::isnan(e)) {
            bad += !std::isnan(y[i]);
            continue;
        }
        if (e == y[i]) continue;
        double ulp = std::nextafter(e, INFINITY) - e;
        if (!(std::fabs(e - y[i]) <= 2 * ulp)) {
            ++bad;
            UNSCOPED_INFO("x = " << x[i] << ": std::exp " << e << " vs " << y[i]);
        }
    }
    REQUIRE(bad == 0);
}

TEST_CASE("vectorized log agrees with std::log to 2 ulp, with IEEE edge cases (every SIMD version)", "[matrix]") {
    const testing::SimdLevelGuard simd(GENERATE(nn::SimdLevel::Baseline, nn::SimdLevel::Avx2, nn::SimdLevel::Avx512));
    if (!simd.ok) return;  // this CPU cannot run that version
    std::vector<double> x;
    for (int i = -1074; i <= 1023; ++i)  // every binade, subnormals included, at a few mantissas
        for (double m : {1.0, 1.1, 1.41421356, 1.41421357, 1.5, 1.9999999})
            x.push_back(std::ldexp(m, i));
    for (int i = 1; i <= 20000; ++i) x.push_back(i * 0.00731);          // ordinary values
    for (int i = -2000; i <= 2000; ++i) x.push_back(1.0 + i * 1e-12);   // near 1: log x ≈ x − 1
    for (double v : {0.5, 2.0, 0.70710678118654746, 0.70710678118654757, 4.9406564584124654e-324, 1.7976931348623157e308})
        x.push_back(v);
    std::vector<double> y(x.size());
    nn::log_array(x.data(), y.data(), x.size());
    int bad = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double e = std::log(x[i]);
        if (e == y[i]) continue;
        const double ulp = std::fabs(std::nextafter(e, INFINITY) - e);
        if (!(std::fabs(e - y[i]) <= 2 * ulp)) {
            ++bad;
            UNSCOPED_INFO("x = " << x[i] << ": std::log " << e << " vs " << y[i]);
        }
    }
    REQUIRE(bad == 0);
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> edge = {0.0, -0.0, inf, -1.0, -inf, std::numeric_limits<double>::quiet_NaN(), 1.0};
    std::vector<double> out(edge.size());
    nn::log_array(edge.data(), out.data(), edge.size());
    REQUIRE(out[0] == -inf);
    REQUIRE(out[1] == -inf);
    REQUIRE(out[2] == inf);
    REQUIRE(std::isnan(out[3]));
    REQUIRE(std::isnan(out[4]));
    REQUIRE(std::isnan(out[5]));
    REQUIRE(out[6] == 0.0);
}

TEST_CASE("vectorized expm1 and tanh agree with std::expm1 and std::tanh to 2 ulp, with IEEE edge cases (every SIMD version)", "[matrix]") {
    const testing::SimdLevelGuard simd(GENERATE(nn::SimdLevel::Baseline, nn::SimdLevel::Avx2, nn::SimdLevel::Avx512));
    if (!simd.ok) return;  // this CPU cannot run that version
    std::vector<double> x;
    for (int i = -8000; i <= 8000; ++i) x.push_back(i * 0.01 + 0.00123);  // both sides of ±ln2/2
    for (int e = -320; e <= 2; ++e)  // tiny values, where e^x − 1 cancels and expm1 must not
        for (double m : {1.0, 1.37, 1.99}) {
            x.push_back(m * std::pow(10.0, e));
            x.push_back(-m * std::pow(10.0, e));
        }
    for (double v : {0.0, -0.0, 0.34657, 0.34658, -0.34657, -0.34658, 19.0, -19.0, 36.0, -36.0, 50.0, -50.0, 700.0,
                     709.78, 709.79, 710.0, -745.0, 1e300, -1e300})
        x.push_back(v);
    const double inf = std::numeric_limits<double>::infinity();
    for (double v : {inf, -inf, std::numeric_limits<double>::quiet_NaN()}) x.push_back(v);
    std::vector<double> em1(x.size()), th(x.size());
    nn::expm1_array(x.data(), em1.data(), x.size());
    nn::tanh_array(x.data(), th.data(), x.size());
    auto within_2_ulp = [inf](double expect, double got) {
        if (std::isnan(expect)) return std::isnan(got);
        if (expect == got) return std::signbit(expect) == std::signbit(got);  // tanh(−0) = −0
        if (std::isinf(expect) || std::isinf(got)) return false;
        const double ulp = std::fabs(std::nextafter(expect, inf) - expect);
        return std::fabs(expect - got) <= 2 * ulp;
    };
    int bad = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (!within_2_ulp(std::expm1(x[i]), em1[i])) {
            ++bad;
            UNSCOPED_INFO("x = " << x[i] << ": std::expm1 " << std::expm1(x[i]) << " vs " << em1[i]);
        }
        if (!within_2_ulp(std::tanh(x[i]), th[i])) {
            ++bad;
            UNSCOPED_INFO("x = " << x[i] << ": std::tanh " << std::tanh(x[i]) << " vs " << th[i]);
        }
    }
    REQUIRE(bad == 0);
    REQUIRE(em1[em1.size() - 3] == inf);   // e^inf − 1
    REQUIRE(em1[em1.size() - 2] == -1.0);  // e^−inf − 1
    REQUIRE(th[th.size() - 3] == 1.0);
    REQUIRE(th[th.size() - 2] == -1.0);
}

TEST_CASE("sigmoid_array is exactly 1 / (1 + exp_array(-x)), in one pass, in every SIMD version", "[matrix]") {
    const testing::SimdLevelGuard simd(GENERATE(nn::SimdLevel::Baseline, nn::SimdLevel::Avx2, nn::SimdLevel::Avx512));
    if (!simd.ok) return;  // this CPU cannot run that version
    std::vector<double> x;
    for (int i = -8000; i <= 8000; ++i) x.push_back(i * 0.093 + 0.0071);  // past both overflow ends
    for (double v : {0.0, -0.0, 36.7, -36.7, 745.2, -745.2, 1e308, -1e308}) x.push_back(v);
    x.push_back(std::numeric_limits<double>::infinity());
    x.push_back(-std::numeric_limits<double>::infinity());
    x.push_back(std::numeric_limits<double>::quiet_NaN());
    std::vector<double> minus_x(x.size()), e(x.size()), y(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) minus_x[i] = -x[i];
    nn::exp_array(minus_x.data(), e.data(), x.size());
    nn::sigmoid_array(x.data(), y.data(), x.size());
    int differ = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double expect = 1.0 / (1.0 + e[i]);
        differ += !(expect == y[i] || (std::isnan(expect) && std::isnan(y[i])));
    }
    REQUIRE(differ == 0);
    REQUIRE(y[y.size() - 3] == 1.0);  // σ(+inf) = 1
    REQUIRE(y[y.size() - 2] == 0.0);  // σ(−inf) = 0
    REQUIRE(std::isnan(y.back()));
    REQUIRE(std::fabs(y[8000] - 1.0 / (1.0 + std::exp(-0.0071))) < 1e-16);
}

TEST_CASE("reductions keep dimensions like numpy's keepdims=True", "[matrix]") {
    Matrix A{{1, 2, 3}, {4, 5, 6}};
    REQUIRE(nn::sum(A) == 21);
    REQUIRE(nn::mean(A) == 3.5);
    REQUIRE(nn::sum(A, 0) == Matrix{{5, 7, 9}});
    REQUIRE(nn::sum(A, 1) == Matrix{{6}, {15}});
    REQUIRE(nn::mean(A, 1) == Matrix{{2}, {5}});
    REQUIRE(nn::max(A, 0) == Matrix{{4, 5, 6}});
    REQUIRE(nn::max(A, 1) == Matrix{{3}, {6}});
    REQUIRE_THROWS_AS(nn::sum(A, 2), nn::ValueError);
    REQUIRE_THROWS_AS(nn::mean(Matrix(0, 3)), nn::ShapeError);
    REQUIRE(nn::frobenius_norm(Matrix{{3, 4}}) == 5);
}

TEST_CASE("argmax along an axis, first index on ties", "[matrix]") {
    Matrix A{{0.1, 0.7, 0.2}, {0.8, 0.1, 0.2}, {0.1, 0.2, 0.6}};
    REQUIRE(nn::argmax(A, 0) == std::vector<std::size_t>{1, 0, 2});
    REQUIRE(nn::argmax(A, 1) == std::vector<std::size_t>{1, 0, 2});
    Matrix ties{{1, 1}, {1, 1}};
    REQUIRE(nn::argmax(ties, 0) == std::vector<std::size_t>{0, 0});
}

TEST_CASE("matmul with transposed operands that are not copied", "[matrix]") {
    Matrix W{{1, 2, 3}, {4, 5, 6}};        // (2, 3)
    Matrix X{{1, 0}, {0, 1}, {1, 1}};      // (3, 2)
    REQUIRE(nn::matmul(W, X) == Matrix{{4, 5}, {10, 11}});
    REQUIRE(nn::matmul(W.T(), W) == nn::matmul(nn::transpose(W), W));
    REQUIRE(nn::matmul(W, W.T()) == Matrix{{14, 32}, {32, 77}});
    REQUIRE(nn::matmul(X.T(), W.T()) == nn::transpose(nn::matmul(W, X)));
    REQUIRE_THROWS_WITH(nn::matmul(Matrix(25, 400), Matrix(25, 5000)),
                        Catch::StartsWith("matmul: shapes (25, 400) and (25, 5000) not aligned"));
    REQUIRE(nn::matmul(Matrix(3, 0), Matrix(0, 2)) == Matrix(3, 2));
}

TEST_CASE("transpose of odd shapes", "[matrix]") {
    Matrix A(37, 53);
    for (std::size_t i = 0; i < A.rows(); ++i)
        for (std::size_t j = 0; j < A.cols(); ++j) A(i, j) = double(i * 1000 + j);
    Matrix T = nn::transpose(A);
    REQUIRE(T.shape() == "(53, 37)");
    REQUIRE(T(52, 36) == A(36, 52));
    REQUIRE(T(3, 30) == 30003);
}

TEST_CASE("slicing: columns for mini-batches, rows, reshape", "[matrix]") {
    Matrix X{{1, 2, 3, 4}, {5, 6, 7, 8}};
    REQUIRE(nn::select_columns(X, {3, 0}) == Matrix{{4, 1}, {8, 5}});
    REQUIRE(nn::columns(X, 1, 3) == Matrix{{2, 3}, {6, 7}});
    REQUIRE(nn::rows(X, 1, 2) == Matrix{{5, 6, 7, 8}});
    REQUIRE(nn::select_rows(X, {1}) == Matrix{{5, 6, 7, 8}});
    REQUIRE(nn::reshape(X, 4, 2)(3, 1) == 8);
    REQUIRE_THROWS_AS(nn::select_columns(X, {4}), nn::ShapeError);
    REQUIRE_THROWS_AS(nn::columns(X, 3, 5), nn::ShapeError);
    REQUIRE_THROWS_WITH(nn::reshape(X, 3, 3), Catch::Contains("cannot reshape array of size 8 into shape (3, 3)"));
}

TEST_CASE("allclose and NaN detection", "[matrix]") {
    Matrix A{{1, 2}};
    REQUIRE(nn::allclose(A, Matrix{{1 + 1e-12, 2}}));
    REQUIRE_FALSE(nn::allclose(A, Matrix{{1.001, 2}}));
    REQUIRE_FALSE(nn::allclose(A, Matrix{{1, 2, 3}}));
    REQUIRE_FALSE(nn::has_nan_or_inf(A));
    A(0, 1) = std::nan("");
    REQUIRE(nn::has_nan_or_inf(A));
}

TEST_CASE("M(i, j) is bounds-checked in debug builds (make DEBUG=1)", "[matrix]") {
    Matrix A(2, 3);
#ifdef NN_CHECK_BOUNDS
    REQUIRE_THROWS_WITH(A(2, 0), Catch::Contains("index (2, 0) is out of bounds for shape (2, 3)"));
    REQUIRE_THROWS_AS(A(0, 3), nn::ShapeError);
#else
    SUCCEED("release build: M(i, j) is unchecked for speed; M.at(i, j) is always checked");
#endif
    REQUIRE_THROWS_AS(A.at(0, 3), nn::ShapeError);
}
