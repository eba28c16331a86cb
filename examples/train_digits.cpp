// The README's "use the library from your own program" example: train the assignment's
// network on the bundled digits and report the test accuracy.
// Build (after `make`):  g++ -std=c++17 -O2 -I. examples/train_digits.cpp build/libnn.a -fopenmp -o train_digits
// Run from the repository root (it reads data/).
#include <cstdio>

#include "matrix/io.hpp"
#include "nn/deep_network.hpp"
#include "nn/losses.hpp"
#include "nn/train.hpp"

int main() {
    nn::Dataset train = nn::load_csv_dataset("data/digits20_train.csv");  // X is (400, 4000)
    nn::Dataset test = nn::load_csv_dataset("data/digits20_test.csv");
    nn::Random rng(1);  // np.random.seed(1)
    nn::Model model = nn::make_model({400, 25, 10}, nn::Activation::Sigmoid, nn::Output::Softmax, nn::Init::Small, rng);
    nn::TrainOptions opt;
    opt.learning_rate = 1.0;
    opt.iterations = 300;
    nn::TrainResult r = nn::train(model, train.X, train.y, &test.X, &test.y, opt);
    std::printf("cost %.6f, train accuracy %.2f%%, test accuracy %.2f%%, %.2f ms per iteration\n", r.final_cost,
                100 * r.train_accuracy, 100 * r.dev_accuracy, r.ms_per_iteration());
    return r.dev_accuracy > 0.85 ? 0 : 1;
}
