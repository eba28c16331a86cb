// nn/demos.cpp — the lecture experiments behind `nn demo NAME` (and `make run`).
#include "nn/demos.hpp"

#include <cmath>
#include <filesystem>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "matrix/gemm.hpp"
#include "matrix/io.hpp"
#include "matrix/parallel.hpp"
#include "matrix/vecmath.hpp"
#include "nn/adaline.hpp"
#include "nn/logistic_regression.hpp"
#include "nn/losses.hpp"
#include "nn/perceptron.hpp"
#include "nn/plot.hpp"
#include "nn/preprocessing.hpp"
#include "nn/table.hpp"
#include "nn/train.hpp"

namespace nn {

namespace {

struct DemoOptions {
    std::string out = "build/demo";
    std::string data = "data";
    bool quiet = false;
};

std::string data_file(const DemoOptions& o, const std::string& name) {
    std::string path = o.data + "/" + name;
    if (!std::filesystem::exists(path))
        throw ValueError(path + ": no such file (run from the repository root, or pass --data DIR)");
    return path;
}

// CMPE 258 "Deep Neural Network", Assignment 3: 400 inputs, 25 sigmoid hidden units, 10
// softmax outputs, seed 1, randn·0.01; several learning rates; cost vs iterations per rate;
// accuracy on train and test.
int demo_assignment(const DemoOptions& o) {
    const std::vector<double> rates = {0.1, 0.5, 1.0, 2.0};
    const int iterations = 1000;
    Dataset train_set = load_csv_dataset(data_file(o, "digits20_train.csv"));
    Dataset test_set = load_csv_dataset(data_file(o, "digits20_test.csv"));
    const std::vector<std::size_t> layers = {400, 25, 10};
    std::cout << "Assignment 3 (CMPE 258): one hidden layer, " << layers_string(layers)
              << ", sigmoid hidden units, softmax output, W = 0.01*randn after seed 1, b = 0\n"
              << "training on " << train_set.n_examples() << " digits, testing on " << test_set.n_examples()
              << "; full-batch gradient descent, " << iterations << " iterations per learning rate\n"
              << "(gemm kernel " << gemm_kernel_name(active_gemm_kernel()) << ", element-wise "
              << simd_level_name(active_simd_level()) << ", " << max_threads() << " thread(s))\n";
    std::vector<TrainResult> results;
    std::vector<Model> models;
    for (double lr : rates) {
        Random rng(1);
        Model model = make_model(layers, Activation::Sigmoid, Output::Softmax, Init::Small, rng);
        TrainOptions opt;
        opt.learning_rate = lr;
        opt.iterations = iterations;
        opt.eval_every = 100;
        opt.progress = !o.quiet;
        opt.label = "lr " + fmt("%g", lr);
        results.push_back(train(model, train_set.X, train_set.y, &test_set.X, &test_set.y, opt));
        models.push_back(model);
    }
    std::size_t best = 0;
    for (std::size_t k = 0; k < rates.size(); ++k)
        if (results[k].dev_accuracy > results[best].dev_accuracy) best = k;
    const std::string note = sparse_input_note(results.front());
    if (!note.empty()) std::cout << "\n" << note << "\n";
    std::cout << "\n" << learning_rate_table(rates, results, true);
    std::cout << "\nbest test accuracy: " << fmt("%.2f%%", 100 * results[best].dev_accuracy) << " (learning rate "
              << fmt("%g", rates[best]) << ")\n";

    std::filesystem::create_directories(o.out);
    LineChart chart = cost_history_chart("Assignment 3: cost vs iterations (400-25-10)", "cost J (softmax cross-entropy)",
                                         rates, results);
    for (std::size_t k = 0; k < rates.size(); ++k)
        write_history_csv(o.out + "/history_lr" + fmt("%g", rates[k]) + ".csv", results[k].history);
    save_svg(o.out + "/cost_vs_iterations.svg", render_line_chart(chart));

    std::vector<int> predicted = predict(test_set.X, models[best]);
    DigitGrid grid;
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < predicted.size(); ++i) {
        if (predicted[i] == test_set.y[i]) continue;
        ++wrong;
        if (grid.images.size() >= 40) continue;
        std::vector<double> img(400);
        for (std::size_t p = 0; p < 400; ++p) img[p] = test_set.X(p, i);
        grid.images.push_back(img);
        grid.captions.push_back(std::to_string(test_set.y[i]) + " \u2192 " + std::to_string(predicted[i]));  // true → predicted
    }
    grid.title = "Misclassified test digits, true \u2192 predicted";
    grid.subtitle = std::to_string(wrong) + " of " + std::to_string(predicted.size()) + " wrong with learning rate " +
                    fmt("%g", rates[best]) + "; the first " + std::to_string(grid.images.size()) + " shown";
    grid.cell = 64;
    save_svg(o.out + "/misclassified.svg", render_digit_grid(grid));
    std::cout << "\nwrote " << o.out << "/cost_vs_iterations.svg (the assignment's plot), " << o.out
              << "/misclassified.svg, and " << o.out << "/history_lr*.csv\n";
    return 0;
}


// ---- Lecture: "Introduction to Deep Learning, Chapter 2: Neural Networks" ------------

// Iris rows 0-99 (setosa, versicolor), features sepal length and petal length, labels ±1.
struct Iris2D {
    Matrix X;  // (2, 100)
    std::vector<int> y;
};

Iris2D load_iris_2d(const DemoOptions& o) {
    Dataset iris = load_csv_dataset(data_file(o, "iris.csv"), "y", 0, 2);
    Iris2D d;
    d.X = Matrix(2, 100);
    for (std::size_t i = 0; i < 100; ++i) {
        d.X(0, i) = iris.X(0, i);  // sepal length
        d.X(1, i) = iris.X(2, i);  // petal length
        d.y.push_back(iris.y[i] == 0 ? -1 : 1);
    }
    return d;
}

std::string weights_string(double b, const Matrix& w) {
    std::string s = "[" + fmt("%.4g", b);
    for (double v : w) s += ", " + fmt("%.4g", v);
    return s + "]";
}

Series epochs_series(const std::string& name, const std::vector<double>& values, bool log10_values = false) {
    Series s;
    s.name = name;
    s.markers = true;
    for (std::size_t e = 0; e < values.size(); ++e) {
        s.x.push_back(static_cast<double>(e + 1));
        s.y.push_back(log10_values ? std::log10(values[e]) : values[e]);
    }
    return s;
}

// The regions of a linear classifier on the 2-D iris data: class 1 where b + w1·x1 + w2·x2 ≥ 0.
// A chart of one value per epoch (cost or errors), one line per series.
LineChart epoch_chart(const std::string& title, const std::string& y_label, std::vector<Series> series) {
    LineChart chart;
    chart.title = title;
    chart.x_label = "epoch";
    chart.y_label = y_label;
    chart.series = std::move(series);
    return chart;
}

DecisionRegions iris_regions(const Iris2D& d, const std::string& title, const std::string& xl, const std::string& yl,
                             double b, const Matrix& w) {
    DecisionRegions r;
    r.title = title;
    r.x_label = xl;
    r.y_label = yl;
    const double w1 = w(0, 0), w2 = w(1, 0);
    r.predict = [b, w1, w2](double x1, double x2) { return b + w1 * x1 + w2 * x2 >= 0 ? 1 : 0; };
    for (std::size_t i = 0; i < d.X.cols(); ++i) {
        r.x1.push_back(d.X(0, i));
        r.x2.push_back(d.X(1, i));
        r.labels.push_back(d.y[i] == 1 ? 1 : 0);
    }
    r.class_names = {"setosa (-1)", "versicolor (+1)"};
    return r;
}

int demo_perceptron(const DemoOptions& o) {
    Iris2D d = load_iris_2d(o);
    Perceptron p = train_perceptron(d.X, d.y, 0.1, 10);
    std::cout << "Perceptron (Rosenblatt 1957) on iris setosa vs versicolor, sepal and petal length; eta 0.1, 10 epochs\n\n";
    std::vector<std::vector<std::string>> rows;
    for (std::size_t e = 0; e < p.errors.size(); ++e) rows.push_back({std::to_string(e + 1), std::to_string(p.errors[e])});
    std::cout << format_table({"epoch", "misclassifications"}, rows);
    std::size_t converged = p.errors.size();
    while (converged > 0 && p.errors[converged - 1] == 0) --converged;
    std::cout << "\nweights (bias first): " << weights_string(p.b, p.w) << "   (slides: [-0.4 -0.68 1.82])\n"
              << "no misclassifications from epoch " << converged + 1 << " on (slides: converges after the 6th epoch)\n";
    std::filesystem::create_directories(o.out);
    std::vector<double> errs(p.errors.begin(), p.errors.end());
    LineChart chart = epoch_chart("Perceptron: misclassifications per epoch", "misclassifications", {epochs_series("eta = 0.1", errs)});
    save_svg(o.out + "/perceptron_errors.svg", render_line_chart(chart));
    DecisionRegions r = iris_regions(d, "Perceptron", "sepal length [cm]", "petal length [cm]", p.b, p.w);
    save_svg(o.out + "/perceptron_regions.svg", render_decision_regions(r));
    std::cout << "\nwrote " << o.out << "/perceptron_errors.svg and " << o.out << "/perceptron_regions.svg\n";
    return 0;
}

int demo_adaline(const DemoOptions& o) {
    Iris2D d = load_iris_2d(o);
    Adaline fast = train_adaline_gd(d.X, d.y, 0.01, 10), slow = train_adaline_gd(d.X, d.y, 0.0001, 10);
    std::cout << "Adaline, batch gradient descent on raw iris features (sepal, petal length), 10 epochs\n\n";
    std::vector<std::vector<std::string>> rows;
    for (std::size_t e = 0; e < 10; ++e)
        rows.push_back({std::to_string(e + 1), fmt("%.6g", fast.cost[e]), fmt("%.6g", slow.cost[e])});
    std::cout << format_table({"epoch", "SSE, lr 0.01 (diverges)", "SSE, lr 0.0001 (creeps)"}, rows);
    Standardizer s = fit_standardizer(d.X);
    Matrix X_std = standardize(d.X, s);
    Adaline scaled = train_adaline_gd(X_std, d.y, 0.01, 15);
    std::cout << "\nwith standardized features, lr 0.01, 15 epochs: cost " << fmt("%.6g", scaled.cost.front()) << " -> "
              << fmt("%.4g", scaled.cost.back()) << ", weights (bias first) " << weights_string(scaled.b, scaled.w)
              << ", training accuracy " << fmt("%.0f%%", 100 * accuracy(predict(scaled, X_std), d.y)) << "\n";
    std::filesystem::create_directories(o.out);
    LineChart left = epoch_chart("Adaline - Learning rate 0.01", "log10(sum-squared-error)", {epochs_series("lr 0.01", fast.cost, true)});
    LineChart right_chart = epoch_chart("Adaline - Learning rate 0.0001", "sum-squared-error", {epochs_series("lr 0.0001", slow.cost)});
    left.width = right_chart.width = 480;
    save_svg(o.out + "/adaline_learning_rates.svg",
             side_by_side(render_line_chart(left), 480, render_line_chart(right_chart), 480, left.height));
    LineChart cost = epoch_chart("Adaline (standardized features), lr 0.01", "sum-squared-error", {epochs_series("batch GD", scaled.cost)});
    save_svg(o.out + "/adaline_standardized_cost.svg", render_line_chart(cost));
    DecisionRegions r = iris_regions({X_std, d.y}, "Adaline - Gradient Descent", "sepal length [standardized]",
                                     "petal length [standardized]", scaled.b, scaled.w);
    save_svg(o.out + "/adaline_regions.svg", render_decision_regions(r));
    std::cout << "\nwrote " << o.out << "/adaline_learning_rates.svg, adaline_standardized_cost.svg, adaline_regions.svg\n";
    return 0;
}

int demo_adaline_sgd(const DemoOptions& o) {
    Iris2D d = load_iris_2d(o);
    Matrix X_std = standardize(d.X, fit_standardizer(d.X));
    Random rng(1);
    Adaline sgd = train_adaline_sgd(X_std, d.y, 0.01, 15, rng);
    Adaline batch = train_adaline_gd(X_std, d.y, 0.01, 15);
    std::cout << "Adaline with stochastic gradient descent (standardized iris, lr 0.01, 15 epochs, shuffled with seed 1)\n\n";
    std::vector<std::vector<std::string>> rows;
    for (std::size_t e = 0; e < 15; ++e)
        rows.push_back({std::to_string(e + 1), fmt("%.5f", sgd.cost[e]), fmt("%.5f", batch.cost[e])});
    std::cout << format_table({"epoch", "SSE after epoch, SGD", "SSE, batch GD"}, rows);
    std::cout << "\nSGD weights (bias first) " << weights_string(sgd.b, sgd.w) << ", training accuracy "
              << fmt("%.0f%%", 100 * accuracy(predict(sgd, X_std), d.y)) << "\n";
    std::filesystem::create_directories(o.out);
    LineChart cost = epoch_chart("Adaline: SGD converges in fewer epochs than batch GD", "sum-squared-error",
                                 {epochs_series("SGD", sgd.cost), epochs_series("batch GD", batch.cost)});
    save_svg(o.out + "/adaline_sgd_cost.svg", render_line_chart(cost));
    DecisionRegions r = iris_regions({X_std, d.y}, "Adaline - Stochastic Gradient Descent", "sepal length [standardized]",
                                     "petal length [standardized]", sgd.b, sgd.w);
    save_svg(o.out + "/adaline_sgd_regions.svg", render_decision_regions(r));
    std::cout << "\nwrote " << o.out << "/adaline_sgd_cost.svg and adaline_sgd_regions.svg\n";
    return 0;
}

int demo_logistic(const DemoOptions& o) {
    std::cout << "Logistic regression as one sigmoid neuron, vectorized (Z = w^T X + b, A = sigma(Z), dZ = A - Y)\n\n";
    // 1. Breast cancer: a fixed seeded 70/30 split, standardized with the training statistics.
    Dataset bc = load_csv_dataset(data_file(o, "breast_cancer.csv"), "y", 0, 1);
    Random rng(0);
    std::vector<std::size_t> order = rng.permutation(bc.n_examples());
    const std::size_t n_test = bc.n_examples() * 3 / 10;
    std::vector<std::size_t> test_idx(order.begin(), order.begin() + n_test), train_idx(order.begin() + n_test, order.end());
    Matrix X_train = select_columns(bc.X, train_idx), X_test = select_columns(bc.X, test_idx);
    std::vector<int> y_train, y_test;
    for (std::size_t i : train_idx) y_train.push_back(bc.y[i]);
    for (std::size_t i : test_idx) y_test.push_back(bc.y[i]);
    Standardizer s = fit_standardizer(X_train);
    X_train = standardize(X_train, s);
    X_test = standardize(X_test, s);
    LogisticRegression bc_model = train_logistic_regression(X_train, y_train, 0.1, 500);
    double bc_train = accuracy(predict(bc_model, X_train), y_train), bc_test = accuracy(predict(bc_model, X_test), y_test);
    // 2. The needle in a haystack: "is this digit a 0?" on the 20x20 digits (10% positives).
    Dataset dtr = load_csv_dataset(data_file(o, "digits20_train.csv")), dte = load_csv_dataset(data_file(o, "digits20_test.csv"));
    std::vector<int> ztr, zte;
    for (int v : dtr.y) ztr.push_back(v == 0);
    for (int v : dte.y) zte.push_back(v == 0);
    LogisticRegression zero_model = train_logistic_regression(dtr.X, ztr, 0.5, 500);
    std::vector<int> zpred = predict(zero_model, dte.X);
    std::size_t tp = 0, fp = 0, fn = 0;
    for (std::size_t i = 0; i < zte.size(); ++i) {
        tp += zpred[i] == 1 && zte[i] == 1;
        fp += zpred[i] == 1 && zte[i] == 0;
        fn += zpred[i] == 0 && zte[i] == 1;
    }
    std::vector<std::vector<std::string>> rows = {
        {"breast cancer (malignant 0 / benign 1)", std::to_string(train_idx.size()) + "/" + std::to_string(n_test),
         fmt("%.2f%%", 100 * bc_train), fmt("%.2f%%", 100 * bc_test), fmt("%.4f", bc_model.cost.back())},
        {"digits: zero vs rest (10% positives)", std::to_string(ztr.size()) + "/" + std::to_string(zte.size()),
         fmt("%.2f%%", 100 * accuracy(predict(zero_model, dtr.X), ztr)), fmt("%.2f%%", 100 * accuracy(zpred, zte)),
         fmt("%.4f", zero_model.cost.back())}};
    std::cout << format_table({"data set", "train/test", "train accuracy", "test accuracy", "final cost"}, rows);
    std::cout << "\nbreast cancer: lr 0.1, 500 iterations, standardized (fitted on the training rows), split by permutation(seed 0)\n"
              << "zero detector: lr 0.5, 500 iterations; on the test set precision " << fmt("%.3f", tp + fp ? double(tp) / double(tp + fp) : 0)
              << ", recall " << fmt("%.3f", tp + fn ? double(tp) / double(tp + fn) : 0)
              << " (always answering \"not a zero\" would already score 90%)\n";
    std::filesystem::create_directories(o.out);
    LineChart cost;
    cost.title = "Logistic regression: cross-entropy cost";
    cost.x_label = "iteration";
    cost.y_label = "cost J";
    Series a, b;
    a.name = "breast cancer";
    b.name = "zero vs rest";
    for (std::size_t i = 0; i < bc_model.cost.size(); ++i) {
        a.x.push_back(double(i));
        a.y.push_back(bc_model.cost[i]);
        b.x.push_back(double(i));
        b.y.push_back(zero_model.cost[i]);
    }
    cost.series = {a, b};
    save_svg(o.out + "/logistic_cost.svg", render_line_chart(cost));
    std::cout << "\nwrote " << o.out << "/logistic_cost.svg\n";
    return 0;
}

struct Demo {
    const char* name;
    const char* what;
    int (*run)(const DemoOptions&);
};

const Demo kDemos[] = {
    {"assignment", "CMPE 258 Assignment 3: 400-25-10 sigmoid/softmax network on the 20x20 digits, several learning rates",
     demo_assignment},
    {"perceptron", "Rosenblatt's perceptron on iris (eta 0.1, 10 epochs): errors per epoch, weights, decision regions",
     demo_perceptron},
    {"adaline", "Adaline batch GD: learning rates 0.01 vs 0.0001, then standardized features", demo_adaline},
    {"adaline-sgd", "Adaline with stochastic gradient descent (shuffled every epoch)", demo_adaline_sgd},
    {"logistic", "logistic regression: breast cancer, and a zero-vs-rest digit detector", demo_logistic},
};

}  // namespace

int demo_main(int argc, char** argv) {
    DemoOptions o;
    std::string name;
    for (int i = 2; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--help" || a == "-h" || a == "--list") {
            std::cout << "usage: nn demo NAME [--out DIR] [--data DIR] [--quiet]\n\ndemos:\n";
            for (const Demo& d : kDemos) std::cout << "  " << d.name << std::string(14 - std::string(d.name).size(), ' ') << d.what << "\n";
            std::cout << "\n  --out DIR    where the SVG pictures and CSV files go (default: build/demo)\n"
                         "  --data DIR   where the bundled data sets are (default: data)\n"
                         "  --quiet      no progress bar\n";
            return 0;
        }
        if (a == "--out" || a == "--data") {
            if (i + 1 >= argc) throw ValueError("flag " + a + " needs a value");
            (a == "--out" ? o.out : o.data) = argv[++i];
        } else if (a == "--quiet") {
            o.quiet = true;
        } else if (!a.empty() && a[0] == '-') {
            throw ValueError("unknown flag '" + a + "' (see nn demo --help)");
        } else if (name.empty()) {
            name = a;
        } else {
            throw ValueError("demo: only one demo name, got '" + name + "' and '" + a + "'");
        }
    }
    if (name.empty()) throw ValueError("demo: which one? (nn demo --list)");
    if (std::filesystem::exists(o.out) && !std::filesystem::is_directory(o.out))
        throw ValueError("--out " + o.out + " is a file, not a directory");
    for (const Demo& d : kDemos)
        if (name == d.name) return d.run(o);
    throw ValueError("unknown demo '" + name + "' (nn demo --list)");
}

}  // namespace nn
