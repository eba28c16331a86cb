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

// Σ_{i < n} term(i), for sums whose terms are costly (a log each, as in a cross-entropy):
// the terms are added in blocks of 4096 that threads share, then the block sums in order, so
// the result is the same whatever the thread count.
template <class Term>
double parallel_sum(std::size_t n, Term term) {
    const std::size_t block = 4096;
    const std::ptrdiff_t blocks = static_cast<std::ptrdiff_t>((n + block - 1) / block);
    std::vector<double> part(static_cast<std::size_t>(blocks), 0.0);
    NN_PARALLEL_FOR_FROM(n, 2 * block)
    for (std::ptrdiff_t b = 0; b < blocks; ++b) {
        const std::size_t lo = static_cast<std::size_t>(b) * block, hi = std::min(n, lo + block);
        double s = 0;
        for (std::size_t i = lo; i < hi; ++i) s += term(i);
        part[static_cast<std::size_t>(b)] = s;
    }
    double total = 0;
    for (double s : part) total += s;
    return total;
}

// How many threads parallel regions use (1 without OpenMP).
int max_threads();
// Set the thread count for everything the library does (nn train --threads N).
void set_threads(int n);

}  // namespace nn
