// matrix/gemm.hpp — the one matrix product everything goes through.
//
//   C = alpha · op(A) · op(B) + beta · C          (row-major, like cblas_dgemm(CblasRowMajor, ...))
//
// op(A) is (M x K): A itself when trans_a is false (stored M x K, row stride lda), or Aᵀ
// when it is true (A stored K x M). Likewise op(B) is (K x N). C is M x N with row stride
// ldc. When beta is 0, C is not read (NaN in C does not leak into the result).
// A row stride shorter than its matrix's rows, or a null pointer that would be used, throws
// nn::ShapeError naming it (as cblas_dgemm would report it), before anything is read.
//
// The fast implementation (BLIS/Goto structure, SIMD micro-kernels chosen at run time,
// OpenMP) is explained in gemm.cpp. gemm_naive is the textbook triple loop, kept as the
// reference that tests and benchmarks compare against.
#pragma once
#include <cstddef>

namespace nn {

void gemm(bool trans_a, bool trans_b, std::size_t M, std::size_t N, std::size_t K, double alpha, const double* A,
          std::size_t lda, const double* B, std::size_t ldb, double beta, double* C, std::size_t ldc);

void gemm_naive(bool trans_a, bool trans_b, std::size_t M, std::size_t N, std::size_t K, double alpha,
                const double* A, std::size_t lda, const double* B, std::size_t ldb, double beta, double* C,
                std::size_t ldc);

// Which micro-kernel gemm uses. Auto (the default) picks the best one the CPU supports;
// the environment variable NN_GEMM_KERNEL=portable|avx2|avx512 forces one at start-up (a
// value that is not one of these, or that this CPU cannot run, is ignored with a note on stderr).
enum class GemmKernel { Auto, Portable, Avx2, Avx512 };

// Force a kernel (for tests and teaching). Returns false, and changes nothing, if this
// build or this CPU cannot run it.
bool set_gemm_kernel(GemmKernel kernel);
// The kernel gemm is using now (never Auto).
GemmKernel active_gemm_kernel();
// "portable", "avx2", "avx512".
const char* gemm_kernel_name(GemmKernel kernel);
// True if this build contains the kernel and this CPU can run it.
bool gemm_kernel_available(GemmKernel kernel);

}  // namespace nn
