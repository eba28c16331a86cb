#include <catch2/catch.hpp>
#include <algorithm>
#include <cfloat>
#include <cmath>

#include "matrix/parallel.hpp"
#include "matrix/random.hpp"
#include "nn/activations.hpp"
#include "nn/gradient_check.hpp"
#include "nn/losses.hpp"
#include "nn/softmax.hpp"

using nn::Matrix;

TEST_CASE("activation values match the slides' definitions", "[nn]") {
    Matrix Z{{-2, 0, 3}};
    REQUIRE(nn::sigmoid(Z)(0, 1) == 0.5);
    REQUIRE(nn::sigmoid(Z)(0, 2) == Approx(1 / (1 + std::exp(-3.0))).epsilon(1e-15));
    REQUIRE(nn::tanh(Z)(0, 0) == Approx(std::tanh(-2.0)));
    REQUIRE(nn::relu(Z) == Matrix{{0, 0, 3}});
    REQUIRE(nn::leaky_relu(Z) == Matrix{{-0.02, 0, 3}});
    REQUIRE(nn::elu(Z)(0, 0) == Approx(std::exp(-2.0) - 1));
    REQUIRE(nn::sigmoid(Matrix{{-1000, 1000}}) == Matrix{{0, 1}});  // no NaN at the extremes
    REQUIRE_THROWS_WITH(nn::parse_activation("relu6"), Catch::Contains("unknown activation 'relu6'"));
    REQUIRE(nn::parse_activation("leaky_relu") == nn::Activation::LeakyReLU);
}

TEST_CASE("activation derivatives agree with centred differences", "[nn][gradcheck]") {
    nn::Random rng(2);
    Matrix Z = rng.randn(4, 6) * 2.0;
    for (double& z : Z)
        if (std::fabs(z) < 1e-3) z = 0.5;  // keep away from the kinks of ReLU-type functions
    Matrix R = rng.randn(4, 6);  // f(Z) = Σ R ∘ g(Z), so df/dZ = R ∘ g'(Z)
    for (auto g : {nn::Activation::Sigmoid, nn::Activation::Tanh, nn::Activation::ReLU, nn::Activation::LeakyReLU,
                   nn::Activation::ELU, nn::Activation::Linear}) {
        INFO(nn::activation_name(g));
        Matrix A = nn::activation_forward(Z, g);
        Matrix dZ = nn::activation_backward(R, Z, A, g);
        auto f = [&](const Matrix& z) { return nn::sum(R * nn::activation_forward(z, g)); };
        nn::GradientCheckResult r = nn::gradient_check_matrix(Z, dZ, f);
        REQUIRE(r.gradient_norm > 0.1);
        REQUIRE(r.relative_difference < 1e-7);
    }
}

TEST_CASE("softmax: the slide's worked example [5, 2, -1, 3]", "[nn][golden]") {
    Matrix z{{5}, {2}, {-1}, {3}};
    Matrix a = nn::softmax(z);
    REQUIRE(a(0, 0) == Approx(0.842).margin(0.0005));
    REQUIRE(a(1, 0) == Approx(0.042).margin(0.0005));
    REQUIRE(a(2, 0) == Approx(0.002).margin(0.0005));
    REQUIRE(a(3, 0) == Approx(0.114).margin(0.0005));
    REQUIRE(nn::sum(a) == Approx(1.0).epsilon(1e-15));
}

TEST_CASE("softmax is stable for huge scores and works column by column", "[nn]") {
    Matrix Z{{1000, -1000, 0}, {1001, -1000, 0}, {999, -1002, 0}};
    Matrix A = nn::softmax(Z);
    REQUIRE_FALSE(nn::has_nan_or_inf(A));
    Matrix s = nn::sum(A, 0);
    for (double v : s) REQUIRE(v == Approx(1.0).epsilon(1e-14));
    REQUIRE(A(1, 0) == Approx(std::exp(1.0) / (1 + std::exp(1.0) + std::exp(-1.0))));
    REQUIRE(A(0, 2) == Approx(1.0 / 3));
    Matrix Y = nn::one_hot({2, 0, 1}, 3);
    // from the logits, the cost stays finite even where a probability underflows
    double J = nn::softmax_cross_entropy_from_logits(Matrix{{0}, {800}}, Matrix{{1}, {0}});
    REQUIRE(J == Approx(800.0));
    REQUIRE(nn::softmax_cross_entropy(A, Y) == Approx(nn::softmax_cross_entropy_from_logits(Z, Y)).epsilon(1e-12));
}

TEST_CASE("softmax cross-entropy: soft labels, zero probabilities, several blocks, any thread count", "[nn]") {
    // 7 x 1500 = 10500 entries: two whole blocks of 4096 and a partial one. The first half of
    // the columns have soft labels (every y > 0), the rest one-hot; some probabilities are 0.
    nn::Random rng(11);
    const std::size_t K = 7, m = 1500;
    Matrix A = nn::softmax(3.0 * rng.randn(K, m));
    Matrix Y(K, m);
    Matrix w = rng.rand(K, m);
    for (std::size_t j = 0; j < m; ++j) {
        double total = 0;
        for (std::size_t k = 0; k < K; ++k) total += w(k, j);
        for (std::size_t k = 0; k < K; ++k) Y(k, j) = j < m / 2 ? w(k, j) / total : (k == j % K ? 1.0 : 0.0);
    }
    A(0, m - 1) = 0.0;  // the last column is class 1499 mod 7 = 1: y = 0 here, so it adds nothing,
    A(1, m - 1) = 0.0;  // and y = 1 here: log 0 is clipped to log DBL_MIN, a large finite cost
    // the formula, one std::log per nonzero y, in long double
    auto reference = [&] {
        long double s = 0;
        for (std::size_t i = 0; i < K; ++i)
            for (std::size_t j = 0; j < m; ++j)
                if (Y(i, j) != 0.0) s += Y(i, j) * std::log(std::max(A(i, j), DBL_MIN));
        return static_cast<double>(-s / m);
    };
    const int before = nn::max_threads();
    nn::set_threads(1);
    const double J1 = nn::softmax_cross_entropy(A, Y);
    nn::set_threads(2);
    const double J2 = nn::softmax_cross_entropy(A, Y);
    nn::set_threads(before);
    REQUIRE(std::isfinite(J1));
    REQUIRE(J1 == Approx(reference()).epsilon(1e-13));
    REQUIRE(J1 == J2);  // fixed blocks: the same sum on one thread or two
}

TEST_CASE("softmax cross-entropy: dJ/dZ = (A - Y)/m", "[nn][gradcheck]") {
    nn::Random rng(4);
    Matrix Z = rng.randn(5, 7);
    Matrix Y = nn::one_hot({0, 4, 2, 2, 1, 3, 0}, 5);
    Matrix dZ = (nn::softmax(Z) - Y) / 7.0;
    auto r = nn::gradient_check_matrix(Z, dZ, [&](const Matrix& z) { return nn::softmax_cross_entropy(nn::softmax(z), Y); });
    REQUIRE(r.gradient_norm > 0.01);
    REQUIRE(r.relative_difference < 1e-7);
}

TEST_CASE("binary cross-entropy with K sigmoid outputs: dJ/dZ = (A - Y)/m", "[nn][gradcheck]") {
    nn::Random rng(5);
    Matrix Z = rng.randn(3, 6);
    Matrix Y = rng.rand(3, 6) < 0.5;  // multi-label targets
    Matrix dZ = (nn::sigmoid(Z) - Y) / 6.0;
    auto r = nn::gradient_check_matrix(Z, dZ, [&](const Matrix& z) { return nn::binary_cross_entropy(nn::sigmoid(z), Y); });
    REQUIRE(r.gradient_norm > 0.01);
    REQUIRE(r.relative_difference < 1e-7);
    // a confident, wrong prediction costs a lot but stays finite (clipped log)
    REQUIRE(std::isfinite(nn::binary_cross_entropy(Matrix{{1.0}}, Matrix{{0.0}})));
    REQUIRE(nn::binary_cross_entropy(Matrix{{1.0}}, Matrix{{0.0}}) > 700);
}

TEST_CASE("squared error and L1 losses of the regression neuron", "[nn][gradcheck]") {
    Matrix A{{1.0, 2.0, -1.0}}, Y{{0.5, 2.5, 1.0}};
    REQUIRE(nn::squared_error(A, Y) == Approx(0.5 * (0.25 + 0.25 + 4.0) / 3));
    REQUIRE(nn::l1_error(A, Y) == Approx((0.5 + 0.5 + 2.0) / 3));
    auto r = nn::gradient_check_matrix(A, nn::squared_error_gradient(A, Y), [&](const Matrix& a) { return nn::squared_error(a, Y); });
    REQUIRE(r.gradient_norm > 0.1);
    REQUIRE(r.relative_difference < 1e-7);
    auto r1 = nn::gradient_check_matrix(A, nn::l1_error_gradient(A, Y), [&](const Matrix& a) { return nn::l1_error(a, Y); });
    REQUIRE(r1.gradient_norm > 0.1);
    REQUIRE(r1.relative_difference < 1e-7);
    REQUIRE_THROWS_WITH(nn::squared_error(A, Matrix(1, 2)), Catch::Contains("A has shape (1, 3) but Y has shape (1, 2)"));
}

TEST_CASE("one-hot encoding and accuracy", "[nn]") {
    Matrix Y = nn::one_hot({3, 0, 1}, 4);
    REQUIRE(Y == Matrix{{0, 1, 0}, {0, 0, 1}, {0, 0, 0}, {1, 0, 0}});
    REQUIRE_THROWS_WITH(nn::one_hot({0, 10}, 10), Catch::Contains("label 10 of example 1 is out of range [0, 9]"));
    Matrix A{{0.1, 0.8, 0.3}, {0.9, 0.2, 0.7}};
    REQUIRE(nn::accuracy(A, {1, 0, 0}) == Approx(2.0 / 3));
    REQUIRE(nn::predict_labels(Matrix{{0.2, 0.5, 0.9}}) == std::vector<int>{0, 1, 1});
    REQUIRE_THROWS_AS(nn::accuracy(A, {1, 0}), nn::ShapeError);
}
