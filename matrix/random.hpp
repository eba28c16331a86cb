// matrix/random.hpp — a random generator that reproduces numpy's legacy np.random bit for bit.
//
// The course's code calls np.random.seed(1) and then np.random.randn(...) to initialize
// weights, np.random.permutation(m) to shuffle mini-batches and np.random.rand(...) for
// dropout masks. Random gives the same numbers in the same order, so a seeded C++ run can
// be replayed in numpy and compared number by number:
//   * the generator is MT19937, seeded like np.random.seed(s) (Knuth's init_genrand);
//   * rand: two 32-bit draws a and b give ((a >> 5)·2^26 + (b >> 6)) / 2^53, in [0, 1);
//   * randn: the polar Box–Muller method, which makes normals in pairs: the second one is
//     cached and returned by the next call (numpy's legacy "gauss" state);
//   * permutation / shuffle: Fisher–Yates from the end, each index drawn by masked
//     rejection sampling from 32-bit draws (numpy's legacy random_interval).
// Matrices are filled row by row (numpy's C order).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "matrix/matrix.hpp"

namespace nn {

class Random {
public:
    explicit Random(std::uint32_t seed = 0) { this->seed(seed); }

    // np.random.seed(s)
    void seed(std::uint32_t s);

    std::uint32_t next_uint32();   // one raw 32-bit MT19937 output
    double random_double();        // one uniform in [0, 1) (53 bits)
    double gauss();                // one standard normal (legacy polar method)
    std::size_t interval(std::size_t max);  // uniform integer in [0, max], masked rejection

    Matrix rand(std::size_t rows, std::size_t cols);    // np.random.rand(rows, cols)
    Matrix randn(std::size_t rows, std::size_t cols);   // np.random.randn(rows, cols)
    Matrix uniform(double low, double high, std::size_t rows, std::size_t cols);  // np.random.uniform
    std::vector<std::size_t> permutation(std::size_t n);  // np.random.permutation(n)
    void shuffle(std::vector<std::size_t>& values);       // np.random.shuffle(values)

private:
    void refill();
    std::uint32_t key_[624];
    int pos_ = 624;
    bool has_gauss_ = false;
    double gauss_ = 0.0;
};

}  // namespace nn
