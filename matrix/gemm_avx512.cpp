// AVX-512 micro-kernel: a 5 x 32 tile of C held in 20 zmm registers (5 rows x 4 vectors
// of 8 doubles), leaving 12 of the 32 registers for the B row and the broadcast A value.
// Per step k it loads one 32-wide row of B̃ (4 vectors), broadcasts each of the 5 values of
// Ã, and does 20 fused multiply-adds: 320 flops for 9 loads, so the two FMA units, not the
// load ports, set the pace. Why 5 rows: the course's layers have 25 hidden units and 10
// classes, both multiples of 5, so the products of training waste no rows (with 4 or 6
// rows, 25 leaves a ragged sliver that costs a whole kernel call); measured here, 5 rows
// beat 4 and 6 on the training shapes and tie on squares.
// Compiled for AVX-512 with a function attribute; gemm.cpp only calls it when the CPU
// reports avx512f at run time.
#include "matrix/gemm_kernels.hpp"

#include <algorithm>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

namespace nn {
namespace detail {
namespace {

constexpr std::size_t MR = 5, NR = 32;

__attribute__((target("avx512f"))) void kernel_avx512(std::size_t kc, const Sliver& s, double* C, std::size_t ldc,
                                                      double alpha, std::size_t mr, std::size_t nr, bool overwrite) {
    const std::size_t rs = s.rs_a, cs = s.cs_a, ldb = s.ldb;
    // C is only touched after the k loop; ask for its lines now so they arrive meanwhile
    // (a large C does not fit in cache, and waiting for it would stall every call).
    if (!overwrite)
        for (std::size_t i = 0; i < mr; ++i)
            for (std::size_t j = 0; j < nr; j += 8) _mm_prefetch(reinterpret_cast<const char*>(C + i * ldc + j), _MM_HINT_T0);
    // The 20 accumulators. Every loop over them below has constant bounds and is fully
    // unrolled, so the compiler keeps them in registers (no copy on the stack).
    __m512d c[MR][4];
#pragma GCC unroll 5
    for (std::size_t i = 0; i < MR; ++i)
#pragma GCC unroll 4
        for (std::size_t v = 0; v < 4; ++v) c[i][v] = _mm512_setzero_pd();
    for (std::size_t k = 0; k < kc; ++k) {
        const double* b = s.b + k * ldb;
        __m512d b0 = _mm512_loadu_pd(b), b1 = _mm512_loadu_pd(b + 8);
        __m512d b2 = _mm512_loadu_pd(b + 16), b3 = _mm512_loadu_pd(b + 24);
        const double* a = s.a + k * cs;
#pragma GCC unroll 5
        for (std::size_t i = 0; i < MR; ++i) {
            __m512d ai = _mm512_set1_pd(a[i * rs]);
            c[i][0] = _mm512_fmadd_pd(ai, b0, c[i][0]);
            c[i][1] = _mm512_fmadd_pd(ai, b1, c[i][1]);
            c[i][2] = _mm512_fmadd_pd(ai, b2, c[i][2]);
            c[i][3] = _mm512_fmadd_pd(ai, b3, c[i][3]);
        }
    }
    const __m512d alpha_v = _mm512_set1_pd(alpha);
    if (mr == MR && nr == NR) {  // full tile: C += alpha · acc, straight from registers
#pragma GCC unroll 5
        for (std::size_t i = 0; i < MR; ++i)
#pragma GCC unroll 4
            for (std::size_t v = 0; v < 4; ++v) {
                double* cp = C + i * ldc + v * 8;
                __m512d old = overwrite ? _mm512_setzero_pd() : _mm512_loadu_pd(cp);
                _mm512_storeu_pd(cp, _mm512_fmadd_pd(alpha_v, c[i][v], old));
            }
        return;
    }
    // Edge tile: spill the accumulators (constant indices, so they stay in registers until
    // here), then add only the real part of the tile to C.
    alignas(64) double tile[MR][NR];
#pragma GCC unroll 5
    for (std::size_t i = 0; i < MR; ++i)
#pragma GCC unroll 4
        for (std::size_t v = 0; v < 4; ++v) _mm512_store_pd(&tile[i][v * 8], c[i][v]);
    for (std::size_t i = 0; i < mr; ++i)
        for (std::size_t j = 0; j < nr; ++j)
            C[i * ldc + j] = alpha * tile[i][j] + (overwrite ? 0.0 : C[i * ldc + j]);
}

// Dot-product kernel (see gemm_kernels.hpp): 5 rows of A x 4 rows of B, 20 zmm vectors of
// 8 partial sums. Per 8 values of k: 9 loads and 20 FMAs, the same balance as the kernel above.
constexpr std::size_t RA = 5, RB = 4;

__attribute__((target("avx512f"))) void dot_avx512(std::size_t kc, const double* const* a_rows,
                                                   const double* const* b_rows, double* acc, bool first) {
    __m512d c[RA][RB];
#pragma GCC unroll 5
    for (std::size_t r = 0; r < RA; ++r)
#pragma GCC unroll 4
        for (std::size_t s = 0; s < RB; ++s) c[r][s] = first ? _mm512_setzero_pd() : _mm512_loadu_pd(acc + (r * RB + s) * 8);
    const double *a0 = a_rows[0], *a1 = a_rows[1], *a2 = a_rows[2], *a3 = a_rows[3], *a4 = a_rows[4];
    const double *b0 = b_rows[0], *b1 = b_rows[1], *b2 = b_rows[2], *b3 = b_rows[3];
    for (std::size_t k = 0; k < kc; k += 8) {
        const __m512d b[RB] = {_mm512_loadu_pd(b0 + k), _mm512_loadu_pd(b1 + k), _mm512_loadu_pd(b2 + k),
                               _mm512_loadu_pd(b3 + k)};
        const __m512d a[RA] = {_mm512_loadu_pd(a0 + k), _mm512_loadu_pd(a1 + k), _mm512_loadu_pd(a2 + k),
                               _mm512_loadu_pd(a3 + k), _mm512_loadu_pd(a4 + k)};
#pragma GCC unroll 5
        for (std::size_t r = 0; r < RA; ++r)
#pragma GCC unroll 4
            for (std::size_t s = 0; s < RB; ++s) c[r][s] = _mm512_fmadd_pd(a[r], b[s], c[r][s]);
    }
#pragma GCC unroll 5
    for (std::size_t r = 0; r < RA; ++r)
#pragma GCC unroll 4
        for (std::size_t s = 0; s < RB; ++s) _mm512_storeu_pd(acc + (r * RB + s) * 8, c[r][s]);
}

// Transposing pack (see gemm_kernels.hpp) in blocks of 8 source rows x 8 values of k: the rows
// are loaded as 8 vectors, transposed in registers in three rounds of 8 shuffles (interleave
// pairs of rows, then gather 128-bit lanes twice), and stored as 8 pieces of the sliver's rows:
// 24 shuffles for 64 values, where the plain loop moves one value at a time. A block with
// fewer than 8 source rows (A's 5-row slivers, B's ragged last one) loads zeros for the rest
// and stores only its `rows` lanes (a masked store). Measured against the plain loop: mini-batch
// dZ·Xᵀ (128 x 256)(256 x 784) 10-12% faster on one and two threads, squares 1-4%.
__attribute__((target("avx512f"))) void transpose_block(const double* src, std::size_t ld, std::size_t rows,
                                                        double* dst, std::size_t width) {
    // (the maskz forms with every lane selected are the plain instructions; GCC 12 warns about
    // the unmasked forms' internal "undefined" operand)
    const __mmask8 all = 0xFF, lanes = static_cast<__mmask8>((1u << rows) - 1);
    __m512d r[8], t[8], u[8], out[8];
#pragma GCC unroll 8
    for (std::size_t i = 0; i < 8; ++i)  // r[i] = source row i, k = 0..7 (zeros past `rows`)
        r[i] = i < rows ? _mm512_loadu_pd(src + i * ld) : _mm512_setzero_pd();
#pragma GCC unroll 4
    for (int i = 0; i < 8; i += 2) {  // t[i] = (r_i k0, r_i+1 k0, r_i k2, r_i+1 k2, ...), t[i+1] the odd k
        t[i] = _mm512_maskz_unpacklo_pd(all, r[i], r[i + 1]);
        t[i + 1] = _mm512_maskz_unpackhi_pd(all, r[i], r[i + 1]);
    }
#pragma GCC unroll 2
    for (int o = 0; o < 2; ++o) {  // o = 0: even k, o = 1: odd k
        u[o] = _mm512_maskz_shuffle_f64x2(all, t[o], t[o + 2], 0x88);      // k = o, o + 4 of rows 0-3
        u[o + 2] = _mm512_maskz_shuffle_f64x2(all, t[o], t[o + 2], 0xDD);  // k = o + 2, o + 6 of rows 0-3
        u[o + 4] = _mm512_maskz_shuffle_f64x2(all, t[o + 4], t[o + 6], 0x88);  // the same for rows 4-7
        u[o + 6] = _mm512_maskz_shuffle_f64x2(all, t[o + 4], t[o + 6], 0xDD);
        out[o] = _mm512_maskz_shuffle_f64x2(all, u[o], u[o + 4], 0x88);  // out[k] = rows 0-7 at k
        out[o + 4] = _mm512_maskz_shuffle_f64x2(all, u[o], u[o + 4], 0xDD);
        out[o + 2] = _mm512_maskz_shuffle_f64x2(all, u[o + 2], u[o + 6], 0x88);
        out[o + 6] = _mm512_maskz_shuffle_f64x2(all, u[o + 2], u[o + 6], 0xDD);
    }
#pragma GCC unroll 8
    for (std::size_t k = 0; k < 8; ++k) _mm512_mask_storeu_pd(dst + k * width, lanes, out[k]);
}

__attribute__((target("avx512f"))) void pack_rows_avx512(const double* src, std::size_t ld, std::size_t count,
                                                         std::size_t width, std::size_t kc, double* dst) {
    const std::size_t kc8 = kc / 8 * 8;
    for (std::size_t r0 = 0; r0 < count; r0 += 8) {  // up to 8 source rows at a time, read front to back
        const std::size_t rows = std::min<std::size_t>(8, count - r0);
        for (std::size_t k0 = 0; k0 < kc8; k0 += 8)
            transpose_block(src + r0 * ld + k0, ld, rows, dst + k0 * width + r0, width);
    }
    for (std::size_t k = 0; k < kc; ++k) {  // k past the last whole block, and the zero padding
        for (std::size_t r = 0; k >= kc8 && r < count; ++r) dst[k * width + r] = src[r * ld + k];
        std::fill(dst + k * width + count, dst + (k + 1) * width, 0.0);
    }
}

}  // namespace

const KernelInfo* avx512_kernel_info() {
    // KC 512: a 512 x 32 sliver of B is 128 KiB, more than the 48 KiB L1, but this core's
    // L2 streams it to the kernel fast enough (4 loads per 20 FMAs), and deep panels mean few
    // passes over C: at 2048 x 2048, 4 read-modify-writes of C instead of 16 with KC 128
    // (which fits L1). Measured: KC 512 is 15-25% faster than 128 at 2048, and 384 or 768
    // come within noise of 512.
    // MC 200: 200 x 512 of A = 800 KiB, in the 2 MiB L2 next to the B sliver.
    // NC 1024: 512 x 1024 doubles = 4 MiB of packed B, shared by both cores; used when A is a
    // single MC block (gemm.cpp explains why; larger products keep the L3-sized 4096).
    // KC_in_place 48: B read in place arrives as kc separate row streams (see gemm.cpp).
    // B in place for up to 64 rows of A (one thread: 1-36% faster than packing B for 32-64
    // rows and N = 500-4000; two threads: -11..+19%), but only up to 32 when B's rows are
    // 2 KiB apart (N = 256-4096 in powers of 2: 64 rows 11-21% slower in place, 25 rows 4-22%
    // faster).
    static const KernelInfo info{"avx512", kernel_avx512, MR, NR, 512, 200, 1024, 48, 64, 32, dot_avx512, RA, RB, 8,
                                 pack_rows_avx512};
    return &info;
}

}  // namespace detail
}  // namespace nn

#else
namespace nn {
namespace detail {
const KernelInfo* avx512_kernel_info() { return nullptr; }
}  // namespace detail
}  // namespace nn
#endif
