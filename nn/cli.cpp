// nn/cli.cpp — argument parsing, `train`, and the dispatch to demos (nn/demos.cpp).
#include "nn/cli.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>
#include <new>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "matrix/gemm.hpp"
#include "matrix/io.hpp"
#include "matrix/parallel.hpp"
#include "matrix/vecmath.hpp"
#include "nn/demos.hpp"
#include "nn/plot.hpp"
#include "nn/table.hpp"
#include "nn/train.hpp"

namespace nn {

namespace {

const char* kMainHelp = R"(usage: nn COMMAND [flags]       (nn COMMAND --help for the flags of one command)

commands:
  train    train a network on CSV or IDX data (one run per learning rate) and print a table
  demo     re-run a lecture's experiment: prints its numbers, writes its SVG pictures
           (nn demo --list shows them)

examples:
  nn demo assignment
  nn train --train data/digits20_train.csv --test data/digits20_test.csv --layers 400,25,10 \
           --hidden-activation sigmoid --output softmax --init small --seed 1 --lr 0.5,1 \
           --iterations 300 --plot cost.svg
)";

const char* kTrainHelp = R"(usage: nn train --train FILE [--test FILE] [flags]

Trains a fully connected network by full-batch gradient descent, once per learning rate,
and ends with a table: learning rate, final cost, train accuracy, test accuracy, ms per
iteration. Nothing is written if any run fails.

data:
  --train FILE             training data: CSV with a header and a label column, or MNIST IDX
                           images (then also --train-labels)
  --train-labels FILE      IDX labels (idx1, plain or .gz) for IDX training images
  --test FILE              test data, same forms (--test-labels FILE for IDX)
  --label NAME             label column of the CSV files: a name, #INDEX, or -1 for the last
                           (default: y)
network:
  --layers N0,N1,...,NL    layer sizes, input first (default: 400,25,10); N0 must equal the
                           number of features, NL the number of classes (1 for 0/1 labels)
  --hidden-activation G    sigmoid | tanh | relu | leaky_relu | elu | linear (default: sigmoid)
  --output O               softmax | sigmoid (default: softmax)
  --init NAME              zeros | small | xavier | he | logistic-normal | logistic-uniform |
                           tanh-normal | tanh-uniform | relu-normal | relu-uniform (default: small)
  --seed N                 np.random.seed for the initialization (default: 1)
training:
  --lr A[,B,...]           learning rate(s), one run each (default: 1)
  --iterations N           gradient-descent iterations (default: 300)
  --eval-every N           also record train/test accuracy every N iterations (default: 0 = at the end)
  --threads N              threads for the matrix products (default: all cores)
  --dense                  multiply by X as a dense matrix even when most of it is zero (by
                           default the first layer's products then skip X's zeros: the same
                           results up to rounding, faster; this flag is for comparing)
output:
  --history FILE.csv       cost per iteration (iteration,cost[,train_accuracy][,dev_accuracy]).
                           With several learning rates: one file per rate, named FILE_lr<rate>.csv
  --plot FILE.svg          cost against iterations, one curve per learning rate
  --quiet                  no progress bar
)";

[[noreturn]] void usage_error(const std::string& msg) { throw ValueError(msg); }

// Flags as --name value pairs (and bare switches). Unknown flags are errors.
struct Flags {
    std::map<std::string, std::string> values;

    static Flags parse(int argc, char** argv, int first, const std::vector<std::string>& with_value,
                       const std::vector<std::string>& switches) {
        Flags f;
        for (int i = first; i < argc; ++i) {
            std::string a = argv[i];
            std::string value;
            bool inline_value = false;
            if (a.rfind("--", 0) == 0 && a.find('=') != std::string::npos) {
                value = a.substr(a.find('=') + 1);
                a = a.substr(0, a.find('='));
                inline_value = true;
            }
            bool takes_value = std::find(with_value.begin(), with_value.end(), a) != with_value.end();
            bool is_switch = std::find(switches.begin(), switches.end(), a) != switches.end();
            if (!takes_value && !is_switch) usage_error("unknown flag '" + a + "' (see --help)");
            if (takes_value && !inline_value) {
                if (i + 1 >= argc) usage_error("flag " + a + " needs a value");
                value = argv[++i];
            }
            f.values[a] = takes_value ? value : "1";
        }
        return f;
    }
    bool has(const std::string& k) const { return values.count(k) > 0; }
    std::string get(const std::string& k, const std::string& fallback) const {
        auto it = values.find(k);
        return it == values.end() ? fallback : it->second;
    }
};

long parse_long(const std::string& flag, const std::string& text) {
    long v = 0;
    auto res = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || res.ec != std::errc() || res.ptr != text.data() + text.size())
        usage_error(flag + " '" + text + "' is not a whole number");
    return v;
}

// A whole number for a flag that counts something (iterations, threads): 1 .. max.
int parse_count(const std::string& flag, const std::string& text, long max) {
    long v = parse_long(flag, text);
    if (v <= 0) usage_error(flag + " must be positive, got " + std::to_string(v));
    if (v > max) usage_error(flag + " must be at most " + std::to_string(max) + ", got " + std::to_string(v));
    return static_cast<int>(v);
}

// A network too large for this machine is refused before any work, with the memory it needs,
// rather than failing with std::bad_alloc halfway. Full-batch training keeps the weights, their
// gradients and the update (about 3 copies of the parameters), and for every layer Z, A, dZ and
// dA over all m examples (about 4 values per unit and example).
void check_memory(const std::string& layers_flag, const std::vector<std::size_t>& layers, std::size_t m) {
    double params = 0, units = 0;
    for (std::size_t l = 1; l < layers.size(); ++l) {
        params += static_cast<double>(layers[l]) * static_cast<double>(layers[l - 1] + 1);
        units += static_cast<double>(layers[l]);
    }
    const double need = 8.0 * (3 * params + 4 * units * static_cast<double>(m));
    const long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || page_size <= 0) return;  // unknown: let the allocation decide
    const double have = static_cast<double>(pages) * static_cast<double>(page_size);
    if (need > have)
        usage_error("--layers " + layers_flag + ": training it on " + std::to_string(m) + " examples needs about " +
                    fmt("%.3g", need / 1e9) + " GB of memory, more than this machine's " + fmt("%.3g", have / 1e9) + " GB");
}

double parse_double(const std::string& flag, const std::string& text) {
    double v = 0;
    auto res = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || res.ec != std::errc() || res.ptr != text.data() + text.size() || !std::isfinite(v))
        usage_error(flag + " '" + text + "' is not a number");
    return v;
}

std::vector<double> parse_rates(const std::string& text) {
    std::vector<double> rates;
    std::stringstream ss(text);
    std::string part;
    while (std::getline(ss, part, ',')) {
        double lr = parse_double("--lr", part);
        if (!(lr > 0)) usage_error("--lr: learning rate " + part + " must be positive");
        for (double seen : rates)  // the same run twice, and both would write the same history file
            if (seen == lr) usage_error("--lr: learning rate " + part + " is listed twice");
        rates.push_back(lr);
    }
    if (rates.empty()) usage_error("--lr needs at least one learning rate, e.g. --lr 0.5,1");
    return rates;
}

Dataset load_data(const std::string& path, const std::string& labels_path, const std::string& label_column,
                  const std::string& flag) {
    if (!std::filesystem::exists(path)) usage_error(flag + ": " + path + ": no such file");
    if (!labels_path.empty()) return load_idx_dataset(path, labels_path);
    if (path.find("idx3") != std::string::npos)
        usage_error(flag + " " + path + " looks like MNIST IDX images: give the labels with " + flag + "-labels FILE");
    return load_csv_dataset(path, label_column, 0, 1 << 20);
}

// "h.csv" with rate 0.5 -> "h_lr0.5.csv"
std::string history_path_for(const std::string& path, double lr, bool several) {
    if (!several) return path;
    std::string rate = fmt("%g", lr);
    std::size_t dot = path.rfind('.');
    std::size_t slash = path.find_last_of('/');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return path + "_lr" + rate;
    return path.substr(0, dot) + "_lr" + rate + path.substr(dot);
}

int cmd_train(int argc, char** argv) {
    for (int i = 2; i < argc; ++i)
        if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
            std::cout << kTrainHelp;
            return 0;
        }
    Flags f = Flags::parse(argc, argv, 2,
                           {"--train", "--train-labels", "--test", "--test-labels", "--label", "--layers",
                            "--hidden-activation", "--output", "--init", "--seed", "--lr", "--iterations",
                            "--eval-every", "--threads", "--history", "--plot"},
                           {"--quiet", "--dense"});
    if (!f.has("--train")) usage_error("train: --train FILE is required (see nn train --help)");
    if (f.has("--test-labels") && !f.has("--test")) usage_error("--test-labels goes with --test FILE (the test images)");
    // Check every flag before any work is done.
    std::vector<std::size_t> layers = parse_layers(f.get("--layers", "400,25,10"));
    Activation hidden = parse_activation(f.get("--hidden-activation", "sigmoid"));
    Output output = parse_output(f.get("--output", "softmax"));
    Init init = parse_init(f.get("--init", "small"));
    long seed = parse_long("--seed", f.get("--seed", "1"));
    if (seed < 0 || seed > 4294967295L) usage_error("--seed must be in [0, 2^32 - 1], got " + std::to_string(seed));
    std::vector<double> rates = parse_rates(f.get("--lr", "1"));
    const int iterations = parse_count("--iterations", f.get("--iterations", "300"), std::numeric_limits<int>::max());
    long eval_every = parse_long("--eval-every", f.get("--eval-every", "0"));
    if (eval_every < 0 || eval_every > std::numeric_limits<int>::max())
        usage_error("--eval-every must be 0 (only at the end) or a number of iterations, got " + std::to_string(eval_every));
    if (f.has("--threads")) set_threads(parse_count("--threads", f.get("--threads", "1"), 1024));
    for (const char* out_flag : {"--history", "--plot"})
        if (f.has(out_flag)) {
            std::filesystem::path p(f.get(out_flag, ""));
            if (p.has_parent_path() && !std::filesystem::is_directory(p.parent_path()))
                usage_error(std::string(out_flag) + ": directory " + p.parent_path().string() + " does not exist");
            if (std::filesystem::is_directory(p))
                usage_error(std::string(out_flag) + ": " + p.string() + " is a directory; give a file name in it");
        }
    const std::string label = f.get("--label", "y");
    Dataset train_set = load_data(f.get("--train", ""), f.get("--train-labels", ""), label, "--train");
    Dataset test_set;
    const bool has_test = f.has("--test");
    if (has_test) test_set = load_data(f.get("--test", ""), f.get("--test-labels", ""), label, "--test");
    if (layers.front() != train_set.n_features())
        usage_error("--layers starts with " + std::to_string(layers.front()) + " inputs but " + f.get("--train", "") + " has " +
                    std::to_string(train_set.n_features()) + " features per example");
    if (has_test && test_set.n_features() != train_set.n_features())
        usage_error("--test has " + std::to_string(test_set.n_features()) + " features but --train has " +
                    std::to_string(train_set.n_features()));
    int max_label = 0;
    for (const std::vector<int>* ys : {&train_set.y, &test_set.y})
        for (int v : *ys) max_label = std::max(max_label, v);
    const std::size_t n_out = layers.back();
    if (n_out == 1 ? max_label > 1 : static_cast<std::size_t>(max_label) >= n_out)
        usage_error("--layers ends with " + std::to_string(n_out) + " output unit(s) but the labels go up to " +
                    std::to_string(max_label) + (n_out == 1 ? " (one unit needs 0/1 labels)" : ""));
    check_memory(f.get("--layers", "400,25,10"), layers, std::max(train_set.n_examples(), test_set.n_examples()));

    std::cout << "network " << layers_string(layers) << ", hidden " << activation_name(hidden) << ", output "
              << output_name(output) << ", init " << init_name(init) << " (seed " << seed << "), " << iterations
              << (iterations == 1 ? " iteration" : " iterations") << ", m = " << train_set.n_examples()
              << ", gemm kernel " << gemm_kernel_name(active_gemm_kernel()) << ", element-wise " << simd_level_name(active_simd_level()) << ", " << max_threads() << " thread(s)\n";
    std::vector<TrainResult> results;
    for (double lr : rates) {
        Random rng(static_cast<std::uint32_t>(seed));
        Model model = make_model(layers, hidden, output, init, rng);
        TrainOptions opt;
        opt.learning_rate = lr;
        opt.iterations = iterations;
        opt.eval_every = static_cast<int>(eval_every);
        opt.progress = !f.has("--quiet");
        opt.label = "lr " + fmt("%g", lr);
        opt.sparse_input = !f.has("--dense");
        results.push_back(train(model, train_set.X, train_set.y, has_test ? &test_set.X : nullptr,
                                has_test ? &test_set.y : nullptr, opt));
    }
    const std::string note = sparse_input_note(results.front());
    if (!note.empty()) std::cout << "\n" << note << " (--dense: do not)\n";
    std::cout << "\n" << learning_rate_table(rates, results, has_test);
    if (f.has("--history"))
        for (std::size_t k = 0; k < rates.size(); ++k) {
            std::string path = history_path_for(f.get("--history", ""), rates[k], rates.size() > 1);
            write_history_csv(path, results[k].history);
            std::cout << "history: " << path << "\n";
        }
    if (f.has("--plot")) {
        LineChart chart = cost_history_chart("Cost vs iterations (" + layers_string(layers) + ")", "cost J", rates, results);
        save_svg(f.get("--plot", ""), render_line_chart(chart));
        std::cout << "plot: " << f.get("--plot", "") << "\n";
    }
    return 0;
}

}  // namespace

int cli_main(int argc, char** argv) {
    try {
        std::string cmd = argc > 1 ? argv[1] : "";
        if (cmd.empty() || cmd == "--help" || cmd == "-h" || cmd == "help") {
            std::cout << kMainHelp;
            return cmd.empty() ? 2 : 0;
        }
        if (cmd == "train") return cmd_train(argc, argv);
        if (cmd == "demo") return demo_main(argc, argv);
        usage_error("unknown command '" + cmd + "' (commands: train, demo; see nn --help)");
    } catch (const std::bad_alloc&) {
        std::cerr << "nn: error: out of memory: the network or the data is too large for this machine\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "nn: error: " << e.what() << "\n";
        return 2;
    }
}

}  // namespace nn
