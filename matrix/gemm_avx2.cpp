// AVX2 + FMA micro-kernel: a 3 x 16 tile of C in 12 ymm registers (3 rows x 4 vectors of
// 4 doubles), leaving 4 of the 16 registers for the B row and the A broadcast.
// Per step k: 4 loads, 3 broadcasts, 12 FMAs (96 flops). Measured against 4 x 12, 6 x 8 and
// 5 x 8 tiles: the best on squares and mini-batches (by up to 12%), and within 13% of the best
// on the training shapes (5 x 8, whose 5 rows fit 25 and 10 exactly, leads on W1·X and W2·A1).
#include "matrix/gemm_kernels.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

namespace nn {
namespace detail {
namespace {

constexpr std::size_t MR = 3, NR = 16;

__attribute__((target("avx2,fma"))) void kernel_avx2(std::size_t kc, const Sliver& s, double* C, std::size_t ldc,
                                                     double alpha, std::size_t mr, std::size_t nr, bool overwrite) {
    // The strides in locals and the two slivers walked by pointer: the loop is then loads,
    // broadcasts and FMAs only (read through `s`, GCC recomputed k·ldb with a multiply at
    // every step: 17-37% slower).
    const std::size_t rs = s.rs_a, cs = s.cs_a, ldb = s.ldb;
    const double* a = s.a;
    const double* b = s.b;
    __m256d c[MR][4];  // loops over the accumulators are fully unrolled: they stay in registers
#pragma GCC unroll 3
    for (std::size_t i = 0; i < MR; ++i)
#pragma GCC unroll 4
        for (std::size_t v = 0; v < 4; ++v) c[i][v] = _mm256_setzero_pd();
    for (std::size_t k = 0; k < kc; ++k, a += cs, b += ldb) {
        const __m256d b0 = _mm256_loadu_pd(b), b1 = _mm256_loadu_pd(b + 4);
        const __m256d b2 = _mm256_loadu_pd(b + 8), b3 = _mm256_loadu_pd(b + 12);
#pragma GCC unroll 3
        for (std::size_t i = 0; i < MR; ++i) {
            const __m256d ai = _mm256_broadcast_sd(a + i * rs);
            c[i][0] = _mm256_fmadd_pd(ai, b0, c[i][0]);
            c[i][1] = _mm256_fmadd_pd(ai, b1, c[i][1]);
            c[i][2] = _mm256_fmadd_pd(ai, b2, c[i][2]);
            c[i][3] = _mm256_fmadd_pd(ai, b3, c[i][3]);
        }
    }
    const __m256d alpha_v = _mm256_set1_pd(alpha);
    if (mr == MR && nr == NR) {
#pragma GCC unroll 3
        for (std::size_t i = 0; i < MR; ++i)
#pragma GCC unroll 4
            for (std::size_t v = 0; v < 4; ++v) {
                double* cp = C + i * ldc + v * 4;
                __m256d old = overwrite ? _mm256_setzero_pd() : _mm256_loadu_pd(cp);
                _mm256_storeu_pd(cp, _mm256_fmadd_pd(alpha_v, c[i][v], old));
            }
        return;
    }
    alignas(32) double tile[MR][NR];  // edge tile: spill, then add only the real part
#pragma GCC unroll 3
    for (std::size_t i = 0; i < MR; ++i)
#pragma GCC unroll 4
        for (std::size_t v = 0; v < 4; ++v) _mm256_store_pd(&tile[i][v * 4], c[i][v]);
    for (std::size_t i = 0; i < mr; ++i)
        for (std::size_t j = 0; j < nr; ++j) C[i * ldc + j] = alpha * tile[i][j] + (overwrite ? 0.0 : C[i * ldc + j]);
}

// Dot-product kernel (see gemm_kernels.hpp): 3 rows of A x 3 rows of B, 9 ymm vectors of
// 4 partial sums, plus the 3 B vectors and one A vector: 13 of the 16 registers.
constexpr std::size_t RA = 3, RB = 3;

__attribute__((target("avx2,fma"))) void dot_avx2(std::size_t kc, const double* const* a_rows,
                                                  const double* const* b_rows, double* acc, bool first) {
    __m256d c[RA][RB];
#pragma GCC unroll 3
    for (std::size_t r = 0; r < RA; ++r)
#pragma GCC unroll 3
        for (std::size_t s = 0; s < RB; ++s) c[r][s] = first ? _mm256_setzero_pd() : _mm256_loadu_pd(acc + (r * RB + s) * 4);
    const double *a0 = a_rows[0], *a1 = a_rows[1], *a2 = a_rows[2];
    const double *b0 = b_rows[0], *b1 = b_rows[1], *b2 = b_rows[2];
    for (std::size_t k = 0; k < kc; k += 4) {
        const __m256d b[RB] = {_mm256_loadu_pd(b0 + k), _mm256_loadu_pd(b1 + k), _mm256_loadu_pd(b2 + k)};
        const __m256d a[RA] = {_mm256_loadu_pd(a0 + k), _mm256_loadu_pd(a1 + k), _mm256_loadu_pd(a2 + k)};
#pragma GCC unroll 3
        for (std::size_t r = 0; r < RA; ++r)
#pragma GCC unroll 3
            for (std::size_t s = 0; s < RB; ++s) c[r][s] = _mm256_fmadd_pd(a[r], b[s], c[r][s]);
    }
#pragma GCC unroll 3
    for (std::size_t r = 0; r < RA; ++r)
#pragma GCC unroll 3
        for (std::size_t s = 0; s < RB; ++s) _mm256_storeu_pd(acc + (r * RB + s) * 4, c[r][s]);
}

}  // namespace

const KernelInfo* avx2_kernel_info() {
    // KC 256: a 256 x 16 sliver of B is 32 KiB (L1). MC 192 x 256 of A = 384 KiB (L2).
    // NC 1024 (64 slivers of 16), for a single MC block of A, as for AVX-512: 6-8% faster than
    // 4096 with 100 rows of A.
    // B in place for up to 32 rows of A (32 rows, N = 500-4000: 10-18% faster than packing B;
    // 48-64 rows: 0-24% slower), and up to 12 when B's rows are 2 KiB apart (N = 256-2048 in
    // powers of 2: with 16-25 rows packing is up to 1.5x faster, with 5-12 rows reading in
    // place is up to 1.7x faster).
    static const KernelInfo info{"avx2", kernel_avx2, MR, NR, 256, 192, 1024, 48, 32, 12, dot_avx2, RA, RB, 4,
                                 pack_rows_generic};
    return &info;
}

}  // namespace detail
}  // namespace nn

#else
namespace nn {
namespace detail {
const KernelInfo* avx2_kernel_info() { return nullptr; }
}  // namespace detail
}  // namespace nn
#endif
