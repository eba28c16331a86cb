#include <catch2/catch.hpp>
#include <cmath>

#include "matrix/io.hpp"
#include "nn/deep_network.hpp"
#include "nn/gradient_check.hpp"
#include "nn/losses.hpp"
#include "nn/shallow_network.hpp"
#include "nn/table.hpp"
#include "nn/train.hpp"
#include "tests/helpers.hpp"

using nn::Matrix;

namespace {

struct Toy {
    Matrix X, Y;
    std::vector<int> y;
};

Toy toy_data(std::size_t n_x, std::size_t m, std::size_t K, unsigned seed) {
    nn::Random rng(seed);
    Toy t;
    t.X = rng.randn(n_x, m);
    for (std::size_t i = 0; i < m; ++i) t.y.push_back(static_cast<int>(rng.interval(K - 1)));
    t.Y = nn::targets_for(t.y, K == 2 ? 1 : K);
    if (K == 2) t.y.assign(t.y.begin(), t.y.end());
    return t;
}

// Training options for tests: no progress bar.
nn::TrainOptions quiet_options(int iterations, double learning_rate) {
    nn::TrainOptions opt;
    opt.iterations = iterations;
    opt.learning_rate = learning_rate;
    opt.progress = false;
    return opt;
}

}  // namespace

TEST_CASE("gradient check: every hidden activation x output, 2 and 4 layers", "[gradcheck]") {
    const auto acts = {nn::Activation::Sigmoid, nn::Activation::Tanh, nn::Activation::ReLU, nn::Activation::LeakyReLU,
                       nn::Activation::ELU};
    for (auto out : {nn::Output::Softmax, nn::Output::Sigmoid})
        for (auto g : acts)
            for (const std::vector<std::size_t>& dims : {std::vector<std::size_t>{5, 4, 3}, std::vector<std::size_t>{5, 6, 4, 3, 3}}) {
                INFO("hidden " << nn::activation_name(g) << ", output " << nn::output_name(out) << ", layers " << nn::layers_string(dims));
                nn::Random rng(3);
                nn::Model model = nn::make_model(dims, g, out, nn::Init::Xavier, rng);
                for (std::size_t l = 1; l <= model.params.L(); ++l) model.params.b[l] = rng.randn(dims[l], 1) * 0.1;
                Toy t = toy_data(5, 7, 3, 11);
                nn::GradientCheckResult r = nn::gradient_check_model(model, t.X, t.Y);
                UNSCOPED_INFO("relative difference " << r.relative_difference << ", worst " << r.worst_entry);
                REQUIRE(r.gradient_norm > 1e-3);
                REQUIRE(r.relative_difference < 1e-7);
                REQUIRE(r.n_parameters == nn::flatten(model.params).size());
            }
}

TEST_CASE("gradient check: a single sigmoid output (binary) network", "[gradcheck]") {
    nn::Random rng(8);
    nn::Model model = nn::make_model({4, 5, 1}, nn::Activation::Tanh, nn::Output::Sigmoid, nn::Init::He, rng);
    Toy t = toy_data(4, 9, 2, 12);
    auto r = nn::gradient_check_model(model, t.X, t.Y);
    REQUIRE(r.gradient_norm > 1e-3);
    REQUIRE(r.relative_difference < 1e-7);
}

TEST_CASE("a deliberately broken backward pass is caught", "[gradcheck]") {
    nn::Random rng(3);
    nn::Model model = nn::make_model({5, 4, 3}, nn::Activation::Sigmoid, nn::Output::Softmax, nn::Init::Xavier, rng);
    Toy t = toy_data(5, 7, 3, 11);
    nn::Gradients grads = nn::model_backward(nn::model_forward(t.X, model), t.Y, model);
    // the classic bug: forgetting the 1/m in db1
    grads.db[1] *= 7.0;
    nn::Model probe = model;
    auto cost = [&](const nn::Parameters& p) {
        probe.params = p;
        return nn::compute_cost(nn::model_forward(t.X, probe).AL(), t.Y, model.output);
    };
    nn::GradientCheckResult r = nn::gradient_check(model.params, grads, cost);
    REQUIRE(r.relative_difference > 1e-3);
    REQUIRE(r.worst_entry.rfind("db1[", 0) == 0);
    // and a wrong activation derivative (tanh's where sigmoid's belongs)
    nn::ForwardPass fwd = nn::model_forward(t.X, model);
    Matrix dZ2 = fwd.AL() - t.Y;
    nn::LinearGradients g2 = nn::linear_backward(dZ2, fwd.caches[1].A, model.params.W[2]);
    nn::LinearGradients g1 = nn::linear_activation_backward(g2.dA_prev, fwd.caches[1], model.params.W[1], nn::Activation::Tanh);
    nn::Gradients wrong;
    wrong.dW = {Matrix(), g1.dW, g2.dW};
    wrong.db = {Matrix(), g1.db, g2.db};
    REQUIRE(nn::gradient_check(model.params, wrong, cost).relative_difference > 1e-3);
}

TEST_CASE("a NaN in the gradient is reported as the worst entry, not hidden", "[gradcheck]") {
    nn::Random rng(3);
    nn::Model model = nn::make_model({5, 4, 3}, nn::Activation::Sigmoid, nn::Output::Softmax, nn::Init::Xavier, rng);
    Toy t = toy_data(5, 7, 3, 11);
    nn::Gradients grads = nn::model_backward(nn::model_forward(t.X, model), t.Y, model);
    grads.dW[2](1, 2) = std::nan("");  // e.g. a 0/0 in a hand-written backward pass
    nn::Model probe = model;
    auto cost = [&](const nn::Parameters& p) {
        probe.params = p;
        return nn::compute_cost(nn::model_forward(t.X, probe).AL(), t.Y, model.output);
    };
    nn::GradientCheckResult r = nn::gradient_check(model.params, grads, cost);
    REQUIRE(r.worst_entry == "dW2[1, 2]");
    REQUIRE_FALSE(r.relative_difference < 1e-7);  // a NaN never passes
    REQUIRE_THROWS_WITH(nn::gradient_check(model.params, grads, cost, 0.0),
                        "gradient_check: epsilon must be a small positive number (e.g. 1e-6), got 0");
    REQUIRE_THROWS_AS(nn::gradient_check_matrix(t.X, t.X, [](const Matrix&) { return 0.0; }, -1e-6), nn::ValueError);
}

TEST_CASE("mismatched parameters and gradients are refused", "[nn]") {
    nn::Random rng(1);
    REQUIRE_THROWS_WITH(nn::initialize_parameters({3, 0, 2}, nn::Init::Small, rng), "layer 1 of 3-0-2 has no units");
    nn::Parameters p = nn::initialize_parameters({3, 4, 2}, nn::Init::Small, rng);
    nn::Gradients none;
    REQUIRE_THROWS_WITH(nn::update_parameters(p, none, 0.1), Catch::Contains("update_parameters: gradients for 0 layers"));
    REQUIRE_THROWS_WITH(nn::one_hot({0, 1}, 0), Catch::Contains("the number of classes K must be at least 1"));
}

TEST_CASE("flatten and unflatten are inverses", "[gradcheck]") {
    nn::Random rng(1);
    nn::Parameters p = nn::initialize_parameters({3, 4, 2}, nn::Init::Small, rng);
    std::vector<double> theta = nn::flatten(p);
    REQUIRE(theta.size() == 3 * 4 + 4 + 4 * 2 + 2);
    for (double& v : theta) v += 1;
    nn::unflatten(theta, p);
    REQUIRE(nn::flatten(p) == theta);
    REQUIRE_THROWS_AS(nn::unflatten(std::vector<double>(5), p), nn::ShapeError);
}

TEST_CASE("numpy parity: the assignment network reproduces the reference's cost history", "[golden]") {
    // Printed by ../shared/reference/assignment3_numpy.py data/digits20_train.csv
    // data/digits20_test.csv --lr 1 --iterations 20 [--output sigmoid] --history ref.csv
    nn::Dataset train = nn::load_csv_dataset(testing::repo_path("data/digits20_train.csv"));
    struct Golden {
        nn::Output out;
        double c0, c1, c9, c19;
    };
    for (Golden g : {Golden{nn::Output::Softmax, 2.3028752743829357, 2.3024927620811613, 2.301147272123591, 2.2959283798843284},
                     Golden{nn::Output::Sigmoid, 6.9713797359165097, 3.4482040574221173, 3.2523548642832023, 3.2452921258292617}})
    for (bool sparse : {true, false}) {  // X's zeros skipped (the default for the digits), or the dense products
        INFO((sparse ? "sparse" : "dense") << " input");
        nn::Random rng(1);
        nn::Model model = nn::make_model({400, 25, 10}, nn::Activation::Sigmoid, g.out, nn::Init::Small, rng);
        nn::TrainOptions opt = quiet_options(20, 1.0);
        opt.sparse_input = sparse;
        nn::TrainResult r = nn::train(model, train.X, train.y, nullptr, nullptr, opt);
        // numpy: (train.X != 0).mean() = 0.271620625, so the sparse path is taken unless turned off
        if (sparse) REQUIRE(r.input_density == Approx(0.271620625).epsilon(1e-12));
        else REQUIRE(std::isnan(r.input_density));
        REQUIRE(r.history[0].cost == Approx(g.c0).epsilon(1e-9));
        REQUIRE(r.history[1].cost == Approx(g.c1).epsilon(1e-9));
        REQUIRE(r.history[9].cost == Approx(g.c9).epsilon(1e-9));
        REQUIRE(r.history[19].cost == Approx(g.c19).epsilon(1e-9));
    }
}

TEST_CASE("training with X's nonzeros listed: the same history as the dense products, deep nets too", "[nn][sparse]") {
    // 3 layers and ReLU, on an input that is 80% zeros: W[1]·X and dZ[1]·Xᵀ from the nonzeros.
    nn::Random data_rng(5);
    Toy t = toy_data(30, 200, 4, 2);
    for (double& v : t.X)
        if (data_rng.random_double() < 0.8) v = 0.0;
    REQUIRE(nn::mostly_zeros(t.X));
    std::vector<nn::TrainResult> runs;
    for (bool sparse : {true, false}) {
        nn::Random rng(1);
        nn::Model model = nn::make_model({30, 16, 8, 4}, nn::Activation::ReLU, nn::Output::Softmax, nn::Init::He, rng);
        nn::TrainOptions opt = quiet_options(40, 0.1);
        opt.sparse_input = sparse;
        runs.push_back(nn::train(model, t.X, t.y, nullptr, nullptr, opt));
    }
    REQUIRE(runs[0].input_density == Approx(nn::SparseMatrix(t.X).density()));
    REQUIRE(runs[0].history.back().cost < runs[0].history.front().cost);  // it learned
    for (std::size_t i = 0; i < runs[0].history.size(); ++i)
        REQUIRE(runs[0].history[i].cost == Approx(runs[1].history[i].cost).epsilon(1e-12));
    // A dense input is not given a sparse copy.
    nn::Random rng(1);
    nn::Model model = nn::make_model({30, 4}, nn::Activation::ReLU, nn::Output::Softmax, nn::Init::Small, rng);
    Toy dense = toy_data(30, 50, 4, 3);
    REQUIRE(std::isnan(nn::train(model, dense.X, dense.y, nullptr, nullptr, quiet_options(2, 0.1)).input_density));
}

TEST_CASE("a sparse copy of another matrix is refused by the layer functions", "[nn][sparse]") {
    const Matrix X(4, 6), W(3, 4), b(3, 1);
    const nn::SparseMatrix other(Matrix(5, 6));
    REQUIRE_THROWS_WITH(nn::linear_forward(X, W, b, &other),
                        Catch::Contains("linear_forward: the sparse copy of the input has shape (5, 6) but the input has shape (4, 6)"));
    REQUIRE_THROWS_AS(nn::linear_backward(Matrix(3, 6), X, W, false, &other), nn::ShapeError);
}

TEST_CASE("the shallow network and the deep network with L = 2 agree", "[nn]") {
    nn::Dataset train = nn::load_csv_dataset(testing::repo_path("data/digits20_test.csv"));  // 1000 examples: quick
    Matrix Y = nn::one_hot(train.y, 10);
    nn::ShallowParameters sp = nn::initialize_shallow(400, 25, 10, 1);
    std::vector<double> shallow_costs = nn::train_shallow(sp, train.X, Y, 0.5, 15);
    nn::Random rng(1);
    nn::Model model = nn::make_model({400, 25, 10}, nn::Activation::Sigmoid, nn::Output::Softmax, nn::Init::Small, rng);
    REQUIRE(model.params.W[1] == nn::initialize_shallow(400, 25, 10, 1).W1);  // same draws, same order
    nn::TrainOptions opt = quiet_options(15, 0.5);
    nn::TrainResult r = nn::train(model, train.X, train.y, nullptr, nullptr, opt);
    for (int i = 0; i < 15; ++i) REQUIRE(r.history[i].cost == Approx(shallow_costs[i]).epsilon(1e-12));
    REQUIRE(nn::allclose(model.params.W[1], sp.W1, 1e-10, 1e-14));
    REQUIRE(nn::allclose(model.params.b[2], sp.b2, 1e-10, 1e-14));
    REQUIRE(nn::predict(train.X, model) == nn::predict_shallow(train.X, sp));
}

TEST_CASE("the zero-initialization pitfall: hidden units stay identical", "[nn]") {
    Toy t = toy_data(6, 20, 3, 4);
    nn::Random rng(1);
    nn::Model model = nn::make_model({6, 5, 3}, nn::Activation::Tanh, nn::Output::Softmax, nn::Init::Zeros, rng);
    nn::TrainOptions opt = quiet_options(50, 0.5);
    nn::train(model, t.X, t.y, nullptr, nullptr, opt);
    const Matrix& W1 = model.params.W[1];
    for (std::size_t i = 1; i < W1.rows(); ++i)
        for (std::size_t j = 0; j < W1.cols(); ++j) REQUIRE(W1(i, j) == W1(0, j));  // every row the same
    // and with small random weights the symmetry is broken
    nn::Random rng2(1);
    nn::Model good = nn::make_model({6, 5, 3}, nn::Activation::Tanh, nn::Output::Softmax, nn::Init::Small, rng2);
    nn::train(good, t.X, t.y, nullptr, nullptr, opt);
    REQUIRE(good.params.W[1](1, 0) != good.params.W[1](0, 0));
}

TEST_CASE("initializations have the lecture's scale", "[nn]") {
    nn::Random rng(0);
    const std::size_t n_in = 300, n_out = 200;
    auto std_of = [](const Matrix& W) { return std::sqrt(nn::mean(nn::square(W)) - std::pow(nn::mean(W), 2)); };
    REQUIRE(std_of(nn::init_weights(nn::Init::Small, n_out, n_in, rng)) == Approx(0.01).epsilon(0.02));
    REQUIRE(std_of(nn::init_weights(nn::Init::He, n_out, n_in, rng)) == Approx(std::sqrt(2.0 / n_in)).epsilon(0.02));
    REQUIRE(std_of(nn::init_weights(nn::Init::Xavier, n_out, n_in, rng)) == Approx(std::sqrt(1.0 / n_in)).epsilon(0.02));
    REQUIRE(std_of(nn::init_weights(nn::Init::TanhNormal, n_out, n_in, rng)) == Approx(4 * std::sqrt(2.0 / 500)).epsilon(0.02));
    Matrix U = nn::init_weights(nn::Init::ReluUniform, n_out, n_in, rng);
    const double r = std::sqrt(2.0) * std::sqrt(6.0 / 500);
    REQUIRE(nn::max(U) <= r);
    REQUIRE(nn::min(U) >= -r);
    REQUIRE(nn::max(U) > 0.95 * r);
    REQUIRE(std_of(nn::init_weights(nn::Init::LogisticUniform, n_out, n_in, rng)) == Approx(std::sqrt(6.0 / 500) / std::sqrt(3.0)).epsilon(0.02));
    REQUIRE(nn::sum(nn::abs(nn::init_weights(nn::Init::Zeros, 3, 4, rng))) == 0);
    REQUIRE_THROWS_WITH(nn::parse_init("glorot"), Catch::Contains("unknown initialization 'glorot'"));
}

TEST_CASE("training: divergence tripwire names the iteration and the learning rate", "[nn]") {
    Toy t = toy_data(4, 30, 3, 9);
    t.X *= 1e6;
    nn::Random rng(1);
    nn::Model model = nn::make_model({4, 8, 3}, nn::Activation::ReLU, nn::Output::Softmax, nn::Init::He, rng);
    nn::TrainOptions opt = quiet_options(100, 1e6);
    REQUIRE_THROWS_WITH(nn::train(model, t.X, t.y, nullptr, nullptr, opt),
                        Catch::Contains("training diverged at iteration") && Catch::Contains("learning rate 1e+06"));
    opt.learning_rate = -1;
    REQUIRE_THROWS_WITH(nn::train(model, t.X, t.y, nullptr, nullptr, opt), Catch::Contains("learning rate must be a positive number"));
    opt.learning_rate = INFINITY;  // would "diverge" at once, blaming the data
    REQUIRE_THROWS_WITH(nn::train(model, t.X, t.y, nullptr, nullptr, opt), Catch::Contains("got inf"));
}

TEST_CASE("training: options and data that do not fit are refused before the first iteration", "[nn]") {
    Toy t = toy_data(4, 10, 3, 9);
    nn::Random rng(1);
    nn::Model model = nn::make_model({4, 5, 3}, nn::Activation::Sigmoid, nn::Output::Softmax, nn::Init::Small, rng);
    nn::TrainOptions opt = quiet_options(2, 1.0);
    std::vector<int> two_labels{0, 1};
    REQUIRE_THROWS_WITH(nn::train(model, t.X, t.y, &t.X, nullptr, opt), Catch::Contains("X_dev and y_dev go together"));
    REQUIRE_THROWS_WITH(nn::train(model, t.X, t.y, &t.X, &two_labels, opt), Catch::Contains("2 dev labels for 10 dev examples"));
    REQUIRE_THROWS_WITH(nn::train(model, Matrix(4, 0), {}, nullptr, nullptr, opt), Catch::Contains("no training examples"));
    opt.eval_every = -1;
    REQUIRE_THROWS_WITH(nn::train(model, t.X, t.y, nullptr, nullptr, opt), Catch::Contains("eval_every must be 0"));
}

TEST_CASE("training history CSV: header, accuracy at intervals", "[nn][io]") {
    Toy t = toy_data(4, 30, 3, 9);
    nn::Random rng(1);
    nn::Model model = nn::make_model({4, 8, 3}, nn::Activation::Tanh, nn::Output::Softmax, nn::Init::Xavier, rng);
    nn::TrainOptions opt = quiet_options(25, 0.5);
    opt.eval_every = 10;
    nn::TrainResult r = nn::train(model, t.X, t.y, &t.X, &t.y, opt);
    REQUIRE(r.history.size() == 25);
    REQUIRE(r.history.back().cost < r.history.front().cost);
    testing::TempDir dir;
    nn::write_history_csv(dir.file("h.csv"), r.history);
    auto bytes = nn::read_file_bytes(dir.file("h.csv"));
    std::string text(bytes.begin(), bytes.end());
    REQUIRE(text.rfind("iteration,cost,train_accuracy,dev_accuracy\n0,", 0) == 0);
    REQUIRE(text.find("\n1," + nn::fmt("%.17g", r.history[1].cost) + ",,\n") != std::string::npos);  // not evaluated: empty
    REQUIRE(text.find("\n10," + nn::fmt("%.17g", r.history[10].cost) + "," + nn::fmt("%.6f", r.history[10].train_accuracy)) != std::string::npos);
}
