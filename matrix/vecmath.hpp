// Element-wise exp (and log) over an array, fast enough that a sigmoid over 25x4000 activations
// costs less than the matrix product that produced them.
//
// std::exp is accurate but scalar (~20 cycles a value). exp_array computes the same
// function with a short, branch-free recipe that the compiler turns into SIMD code
// (on x86-64, AVX2 and AVX-512 versions are chosen at run time; see SimdLevel below):
//     exp(x) = 2^k · e^r,   k = round(x / ln 2),   r = x − k·ln 2  (|r| ≤ ln2 / 2)
//     e^r    = 1 + r + r²/2! + ... + r¹³/13!   (Horner; truncation error < 1e-17)
// The result agrees with std::exp to within 2 ulp (tested, in every version), and overflow,
// underflow and NaN behave like std::exp. This file is compiled with FMA contraction allowed,
// so the AVX2 / AVX-512 versions evaluate the polynomial with fused multiply-adds (1.7x
// faster) and may differ from the baseline version in the last bit.
#pragma once
#include <cstddef>

namespace nn {

void exp_array(const double* x, double* y, std::size_t n);

// log over an array, in the same style (recipe in vecmath.cpp): within 2 ulp of std::log
// (tested), with log 0 = −inf, log inf = inf, and NaN for negative or NaN input.
void log_array(const double* x, double* y, std::size_t n);

// y = 1 / (1 + exp(−x)) element by element (the logistic sigmoid), with the exp above;
// bit for bit what exp_array followed by a scalar 1 / (1 + e) gives, in one SIMD pass.
void sigmoid_array(const double* x, double* y, std::size_t n);

// e^x − 1 element by element, accurate near 0 where exp(x) − 1 would cancel (recipe in
// vecmath.cpp), within a few ulp of std::expm1 (tested); for ELU, a = α (e^z − 1).
void expm1_array(const double* x, double* y, std::size_t n);

// tanh element by element, through expm1 (so small values keep their precision), within a few
// ulp of std::tanh (tested).
void tanh_array(const double* x, double* y, std::size_t n);

// Which compiled version of the loops above runs. Auto (the default) picks the best this CPU
// supports: AVX-512, else AVX2 with FMA, else the baseline (SSE2 on x86-64, NEON on ARM); the
// environment variable NN_SIMD=baseline|avx2|avx512 forces one at start-up (a value that cannot
// be used is ignored with a note on stderr).
enum class SimdLevel { Auto, Baseline, Avx2, Avx512 };

// Force a version (for tests and teaching). Returns false, and changes nothing, if this build
// or this CPU cannot run it.
bool set_simd_level(SimdLevel level);
// The version in use now (never Auto).
SimdLevel active_simd_level();
// True if this build contains the version and this CPU can run it.
bool simd_level_available(SimdLevel level);
// "baseline", "avx2", "avx512" ("auto" for Auto).
const char* simd_level_name(SimdLevel level);
// For a choice made at start-up from an environment variable (NN_SIMD here, NN_GEMM_KERNEL in
// gemm.cpp): the level that variable `var` names, `names` being its words for Baseline, Avx2 and
// Avx512, if this CPU can run it; otherwise the best level this CPU supports (a value that is
// set but unknown or unusable is ignored with a one-line note on stderr).
SimdLevel simd_level_from_env(const char* var, const char* const (&names)[3]);

}  // namespace nn
