// OpenMP helpers that compile away when OpenMP is off (make OPENMP=0).
//
//   NN_PARALLEL_FOR(n)   put before a `for` loop over n independent elements: the loop is
//                        split across threads when n is large enough to pay for it
//                        (below ~64k elements, waking the threads costs more than the work).
//   NN_PARALLEL_FOR_FROM(n, min)   the same with another threshold, for loops that do more
//                        work per element (an exp costs some 20 additions: 8k elements).
#pragma once
#include <cstddef>

#ifdef _OPENMP
#include <omp.h>
#define NN_PRAGMA(x) _Pragma(#x)
#define NN_PARALLEL_FOR_FROM(n, min) NN_PRAGMA(omp parallel for schedule(static) if ((n) >= (min)))
#else
#define NN_PARALLEL_FOR_FROM(n, min)
#endif
#define NN_PARALLEL_FOR(n) NN_PARALLEL_FOR_FROM(n, 65536)

namespace nn {

// How many threads parallel regions use (1 without OpenMP).
int max_threads();
// Set the thread count for everything the library does (nn train --threads N).
void set_threads(int n);

}  // namespace nn
