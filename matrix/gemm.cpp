// matrix/gemm.cpp — C = alpha·op(A)·op(B) + beta·C, the way BLIS and GotoBLAS do it.
//
// A matrix product does 2·M·N·K flops on M·K + K·N + M·N numbers, so each number can be
// reused many times — but only if it is close to the core when it is needed. The work is
// cut into blocks that fit each level of the memory hierarchy, in five loops around one
// small, register-blocked micro-kernel:
//
//   for jc in 0..N step NC:            5th loop: a KC x NC block of op(B) ......... L3
//     for pc in 0..K step KC:          4th loop: pack that block of op(B) into NR-wide slivers
//       for ic in 0..M step MC:        3rd loop: pack an MC x KC block of op(A) ... L2
//         for jr in 0..NC step NR:     2nd loop: one KC x NR sliver of B ... L1 (or L2*)
//           for ir in 0..MC step MR:   1st loop: one MR x KC sliver of A
//             micro-kernel: C[ir:ir+MR, jr:jr+NR] += alpha · Ã_sliver · B̃_sliver  (registers)
//
// (*) The textbook keeps the B sliver in L1. The AVX-512 kernel uses deeper panels whose
// sliver lives in L2, which streams it fast enough; gemm_avx512.cpp says why it pays.
//
// Packing copies each block into a contiguous buffer in exactly the order the micro-kernel
// reads it, zero-padded to whole MR/NR slivers. That is also where transposes happen: the
// packed layout is the same whether A (or B) was transposed or not, so the kernel never
// sees a transpose, and edges (M, N not multiples of MR, NR) cost no special code in the
// kernel beyond writing back only the real part of the tile. The skinny products of
// training skip packing where it would only copy memory (see "Skinny products" below): the
// kernel then reads a full sliver straight from the matrix, through its row stride.
//
// Threads (OpenMP): the (B sliver, A sliver) tiles of the 2nd and 1st loops are independent,
// so they are shared out between threads; packing is shared too. Every element of C is
// summed in the same order whatever the thread count, so results do not depend on it.
// Below about a megaflop the product runs on one thread: waking a second one costs more than
// it saves. A tiny output with a long K has too few tiles to share: when both operands run
// along k (dW2 = dZ2·A1ᵀ: 10 x 25, K = 4000) it is computed as dot products of rows (see
// dot_gemm); otherwise its K is split between threads (split-K, see split_k_gemm).
//
// Which path each product of the assignment's training step takes (m = 4000 examples):
//   W1·X     (25 x 400)(400 x 4000)    the five loops, B (X) read in place: no copy of X
//   W2·A1    (10 x 25)(25 x 4000)      the same, B (A1) read in place
//   W2ᵀ·dZ2  (25 x 10)(10 x 4000)      the same, B (dZ2) read in place
//   dZ1·Xᵀ   (25 x 4000)(4000 x 400)   solved as (X·dZ1ᵀ)ᵀ, X read in place as A (see gemm())
//   dZ2·A1ᵀ  (10 x 4000)(4000 x 25)    dot products of rows (dot_gemm)
// Squares and mini-batches (128 x 784)(784 x 256) take the textbook loops, fully packed; the
// mini-batch dW = dZ·Xᵀ (128 x 256)(256 x 784) is solved as (X·dZᵀ)ᵀ like dZ1·Xᵀ.
//
// Micro-kernels: AVX-512 (gemm_avx512.cpp), AVX2+FMA (gemm_avx2.cpp) and the portable one
// below, written with two-double vectors that GCC and clang map onto any target's SIMD
// registers (it is what ARM builds use).
// The best one this CPU supports is picked at run time, so the default build runs on any
// x86-64. NN_GEMM_KERNEL=portable|avx2|avx512 or set_gemm_kernel() forces one.
#include "matrix/gemm.hpp"

#include <algorithm>
#include <cstring>
#include <new>
#include <string>

#include "matrix/errors.hpp"
#include "matrix/gemm_kernels.hpp"
#include "matrix/parallel.hpp"
#include "matrix/vecmath.hpp"

namespace nn {

// ---- the arguments -----------------------------------------------------------------------

namespace {

// What cblas_dgemm checks too: every row stride at least as long as the rows it strides over,
// and no null pointer where something is read or written. A wrong stride would otherwise read
// past the end of a matrix, or quietly mix up its rows.
void check_gemm_arguments(bool trans_a, bool trans_b, std::size_t M, std::size_t N, std::size_t K, double alpha,
                          const double* A, std::size_t lda, const double* B, std::size_t ldb, const double* C,
                          std::size_t ldc) {
    auto fail = [](const std::string& what) { throw ShapeError("gemm: " + what); };
    auto stored = [](bool trans, std::size_t rows, std::size_t cols) {  // "4 x 3" as the matrix is stored
        return trans ? std::to_string(cols) + " x " + std::to_string(rows) + ", transposed"
                     : std::to_string(rows) + " x " + std::to_string(cols);
    };
    if (M == 0 || N == 0) return;  // nothing is read or written
    if (C == nullptr) fail("C is a null pointer");
    auto too_short = [](const char* ld, std::size_t value, const char* name, const std::string& shape, std::size_t row) {
        return std::string(ld) + " = " + std::to_string(value) + " but " + name + " (" + shape + ") has rows of " +
               std::to_string(row);
    };
    if (ldc < N) fail(too_short("ldc", ldc, "C", stored(false, M, N), N));
    if (K == 0 || alpha == 0.0) return;  // A and B are not read
    if (A == nullptr || B == nullptr) fail(std::string(A == nullptr ? "A" : "B") + " is a null pointer");
    const std::size_t a_row = trans_a ? M : K, b_row = trans_b ? K : N;  // the length of a stored row
    if (lda < a_row) fail(too_short("lda", lda, "A", stored(trans_a, M, K), a_row));
    if (ldb < b_row) fail(too_short("ldb", ldb, "B", stored(trans_b, K, N), b_row));
}

}  // namespace

// ---- the textbook definition -----------------------------------------------------------

void gemm_naive(bool trans_a, bool trans_b, std::size_t M, std::size_t N, std::size_t K, double alpha,
                const double* A, std::size_t lda, const double* B, std::size_t ldb, double beta, double* C,
                std::size_t ldc) {
    check_gemm_arguments(trans_a, trans_b, M, N, K, alpha, A, lda, B, ldb, C, ldc);
    for (std::size_t i = 0; i < M; ++i)
        for (std::size_t j = 0; j < N; ++j) {
            double s = 0;
            for (std::size_t k = 0; k < K; ++k) {
                double a = trans_a ? A[k * lda + i] : A[i * lda + k];
                double b = trans_b ? B[j * ldb + k] : B[k * ldb + j];
                s += a * b;
            }
            C[i * ldc + j] = alpha * s + (beta == 0.0 ? 0.0 : beta * C[i * ldc + j]);
        }
}

namespace detail {

// A 64-byte-aligned scratch buffer that grows as needed (one per thread, reused across calls).
struct Buffer {
    double* p = nullptr;
    std::size_t n = 0;
    double* get(std::size_t need) {
        if (need > n) {
            if (p) ::operator delete[](p, std::align_val_t(64));
            p = static_cast<double*>(::operator new[](need * sizeof(double), std::align_val_t(64)));
            n = need;
        }
        return p;
    }
    ~Buffer() {
        if (p) ::operator delete[](p, std::align_val_t(64));
    }
};

namespace {

// c := alpha·s + beta·c, where beta = 0 means c is not read (numpy/BLAS semantics: a NaN
// already in C does not leak into the result).
inline void update_C(double& c, double alpha, double s, double beta) { c = alpha * s + (beta == 0.0 ? 0.0 : beta * c); }

// ---- the portable micro-kernels ----------------------------------------------------------
// Written with a two-double vector type (a GNU extension that GCC and clang offer on every
// target: SSE2 registers on x86-64, NEON on ARM, plain scalars elsewhere); arithmetic on it
// is element-wise. Plain loops over arrays would leave the choice of what to vectorize to the
// compiler, and GCC 12 picks the k loop, shuffling and spilling partial sums (half the speed).
typedef double Pair __attribute__((vector_size(16)));
inline Pair load_pair(const double* p) {
    Pair v;
    std::memcpy(&v, p, sizeof v);  // an unaligned 16-byte load
    return v;
}

// The register tile: 4 x 4, i.e. 8 pairs of partial sums; on baseline x86-64 the 16 SSE2
// registers also hold the B row, one value of A and a product. (Measured against 2 x 8, 4 x 6,
// 4 x 8, 6 x 4 and 8 x 4 on the training shapes: the best, or within 10% of the best.)
constexpr std::size_t kPortableMR = 4, kPortableNR = 4, kPairs = kPortableNR / 2;

void kernel_portable(std::size_t kc, const Sliver& s, double* C, std::size_t ldc, double alpha, std::size_t mr,
                     std::size_t nr, bool overwrite) {
    // The accumulators are zeroed pair by pair, and copied to a plain array only for an edge
    // tile (below). With `= {}` and lane indexing of c, GCC zeroed c with a string instruction
    // and read it back from the stack on every call: W2·A1 and W2ᵀ·dZ2 (K = 25 and 10, so
    // short calls) were 12% and 20% slower.
    Pair c[kPortableMR][kPairs];
    for (std::size_t i = 0; i < kPortableMR; ++i)
        for (std::size_t j = 0; j < kPairs; ++j) c[i][j] = Pair{0.0, 0.0};
    for (std::size_t k = 0; k < kc; ++k) {
        Pair b[kPairs];  // row k of the B sliver
        for (std::size_t j = 0; j < kPairs; ++j) b[j] = load_pair(s.b + k * s.ldb + 2 * j);
        for (std::size_t i = 0; i < kPortableMR; ++i) {
            const double a = s.a[i * s.rs_a + k * s.cs_a];
            const Pair aa = {a, a};
            for (std::size_t j = 0; j < kPairs; ++j) c[i][j] += aa * b[j];
        }
    }
    if (mr == kPortableMR && nr == kPortableNR) {  // a whole tile: a pair at a time
        const Pair alpha2 = {alpha, alpha};
        for (std::size_t i = 0; i < kPortableMR; ++i)
            for (std::size_t j = 0; j < kPairs; ++j) {
                Pair out = alpha2 * c[i][j];
                if (!overwrite) out += load_pair(C + i * ldc + 2 * j);
                std::memcpy(C + i * ldc + 2 * j, &out, sizeof out);
            }
        return;
    }
    double tile[kPortableMR][kPortableNR];  // edge tile: spill, then add only the real part
    for (std::size_t i = 0; i < kPortableMR; ++i)
        for (std::size_t j = 0; j < kPairs; ++j) std::memcpy(&tile[i][2 * j], &c[i][j], sizeof c[i][j]);
    for (std::size_t i = 0; i < mr; ++i)
        for (std::size_t j = 0; j < nr; ++j) C[i * ldc + j] = alpha * tile[i][j] + (overwrite ? 0.0 : C[i * ldc + j]);
}

// The portable dot-product kernel: 2 rows of A x 2 rows of B, 4 lanes (two pairs) each.
constexpr std::size_t kPortableRA = 2, kPortableRB = 2, kPortableVL = 4;

void dot_portable(std::size_t kc, const double* const* a_rows, const double* const* b_rows, double* acc, bool first) {
    constexpr std::size_t P = kPortableVL / 2;  // pairs per vector of partial sums
    Pair c[kPortableRA][kPortableRB][P] = {};
    if (!first)
        for (std::size_t r = 0; r < kPortableRA; ++r)
            for (std::size_t s = 0; s < kPortableRB; ++s)
                for (std::size_t l = 0; l < P; ++l)
                    c[r][s][l] = load_pair(acc + (r * kPortableRB + s) * kPortableVL + 2 * l);
    for (std::size_t k = 0; k < kc; k += kPortableVL) {
        Pair a[kPortableRA][P], b[kPortableRB][P];
        for (std::size_t l = 0; l < P; ++l) {
            for (std::size_t r = 0; r < kPortableRA; ++r) a[r][l] = load_pair(a_rows[r] + k + 2 * l);
            for (std::size_t s = 0; s < kPortableRB; ++s) b[s][l] = load_pair(b_rows[s] + k + 2 * l);
        }
        for (std::size_t r = 0; r < kPortableRA; ++r)
            for (std::size_t s = 0; s < kPortableRB; ++s)
                for (std::size_t l = 0; l < P; ++l) c[r][s][l] += a[r][l] * b[s][l];
    }
    for (std::size_t r = 0; r < kPortableRA; ++r)
        for (std::size_t s = 0; s < kPortableRB; ++s)
            std::memcpy(acc + (r * kPortableRB + s) * kPortableVL, c[r][s], sizeof c[r][s]);
}

const KernelInfo* portable_kernel_info() {
    // (KC_in_place = KC: this kernel computes slowly enough that memory streams never limit it)
    // (B in place for up to 64 rows of A, whatever its stride: for every height up to 64 and
    // N from 128 to 4000, 5-30% faster than packing B)
    static const KernelInfo info{"portable", kernel_portable, kPortableMR, kPortableNR, 256, 128, 4096, 256, 64, 64,
                                 dot_portable, kPortableRA, kPortableRB, kPortableVL, pack_rows_generic};
    return &info;
}

// ---- packing -----------------------------------------------------------------------

constexpr std::size_t kPackStep = 64;  // k values packed at a time when the writes are scattered
constexpr std::size_t kPackPiece = 128;  // rows of a B sliver in one unit of packing work (for threads)

// A packed sliver is kc rows of `width` values: dst[k·width + r] for k < kc, r < width, with
// count <= width real values per row and zeros after them. Whatever the operand and its
// transpose flag, the source is one of two layouts:

// (1) strips that run along the sliver's width: sliver row k is src[k·ld + 0..count).
void pack_strips(const double* src, std::size_t ld, std::size_t count, std::size_t width, std::size_t kc, double* dst) {
    for (std::size_t k = 0; k < kc; ++k) {
        std::memcpy(dst + k * width, src + k * ld, count * sizeof(double));
        std::fill(dst + k * width + count, dst + (k + 1) * width, 0.0);
    }
}

}  // namespace

// (2) rows that run along k: sliver column r is src[r·ld + 0..kc). Each source row is read
// front to back, kPackStep values at a time, so that the scattered writes (stride width)
// stay within a few KiB of the sliver (in L1). This is a transpose, done one value at a time;
// the AVX-512 file has a faster one (8 x 8 blocks in registers) for 8-row multiples.
void pack_rows_generic(const double* src, std::size_t ld, std::size_t count, std::size_t width, std::size_t kc,
                       double* dst) {
    for (std::size_t k0 = 0; k0 < kc; k0 += kPackStep) {
        const std::size_t k1 = std::min(kc, k0 + kPackStep);
        for (std::size_t r = 0; r < count; ++r)
            for (std::size_t k = k0; k < k1; ++k) dst[k * width + r] = src[r * ld + k];
        for (std::size_t k = k0; k < k1; ++k) std::fill(dst + k * width + count, dst + (k + 1) * width, 0.0);
    }
}

namespace {

// Pack sliver `sliver` of an mc x kc block of op(A) (starting at A_block) into MR-tall form:
// Ap[s·MR·kc + k·MR + i] = op(A)(s·MR + i, k), zero past row mc.
void pack_A(const KernelInfo& ki, bool trans, const double* A, std::size_t lda, std::size_t mc, std::size_t kc,
            double* Ap, std::size_t sliver) {
    const std::size_t MR = ki.MR, i0 = sliver * MR, rows = std::min(MR, mc - i0);
    double* dst = Ap + sliver * MR * kc;
    if (trans)  // op(A)(i, k) = A[k][i]: the MR values for one k are next to each other
        pack_strips(A + i0, lda, rows, MR, kc, dst);
    else        // op(A)(i, k) = A[i][k]: each row of A runs along k
        ki.pack_rows(A + i0 * lda, lda, rows, MR, kc, dst);
}

// Pack rows k0..k1 of sliver `sliver` of a kc x nc block of op(B) into NR-wide form:
// Bp[s·NR·kc + k·NR + j] = op(B)(k, s·NR + j), zero past column nc.
void pack_B(const KernelInfo& ki, bool trans, const double* B, std::size_t ldb, std::size_t kc, std::size_t nc,
            double* Bp, std::size_t sliver, std::size_t k0, std::size_t k1) {
    const std::size_t NR = ki.NR, j0 = sliver * NR, cols = std::min(NR, nc - j0);
    double* dst = Bp + sliver * NR * kc + k0 * NR;
    if (trans)  // op(B)(k, j) = B[j][k]: each row of B runs along k
        ki.pack_rows(B + j0 * ldb + k0, ldb, cols, NR, k1 - k0, dst);
    else        // op(B)(k, j) = B[k][j]: the NR values for one k are next to each other
        pack_strips(B + k0 * ldb + j0, ldb, cols, NR, k1 - k0, dst);
}

// ---- choosing the kernel -------------------------------------------------------------

// The SIMD kernels need what the element-wise functions' versions of the same name need
// (vecmath.cpp asks the CPU): AVX-512F, or AVX2 with FMA.
bool cpu_has(GemmKernel k) {
    if (k == GemmKernel::Avx512) return simd_level_available(SimdLevel::Avx512);
    if (k == GemmKernel::Avx2) return simd_level_available(SimdLevel::Avx2);
    return k == GemmKernel::Portable;
}

const KernelInfo* info_for(GemmKernel k) {
    switch (k) {
        case GemmKernel::Avx512: return avx512_kernel_info();
        case GemmKernel::Avx2: return avx2_kernel_info();
        case GemmKernel::Portable: return portable_kernel_info();
        default: return nullptr;
    }
}

GemmKernel best_available() {
    for (GemmKernel k : {GemmKernel::Avx512, GemmKernel::Avx2})
        if (gemm_kernel_available(k)) return k;
    return GemmKernel::Portable;
}

// NN_GEMM_KERNEL=portable|avx2|avx512 if set; a value that is not one of these, or names a
// kernel this CPU cannot run, is ignored with a one-line note on stderr (the kernels need what
// the element-wise versions of the same name need, so vecmath reads the variable for us).
GemmKernel initial_kernel() {
    static const char* const names[3] = {"portable", "avx2", "avx512"};
    switch (simd_level_from_env("NN_GEMM_KERNEL", names)) {
        case SimdLevel::Avx512: return GemmKernel::Avx512;
        case SimdLevel::Avx2: return GemmKernel::Avx2;
        default: return GemmKernel::Portable;
    }
}

GemmKernel& current_kernel() {
    static GemmKernel k = initial_kernel();
    return k;
}

// ---- the five loops --------------------------------------------------------------------

void scale_C(std::size_t M, std::size_t N, double beta, double* C, std::size_t ldc) {
    if (beta == 1.0) return;
    for (std::size_t i = 0; i < M; ++i) {
        double* row = C + i * ldc;
        if (beta == 0.0)
            std::fill(row, row + N, 0.0);  // numpy/BLAS semantics: C is not read when beta == 0
        else
            for (std::size_t j = 0; j < N; ++j) row[j] *= beta;
    }
}

// Skinny products: when one operand is used only a few times per element, copying it into
// packed slivers would cost as much memory traffic as the product itself. B is read in place
// when op(A) has at most ki.in_place_max_rows rows (W1·X, W2ᵀ·dZ2; fewer when B's row stride
// is a multiple of 2 KiB, see blocked_gemm; the numbers are in the kernel files).
constexpr std::size_t kInPlaceMaxCols = 128;  // op(B) this narrow: read A in place (X·dZ1ᵀ, see gemm());
                                              // 128 rather than 64: 13-22% faster for 65-128 columns
constexpr std::size_t kTinyOutputSide = 64;   // an output at most this big both ways is "tiny"
constexpr std::size_t kWideNC = 4096;         // columns of B in a block, but see NC below
constexpr std::size_t kInPlaceNC = 2048;      // the same when B is read in place in several panels
constexpr std::size_t kSplitK = 1024;        // depth of a split-K chunk for a tiny output (split_k_gemm)

// C = alpha·op(A)·op(B) + (beta_zero ? 0 : C)
void blocked_gemm(const KernelInfo& ki, bool ta, bool tb, std::size_t M, std::size_t N, std::size_t K, double alpha,
                  const double* A, std::size_t lda, const double* B, std::size_t ldb, double* C, std::size_t ldc,
                  bool beta_zero, bool parallel) {
    const std::size_t MR = ki.MR, NR = ki.NR;
    // A tiny output (both sides short, e.g. dW2 = dZ2·A1ᵀ, 10 x 25 with K = 4000): its slivers
    // are small enough to keep the whole depth K in one panel, so there is no 4th loop to pay for.
    const bool tiny_output = M <= kTinyOutputSide && N <= kTinyOutputSide;
    // In place: when B is not transposed its rows are contiguous, so a full NR-wide sliver
    // can be read straight from B (row stride ldb); likewise full MR-tall slivers of a
    // non-transposed A (row stride lda). Ragged last slivers are always packed (zero-padded),
    // so the kernel never reads past the edge of a matrix.
    // (Rows of B 2 KiB apart, e.g. 256 or 1024 columns, land in the same few cache sets, and
    // the kc rows of an in-place sliver evict each other; packing them costs less, except for
    // very short A. Measured on both SIMD kernels with 5-64 rows and 256-6000 columns.)
    const std::size_t in_place_rows = ldb % 256 == 0 ? ki.in_place_max_rows_2k : ki.in_place_max_rows;
    const bool b_in_place = !tb && M <= in_place_rows;
    const bool a_in_place = !ta && N <= kInPlaceMaxCols;
    // Panel depth KC. Reading A in place (X·dZ1ᵀ as a 400 x 25 output): 2048 deep, so only a
    // few trips through the 4th loop and its thread barriers; the B sliver (dZ1ᵀ) then streams
    // from L2. Measured: 4-6% faster than 512 on one and two threads; 1000-2000 within noise.
    // Reading B in place (W1·X): a sliver is kc rows of B, each a separate memory stream (the
    // rows are ldb apart), and the hardware prefetcher follows a few dozen streams, not 128,
    // so these panels stay shallow for the SIMD kernels (KC_in_place = 48 measured best here:
    // W1·X 56 GFLOP/s against 47 at 128).
    std::size_t KC = tiny_output                      ? std::min<std::size_t>(K, 8192)
                     : a_in_place                    ? std::min<std::size_t>(K, 2048)
                     : b_in_place                    ? std::min(K, ki.KC_in_place)
                                                     : std::min(ki.KC, K);
    // Split K into equal panels (K = 400 with KC = 128 would leave a last panel of only 16).
    const std::size_t panels = (K + KC - 1) / KC;
    KC = (K + panels - 1) / panels;
    // NC, the columns of B packed at once. With a single block of A (M ≤ MC), each packed block
    // of B is used once, right after it is packed, and the kernel's smaller NC (about 1000
    // columns) reads it back from nearer caches: 11-15% faster for W1·X with 100 hidden units.
    // With several blocks of A, all of them reuse the packed block, and the textbook's L3-sized
    // block wins (2048 x 2048 on two threads: 10% faster with 4096 columns than with 1024).
    // When B is read in place, wide blocks mean fewer trips through the panel loop and its
    // thread barriers: W1·X 13% faster on two threads with 4096 columns than with 1024. But
    // with several panels (K > KC), the block of C is read and written once per panel, and it
    // should stay in L2 next to the panel of B streaming through. 2048 columns (W1·X: 400 KiB
    // of C beside 720 KiB of X; 4096 columns need more than the 2 MiB L2) make W1·X 8-16%
    // faster on one thread (AVX2 and AVX-512), within -4..+5% on two. A single panel (W2·A1)
    // keeps 4096.
    std::size_t NC = !b_in_place && M <= ki.MC ? ki.NC : kWideNC;
    if (b_in_place && K > KC) NC = kInPlaceNC;
    NC = std::min(NC / NR * NR, (N + NR - 1) / NR * NR);
    const std::size_t MC = std::min(ki.MC / MR * MR, (M + MR - 1) / MR * MR);  // whole slivers
    static thread_local Buffer shared_A, shared_B;  // packed blocks: per calling thread, shared by its team
    double* Ap = shared_A.get(MC * KC);
    double* Bp = shared_B.get(KC * NC);
    (void)parallel;
#ifdef _OPENMP
#pragma omp parallel if (parallel)
#endif
    {
        for (std::size_t jc = 0; jc < N; jc += NC) {                      // 5th loop
            const std::size_t nc = std::min(NC, N - jc);
            const std::ptrdiff_t b_slivers = static_cast<std::ptrdiff_t>((nc + NR - 1) / NR);
            for (std::size_t pc = 0; pc < K; pc += KC) {                  // 4th loop
                const std::size_t kc = std::min(KC, K - pc);
                const double* B_block = tb ? B + jc * ldb + pc : B + pc * ldb + jc;
                // (every thread sees the same condition, so skipping a loop is safe, and it
                // saves the barrier at its end when there is nothing to pack)
                // The packing is shared out in pieces of kPackPiece rows of a sliver, so that
                // both threads pack even when there is one sliver (dZ1ᵀ in X·dZ1ᵀ is 25 wide).
                if (!b_in_place || nc % NR != 0) {
                    const std::ptrdiff_t pieces = static_cast<std::ptrdiff_t>((kc + kPackPiece - 1) / kPackPiece);
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
                    for (std::ptrdiff_t u = 0; u < b_slivers * pieces; ++u) {
                        const std::size_t s = static_cast<std::size_t>(u / pieces);
                        const std::size_t k0 = static_cast<std::size_t>(u % pieces) * kPackPiece;
                        const std::size_t k1 = std::min(kc, k0 + kPackPiece);
                        if (!b_in_place || (s + 1) * NR > nc)  // in place: only the ragged one
                            pack_B(ki, tb, B_block, ldb, kc, nc, Bp, s, k0, k1);
                    }
                }
                for (std::size_t ic = 0; ic < M; ic += MC) {              // 3rd loop
                    const std::size_t mc = std::min(MC, M - ic);
                    const double* A_block = ta ? A + pc * lda + ic : A + ic * lda + pc;
                    const std::ptrdiff_t a_slivers = static_cast<std::ptrdiff_t>((mc + MR - 1) / MR);
                    if (!a_in_place || mc % MR != 0) {
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
                        for (std::ptrdiff_t s = 0; s < a_slivers; ++s)
                            if (!a_in_place || (static_cast<std::size_t>(s) + 1) * MR > mc)
                                pack_A(ki, ta, A_block, lda, mc, kc, Ap, static_cast<std::size_t>(s));
                    }
                    // 2nd and 1st loops, as one list of (B sliver, A sliver) tiles so that
                    // threads share the work even when one of the two loops is short.
                    const std::ptrdiff_t tiles = b_slivers * a_slivers;
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
                    for (std::ptrdiff_t t = 0; t < tiles; ++t) {
                        const std::size_t jr = static_cast<std::size_t>(t / a_slivers) * NR;  // 2nd loop
                        const std::size_t ir = static_cast<std::size_t>(t % a_slivers) * MR;  // 1st loop
                        const std::size_t nr = std::min(NR, nc - jr), mr = std::min(MR, mc - ir);
                        const bool b_direct = b_in_place && nr == NR, a_direct = a_in_place && mr == MR;
                        Sliver sl;
                        sl.b = b_direct ? B_block + jr : Bp + jr * kc;
                        sl.ldb = b_direct ? ldb : NR;
                        sl.a = a_direct ? A_block + ir * lda : Ap + ir * kc;
                        sl.rs_a = a_direct ? lda : 1;
                        sl.cs_a = a_direct ? 1 : MR;
                        ki.kernel(kc, sl, C + (ic + ir) * ldc + jc + jr, ldc, alpha, mr, nr, beta_zero && pc == 0);
                    }
                }
            }
        }
    }
}

// ---- C = A·Bᵀ for a tiny (or very short) output: long dot products -------------------------
// dW = dZ·A_prevᵀ multiplies two matrices whose rows both run along k (the m examples). When
// the output is tiny (dW2 = dZ2·A1ᵀ is 10 x 25, with K = 4000), every C(i, j) is a long dot
// product of two contiguous rows: nothing needs packing (packing the transposed 25 x 4000
// operand costs more than the arithmetic), and no SIMD lane is wasted on a ragged edge.
//
//   for each block of RB rows of B:       (threads share these blocks)
//     for k0 in 0..K step KD:             the depth, in chunks: the chunk of the B rows
//       for each block of RA rows of A:   stays in L1 while every block of A meets it
//         dot kernel: RA x RB vectors of VL partial sums += the products over the chunk
//     C(i, j) = alpha·(its VL partial sums + the last K mod VL products) + beta·C(i, j)
//
// Every C(i, j) is summed in the same order whatever the thread count. Measured here: dW2
// 2x faster than packing with split-K; but for dW1 = dZ1·Xᵀ (25 x 400) 30% slower than
// the transposed solve in gemm(), so it is used for tiny outputs (both sides ≤ 32) and for
// outputs with very few rows (see gemm()).
constexpr std::size_t kDotChunk = 512;   // KD: 4 rows of B x 512 doubles = 16 KiB (L1)
constexpr std::size_t kDotMaxRows = 8;   // RA and RB are at most this
constexpr std::size_t kDotMaxSide = 32;  // outputs up to 32 x 32 use dot products

void dot_gemm(const KernelInfo& ki, std::size_t M, std::size_t N, std::size_t K, double alpha, const double* A,
              std::size_t lda, const double* B, std::size_t ldb, double beta, double* C, std::size_t ldc,
              bool parallel) {
    const std::size_t RA = ki.RA, RB = ki.RB, VL = ki.VL, tile = RA * RB * VL;
    const std::size_t a_blocks = (M + RA - 1) / RA, b_blocks = (N + RB - 1) / RB;
    const std::size_t Kv = K / VL * VL;  // the whole vectors of K; the rest is added at the end
    const std::size_t chunks = std::max<std::size_t>(1, (Kv + kDotChunk - 1) / kDotChunk);
    const std::size_t KD = (Kv / chunks + VL - 1) / VL * VL;  // equal chunks of whole vectors
    static thread_local Buffer partial_sums;
    double* acc = partial_sums.get(a_blocks * b_blocks * tile);
    const std::ptrdiff_t n_b_blocks = static_cast<std::ptrdiff_t>(b_blocks);
    (void)parallel;
#ifdef _OPENMP
#pragma omp parallel for schedule(static) if (parallel)
#endif
    for (std::ptrdiff_t jbi = 0; jbi < n_b_blocks; ++jbi) {
        const std::size_t jb = static_cast<std::size_t>(jbi);
        double* acc_jb = acc + jb * a_blocks * tile;  // the partial sums of this block's tiles (in L1)
        // Rows past the end of A or B repeat the last one; their sums are never used.
        const double* a_rows[kDotMaxRows];
        const double* b_rows[kDotMaxRows];
        for (std::size_t k0 = 0; k0 < Kv; k0 += KD) {
            const std::size_t kd = std::min(KD, Kv - k0);
            for (std::size_t s = 0; s < RB; ++s) b_rows[s] = B + std::min(jb * RB + s, N - 1) * ldb + k0;
            for (std::size_t ib = 0; ib < a_blocks; ++ib) {
                for (std::size_t r = 0; r < RA; ++r) a_rows[r] = A + std::min(ib * RA + r, M - 1) * lda + k0;
                ki.dot(kd, a_rows, b_rows, acc_jb + ib * tile, k0 == 0);
            }
        }
        for (std::size_t ib = 0; ib < a_blocks; ++ib) {
            const double* sums = acc_jb + ib * tile;
            for (std::size_t r = 0; r < RA && ib * RA + r < M; ++r)
                for (std::size_t s = 0; s < RB && jb * RB + s < N; ++s) {
                    const std::size_t i = ib * RA + r, j = jb * RB + s;
                    double sum = 0;
                    for (std::size_t l = 0; Kv > 0 && l < VL; ++l) sum += sums[(r * RB + s) * VL + l];
                    for (std::size_t k = Kv; k < K; ++k) sum += A[i * lda + k] * B[j * ldb + k];
                    update_C(C[i * ldc + j], alpha, sum, beta);
                }
        }
    }
}

// ---- split-K for other tiny outputs -------------------------------------------------------
// A tiny output (both sides ≤ 64) with a long K, e.g. Aᵀ·B with A 4000 x 10 and B 4000 x 25,
// has too few tiles to share between threads, so its depth is shared instead. K is cut into
// chunks of about kSplitK — a fixed size, so that the rounding does not depend on the thread
// count — each chunk's product goes into its own scratch block, and the blocks are then added
// in chunk order:  C = alpha·(P_0 + P_1 + ...) + beta·C.
void split_k_gemm(const KernelInfo& ki, bool ta, bool tb, std::size_t M, std::size_t N, std::size_t K, double alpha,
                  const double* A, std::size_t lda, const double* B, std::size_t ldb, double beta, double* C,
                  std::size_t ldc, bool parallel) {
    const std::size_t chunks = K / kSplitK, chunk = (K + chunks - 1) / chunks;
    static thread_local Buffer scratch;
    double* P = scratch.get(chunks * M * N);
    const std::ptrdiff_t n_chunks = static_cast<std::ptrdiff_t>(chunks);
    (void)parallel;
#ifdef _OPENMP
#pragma omp parallel for schedule(static) if (parallel)
#endif
    for (std::ptrdiff_t c = 0; c < n_chunks; ++c) {
        const std::size_t k0 = static_cast<std::size_t>(c) * chunk, kc = std::min(chunk, K - k0);
        blocked_gemm(ki, ta, tb, M, N, kc, 1.0, ta ? A + k0 * lda : A + k0, lda, tb ? B + k0 : B + k0 * ldb, ldb,
                     P + static_cast<std::size_t>(c) * M * N, N, true, false);
    }
    for (std::size_t i = 0; i < M; ++i)
        for (std::size_t j = 0; j < N; ++j) {
            double sum = 0;
            for (std::size_t c = 0; c < chunks; ++c) sum += P[(c * M + i) * N + j];
            update_C(C[i * ldc + j], alpha, sum, beta);
        }
}

}  // namespace
}  // namespace detail

bool gemm_kernel_available(GemmKernel kernel) {
    return detail::info_for(kernel) != nullptr && detail::cpu_has(kernel);
}

bool set_gemm_kernel(GemmKernel kernel) {
    if (kernel == GemmKernel::Auto) kernel = detail::best_available();
    if (!gemm_kernel_available(kernel)) return false;
    detail::current_kernel() = kernel;
    return true;
}

GemmKernel active_gemm_kernel() { return detail::current_kernel(); }

const char* gemm_kernel_name(GemmKernel kernel) {
    switch (kernel) {
        case GemmKernel::Portable: return "portable";
        case GemmKernel::Avx2: return "avx2";
        case GemmKernel::Avx512: return "avx512";
        default: return "auto";
    }
}

void gemm(bool trans_a, bool trans_b, std::size_t M, std::size_t N, std::size_t K, double alpha, const double* A,
          std::size_t lda, const double* B, std::size_t ldb, double beta, double* C, std::size_t ldc) {
    check_gemm_arguments(trans_a, trans_b, M, N, K, alpha, A, lda, B, ldb, C, ldc);
    if (M == 0 || N == 0) return;
    if (K == 0 || alpha == 0.0) {  // nothing to multiply: C = beta·C
        detail::scale_C(M, N, beta, C, ldc);
        return;
    }
    const detail::KernelInfo& ki = *detail::info_for(detail::current_kernel());
    // Threads pay off from about a megaflop.
    const bool big_enough = 2.0 * double(M) * double(N) * double(K) >= 2e6 && max_threads() > 1;
    const bool tiny_output = M <= detail::kTinyOutputSide && N <= detail::kTinyOutputSide;
    // Dot products when both operands run along k (C = A·Bᵀ) and the output is tiny (dW2 =
    // dZ2·A1ᵀ, 10 x 25), or A has so few rows that the transposed solve below would leave most
    // of the kernel's NR lanes empty: dW of a 10-class output layer, dZ (10 x m)·A_prevᵀ, on
    // the 32-wide AVX-512 kernel. Measured for 10 rows and 50-784 columns: 1.3-1.8x faster on
    // one thread, 1.7-2.6x on two (AVX2, 16 wide: 1.3-1.56x for 7-8 rows).
    const bool few_rows = 2 * M <= ki.NR;
    if (trans_b && !trans_a && K >= 128 && ((M <= detail::kDotMaxSide && N <= detail::kDotMaxSide) || few_rows)) {
        detail::dot_gemm(ki, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, big_enough);
        return;
    }
    if (tiny_output && K >= 2 * detail::kSplitK) {
        detail::split_k_gemm(ki, trans_a, trans_b, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, big_enough);
        return;
    }
    // Otherwise only products with enough output tiles to share are worth a second thread.
    const bool parallel = big_enough && !tiny_output;
    if (trans_b && !trans_a && M <= detail::kInPlaceMaxCols && N >= 4 * M && K >= 256) {
        // A short A times a transposed B, e.g. dW1 = dZ1·Xᵀ with dZ1 (25 x m) and X (400 x m):
        // packing Bᵀ would copy all of X. Instead solve the transposed problem
        //     Cᵀ = B · Aᵀ      (N x M; B read in place as the "A" of that product)
        // into a scratch matrix T and add alpha·Tᵀ to beta·C (T is small: N x M).
        static thread_local detail::Buffer scratch;
        double* T = scratch.get(N * M);
        detail::blocked_gemm(ki, false, true, N, M, K, 1.0, B, ldb, A, lda, T, M, true, parallel);
        // C = alpha·Tᵀ + beta·C, 8 rows of C at a time (so T is read a cache line at a time),
        // the blocks of rows shared between threads from 64k values on: with 128 x 784 (a
        // mini-batch dW) a serial loop here made the whole product 11% slower on two threads.
        const std::ptrdiff_t row_blocks = static_cast<std::ptrdiff_t>((M + 7) / 8);
#ifdef _OPENMP
#pragma omp parallel for schedule(static) if (parallel && M * N >= 65536)
#endif
        for (std::ptrdiff_t rb = 0; rb < row_blocks; ++rb) {
            const std::size_t i0 = static_cast<std::size_t>(rb) * 8, i1 = std::min(M, i0 + 8);
            for (std::size_t j = 0; j < N; ++j)
                for (std::size_t i = i0; i < i1; ++i) detail::update_C(C[i * ldc + j], alpha, T[j * M + i], beta);
        }
        return;
    }
    // With beta = 0 the kernels overwrite C on the first panel (C is never read);
    // otherwise C is scaled by beta first and the kernels accumulate into it.
    if (beta != 0.0) detail::scale_C(M, N, beta, C, ldc);
    detail::blocked_gemm(ki, trans_a, trans_b, M, N, K, alpha, A, lda, B, ldb, C, ldc, beta == 0.0, parallel);
}

}  // namespace nn
