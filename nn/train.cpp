// nn/train.cpp — see train.hpp.
#include "nn/train.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <sstream>
#include <unistd.h>

#include "matrix/io.hpp"
#include "nn/losses.hpp"
#include "nn/table.hpp"

namespace nn {

namespace {
double now_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string format_number(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

// The first layer whose Z or A holds NaN/Inf, for the divergence message.
std::string first_bad_layer(const ForwardPass& fwd) {
    for (std::size_t l = 1; l < fwd.caches.size(); ++l)
        if (has_nan_or_inf(fwd.caches[l].Z) || has_nan_or_inf(fwd.caches[l].A))
            return "; first non-finite values in layer " + std::to_string(l);
    return "";
}
}  // namespace

double TrainResult::ms_per_iteration() const {
    return history.empty() ? 0 : 1e3 * seconds_training / static_cast<double>(history.size());
}

Matrix targets_for(const std::vector<int>& y, std::size_t n_y) {
    return n_y == 1 ? binary_targets(y) : one_hot(y, n_y);  // one sigmoid output: 0/1 labels
}

TrainResult train(Model& model, const Matrix& X, const std::vector<int>& y, const Matrix* X_dev,
                  const std::vector<int>* y_dev, const TrainOptions& opt) {
    if (!(opt.learning_rate > 0) || !std::isfinite(opt.learning_rate))
        throw ValueError("learning rate must be a positive number, got " + format_number(opt.learning_rate));
    if (opt.iterations <= 0) throw ValueError("number of iterations must be positive, got " + std::to_string(opt.iterations));
    if (opt.eval_every < 0) throw ValueError("eval_every must be 0 (only at the end) or positive, got " + std::to_string(opt.eval_every));
    if (X.cols() == 0) throw ShapeError("train: no training examples (X has shape " + X.shape() + ")");
    if (y.size() != X.cols())
        throw ShapeError("train: " + std::to_string(y.size()) + " labels for " + std::to_string(X.cols()) + " examples");
    if ((X_dev == nullptr) != (y_dev == nullptr)) throw ValueError("train: X_dev and y_dev go together (give both or neither)");
    if (X_dev && y_dev->size() != X_dev->cols())
        throw ShapeError("train: " + std::to_string(y_dev->size()) + " dev labels for " + std::to_string(X_dev->cols()) +
                         " dev examples");
    const Matrix Y = targets_for(y, model.layer_dims.back());
    TrainResult result;
    ProgressBar bar(opt.label, opt.iterations, opt.progress);
    auto evaluate = [&](HistoryRow& row) {
        row.train_accuracy = accuracy(predict_proba(X, model), y);
        if (X_dev && y_dev) row.dev_accuracy = accuracy(predict_proba(*X_dev, model), *y_dev);
    };
    // X does not change while the network learns: when it is mostly zeros (the digits'
    // background), list its nonzeros once, so that W[1]·X and dZ[1]·Xᵀ skip the zeros.
    // The time this takes (a few ms) is counted as training time.
    std::optional<SparseMatrix> X_sparse;
    const double t_sparse = now_seconds();
    if (opt.sparse_input && mostly_zeros(X)) {
        X_sparse.emplace(X);
        result.input_density = X_sparse->density();
    }
    result.seconds_training += now_seconds() - t_sparse;
    for (int i = 0; i < opt.iterations; ++i) {
        const double t0 = now_seconds();
        ForwardPass fwd = model_forward(X, model, X_sparse ? &*X_sparse : nullptr);  // 1. forward pass
        HistoryRow row;
        row.iteration = i;
        row.cost = compute_cost(fwd.AL(), Y, model.output);               // 2. cost
        if (!std::isfinite(row.cost)) {
            bar.finish();
            throw DivergenceError("training diverged at iteration " + std::to_string(i) + " with learning rate " +
                                  format_number(opt.learning_rate) + ": the cost is " + format_number(row.cost) +
                                  first_bad_layer(fwd) + " (try a smaller learning rate)");
        }
        Gradients grads = model_backward(fwd, Y, model);                  // 3. backward pass
        update_parameters(model.params, grads, opt.learning_rate);       // 4. update
        result.seconds_training += now_seconds() - t0;
        if (opt.eval_every > 0 && i % opt.eval_every == 0) evaluate(row);
        result.history.push_back(row);
        bar.update(i + 1, row.cost);
    }
    bar.finish();
    HistoryRow& last = result.history.back();
    evaluate(last);  // accuracy of the trained model (after the last update)
    result.final_cost = last.cost;
    result.train_accuracy = last.train_accuracy;
    result.dev_accuracy = last.dev_accuracy;
    return result;
}

std::string sparse_input_note(const TrainResult& result) {
    if (std::isnan(result.input_density)) return "";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", 100 * (1 - result.input_density));
    return "X is " + std::string(buf) + "% zeros: W[1]·X and dZ[1]·Xᵀ skipped them";
}

void write_history_csv(const std::string& path, const std::vector<HistoryRow>& history) {
    bool has_train = false, has_dev = false;
    for (const HistoryRow& r : history) {
        has_train |= !std::isnan(r.train_accuracy);
        has_dev |= !std::isnan(r.dev_accuracy);
    }
    std::string out = "iteration,cost";
    if (has_train) out += ",train_accuracy";
    if (has_dev) out += ",dev_accuracy";
    out += "\n";
    char buf[64];
    for (const HistoryRow& r : history) {
        std::snprintf(buf, sizeof buf, "%d,%.17g", r.iteration, r.cost);
        out += buf;
        for (auto [present, value] : {std::pair{has_train, r.train_accuracy}, std::pair{has_dev, r.dev_accuracy}}) {
            if (!present) continue;
            if (std::isnan(value)) {
                out += ",";
            } else {
                std::snprintf(buf, sizeof buf, ",%.6f", value);
                out += buf;
            }
        }
        out += "\n";
    }
    write_file_atomic(path, out);
}

std::string learning_rate_table(const std::vector<double>& rates, const std::vector<TrainResult>& results, bool has_test) {
    std::vector<std::vector<std::string>> rows;
    for (std::size_t k = 0; k < rates.size() && k < results.size(); ++k) {
        const TrainResult& r = results[k];
        rows.push_back({fmt("%g", rates[k]), fmt("%.6f", r.final_cost), fmt("%.2f%%", 100 * r.train_accuracy),
                        has_test ? fmt("%.2f%%", 100 * r.dev_accuracy) : "-", fmt("%.3f", r.ms_per_iteration())});
    }
    return format_table({"learning rate", "final cost", "train accuracy", "test accuracy", "ms/iteration"}, rows);
}

LineChart cost_history_chart(const std::string& title, const std::string& y_label, const std::vector<double>& rates,
                             const std::vector<TrainResult>& results) {
    LineChart chart;
    chart.title = title;
    chart.x_label = "iteration";
    chart.y_label = y_label;
    for (std::size_t k = 0; k < rates.size() && k < results.size(); ++k) {
        Series s;
        s.name = "lr = " + fmt("%g", rates[k]);
        for (const HistoryRow& h : results[k].history) {
            s.x.push_back(h.iteration);
            s.y.push_back(h.cost);
        }
        chart.series.push_back(s);
    }
    return chart;
}

// ---- progress bar ---------------------------------------------------------------------

ProgressBar::ProgressBar(std::string label, int total, bool enabled)
    : label_(std::move(label)), total_(total), enabled_(enabled && isatty(2)) {}

void ProgressBar::update(int done, double cost) {
    if (!enabled_) return;
    double t = now_seconds();
    if (done < total_ && t - last_draw_ < 0.1) return;  // redraw at most 10 times a second
    last_draw_ = t;
    const int width = 30, filled = total_ ? done * width / total_ : width;
    std::fprintf(stderr, "\r%s [%s%s] %d/%d  cost %.6f ", label_.c_str(), std::string(filled, '#').c_str(),
                 std::string(width - filled, '.').c_str(), done, total_, cost);
    std::fflush(stderr);
}

void ProgressBar::finish() {
    if (!enabled_ || last_draw_ < 0) return;
    std::fprintf(stderr, "\r%*s\r", 80 + static_cast<int>(label_.size()), "");
    std::fflush(stderr);
    last_draw_ = -1;
}

}  // namespace nn
