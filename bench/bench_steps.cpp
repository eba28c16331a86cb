// bench/bench_steps.cpp — where one training iteration of the assignment's network goes.
//
// The iteration of nn::train (model_forward, compute_cost, model_backward, update_parameters)
// for the 400-25-10 network on the 4000 training digits, written out step by step with the
// same library calls, each step timed on its own. Like nn::train, it lists X's nonzeros once
// when X is mostly zeros and computes W1·X and dZ1·Xᵀ from them; the dense products are
// timed as well, in brackets, for comparison (outside the sum). One and two threads take turns iteration by
// iteration, so that a slow spell of a shared machine hits both alike; medians are printed.
// The whole iteration, as nn::train runs it, is timed too: the steps should add up to it.
//
// usage: build/bench_steps [ITERATIONS] [TRAIN.csv]     (defaults: 200, data/digits20_train.csv)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "matrix/io.hpp"
#include "matrix/parallel.hpp"
#include "matrix/sparse.hpp"
#include "nn/activations.hpp"
#include "nn/deep_network.hpp"
#include "nn/losses.hpp"
#include "nn/softmax.hpp"
#include "nn/train.hpp"

namespace {

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

struct Step {
    std::string name;
    double flops = 0;                  // for the matrix products, to print GFLOP/s
    bool in_sum = true;                // false: shown for comparison, not a step of the iteration
    std::vector<double> seconds[3];    // by thread count
};

// Times `code` as the step `index` of the table (created on first use).
template <class F>
void timed(std::vector<Step>& steps, std::size_t index, const char* name, double flops, int threads, F code,
           bool in_sum = true) {
    if (steps.size() <= index) steps.push_back({name, flops, in_sum, {}});
    const double t0 = now();
    code();
    steps[index].seconds[threads].push_back(now() - t0);
}

// name padded with spaces to `width` characters as they are seen (·, ᵀ take several bytes)
std::string padded(const std::string& name, std::size_t width) {
    std::size_t seen = 0;
    for (unsigned char c : name) seen += (c & 0xC0) != 0x80;  // count the first byte of each character
    return name + std::string(width > seen ? width - seen : 0, ' ');
}

double median_ms(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return 1e3 * v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    const int iterations = argc > 1 ? std::atoi(argv[1]) : 200;
    const std::string path = argc > 2 ? argv[2] : "data/digits20_train.csv";
    if (iterations <= 0) {
        std::fprintf(stderr, "usage: bench_steps [ITERATIONS > 0] [TRAIN.csv]\n");
        return 2;
    }
    nn::Dataset data;
    try {
        data = nn::load_csv_dataset(path);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_steps: %s (run from the repository root)\n", e.what());
        return 2;
    }
    const nn::Matrix& X = data.X;
    const nn::Matrix Y = nn::targets_for(data.y, 10);
    const double m = static_cast<double>(X.cols()), lr = 0.5;
    nn::Random rng(1);
    nn::Model model = nn::make_model({X.rows(), 25, 10}, nn::Activation::Sigmoid, nn::Output::Softmax, nn::Init::Small, rng);
    nn::Parameters& p = model.params;
    const double n_x = static_cast<double>(X.rows());
    // As nn::train does: X's nonzeros listed once (when X is mostly zeros, as the digits are),
    // for W1·X and dZ1·Xᵀ. The dense products are timed too, for comparison.
    const bool sparse = nn::mostly_zeros(X);
    const nn::SparseMatrix Xs = sparse ? nn::SparseMatrix(X) : nn::SparseMatrix();
    auto dZ1_Xt = [&](const nn::Matrix& dZ1) { return sparse ? nn::matmul(dZ1, Xs.T()) : nn::matmul(dZ1, X.T()); };
    const int max_t = std::min(2, nn::max_threads());

    std::vector<Step> steps;
    std::vector<double> whole[3];
    volatile double sink = 0;
    for (int it = 0; it < iterations * max_t; ++it) {
        const int t = 1 + it % max_t;
        nn::set_threads(t);
        nn::Matrix Z1, A1, Z2, A2, dZ2, dW2, db2, dA1, dZ1, dW1, db1;
        double cost = 0;  // (added to sink below, so that no step can be optimized away)
        std::size_t k = 0;
        if (sparse) {  // as linear_forward does it: b1 added as each sum of W1·X is written
            timed(steps, k++, "Z1 = W1·X + b1 (X's nonzeros)", 2 * 25 * n_x * m, t,
                  [&] { Z1 = nn::matmul_plus_bias(p.W[1], Xs, p.b[1]); });
        } else {
            timed(steps, k++, "Z1 = W1·X", 2 * 25 * n_x * m, t, [&] { Z1 = nn::matmul(p.W[1], X); });
            timed(steps, k++, "Z1 += b1", 0, t, [&] { Z1 += p.b[1]; });
        }
        timed(steps, k++, "A1 = sigmoid(Z1)", 0, t, [&] { A1 = nn::activation_forward(Z1, nn::Activation::Sigmoid); });
        timed(steps, k++, "Z2 = W2·A1", 2 * 10 * 25 * m, t, [&] { Z2 = nn::matmul(p.W[2], A1); });
        timed(steps, k++, "Z2 += b2", 0, t, [&] { Z2 += p.b[2]; });
        timed(steps, k++, "A2 = softmax(Z2)", 0, t, [&] { A2 = nn::softmax(Z2); });
        timed(steps, k++, "cost J", 0, t, [&] { cost = nn::softmax_cross_entropy(A2, Y); });
        timed(steps, k++, "dZ2 = A2 - Y", 0, t, [&] { dZ2 = A2 - Y; });
        timed(steps, k++, "dW2 = dZ2·A1ᵀ / m", 2 * 10 * 25 * m, t, [&] { dW2 = nn::matmul(dZ2, A1.T()); dW2 *= 1.0 / m; });
        timed(steps, k++, "db2 = row sums of dZ2 / m", 0, t, [&] { db2 = nn::sum(dZ2, 1) / m; });
        timed(steps, k++, "dA1 = W2ᵀ·dZ2", 2 * 10 * 25 * m, t, [&] { dA1 = nn::matmul(p.W[2].T(), dZ2); });
        timed(steps, k++, "dZ1 = dA1 * A1(1 - A1)", 0, t,
              [&] { dZ1 = nn::activation_backward(dA1, Z1, A1, nn::Activation::Sigmoid); });
        timed(steps, k++, sparse ? "dW1 = dZ1·Xᵀ / m (nonzeros)" : "dW1 = dZ1·Xᵀ / m", 2 * 25 * n_x * m, t, [&] {
            dW1 = dZ1_Xt(dZ1);
            dW1 *= 1.0 / m;
        });
        timed(steps, k++, "db1 = row sums of dZ1 / m", 0, t, [&] { db1 = nn::sum(dZ1, 1) / m; });
        timed(steps, k++, "update W, b", 0, t, [&] {
            p.W[1] -= lr * dW1;
            p.b[1] -= lr * db1;
            p.W[2] -= lr * dW2;
            p.b[2] -= lr * db2;
        });
        if (sparse) {  // the dense products, for comparison (not in the sum)
            nn::Matrix Zd, dWd;
            timed(steps, k++, "(W1·X, dense)", 2 * 25 * n_x * m, t, [&] { Zd = nn::matmul(p.W[1], X); }, false);
            timed(steps, k++, "(dZ1·Xᵀ, dense)", 2 * 25 * n_x * m, t, [&] { dWd = nn::matmul(dZ1, X.T()); }, false);
            sink = sink + Zd(0, 0) + dWd(0, 0);
        }
        const double t0 = now();  // the same iteration as nn::train runs it
        nn::ForwardPass fwd = nn::model_forward(X, model, sparse ? &Xs : nullptr);
        cost += nn::compute_cost(fwd.AL(), Y, model.output);
        nn::Gradients g = nn::model_backward(fwd, Y, model);
        nn::update_parameters(p, g, lr);
        whole[t].push_back(now() - t0);
        sink = sink + cost;
    }

    std::printf("one training iteration of the 400-25-10 network on %zu digits, step by step: ms (median of %d)\n",
                X.cols(), iterations);
    const int w = 30;  // the width of the step names' column
    std::printf("%-*s %10s %8s %10s", w, "step", "1 thread", "share", "GFLOP/s");
    if (max_t == 2) std::printf(" %10s %8s", "2 threads", "speed-up");
    std::printf("\n");
    double sum[3] = {0, 0, 0};
    for (const Step& s : steps)
        for (int t = 1; t <= max_t; ++t) sum[t] += s.in_sum ? median_ms(s.seconds[t]) : 0.0;
    for (const Step& s : steps) {
        const double t1 = median_ms(s.seconds[1]);
        if (s.in_sum) std::printf("%s %10.3f %7.1f%%", padded(s.name, w).c_str(), t1, 100 * t1 / sum[1]);
        else std::printf("%s %10.3f %8s", padded(s.name, w).c_str(), t1, "");
        if (s.flops > 0) std::printf(" %10.1f", s.flops / (t1 * 1e-3) / 1e9);
        else std::printf(" %10s", "");
        if (max_t == 2) std::printf(" %10.3f %7.2fx", median_ms(s.seconds[2]), t1 / median_ms(s.seconds[2]));
        std::printf("\n");
    }
    std::printf("%-*s %10.3f %8s %10s", w, "sum of the steps", sum[1], "", "");
    if (max_t == 2) std::printf(" %10.3f %7.2fx", sum[2], sum[1] / sum[2]);
    std::printf("\n%-*s %10.3f %8s %10s", w, "the iteration as nn::train", median_ms(whole[1]), "", "");
    if (max_t == 2) std::printf(" %10.3f %7.2fx", median_ms(whole[2]), median_ms(whole[1]) / median_ms(whole[2]));
    std::printf("\n");
    return 0;
}
