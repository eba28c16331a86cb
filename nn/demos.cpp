// nn/demos.cpp — the lecture experiments behind `nn demo NAME` (and `make run`).
#include "nn/demos.hpp"

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "matrix/gemm.hpp"
#include "matrix/io.hpp"
#include "matrix/parallel.hpp"
#include "nn/plot.hpp"
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
              << "(gemm kernel " << gemm_kernel_name(active_gemm_kernel()) << ", " << max_threads() << " thread(s))\n";
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
    std::vector<std::vector<std::string>> rows;
    std::size_t best = 0;
    for (std::size_t k = 0; k < rates.size(); ++k) {
        const TrainResult& r = results[k];
        if (r.dev_accuracy > results[best].dev_accuracy) best = k;
        rows.push_back({fmt("%g", rates[k]), fmt("%.6f", r.final_cost), fmt("%.2f%%", 100 * r.train_accuracy),
                        fmt("%.2f%%", 100 * r.dev_accuracy), fmt("%.3f", r.ms_per_iteration())});
    }
    std::cout << "\n" << format_table({"learning rate", "final cost", "train accuracy", "test accuracy", "ms/iteration"}, rows);
    std::cout << "\nbest test accuracy: " << fmt("%.2f%%", 100 * results[best].dev_accuracy) << " (learning rate "
              << fmt("%g", rates[best]) << ")\n";

    std::filesystem::create_directories(o.out);
    LineChart chart;
    chart.title = "Assignment 3: cost vs iterations (400-25-10)";
    chart.x_label = "iteration";
    chart.y_label = "cost J (softmax cross-entropy)";
    for (std::size_t k = 0; k < rates.size(); ++k) {
        Series s;
        s.name = "lr = " + fmt("%g", rates[k]);
        for (const HistoryRow& h : results[k].history) {
            s.x.push_back(h.iteration);
            s.y.push_back(h.cost);
        }
        chart.series.push_back(s);
        write_history_csv(o.out + "/history_lr" + fmt("%g", rates[k]) + ".csv", results[k].history);
    }
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
        grid.captions.push_back("true " + std::to_string(test_set.y[i]) + ", said " + std::to_string(predicted[i]));
    }
    grid.title = "Misclassified test digits (" + std::to_string(wrong) + " of " + std::to_string(predicted.size()) +
                 ", learning rate " + fmt("%g", rates[best]) + "; first " + std::to_string(grid.images.size()) + " shown)";
    grid.cell = 64;
    save_svg(o.out + "/misclassified.svg", render_digit_grid(grid));
    std::cout << "\nwrote " << o.out << "/cost_vs_iterations.svg (the assignment's plot), " << o.out
              << "/misclassified.svg, and " << o.out << "/history_lr*.csv\n";
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
    for (const Demo& d : kDemos)
        if (name == d.name) return d.run(o);
    throw ValueError("unknown demo '" + name + "' (nn demo --list)");
}

}  // namespace nn
