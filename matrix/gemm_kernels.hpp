// Internal to the GEMM: the micro-kernel interface shared by gemm.cpp and the SIMD files.
//
// A micro-kernel computes one MR x NR tile of C from two slivers:
//     C[0:mr, 0:nr] += alpha · Ã · B̃        (Ã is MR x kc, B̃ is kc x NR)
// Ã(i, k) is at Ap[i·rs_a + k·cs_a]: a packed sliver (rs_a = 1, cs_a = MR), or, when A needs
// no packing, A itself (rs_a = lda, cs_a = 1). Row k of B̃ starts at Bp + k·ldbp: a packed
// sliver (ldbp = NR) or B itself (ldbp = ldb). Packed slivers are zero-padded; in-place ones
// are only used when they are full. mr <= MR and nr <= NR say how much of the tile is real;
// only that part of C is written.
#pragma once
#include <cstddef>

namespace nn {
namespace detail {

struct Sliver {  // where the kernel finds its two slivers
    const double* a;
    std::size_t rs_a, cs_a;  // Ã(i, k) = a[i·rs_a + k·cs_a]
    const double* b;
    std::size_t ldb;  // B̃(k, j) = b[k·ldb + j]
};

using MicroKernel = void (*)(std::size_t kc, const Sliver& s, double* C, std::size_t ldc, double alpha, std::size_t mr,
                             std::size_t nr, bool overwrite);

// A dot-product micro-kernel, for C = A·Bᵀ when A and B both run along k (dW = dZ·A_prevᵀ):
// for RA rows of A and RB rows of B it keeps RA x RB vectors of VL partial sums, vectorized
// along k, and adds the products over k in [0, kc) to them:
//     acc[(r·RB + s)·VL + l] += Σ_k a_rows[r][k·VL + l] · b_rows[s][k·VL + l]   (kc a multiple of VL)
// With first = true the partial sums start from zero instead of from acc.
using DotKernel = void (*)(std::size_t kc, const double* const* a_rows, const double* const* b_rows, double* acc,
                           bool first);

// Packing with a transpose (see pack_rows in gemm.cpp): sliver row k gets the k-th value of each
// of `count` source rows,  dst[k·width + r] = src[r·ld + k]  (r < count, k < kc), and zeros in
// columns count..width−1. pack_rows_generic is the plain C++ version every kernel can use.
using PackRows = void (*)(const double* src, std::size_t ld, std::size_t count, std::size_t width, std::size_t kc,
                          double* dst);
void pack_rows_generic(const double* src, std::size_t ld, std::size_t count, std::size_t width, std::size_t kc,
                       double* dst);

struct KernelInfo {
    const char* name;
    MicroKernel kernel;
    std::size_t MR, NR;  // register tile
    std::size_t KC;      // depth of a packed panel: a KC x NR sliver of B stays in L1
    std::size_t MC;      // rows of A packed at once: MC x KC of A stays in L2
    std::size_t NC;      // columns of B packed at once when A is a single MC block (else 4096)
    std::size_t KC_in_place;  // depth of a panel when B is read in place (see gemm.cpp)
    std::size_t in_place_max_rows;     // B is read in place when op(A) has at most this many rows,
    std::size_t in_place_max_rows_2k;  // or this many when B's row stride is a multiple of 2 KiB
    DotKernel dot;            // the dot-product kernel, with its block of RA x RB rows and VL lanes
    std::size_t RA, RB, VL;
    PackRows pack_rows;       // the transposing pack
};

// Each returns nullptr when this build has no such kernel (e.g. on ARM).
const KernelInfo* avx2_kernel_info();
const KernelInfo* avx512_kernel_info();

}  // namespace detail
}  // namespace nn
