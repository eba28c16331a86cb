// Internal to the GEMM: the micro-kernel interface shared by gemm.cpp and the SIMD files.
//
// A micro-kernel computes one MR x NR tile of C from packed panels:
//     C[0:mr, 0:nr] += alpha · Ap · Bp
// where Ap holds kc columns of MR values (one MR-tall sliver of op(A) per k, zero-padded)
// and Bp holds kc rows of NR values, row k starting at Bp + k·ldbp: either a packed,
// zero-padded sliver (ldbp = NR) or, when B needs no packing, B itself (ldbp = ldb).
// mr <= MR and nr <= NR say how much of the tile is real; only that part of C is written.
#pragma once
#include <cstddef>

namespace nn {
namespace detail {

using MicroKernel = void (*)(std::size_t kc, const double* Ap, const double* Bp, std::size_t ldbp, double* C,
                             std::size_t ldc, double alpha, std::size_t mr, std::size_t nr);

struct KernelInfo {
    const char* name;
    MicroKernel kernel;
    std::size_t MR, NR;  // register tile
    std::size_t KC;      // depth of a packed panel: a KC x NR sliver of B stays in L1
    std::size_t MC;      // rows of A packed at once: MC x KC of A stays in L2
    std::size_t NC;      // columns of B packed at once: KC x NC of B stays in L3
};

// Each returns nullptr when this build has no such kernel (e.g. on ARM).
const KernelInfo* avx2_kernel_info();
const KernelInfo* avx512_kernel_info();

}  // namespace detail
}  // namespace nn
