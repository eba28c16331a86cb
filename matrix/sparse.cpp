// matrix/sparse.cpp — see sparse.hpp.
//
// Both products are one loop, A·Sᵀ for a dense A and a sparse S given by rows:
//     C(i, r) = Σ_{e in row r of S} value[e] · A(i, index[e])
//     W·X   = W·(Xᵀ)ᵀ:  S = X by columns (a row r of S is the example r: its pixels and values)
//     dZ·Xᵀ:            S = X by rows    (a row r of S is the pixel r: its examples and values)
// Column r of C is a sum of scaled columns of A, one per nonzero of row r of S. To make those
// columns contiguous, A is first copied transposed into a table, one row of 32 values per
// column of A (the 25 hidden units of the assignment fit one row; wider A are done 32 rows at
// a time; a long table is filled one block of rows at a time, just before it is read). Each
// nonzero then costs one broadcast of its value and four 8-wide multiply-adds with one row of
// the table (AVX-512; the same code is 2 x 4 AVX2 or 4 x 4 SSE2 operations; fewer when A's
// rows leave whole vectors of the row unused: see the versions after the loop).
//
// Measured here on the assignment's shapes (bench/README.md): 1.6-1.9x faster than the dense
// products for its 27% of nonzeros. Each nonzero costs 4-5 cycles where a dense product does
// the same 32 multiply-adds in about 2: it needs six reads (its index, its value, the four
// 64-byte pieces of its table row), and this core serves about 1.6 reads per cycle whatever
// their width, where the dense kernel reads 9 values for 20 multiply-adds; and every row of S
// ends with a loop exit the CPU cannot predict. Fewer reads is what helps: with AVX-512, X's
// rows are listed in pairs for dZ·Xᵀ, so that each table row read serves two rows of S (see
// "the inner loop for pairs of rows" below).
#include "matrix/sparse.hpp"

#include <algorithm>
#include <cstring>

#include "matrix/gemm_kernels.hpp"
#include "matrix/parallel.hpp"
#include "matrix/vecmath.hpp"

namespace nn {
namespace {

constexpr std::size_t kLanes = 32;  // one table row: 32 doubles, four 64-byte lines

// Blocks of S's columns (see SparseRows): a table of at most 512 rows (128 KB, in L2) is read
// whole; a longer one (the 4000 examples of dZᵀ) 128 rows (32 KB, in L1) at a time. Measured:
// dZ·Xᵀ 1.7x faster in 128-row blocks than whole; W·X (a 400-row table) gains nothing from
// blocks of 128 or 200 rows (0.9-1.0x).
std::size_t block_for(std::size_t cols) { return cols == 0 ? 1 : cols <= 512 ? cols : 128; }

// An empty SparseRows of the given shape, with its blocks and an offset per list set to 0.
SparseRows empty_rows(std::size_t rows, std::size_t cols) {
    SparseRows s;
    s.rows = rows;
    s.cols = cols;
    if (cols > UINT32_MAX) throw ShapeError("SparseMatrix: more than 2^32 - 1 columns do not fit 32-bit indices");
    s.block = block_for(cols);
    s.start.assign(rows * s.blocks() + 1, 0);
    return s;
}

// 1 if v is not 0 (a NaN counts as nonzero), 0 for +0 and −0, read off the bits with the sign
// shifted out: two integer instructions and no branch, where `v != 0.0`, which must also catch
// NaN, compiles to a comparison of doubles and two tests of its flags.
inline std::size_t nonzero(double v) {
    std::uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    return (bits << 1) != 0;
}

// Both lists of x's nonzeros, each list with its entries in increasing column order. An entry
// x(i, j) belongs to list (j / block)·rows + i of S = x (row i in its block of columns), and to
// list (i / block)·cols + j of S = xᵀ (see SparseRows). Three passes, none with a branch that
// depends on the values (a test of each of x's 1.6 million values, 27% of them nonzero, would
// be mispredicted about a third of the time); nonzero(v) counts as 1 or 0:
//   1. count the entries of every list, and turn the counts into offsets;
//   2. list each row of x, block by block: every value is written to the end of the row's
//      list in a scratch buffer, which only moves on when the value is nonzero;
//   3. deal the entries of the lists by rows out to the lists by columns (going through them in
//      increasing row order, so each list by columns also ends up in order).
// Measured on the digits' 400 x 4000 X, fresh lists each time: 7-11 ms against 15-18 ms for the
// same lists from two passes that test each value with a branch.
void list_nonzeros(const Matrix& x, SparseRows& by_row, SparseRows& by_column) {
    const std::size_t rows = x.rows(), cols = x.cols();
    by_row = empty_rows(rows, cols);
    by_column = empty_rows(cols, rows);
    const std::size_t row_block = by_row.block, column_block = by_column.block;
    for (std::size_t i = 0; i < rows; ++i) {  // 1.
        const double* row = x.data() + i * cols;
        std::size_t* column_counts = &by_column.start[(i / column_block) * cols + 1];
        for (std::size_t q = 0; q < by_row.blocks(); ++q) {
            std::size_t n = 0;  // row i's entries in block q
            for (std::size_t j = q * row_block; j < std::min(cols, (q + 1) * row_block); ++j) {
                const std::size_t counts = nonzero(row[j]);
                column_counts[j] += counts;
                n += counts;
            }
            by_row.start[q * rows + i + 1] = n;
        }
    }
    for (SparseRows* s : {&by_row, &by_column}) {
        for (std::size_t k = 1; k < s->start.size(); ++k) s->start[k] += s->start[k - 1];  // counts → offsets
        s->index.resize(s->start.back());
        s->value.resize(s->start.back());
    }
    std::vector<std::uint32_t> kept_index(row_block);  // one list in the making (each value is
    std::vector<double> kept_value(row_block);         // written at its end, which moves on if nonzero)
    for (std::size_t i = 0; i < rows; ++i) {  // 2.
        const double* row = x.data() + i * cols;
        for (std::size_t q = 0; q < by_row.blocks(); ++q) {
            std::size_t n = 0;
            for (std::size_t j = q * row_block; j < std::min(cols, (q + 1) * row_block); ++j) {
                kept_index[n] = static_cast<std::uint32_t>(j);
                kept_value[n] = row[j];
                n += nonzero(row[j]);
            }
            const std::size_t e = by_row.start[q * rows + i];
            std::copy(kept_index.begin(), kept_index.begin() + n, by_row.index.begin() + e);
            std::copy(kept_value.begin(), kept_value.begin() + n, by_row.value.begin() + e);
        }
    }
    std::vector<std::size_t> next(by_column.start.begin(), by_column.start.end() - 1);  // 3.
    for (std::size_t q = 0; q < by_row.blocks(); ++q)
        for (std::size_t i = 0; i < rows; ++i) {
            std::size_t* next_of_column = &next[(i / column_block) * cols];
            for (std::size_t e = by_row.start[q * rows + i]; e < by_row.start[q * rows + i + 1]; ++e) {
                const std::size_t et = next_of_column[by_row.index[e]]++;
                by_column.index[et] = static_cast<std::uint32_t>(i);
                by_column.value[et] = by_row.value[e];
            }
        }
}

// Rows 2g and 2g + 1 of S merged into list g, block by block (see SparseRows): the union of
// their columns, in increasing order, with both values per entry (0 for the row that has none).
SparseRows merge_pairs(const SparseRows& S) {
    SparseRows P = S;
    P.merged = 2;
    P.start.assign(1, 0);
    P.index.clear();
    P.value.clear();
    P.index.reserve(S.index.size());  // (at most: when the two rows never share a column)
    P.value.reserve(2 * S.index.size());
    for (std::size_t q = 0; q < S.blocks(); ++q)
        for (std::size_t g = 0; g < P.lists(); ++g) {
            const std::size_t r = 2 * g, row_ends = q * S.rows + std::min(S.rows, r + 2);
            std::size_t a = S.start[q * S.rows + r], b = S.start[q * S.rows + r + 1];  // rows r, r + 1
            const std::size_t a_end = b, b_end = S.start[row_ends];
            while (a < a_end || b < b_end) {
                const std::uint32_t ia = a < a_end ? S.index[a] : UINT32_MAX, ib = b < b_end ? S.index[b] : UINT32_MAX;
                const std::uint32_t column = std::min(ia, ib);
                P.index.push_back(column);
                P.value.push_back(ia == column ? S.value[a++] : 0.0);
                P.value.push_back(ib == column ? S.value[b++] : 0.0);
            }
            P.start.push_back(P.index.size());
        }
    return P;
}

// ---- the inner loop, compiled once per instruction set --------------------------------------
// For `rows` consecutive rows of S, whose entries run from start[0] to start[rows], and the
// Vecs·W lanes of a table row from `offset` on:
//     acc[r·32 + lanes] += Σ_{e in [start[r], start[r+1])} value[e] · table[(index[e] − c0)·32 + lanes]
// where c0 = first_column, the column of S whose table row comes first (the table holds one
// block of columns). With first = true, acc is not read: the sums start from 0.
// Written with a GNU vector type of the CPU's width (Vec: 8 doubles with AVX-512, 4 with
// AVX2, 2 with SSE2 or NEON), so that every line below is one instruction per vector.
//   * `Vecs` vectors of partial sums are held in registers: the whole row of 32 with AVX-512
//     (4 x 8) and AVX2 (8 x 4); with SSE2's 16 registers only half of it (8 x 2), so the entries
//     are gone through twice, once for each half (see sum_rows_baseline).
//   * With `Sets` = 2 the entries alternate between two sets of partial sums, so that a
//     multiply-add does not wait for the previous one on the same sum to finish (with AVX-512,
//     4 sums would wait; 8 keep both FMA units busy). AVX2 already has 8.
template <class Vec, int Vecs, int Sets>
__attribute__((always_inline)) inline void sum_rows_body(const std::size_t* start, std::size_t rows,
                                                         const std::uint32_t* index, const double* value,
                                                         const double* table, std::size_t first_column, double* acc,
                                                         bool first, std::size_t offset) {
    constexpr int W = sizeof(Vec) / sizeof(double);  // doubles in a vector
    for (std::size_t r = 0; r < rows; ++r) {
        double* out = acc + r * kLanes + offset;
        Vec s[Sets][Vecs];
        for (int v = 0; v < Vecs; ++v) {
            if (first) s[0][v] = Vec{};
            else std::memcpy(&s[0][v], out + v * W, sizeof(Vec));
            for (int k = 1; k < Sets; ++k) s[k][v] = Vec{};
        }
        std::size_t e = start[r];
        for (; e + Sets <= start[r + 1]; e += Sets)
            for (int k = 0; k < Sets; ++k) {
                const double* row = table + (std::size_t{index[e + k]} - first_column) * kLanes + offset;
                // (An empty asm that "changes" row: the compiler must then keep the row's
                // address in a register, and reads the four vectors at fixed offsets from
                // it. Left alone, GCC reads them as table + index·8 + offset, a form that
                // costs Intel CPUs an extra micro-operation per read: 1.05-1.1x here.)
                asm("" : "+r"(row));
                const double x = value[e + k];
                for (int v = 0; v < Vecs; ++v) {
                    Vec t;
                    std::memcpy(&t, row + v * W, sizeof t);
                    s[k][v] += x * t;  // partial sums += value · table row
                }
            }
        for (; e < start[r + 1]; ++e) {  // the last entry when the count is odd
            const double* row = table + (std::size_t{index[e]} - first_column) * kLanes + offset;
            for (int v = 0; v < Vecs; ++v) {
                Vec t;
                std::memcpy(&t, row + v * W, sizeof t);
                s[0][v] += value[e] * t;
            }
        }
        for (int v = 0; v < Vecs; ++v) {
            for (int k = 1; k < Sets; ++k) s[0][v] += s[k][v];
            std::memcpy(out + v * W, &s[0][v], sizeof(Vec));
        }
    }
}

// One version per instruction set. Each also takes the number of lanes in use: when A has fewer
// rows than a table row has lanes (25 hidden units in 32 lanes), the last vectors of each table
// row are partly or wholly padding, and a shorter loop that stops after the last vector in use
// skips them. (The sums of the lanes skipped are never read: only `lanes` of them are copied into
// C.) Measured on a whole training iteration of the digits, in one process, on one and two
// threads: AVX2 with 25 hidden units 1.06-1.07x faster (7 vectors of 4 instead of 8), AVX-512
// with 20 hidden units 1.11-1.13x (3 vectors of 8 instead of 4), the baseline version (SSE2
// here; what ARM builds run) with 25 hidden units 1.10-1.11x (13 pairs instead of 16).
using SumRows = void (*)(const std::size_t* start, std::size_t rows, const std::uint32_t* index, const double* value,
                         const double* table, std::size_t first_column, double* acc, bool first, std::size_t lanes);
typedef double Vec2 __attribute__((vector_size(16)));

// SSE2 / NEON: half a table row of sums at a time (8 pairs), so each row of S is gone through
// twice, the second time for lanes 16-31 (or only 16-25, in 5 pairs), while its entries are
// still in L1; with at most 16 lanes in use, once.
void sum_rows_baseline(const std::size_t* start, std::size_t rows, const std::uint32_t* index, const double* value,
                       const double* table, std::size_t first_column, double* acc, bool first, std::size_t lanes) {
    for (std::size_t r = 0; r < rows; ++r) {
        double* acc_r = acc + r * kLanes;
        sum_rows_body<Vec2, 8, 1>(start + r, 1, index, value, table, first_column, acc_r, first, 0);
        if (lanes > 26) sum_rows_body<Vec2, 8, 1>(start + r, 1, index, value, table, first_column, acc_r, first, 16);
        else if (lanes > 16)
            sum_rows_body<Vec2, 5, 1>(start + r, 1, index, value, table, first_column, acc_r, first, 16);
    }
}

// AVX2 and AVX-512: the whole table row of sums fits in registers (`Vecs` vectors, one pass
// over the entries), or one vector fewer when the lanes in use fit in those (AVX2: 7 x 4 = 28
// lanes, AVX-512: 3 x 8 = 24).
template <class Vec, int Vecs, int Sets>
__attribute__((always_inline)) inline void sum_rows_in_one_pass(const std::size_t* start, std::size_t rows,
                                                                const std::uint32_t* index, const double* value,
                                                                const double* table, std::size_t first_column,
                                                                double* acc, bool first, std::size_t lanes) {
    constexpr std::size_t fewer_lanes = (Vecs - 1) * (sizeof(Vec) / sizeof(double));
    if (lanes <= fewer_lanes)
        sum_rows_body<Vec, Vecs - 1, Sets>(start, rows, index, value, table, first_column, acc, first, 0);
    else
        sum_rows_body<Vec, Vecs, Sets>(start, rows, index, value, table, first_column, acc, first, 0);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
typedef double Vec4 __attribute__((vector_size(32)));
typedef double Vec8 __attribute__((vector_size(64)));
__attribute__((target("avx2,fma"))) void sum_rows_avx2(const std::size_t* start, std::size_t rows,
                                                       const std::uint32_t* index, const double* value,
                                                       const double* table, std::size_t first_column, double* acc,
                                                       bool first, std::size_t lanes) {
    sum_rows_in_one_pass<Vec4, 8, 1>(start, rows, index, value, table, first_column, acc, first, lanes);
}
__attribute__((target("avx512f"))) void sum_rows_avx512(const std::size_t* start, std::size_t rows,
                                                        const std::uint32_t* index, const double* value,
                                                        const double* table, std::size_t first_column, double* acc,
                                                        bool first, std::size_t lanes) {
    sum_rows_in_one_pass<Vec8, 4, 2>(start, rows, index, value, table, first_column, acc, first, lanes);
}
#endif

// ---- the inner loop for pairs of rows (SparseRows::merged = 2) -------------------------------
// For the lists [0, lists) of pairs of rows, and the Vecs·W lanes of a table row from `offset`:
//     acc[2g·32 + lanes]       += Σ_{e in list g} value[2e]     · table[(index[e] − c0)·32 + lanes]
//     acc[(2g + 1)·32 + lanes] += Σ_{e in list g} value[2e + 1] · table[(index[e] − c0)·32 + lanes]
// Each table row is read once and serves both rows' sums. That is the gain: this loop's pace is
// set by its reads (each nonzero of a single row needs six: its index, its value and four pieces
// of a table row; this core serves about 1.6 a cycle), and for the digits a list of pairs has
// 0.59 as many entries as the two rows had, each with seven reads. Measured with AVX-512, in
// one process: dZ·Xᵀ 1.06-1.14x faster, a whole training iteration 1.035-1.056x on one thread
// and 1.029-1.047x on two; with AVX2 and SSE2 0.84-0.87x and 0.78-0.79x (see RowLists).

// Keeps a vector just read from memory in a register. Left alone, GCC reads it from memory a
// second time for the second multiply-add (which can take one operand from memory), and
// reads are what this loop waits on.
template <class Vec>
__attribute__((always_inline)) inline void keep_in_register(Vec& v) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    asm("" : "+v"(v));
#elif defined(__aarch64__) && (defined(__GNUC__) || defined(__clang__))
    asm("" : "+w"(v));
#else
    (void)v;
#endif
}

template <class Vec, int Vecs>
__attribute__((always_inline)) inline void sum_pairs_body(const std::size_t* start, std::size_t lists,
                                                          const std::uint32_t* index, const double* value,
                                                          const double* table, std::size_t first_column, double* acc,
                                                          bool first, std::size_t offset) {
    constexpr int W = sizeof(Vec) / sizeof(double);  // doubles in a vector
    for (std::size_t g = 0; g < lists; ++g) {
        double* out[2] = {acc + 2 * g * kLanes + offset, acc + (2 * g + 1) * kLanes + offset};
        Vec s[2][Vecs];  // the partial sums of the two rows
        for (int m = 0; m < 2; ++m)
            for (int v = 0; v < Vecs; ++v) {
                if (first) s[m][v] = Vec{};
                else std::memcpy(&s[m][v], out[m] + v * W, sizeof(Vec));
            }
        for (std::size_t e = start[g]; e < start[g + 1]; ++e) {
            const double* row = table + (std::size_t{index[e]} - first_column) * kLanes + offset;
            asm("" : "+r"(row));  // (the row's address in a register: see sum_rows_body)
            const double x0 = value[2 * e], x1 = value[2 * e + 1];
            for (int v = 0; v < Vecs; ++v) {
                Vec t;
                std::memcpy(&t, row + v * W, sizeof t);
                keep_in_register(t);
                s[0][v] += x0 * t;  // row 2g:     partial sums += its value · table row
                s[1][v] += x1 * t;  // row 2g + 1: the same table row, its own value
            }
        }
        for (int m = 0; m < 2; ++m)
            for (int v = 0; v < Vecs; ++v) std::memcpy(out[m] + v * W, &s[m][v], sizeof(Vec));
    }
}

// The lanes in passes of up to `Vecs` vectors, each list's entries gone through once per pass
// (while they are in L1): two rows of sums and one table row have to fit in the registers
// (AVX2 and SSE2 have 16: passes of 4 vectors; AVX-512 has 32: the whole row of 4 vectors in
// one pass, or 3 for up to 24 lanes).
template <class Vec, int Vecs>
__attribute__((always_inline)) inline void sum_pairs_in_passes(const std::size_t* start, std::size_t lists,
                                                               const std::uint32_t* index, const double* value,
                                                               const double* table, std::size_t first_column,
                                                               double* acc, bool first, std::size_t lanes) {
    constexpr std::size_t W = sizeof(Vec) / sizeof(double);
    const bool one_pass = lanes <= Vecs * W;
    for (std::size_t g = 0; g < lists; g += one_pass ? lists : 1) {
        const std::size_t n = one_pass ? lists : 1;  // lists in this call
        double* acc_g = acc + 2 * g * kLanes;
        for (std::size_t offset = 0; offset < lanes; offset += Vecs * W) {
            const std::size_t vecs = std::min<std::size_t>(Vecs, (lanes - offset + W - 1) / W);  // in use
            if (vecs == Vecs) sum_pairs_body<Vec, Vecs>(start + g, n, index, value, table, first_column, acc_g, first, offset);
            else if (vecs == 3) sum_pairs_body<Vec, 3>(start + g, n, index, value, table, first_column, acc_g, first, offset);
            else if (vecs == 2) sum_pairs_body<Vec, 2>(start + g, n, index, value, table, first_column, acc_g, first, offset);
            else sum_pairs_body<Vec, 1>(start + g, n, index, value, table, first_column, acc_g, first, offset);
        }
    }
}

void sum_pairs_baseline(const std::size_t* start, std::size_t lists, const std::uint32_t* index, const double* value,
                        const double* table, std::size_t first_column, double* acc, bool first, std::size_t lanes) {
    sum_pairs_in_passes<Vec2, 4>(start, lists, index, value, table, first_column, acc, first, lanes);
}
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
__attribute__((target("avx2,fma"))) void sum_pairs_avx2(const std::size_t* start, std::size_t lists,
                                                        const std::uint32_t* index, const double* value,
                                                        const double* table, std::size_t first_column, double* acc,
                                                        bool first, std::size_t lanes) {
    sum_pairs_in_passes<Vec4, 4>(start, lists, index, value, table, first_column, acc, first, lanes);
}
__attribute__((target("avx512f"))) void sum_pairs_avx512(const std::size_t* start, std::size_t lists,
                                                         const std::uint32_t* index, const double* value,
                                                         const double* table, std::size_t first_column, double* acc,
                                                         bool first, std::size_t lanes) {
    sum_pairs_in_passes<Vec8, 4>(start, lists, index, value, table, first_column, acc, first, lanes);
}
#endif

// The version for the SIMD level in use (NN_SIMD, as for the element-wise loops of vecmath),
// for lists of single rows or of pairs.
SumRows sum_rows_for_cpu(std::size_t merged) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    if (active_simd_level() == SimdLevel::Avx512) return merged == 2 ? sum_pairs_avx512 : sum_rows_avx512;
    if (active_simd_level() == SimdLevel::Avx2) return merged == 2 ? sum_pairs_avx2 : sum_rows_avx2;
#endif
    return merged == 2 ? sum_pairs_baseline : sum_rows_baseline;
}

// ---- C = A·Sᵀ --------------------------------------------------------------------------------

// Columns [c0, c1) of rows i0 .. i0+lanes−1 of A, transposed into table rows 0 .. c1−c0−1:
// table[(c − c0)·32 + l] = A(i0 + l, c), and 0 in the lanes past `lanes`. This is the GEMM's
// transposing pack (gemm_kernels.hpp; with AVX-512, 8 x 8 blocks transposed in registers).
void fill_table(const Matrix& A, std::size_t i0, std::size_t lanes, std::size_t c0, std::size_t c1, double* table) {
    const detail::KernelInfo* avx512 = detail::avx512_kernel_info();
    const detail::PackRows pack = avx512 && active_simd_level() == SimdLevel::Avx512 ? avx512->pack_rows
                                                                                    : detail::pack_rows_generic;
    pack(A.data() + i0 * A.cols() + c0, A.cols(), lanes, kLanes, c1 - c0, table);
}

// The first list of thread t's share of S's lists (rows, or pairs of rows) when `parts` threads
// share them: the lists are cut where the count of entries before them reaches t/parts of all
// (pixels at the border of an image have no entries, those in the middle many, so equal counts
// of lists would not do).
std::size_t first_list_of_part(const SparseRows& S, std::size_t t, std::size_t parts) {
    const std::size_t lists = S.lists();
    if (t >= parts) return lists;  // the end of the last share (with the empty lists at the end)
    const std::size_t target = S.index.size() * t / parts;
    std::size_t g = 0, entries = 0;
    for (; g < lists && entries < target; ++g)
        for (std::size_t q = 0; q < S.blocks(); ++q) entries += S.start[q * lists + g + 1] - S.start[q * lists + g];
    return g;
}

// C(i, r) = Σ_{e in row r of S} value[e] · A(i, index[e]), for rows i0..i0+lanes−1 of A and
// the rows of S's lists [g0, g1).
// When S is stored in several blocks of columns, all the lists go through one block before the
// next: the block's rows of the table (128 x 32 values, 32 KB) are filled just before, into the
// same small buffer each time, and read from L1 by all the lists; the partial sums wait in `acc`.
// (Filling the whole table first, 1 MB for dZ1ᵀ, wrote it to memory the caches had to fetch
// first; the buffer reused block after block stays in cache: a training iteration with AVX-512
// 1.02-1.03x faster on one thread, 1.03-1.06x on two, where each thread now fills the blocks
// it reads; with AVX2 and SSE2 1.0-1.03x.)
// With a single block (W·X: the 400 rows of W1ᵀ), the table is filled once, and 64 lists at a
// time keep their sums in L1. If `bias` is given, C(i, r) gets bias[i] added as it is written.
void rows_times_table(const SparseRows& S, std::size_t g0, std::size_t g1, const Matrix& A, SumRows sum_rows,
                      Matrix& C, std::size_t i0, std::size_t lanes, const double* bias) {
    const bool one_block = S.blocks() == 1;
    const std::size_t chunk = one_block ? 64 : g1 - g0, lists = S.lists();
    Matrix acc = Matrix::uninitialized(std::min(chunk, g1 - g0) * S.merged, kLanes);  // 32 sums per row of S
    Matrix table = Matrix::uninitialized(S.block, kLanes);  // one block's table rows, 64-byte aligned
    if (one_block) fill_table(A, i0, lanes, 0, S.cols, table.data());
    for (std::size_t c0 = g0; c0 < g1; c0 += chunk) {
        const std::size_t c1 = std::min(g1, c0 + chunk);
        for (std::size_t q = 0; q < S.blocks(); ++q) {  // (block 0 starts the sums from 0)
            const std::size_t first_column = q * S.block;
            if (!one_block)
                fill_table(A, i0, lanes, first_column, std::min(S.cols, first_column + S.block), table.data());
            sum_rows(&S.start[q * lists + c0], c1 - c0, S.index.data(), S.value.data(), table.data(), first_column,
                     acc.data(), q == 0, lanes);
        }
        const std::size_t r0 = c0 * S.merged, r1 = std::min(S.rows, c1 * S.merged);  // the rows of those lists
        for (std::size_t l = 0; l < lanes; ++l) {
            const double b = bias ? bias[i0 + l] : 0.0;
            for (std::size_t r = r0; r < r1; ++r) C(i0 + l, r) = bias ? acc(r - r0, l) + b : acc(r - r0, l);
        }
    }
}

// C = A·Sᵀ (+ bias, one value per row of A, when given)
Matrix times_transposed(const Matrix& A, const SparseRows& S, const std::string& what, const double* bias) {
    if (A.cols() != S.cols)
        throw ShapeError("matmul: shapes " + A.shape() + " and " + what + " not aligned: " + std::to_string(A.cols()) +
                         " (dim 1) != " + std::to_string(S.cols) + " (dim 0)");
    if (A.rows() == 0 || S.rows == 0 || S.cols == 0) {  // no terms: every sum is 0 (+ bias)
        Matrix C = Matrix::zeros(A.rows(), S.rows);
        for (std::size_t i = 0; bias && i < C.rows(); ++i)
            for (std::size_t r = 0; r < C.cols(); ++r) C(i, r) += bias[i];
        return C;
    }
    Matrix C = Matrix::uninitialized(A.rows(), S.rows);  // every entry is written below
    const SumRows sum_rows = sum_rows_for_cpu(S.merged);
    for (std::size_t i0 = 0; i0 < A.rows(); i0 += kLanes) {  // 32 rows of A at a time
        const std::size_t lanes = std::min(kLanes, A.rows() - i0);
        // Each thread takes one share of S's rows. Every entry of C is the work of one thread,
        // in a fixed order, so the result does not depend on the thread count.
        const bool parallel = S.index.size() * S.merged * lanes >= 65536;
#ifdef _OPENMP
#pragma omp parallel if (parallel)
#endif
        {
#ifdef _OPENMP
            const std::size_t t = static_cast<std::size_t>(omp_get_thread_num());
            const std::size_t parts = static_cast<std::size_t>(omp_get_num_threads());
#else
            const std::size_t t = 0, parts = 1;  // (built without OpenMP: one thread does all)
            (void)parallel;
#endif
            rows_times_table(S, first_list_of_part(S, t, parts), first_list_of_part(S, t + 1, parts), A, sum_rows, C,
                             i0, lanes, bias);
        }
    }
    return C;
}

}  // namespace

SparseMatrix::SparseMatrix(const Matrix& dense, RowLists rows) : rows_(dense.rows()), cols_(dense.cols()) {
    list_nonzeros(dense, by_row_, by_column_);
    if (rows == RowLists::Pairs || (rows == RowLists::Auto && active_simd_level() == SimdLevel::Avx512))
        by_row_ = merge_pairs(by_row_);
}

double SparseMatrix::density() const {
    return rows_ * cols_ == 0 ? 0.0 : static_cast<double>(nonzeros()) / static_cast<double>(rows_ * cols_);
}

std::string SparseMatrix::shape() const { return "(" + std::to_string(rows_) + ", " + std::to_string(cols_) + ")"; }

Matrix SparseMatrix::to_dense() const {
    Matrix d = Matrix::zeros(rows_, cols_);
    const SparseRows& s = by_column_;  // its row c lists column c of the matrix
    for (std::size_t q = 0; q < s.blocks(); ++q)
        for (std::size_t c = 0; c < cols_; ++c)
            for (std::size_t e = s.start[q * cols_ + c]; e < s.start[q * cols_ + c + 1]; ++e) d(s.index[e], c) = s.value[e];
    return d;
}

bool mostly_zeros(const Matrix& x) {
    std::size_t count = 0;
    for (double v : x) count += nonzero(v);
    return x.size() > 0 && 3 * count <= x.size();
}

// A·B = A·(Bᵀ)ᵀ: the rows of Bᵀ are B's columns.
Matrix matmul(const Matrix& a, const SparseMatrix& b) { return times_transposed(a, b.by_column(), b.shape(), nullptr); }

Matrix matmul_plus_bias(const Matrix& W, const SparseMatrix& X, const Matrix& b) {
    if (b.rows() != W.rows() || b.cols() != 1)
        throw ShapeError("matmul_plus_bias: b has shape " + b.shape() + " but W·X has " + std::to_string(W.rows()) +
                         " rows: b must be (" + std::to_string(W.rows()) + ", 1)");
    return times_transposed(W, X.by_column(), X.shape(), b.data());
}

Matrix matmul(const Matrix& a, SparseTransposed b) {
    const std::string shape = "(" + std::to_string(b.of.cols()) + ", " + std::to_string(b.of.rows()) + ")";
    return times_transposed(a, b.of.by_row(), shape, nullptr);
}

}  // namespace nn
