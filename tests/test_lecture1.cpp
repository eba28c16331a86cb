// Lecture "Introduction to Deep Learning, Chapter 2": perceptron, Adaline, feature scaling,
// logistic regression. Golden numbers come from running the lectures' own numpy code.
#include <catch2/catch.hpp>
#include <cmath>

#include "matrix/io.hpp"
#include "matrix/random.hpp"
#include "nn/adaline.hpp"
#include "nn/gradient_check.hpp"
#include "nn/logistic_regression.hpp"
#include "nn/perceptron.hpp"
#include "nn/preprocessing.hpp"
#include "tests/helpers.hpp"

using nn::Matrix;

namespace {

// Iris rows 0-99, sepal length and petal length, setosa = -1, versicolor = +1.
void iris(Matrix& X, std::vector<int>& y) {
    nn::Dataset d = nn::load_csv_dataset(testing::repo_path("data/iris.csv"), "y", 0, 2);
    X = Matrix(2, 100);
    y.clear();
    for (std::size_t i = 0; i < 100; ++i) {
        X(0, i) = d.X(0, i);
        X(1, i) = d.X(2, i);
        y.push_back(d.y[i] == 0 ? -1 : 1);
    }
}

}  // namespace

TEST_CASE("perceptron on iris: the slides' weights and errors per epoch", "[golden]") {
    Matrix X;
    std::vector<int> y;
    iris(X, y);
    nn::Perceptron p = nn::train_perceptron(X, y, 0.1, 10);
    REQUIRE(p.b == Approx(-0.4).margin(1e-12));
    REQUIRE(p.w(0, 0) == Approx(-0.68).margin(1e-12));
    REQUIRE(p.w(1, 0) == Approx(1.82).margin(1e-12));
    REQUIRE(p.errors == std::vector<int>{2, 2, 3, 2, 1, 0, 0, 0, 0, 0});
    REQUIRE(nn::predict(p, X) == y);
}

TEST_CASE("perceptron label validation and shapes", "[nn]") {
    Matrix X{{1, 2, 3}};
    REQUIRE(nn::to_plus_minus_one({0, 1, 1}) == std::vector<int>{-1, 1, 1});
    REQUIRE_THROWS_WITH(nn::train_perceptron(X, {0, 2, 1}, 0.1, 3), Catch::Contains("label 1 is 2"));
    REQUIRE_THROWS_WITH(nn::train_perceptron(X, {1, -1}, 0.1, 3), Catch::Contains("X has 3 examples") && Catch::Contains("y has 2 labels"));
    REQUIRE_THROWS_WITH(nn::train_perceptron(Matrix(2, 0), {}, 0.1, 3), Catch::Contains("no training data"));
    REQUIRE_THROWS_AS(nn::train_adaline_gd(X, {1, 5, 1}, 0.1, 3), nn::ValueError);
    REQUIRE_THROWS_AS(nn::train_logistic_regression(X, {-1, 1, 1}, 0.1, 3), nn::ValueError);
    // a number of epochs (iterations) that is not positive is a mistake, not an empty run
    REQUIRE_THROWS_WITH(nn::train_perceptron(X, {0, 1, 1}, 0.1, -1), Catch::Contains("epochs must be positive, got -1"));
    REQUIRE_THROWS_WITH(nn::train_adaline_gd(X, {0, 1, 1}, 0.1, 0), Catch::Contains("epochs must be positive, got 0"));
    nn::Random rng(1);
    REQUIRE_THROWS_AS(nn::train_adaline_sgd(X, {0, 1, 1}, 0.1, 0, rng), nn::ValueError);
    REQUIRE_THROWS_WITH(nn::train_logistic_regression(X, {0, 1, 1}, 0.1, 0), Catch::Contains("iterations must be positive"));
    REQUIRE_THROWS_WITH(nn::train_perceptron(X, {0, 1, 1}, INFINITY, 3), Catch::Contains("eta must be a positive number"));
    REQUIRE_THROWS_AS(nn::train_adaline_gd(X, {0, 1, 1}, NAN, 3), nn::ValueError);
    REQUIRE_THROWS_AS(nn::train_logistic_regression(X, {0, 1, 1}, INFINITY, 3), nn::ValueError);
}

TEST_CASE("Adaline batch GD on raw iris: lr 0.01 diverges, lr 0.0001 creeps", "[golden]") {
    Matrix X;
    std::vector<int> y;
    iris(X, y);
    nn::Adaline fast = nn::train_adaline_gd(X, y, 0.01, 10);
    const double expect_fast[] = {50, 2232.17, 3.47715e6, 5.42386e9};
    for (int e = 0; e < 4; ++e) REQUIRE(fast.cost[e] == Approx(expect_fast[e]).epsilon(1e-5));
    REQUIRE(fast.cost[9] == Approx(7.81302e28).epsilon(1e-5));
    nn::Adaline slow = nn::train_adaline_gd(X, y, 0.0001, 10);
    const double expect_slow[] = {50, 48.0665, 46.7514, 45.6692};
    for (int e = 0; e < 4; ++e) REQUIRE(slow.cost[e] == Approx(expect_slow[e]).epsilon(1e-5));
    REQUIRE(slow.cost[9] == Approx(40.2361).epsilon(1e-5));
}

TEST_CASE("Adaline with standardized features converges, 100% training accuracy", "[golden]") {
    Matrix X;
    std::vector<int> y;
    iris(X, y);
    nn::Standardizer s = nn::fit_standardizer(X);
    Matrix X_std = nn::standardize(X, s);
    nn::Adaline a = nn::train_adaline_gd(X_std, y, 0.01, 15);
    REQUIRE(a.cost[0] == Approx(50));
    REQUIRE(a.cost[1] == Approx(33.8304).epsilon(1e-5));
    REQUIRE(a.cost[2] == Approx(23.1571).epsilon(1e-5));
    REQUIRE(a.cost[3] == Approx(16.1118).epsilon(1e-5));
    REQUIRE(a.cost[14] == Approx(2.572).epsilon(1e-4));
    REQUIRE(a.b == Approx(0).margin(1e-12));
    REQUIRE(a.w(0, 0) == Approx(-0.1265).margin(1e-4));
    REQUIRE(a.w(1, 0) == Approx(1.1051).margin(1e-4));
    REQUIRE(nn::predict(a, X_std) == y);
}

TEST_CASE("standardization: population sigma, fitted on train, applied to test", "[nn]") {
    Matrix X{{1, 2, 3, 4}, {10, 10, 10, 10}};
    nn::Standardizer s = nn::fit_standardizer(X);
    REQUIRE(s.mu == Matrix{{2.5}, {10}});
    REQUIRE(s.sigma(0, 0) == Approx(std::sqrt(1.25)));  // numpy's x.std() (ddof = 0)
    REQUIRE(s.sigma(1, 0) == 1.0);                       // constant feature: centred only
    Matrix Z = nn::standardize(X, s);
    REQUIRE(nn::mean(Z) == Approx(0).margin(1e-15));
    REQUIRE(nn::standardize(Matrix{{2.5}, {11}}, s) == Matrix{{0}, {1}});
    REQUIRE_THROWS_AS(nn::standardize(Matrix(3, 1), s), nn::ShapeError);
}

TEST_CASE("Adaline SGD: shuffled every epoch, converges; partial_fit keeps the weights", "[nn]") {
    Matrix X;
    std::vector<int> y;
    iris(X, y);
    Matrix X_std = nn::standardize(X, nn::fit_standardizer(X));
    nn::Random rng(1), rng2(1), rng3(2);
    nn::Adaline a = nn::train_adaline_sgd(X_std, y, 0.01, 15, rng);
    REQUIRE(a.cost.back() < a.cost.front());
    REQUIRE(a.cost.back() < 2.6);
    REQUIRE(nn::predict(a, X_std) == y);
    nn::Adaline same = nn::train_adaline_sgd(X_std, y, 0.01, 15, rng2);
    REQUIRE(same.w == a.w);  // same seed, same shuffles
    nn::Adaline other = nn::train_adaline_sgd(X_std, y, 0.01, 15, rng3);
    REQUIRE(other.w != a.w);  // the order matters: the shuffles really happen
    nn::Adaline more = a;
    nn::adaline_partial_fit(more, nn::columns(X_std, 0, 5), {-1, -1, -1, -1, -1}, 0.01);
    REQUIRE(more.w != a.w);
    REQUIRE(std::fabs(more.w(1, 0) - a.w(1, 0)) < 0.1);  // a small step from the trained weights, not from zero
    REQUIRE_THROWS_AS(nn::adaline_partial_fit(more, Matrix(3, 1), {1}, 0.01), nn::ShapeError);
}

TEST_CASE("gradient check: the Adaline cost", "[gradcheck]") {
    nn::Random rng(3);
    Matrix X = rng.randn(3, 8);
    std::vector<int> y = {1, -1, 1, 1, -1, -1, 1, -1};
    nn::Adaline a;
    a.w = rng.randn(3, 1);
    a.b = 0.3;
    Matrix dw;
    double db = 0;
    nn::adaline_gradient(a, X, y, dw, db);
    auto rw = nn::gradient_check_matrix(a.w, dw, [&](const Matrix& w) {
        nn::Adaline probe = a;
        probe.w = w;
        return nn::adaline_cost(probe, X, y);
    });
    REQUIRE(rw.gradient_norm > 0.1);
    REQUIRE(rw.relative_difference < 1e-7);
    auto rb = nn::gradient_check_matrix(Matrix{{a.b}}, Matrix{{db}}, [&](const Matrix& b) {
        nn::Adaline probe = a;
        probe.b = b(0, 0);
        return nn::adaline_cost(probe, X, y);
    });
    REQUIRE(std::fabs(db) > 0.01);
    REQUIRE(rb.relative_difference < 1e-7);
}

TEST_CASE("gradient check: the logistic-regression cost, with and without L2", "[gradcheck]") {
    nn::Random rng(4);
    Matrix X = rng.randn(5, 12);
    Matrix Y = rng.rand(1, 12) < 0.5;
    for (double lambd : {0.0, 0.7}) {
        nn::LogisticRegression model;
        model.w = rng.randn(5, 1) * 0.5;
        model.b = -0.2;
        model.lambd = lambd;
        Matrix dw;
        double db = 0;
        nn::logistic_gradients(model, X, Y, dw, db);
        auto r = nn::gradient_check_matrix(model.w, dw, [&](const Matrix& w) {
            nn::LogisticRegression probe = model;
            probe.w = w;
            return nn::logistic_cost(probe, X, Y);
        });
        REQUIRE(r.gradient_norm > 0.01);
        REQUIRE(r.relative_difference < 1e-7);
        auto rb = nn::gradient_check_matrix(Matrix{{model.b}}, Matrix{{db}}, [&](const Matrix& b) {
            nn::LogisticRegression probe = model;
            probe.b = b(0, 0);
            return nn::logistic_cost(probe, X, Y);
        });
        REQUIRE(std::fabs(db) > 1e-3);
        REQUIRE(rb.relative_difference < 1e-7);
    }
}

TEST_CASE("logistic regression on breast cancer: at least 95% test accuracy", "[nn]") {
    nn::Dataset bc = nn::load_csv_dataset(testing::repo_path("data/breast_cancer.csv"), "y", 0, 1);
    nn::Random rng(0);
    std::vector<std::size_t> order = rng.permutation(bc.n_examples());
    const std::size_t n_test = bc.n_examples() * 3 / 10;
    std::vector<std::size_t> test_idx(order.begin(), order.begin() + n_test), train_idx(order.begin() + n_test, order.end());
    nn::Standardizer s = nn::fit_standardizer(nn::select_columns(bc.X, train_idx));
    Matrix X_train = nn::standardize(nn::select_columns(bc.X, train_idx), s);
    Matrix X_test = nn::standardize(nn::select_columns(bc.X, test_idx), s);
    std::vector<int> y_train, y_test;
    for (std::size_t i : train_idx) y_train.push_back(bc.y[i]);
    for (std::size_t i : test_idx) y_test.push_back(bc.y[i]);
    nn::LogisticRegression model = nn::train_logistic_regression(X_train, y_train, 0.1, 500);
    REQUIRE(model.cost.back() < model.cost.front());
    std::vector<int> pred = nn::predict(model, X_test);
    std::size_t right = 0;
    for (std::size_t i = 0; i < pred.size(); ++i) right += pred[i] == y_test[i];
    REQUIRE(double(right) / double(pred.size()) >= 0.95);
}
