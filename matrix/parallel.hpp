// OpenMP helpers that compile away when OpenMP is off (make OPENMP=0).
//
//   NN_PARALLEL_FOR(n)   put before a `for` loop over n independent elements: the loop is
//                        split across threads when n is large enough to pay for it
//                        (below ~64k elements, waking the threads costs more than the work).
//   NN_PARALLEL_FOR_FROM(n, min)   the same with another threshold, for loops that do more
//                        work per element (an exp costs some 20 additions: 8k elements).
#pragma once
#include <algorithm>
#include <cstddef>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#define NN_PRAGMA(x) _Pragma(#x)
#define NN_PARALLEL_FOR_FROM(n, min) NN_PRAGMA(omp parallel for schedule(static) if ((n) >= (min)))
#else
#define NN_PARALLEL_FOR_FROM(n, min)
#endif
#define NN_PARALLEL_FOR(n) NN_PARALLEL_FOR_FROM(n, 65536)

namespace nn {

// Σ of block_sum(lo, hi) over the blocks [0, 4096), [4096, 8192), ... of [0, n): threads share
// the blocks, and the block sums are then added in order, so the result is the same whatever
// the thread count. For sums whose terms are costly (a log each, as in a cross-entropy).
constexpr std::size_t kSumBlock = 4096;  // the block of parallel_block_sum

template <class BlockSum>
double parallel_block_sum(std::size_t n, BlockSum block_sum) {
    const std::size_t block = kSumBlock;
    const std::ptrdiff_t blocks = static_cast<std::ptrdiff_t>((n + block - 1) / block);
    std::vector<double> part(static_cast<std::size_t>(blocks), 0.0);
    NN_PARALLEL_FOR_FROM(n, 2 * block)
    for (std::ptrdiff_t b = 0; b < blocks; ++b) {
        const std::size_t lo = static_cast<std::size_t>(b) * block;
        part[static_cast<std::size_t>(b)] = block_sum(lo, std::min(n, lo + block));
    }
    double total = 0;
    for (double s : part) total += s;
    return total;
}

// Σ_{i < n} term(i), in the blocks of parallel_block_sum.
template <class Term>
double parallel_sum(std::size_t n, Term term) {
    return parallel_block_sum(n, [&](std::size_t lo, std::size_t hi) {
        double s = 0;
        for (std::size_t i = lo; i < hi; ++i) s += term(i);
        return s;
    });
}

// How many threads parallel regions use (1 without OpenMP).
int max_threads();
// Set the thread count for everything the library does (nn train --threads N).
void set_threads(int n);

}  // namespace nn
