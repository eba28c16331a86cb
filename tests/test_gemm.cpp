#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "matrix/errors.hpp"
#include "matrix/gemm.hpp"
#include "matrix/parallel.hpp"
#include "matrix/random.hpp"

namespace {

struct Case {
    std::size_t M, N, K;
};

// Runs gemm and gemm_naive on the same random inputs and returns the worst error divided
// by what rounding allows: K · eps · (|alpha|·Σ|a||b| + |beta||c|) per element.
double worst_scaled_error(bool ta, bool tb, Case c, double alpha, double beta, nn::Random& rng, std::size_t pad = 3) {
    const std::size_t lda = (ta ? c.M : c.K) + pad, ldb = (tb ? c.K : c.N) + pad, ldc = c.N + pad;
    std::vector<double> A((ta ? c.K : c.M) * lda), B((tb ? c.N : c.K) * ldb), C(c.M * ldc);
    for (double& v : A) v = rng.gauss();
    for (double& v : B) v = rng.gauss();
    for (double& v : C) v = rng.gauss();
    std::vector<double> expect = C, got = C;
    nn::gemm_naive(ta, tb, c.M, c.N, c.K, alpha, A.data(), lda, B.data(), ldb, beta, expect.data(), ldc);
    nn::gemm(ta, tb, c.M, c.N, c.K, alpha, A.data(), lda, B.data(), ldb, beta, got.data(), ldc);
    double worst = 0;
    for (std::size_t i = 0; i < c.M; ++i)
        for (std::size_t j = 0; j < ldc; ++j) {
            const std::size_t at = i * ldc + j;
            if (j >= c.N) {  // padding between rows must be untouched
                if (got[at] != C[at]) return 1e300;
                continue;
            }
            double scale = std::fabs(beta * C[at]) + 1e-300;
            for (std::size_t k = 0; k < c.K; ++k) {
                double a = ta ? A[k * lda + i] : A[i * lda + k], b = tb ? B[j * ldb + k] : B[k * ldb + j];
                scale += std::fabs(alpha * a * b);
            }
            double tol = (c.K + 2) * 2.2e-16 * scale;
            worst = std::max(worst, std::fabs(got[at] - expect[at]) / tol);
        }
    return worst;
}

const std::vector<Case> kShapes = {
    {1, 1, 1},     {1, 7, 1},     {7, 1, 13},   {2, 3, 5},    {13, 17, 19},  {31, 37, 41},  {4, 32, 128},
    {5, 33, 129},  {64, 64, 64},  {1, 1000, 3}, {1000, 1, 3}, {3, 5, 1001},  {97, 3, 257},  {25, 400, 61},
    {10, 25, 400}, {25, 61, 10},  {130, 70, 300}, {389, 13, 7}, {8, 4099, 2}, {47, 128, 11}, {70, 1100, 9},
    {70, 300, 260},  // with the transpose of B: solved as (B·Aᵀ)ᵀ with 70 columns, A read in place
    {25, 401, 1000}, {64, 65, 300}, {65, 64, 300}, {63, 257, 257}, {3, 12, 256}, {10, 25, 4000},  // skinny paths
    {40, 512, 100}, {10, 256, 300},  // rows of B 2 KiB apart: packed B, then B in place, on the SIMD kernels
    {17, 31, 130}, {32, 32, 128}, {1, 1, 600}, {10, 300, 777},  // dot products (with the transpose of B)
};

std::vector<nn::GemmKernel> available_kernels() {
    std::vector<nn::GemmKernel> ks;
    for (auto k : {nn::GemmKernel::Portable, nn::GemmKernel::Avx2, nn::GemmKernel::Avx512})
        if (nn::gemm_kernel_available(k)) ks.push_back(k);
    return ks;
}

// C = alpha·op(A)·op(B) + beta·C0 (C is M x N, no padding), computed once on one thread and once
// on two; the thread count is restored after. The two must be the same bits.
struct OneAndTwoThreads {
    std::vector<double> one, two;
};
OneAndTwoThreads on_one_and_two_threads(bool ta, bool tb, std::size_t M, std::size_t N, std::size_t K, double alpha,
                                        const std::vector<double>& A, std::size_t lda, const std::vector<double>& B,
                                        std::size_t ldb, double beta, const std::vector<double>& C0) {
    OneAndTwoThreads r{C0, C0};
    const int before = nn::max_threads();
    nn::set_threads(1);
    nn::gemm(ta, tb, M, N, K, alpha, A.data(), lda, B.data(), ldb, beta, r.one.data(), N);
    nn::set_threads(2);
    nn::gemm(ta, tb, M, N, K, alpha, A.data(), lda, B.data(), ldb, beta, r.two.data(), N);
    nn::set_threads(before);
    return r;
}

struct KernelGuard {  // restores the automatic choice when a test ends
    ~KernelGuard() { nn::set_gemm_kernel(nn::GemmKernel::Auto); }
};

}  // namespace

TEST_CASE("every kernel matches the naive triple loop on odd shapes, all transposes", "[gemm]") {
    KernelGuard guard;
    nn::Random rng(7);
    for (nn::GemmKernel k : available_kernels()) {
        REQUIRE(nn::set_gemm_kernel(k));
        REQUIRE(nn::active_gemm_kernel() == k);
        for (const Case& c : kShapes)
            for (int t = 0; t < 4; ++t) {
                INFO("kernel " << nn::gemm_kernel_name(k) << " M=" << c.M << " N=" << c.N << " K=" << c.K
                               << " trans_a=" << (t & 1) << " trans_b=" << (t >> 1));
                REQUIRE(worst_scaled_error(t & 1, t >> 1, c, 1.0, 0.0, rng) <= 1.0);
            }
    }
}

TEST_CASE("alpha and beta cases, and beta = 0 ignores NaN in C", "[gemm]") {
    KernelGuard guard;
    nn::Random rng(11);
    for (nn::GemmKernel k : available_kernels()) {
        REQUIRE(nn::set_gemm_kernel(k));
        for (double alpha : {1.0, -0.5, 2.0})
            for (double beta : {0.0, 1.0, 0.25}) {
                INFO("kernel " << nn::gemm_kernel_name(k) << " alpha " << alpha << " beta " << beta);
                REQUIRE(worst_scaled_error(false, true, {29, 45, 67}, alpha, beta, rng) <= 1.0);
                REQUIRE(worst_scaled_error(true, false, {9, 130, 300}, alpha, beta, rng) <= 1.0);
            }
        std::vector<double> A{1, 2}, B{3, 4}, C{std::nan("")};
        nn::gemm(false, false, 1, 1, 2, 1.0, A.data(), 2, B.data(), 1, 0.0, C.data(), 1);
        REQUIRE(C[0] == 11.0);
        nn::gemm(false, false, 1, 1, 2, 0.0, A.data(), 2, B.data(), 1, 2.0, C.data(), 1);  // alpha 0: C = beta·C
        REQUIRE(C[0] == 22.0);
    }
}

TEST_CASE("large products: thread counts 1 and 2 give identical results", "[gemm]") {
    KernelGuard guard;
    nn::Random rng(3);
    // 150 x 700: the five loops, both operands packed; 100 x 700: solved as (B·Aᵀ)ᵀ, with the
    // transposed copy into C shared between threads
    for (Case c : {Case{150, 700, 530}, Case{100, 700, 300}}) {
        const std::size_t M = c.M, N = c.N, K = c.K;
        std::vector<double> A(M * K), B(K * N);
        for (double& v : A) v = rng.gauss();
        for (double& v : B) v = rng.gauss();
        for (nn::GemmKernel k : available_kernels()) {
            INFO("kernel " << nn::gemm_kernel_name(k) << ", " << M << " x " << N << " x " << K);
            REQUIRE(nn::set_gemm_kernel(k));
            std::vector<double> ref(M * N);
            const OneAndTwoThreads r = on_one_and_two_threads(false, true, M, N, K, 1.0, A, K, B, K, 0.0, ref);
            REQUIRE(r.one == r.two);
            const std::vector<double>& C1 = r.one;
            nn::gemm_naive(false, true, M, N, K, 1.0, A.data(), K, B.data(), K, 0.0, ref.data(), N);
            double worst = 0;
            for (std::size_t i = 0; i < ref.size(); ++i) worst = std::max(worst, std::fabs(C1[i] - ref[i]));
            REQUIRE(worst < 1e-11);
            REQUIRE(worst_scaled_error(true, false, {300, 260, 700}, 1.0, 1.0, rng) <= 1.0);
        }
    }
}

TEST_CASE("tiny outputs with a long K (dot products, split-K): thread counts 1 and 2 agree", "[gemm]") {
    // dW2 = dZ2·A1ᵀ of the assignment (10 x 25, K = 4000) takes the dot-product path; the same
    // output without the transpose, or a wider one, takes split-K. 10 x 300 (a 10-class output
    // layer's dW with 300 hidden units) takes dot products on the wide kernels.
    struct Tiny {
        bool ta, tb;
        std::size_t M, N, K;
    };
    KernelGuard guard;
    nn::Random rng(5);
    for (Tiny c : {Tiny{false, true, 10, 25, 4000}, Tiny{false, false, 10, 25, 4000}, Tiny{true, false, 10, 25, 4000},
                   Tiny{false, true, 40, 50, 3001}, Tiny{false, true, 3, 29, 4003}, Tiny{false, true, 10, 300, 1500}}) {
        const std::size_t lda = c.ta ? c.M : c.K, ldb = c.tb ? c.K : c.N;
        std::vector<double> A(c.M * c.K), B(c.N * c.K), C0(c.M * c.N);
        for (double& v : A) v = rng.gauss();
        for (double& v : B) v = rng.gauss();
        for (double& v : C0) v = rng.gauss();
        for (nn::GemmKernel k : available_kernels()) {
            INFO("kernel " << nn::gemm_kernel_name(k) << ", " << c.M << " x " << c.N << " x " << c.K);
            REQUIRE(nn::set_gemm_kernel(k));
            std::vector<double> ref = C0;
            const OneAndTwoThreads r = on_one_and_two_threads(c.ta, c.tb, c.M, c.N, c.K, 0.5, A, lda, B, ldb, -1.5, C0);
            REQUIRE(r.one == r.two);
            const std::vector<double>& C1 = r.one;
            nn::gemm_naive(c.ta, c.tb, c.M, c.N, c.K, 0.5, A.data(), lda, B.data(), ldb, -1.5, ref.data(), c.N);
            double worst = 0;
            for (std::size_t i = 0; i < ref.size(); ++i) worst = std::max(worst, std::fabs(C1[i] - ref[i]));
            REQUIRE(worst < 1e-11);
        }
    }
}

TEST_CASE("short depth (K up to 16, as in W2ᵀ·dZ2): edges, alpha, beta, threads", "[gemm]") {
    // Products whose depth is the 10 classes of an output layer: every kernel gets only a few
    // steps per tile. N = 1, 7, 9 and 1030 end in a partial sliver, M = 7, 9, 25 in a partial
    // block of rows; the helper also checks that the padding after each row of C is untouched.
    KernelGuard guard;
    nn::Random rng(13);
    for (nn::GemmKernel k : available_kernels()) {
        REQUIRE(nn::set_gemm_kernel(k));
        for (std::size_t K : {1, 2, 7, 10, 16})
            for (Case c : {Case{1, 1, K}, Case{7, 9, K}, Case{8, 8, K}, Case{9, 7, K}, Case{25, 1030, K}, Case{64, 517, K}})
                for (int ta = 0; ta < 2; ++ta) {
                    INFO("kernel " << nn::gemm_kernel_name(k) << " M=" << c.M << " N=" << c.N << " K=" << c.K << " trans_a=" << ta);
                    REQUIRE(worst_scaled_error(ta, false, c, 1.0, 0.0, rng) <= 1.0);
                    REQUIRE(worst_scaled_error(ta, false, c, -0.5, 0.25, rng) <= 1.0);
                    REQUIRE(worst_scaled_error(ta, false, c, 2.0, 1.0, rng) <= 1.0);
                }
        // W2ᵀ·dZ2 of the assignment: thread counts 1 and 2 give the same bits
        const std::size_t M = 25, N = 4000, K = 10;
        std::vector<double> A(K * M), B(K * N);
        for (double& v : A) v = rng.gauss();
        for (double& v : B) v = rng.gauss();
        const OneAndTwoThreads r = on_one_and_two_threads(true, false, M, N, K, 1.0, A, M, B, N, 0.0, std::vector<double>(M * N));
        REQUIRE(r.one == r.two);
    }
}

TEST_CASE("the kernel can be chosen and reported", "[gemm]") {
    KernelGuard guard;
    REQUIRE(nn::gemm_kernel_available(nn::GemmKernel::Portable));
    REQUIRE(nn::set_gemm_kernel(nn::GemmKernel::Portable));
    REQUIRE(std::string(nn::gemm_kernel_name(nn::active_gemm_kernel())) == "portable");
    REQUIRE(nn::set_gemm_kernel(nn::GemmKernel::Auto));
    REQUIRE(nn::active_gemm_kernel() != nn::GemmKernel::Auto);
}

TEST_CASE("bad strides and null pointers are refused before anything is read", "[gemm]") {
    std::vector<double> A(2 * 4, 1.0), B(4 * 3, 1.0), C(2 * 3, 0.0);
    // C (2 x 3) = A (2 x 4) · B (4 x 3): the right strides are 4, 3, 3
    nn::gemm(false, false, 2, 3, 4, 1.0, A.data(), 4, B.data(), 3, 0.0, C.data(), 3);
    REQUIRE(C[5] == 4.0);
    for (auto f : {nn::gemm, nn::gemm_naive}) {
        REQUIRE_THROWS_WITH(f(false, false, 2, 3, 4, 1.0, A.data(), 3, B.data(), 3, 0.0, C.data(), 3),
                            "gemm: lda = 3 but A (2 x 4) has rows of 4");
        REQUIRE_THROWS_WITH(f(true, false, 2, 3, 4, 1.0, A.data(), 1, B.data(), 3, 0.0, C.data(), 3),
                            "gemm: lda = 1 but A (4 x 2, transposed) has rows of 2");
        REQUIRE_THROWS_WITH(f(false, true, 2, 3, 4, 1.0, A.data(), 4, B.data(), 3, 0.0, C.data(), 3),
                            "gemm: ldb = 3 but B (3 x 4, transposed) has rows of 4");
        REQUIRE_THROWS_WITH(f(false, false, 2, 3, 4, 1.0, A.data(), 4, B.data(), 3, 0.0, C.data(), 2),
                            "gemm: ldc = 2 but C (2 x 3) has rows of 3");
        REQUIRE_THROWS_WITH(f(false, false, 2, 3, 4, 1.0, nullptr, 4, B.data(), 3, 0.0, C.data(), 3), "gemm: A is a null pointer");
        REQUIRE_THROWS_AS(f(false, false, 2, 3, 4, 1.0, A.data(), 4, B.data(), 3, 0.0, nullptr, 3), nn::ShapeError);
    }
    REQUIRE(C[5] == 4.0);  // untouched by the refused calls
    // Nothing to read: an empty product, or alpha = 0 (C = beta·C) needs no A or B.
    nn::gemm(false, false, 0, 3, 4, 1.0, nullptr, 0, nullptr, 0, 0.0, nullptr, 0);
    nn::gemm(false, false, 2, 3, 4, 0.0, nullptr, 0, nullptr, 0, 0.5, C.data(), 3);
    REQUIRE(C[5] == 2.0);
}
