// nn/train.hpp — full-batch gradient descent with a history, a progress bar and a tripwire.
//
// CMPE 258 "Deep Neural Network", slide "Model optimizing procedure": initialize, then
// repeat { 1. forward pass, 2. cost, 3. backward pass, 4. parameter update }.
//   * the cost is recorded at every iteration (before that iteration's update);
//   * train and dev accuracy every `eval_every` iterations and at the end;
//   * a progress bar on stderr when stderr is a terminal (quiet otherwise);
//   * a NaN or infinite cost stops training with DivergenceError naming the iteration,
//     the learning rate and the first layer whose values went bad.
#pragma once
#include <cmath>
#include <string>
#include <vector>

#include "nn/deep_network.hpp"
#include "nn/plot.hpp"

namespace nn {

struct TrainOptions {
    double learning_rate = 1.0;
    int iterations = 300;
    int eval_every = 0;          // 0: accuracy only at the end
    bool progress = true;        // progress bar (only drawn when stderr is a terminal)
    std::string label;           // shown in front of the progress bar
    // When X is mostly zeros (matrix/sparse.hpp: mostly_zeros), list its nonzeros once and let
    // W[1]·X and dZ[1]·Xᵀ skip the zeros: the same results up to rounding, 1.6-1.9x faster
    // products for the digits. false: always the dense products (to compare).
    bool sparse_input = true;
};

struct HistoryRow {
    int iteration = 0;
    double cost = NAN;
    double train_accuracy = NAN;  // NaN where not evaluated
    double dev_accuracy = NAN;
};

struct TrainResult {
    std::vector<HistoryRow> history;
    double seconds_training = 0;  // forward + backward + update (and listing X's nonzeros), no evaluation
    double input_density = NAN;   // the share of X's entries that are nonzero, when the sparse path was taken
    double final_cost = NAN, train_accuracy = NAN, dev_accuracy = NAN;
    double ms_per_iteration() const;
};

// Trains model in place on (X, y); X_dev / y_dev may be null.
TrainResult train(Model& model, const Matrix& X, const std::vector<int>& y, const Matrix* X_dev,
                  const std::vector<int>* y_dev, const TrainOptions& options);

// The one-hot (K > 1) or 0/1 row (K = 1) target matrix Y for labels y and an output of n_y units.
Matrix targets_for(const std::vector<int>& y, std::size_t n_y);

// "X is 72.8% zeros: W[1]·X and dZ[1]·Xᵀ skipped them" when the run listed X's nonzeros, else "".
std::string sparse_input_note(const TrainResult& result);

// history CSV: iteration,cost[,train_accuracy][,dev_accuracy]; empty cells where not evaluated.
void write_history_csv(const std::string& path, const std::vector<HistoryRow>& history);

// The end-of-run table, one row per learning rate: learning rate, final cost, train accuracy,
// test accuracy ("-" without test data), ms per iteration.
std::string learning_rate_table(const std::vector<double>& rates, const std::vector<TrainResult>& results, bool has_test);

// Cost against iterations, one curve per learning rate (the assignment's plot).
LineChart cost_history_chart(const std::string& title, const std::string& y_label, const std::vector<double>& rates,
                             const std::vector<TrainResult>& results);

// A progress bar on stderr: "label [#########.........]  150/300  cost 0.5123" (terminal only).
class ProgressBar {
public:
    ProgressBar(std::string label, int total, bool enabled);
    void update(int done, double cost);
    void finish();

private:
    std::string label_;
    int total_;
    bool enabled_;
    double last_draw_ = -1;
};

}  // namespace nn
