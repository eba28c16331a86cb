// bench/bench_gemm.cpp — GFLOP/s of nn::gemm next to the naive triple loop and, when an
// OpenBLAS library can be loaded at run time (Debian: libopenblas-dev), cblas_dgemm — all
// in one process, ours and OpenBLAS timed in alternating rounds, so the ratios are fair on a
// noisy shared machine. Medians of repeats. The last column, the "memory floor", is how fast
// the product would go if it took only as long as reading its operands and writing C once.
//
// usage: build/bench_gemm [--quick] [--shapes square|training|all] [--kernels] [--svg FILE]
//                          [--openblas-core NAME]
//   --kernels   also time each micro-kernel (portable, avx2, avx512), one thread, on every shape
//               whose naive loop the table times (all but square 2048), as a ratio to it
//   --svg FILE  also draw the table as a bar chart (log scale), ours next to the naive loop and OpenBLAS
//   --openblas-core NAME  load OpenBLAS with OPENBLAS_CORETYPE=NAME (e.g. SkylakeX, Haswell), and
//               leave out the naive loop and the memory floor (a second table, next to one
//               with OpenBLAS's own choice of core; see make bench)
// For OpenBLAS's own choice of kernels, unset OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for this
// command alone:  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE build/bench_gemm
// (make bench does that). Some OpenBLAS builds do not recognise newer or virtual CPUs and then
// fall back to a generic core ("Prescott"), so on a CPU with AVX-512 make bench also runs
// build/bench_gemm --openblas-core SkylakeX: the fair reference.
#include <dlfcn.h>
#include <stdlib.h>  // setenv (POSIX)

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "matrix/gemm.hpp"
#include "matrix/parallel.hpp"
#include "matrix/random.hpp"
#include "nn/plot.hpp"

namespace {

struct Shape {
    const char* name;
    bool ta, tb;
    std::size_t M, N, K;
};

using cblas_dgemm_t = void (*)(int, int, int, int, int, int, double, const double*, int, const double*, int, double,
                               double*, int);
using set_threads_t = void (*)(int);
using corename_t = char* (*)();
cblas_dgemm_t cblas = nullptr;
set_threads_t openblas_set_threads = nullptr;
corename_t openblas_corename = nullptr;

void load_openblas() {
    for (const char* lib : {"libopenblas.so.0", "libopenblas.so", "libopenblasp.so.0"}) {
        void* h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
        if (!h) continue;
        cblas = reinterpret_cast<cblas_dgemm_t>(dlsym(h, "cblas_dgemm"));
        openblas_set_threads = reinterpret_cast<set_threads_t>(dlsym(h, "openblas_set_num_threads"));
        openblas_corename = reinterpret_cast<corename_t>(dlsym(h, "openblas_get_corename"));
        if (cblas) return;
    }
}

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

// Median seconds of one call, repeating until about `budget` seconds have been spent.
template <class F>
double median_time(F f, double budget) {
    f();  // warm up (page faults, packing buffers)
    std::vector<double> t;
    double start = now();
    while (t.size() < 3 || (now() - start < budget && t.size() < 200)) {
        double t0 = now();
        f();
        t.push_back(now() - t0);
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

// Medians of two calls timed in alternation, so that a slow spell of a shared machine hits
// both alike and their ratio stays fair. On one thread they take turns call by call, each
// timed call right after an untimed one of its own: the operands are then as warm as in a
// training loop, which calls the same product on the same X every iteration (timed straight
// after the other library's call, a 12.8 MB X comes back from memory instead).
// With worker threads they take turns in rounds (each for a tenth of the budget), with a
// 0.2 s pause after each round: both libraries keep their workers spinning for a while after
// a call (OpenBLAS's for up to ~0.1 s), and a spinning worker of one would steal the second
// core from the other.
template <class F, class G>
std::pair<double, double> median_times_alternating(F f, G g, double budget, bool threaded) {
    std::vector<double> tf, tg;
    auto timed = [](auto call, std::vector<double>& times) {
        const double t0 = now();
        call();
        times.push_back(now() - t0);
    };
    f();  // warm up (page faults, packing buffers, waking threads)
    g();
    const double start = now();
    if (!threaded) {
        while (tf.size() < 3 || (now() - start < budget && tf.size() < 200)) {
            f();
            timed(f, tf);
            g();
            timed(g, tg);
        }
    } else {
        auto round = [&](auto call, std::vector<double>& times) {
            call();  // wake the workers
            const double round_start = now();
            do timed(call, times);
            while (now() - round_start < budget / 10 && times.size() < 200);
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        };
        for (int r = 0; r < 5; ++r) {
            round(f, tf);
            round(g, tg);
        }
    }
    std::sort(tf.begin(), tf.end());
    std::sort(tg.begin(), tg.end());
    return {tf[tf.size() / 2], tg[tg.size() / 2]};
}

struct Operands {
    std::vector<double> A, B, C;
    std::size_t lda, ldb;
    explicit Operands(const Shape& s) {
        nn::Random rng(1);
        A.resize(s.M * s.K);
        B.resize(s.K * s.N);
        C.resize(s.M * s.N);
        for (double& v : A) v = rng.random_double() - 0.5;
        for (double& v : B) v = rng.random_double() - 0.5;
        lda = s.ta ? s.M : s.K;
        ldb = s.tb ? s.K : s.N;
    }
};

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
// The core's double-precision FMA peak: 16 independent chains of AVX-512 (or AVX2) FMAs,
// nothing else. GEMM results are quoted as a fraction of this.
__attribute__((target("avx512f"))) double peak_avx512(long n) {
    volatile double factor = 1.0000001;  // a volatile read: the compiler may not treat this as pure
    __m512d acc[16], x = _mm512_set1_pd(factor), y = _mm512_set1_pd(0.9999999);
    for (int k = 0; k < 16; ++k) acc[k] = _mm512_set1_pd(1.0 + 1e-3 * k);  // distinct chains
    for (long i = 0; i < n; ++i)
        for (auto& a : acc) a = _mm512_fmadd_pd(a, x, y);
    alignas(64) double out[8];
    double sink = 0;
    for (auto& a : acc) {
        _mm512_store_pd(out, a);
        for (double v : out) sink += v;
    }
    return sink;
}
__attribute__((target("avx2,fma"))) double peak_avx2(long n) {
    volatile double factor = 1.0000001;
    __m256d acc[12], x = _mm256_set1_pd(factor), y = _mm256_set1_pd(0.9999999);
    for (int k = 0; k < 12; ++k) acc[k] = _mm256_set1_pd(1.0 + 1e-3 * k);
    for (long i = 0; i < n; ++i)
        for (auto& a : acc) a = _mm256_fmadd_pd(a, x, y);
    alignas(32) double out[4];
    double sink = 0;
    for (auto& a : acc) {
        _mm256_store_pd(out, a);
        sink += out[0] + out[1] + out[2] + out[3];
    }
    return sink;
}
#endif

// Measured FMA peak in GFLOP/s of `threads` cores running at once, with the vectors of the
// kernel in use (0 if unknown). Two cores of a virtual machine need not give twice one core's.
double measure_peak(int threads) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    volatile long n_volatile = 20000000;  // not a compile-time constant
    const long n = n_volatile;
    const nn::GemmKernel kernel = nn::active_gemm_kernel();  // the peak of the vectors it uses
    if (kernel != nn::GemmKernel::Avx512 && kernel != nn::GemmKernel::Avx2) return 0;
#ifndef _OPENMP
    if (threads > 1) return 0;
#endif
    auto run = [&] {
        double sink = 0;
#ifdef _OPENMP
#pragma omp parallel num_threads(threads) reduction(+ : sink)
#endif
        sink += kernel == nn::GemmKernel::Avx512 ? peak_avx512(n) : peak_avx2(n);
        return sink;
    };
    // The best of several runs: a shared machine only ever slows a run down.
    volatile double sink = 0;
    double t = 1e300;
    for (int r = 0; r < 7; ++r) {
        const double t0 = now();
        sink = sink + run();
        t = std::min(t, now() - t0);
    }
    const double flops_per_core = kernel == nn::GemmKernel::Avx512 ? 16.0 * 8 * 2 * double(n) : 12.0 * 4 * 2 * double(n);
    return threads * flops_per_core / t / 1e9;
#else
    (void)threads;
    return 0;
#endif
}

// The table's GFLOP/s, kept for the bar chart (--svg): one group of bars per shape.
struct Results {
    std::vector<std::string> names;
    std::vector<double> naive, ours[3], blas[3];  // indexed by shape; ours[t], blas[t] for t threads

    void record(const std::string& name, int threads, double naive_gflops, double ours_gflops, double blas_gflops) {
        std::string compact;  // the shape's name without the table's padding
        for (char c : name)
            if (c != ' ' || (!compact.empty() && compact.back() != ' ')) compact += c;
        if (names.empty() || names.back() != compact) {
            names.push_back(compact);
            naive.push_back(-1);
            for (int t : {1, 2}) ours[t].push_back(-1), blas[t].push_back(-1);
        }
        if (threads == 1) naive.back() = naive_gflops;
        ours[threads].back() = ours_gflops;
        blas[threads].back() = blas_gflops;
    }

    nn::BarChart chart(const double (&peak)[3], bool two_threads, bool with_blas, const std::string& blas_core) const {
        nn::BarChart c;
        const bool with_naive = std::any_of(naive.begin(), naive.end(), [](double g) { return g > 0; });
        const std::string against = with_naive && with_blas ? " against the naive loop and OpenBLAS"
                                    : with_naive               ? " against the naive loop"
                                    : with_blas                ? " against OpenBLAS"
                                                               : "";
        c.title = "nn::gemm" + against + " (higher is better)";
        c.subtitle = std::string("double precision, GFLOP/s (medians), log scale; kernel ") +
                     nn::gemm_kernel_name(nn::active_gemm_kernel()) +
                     (blas_core.empty() ? "" : "; OpenBLAS with its " + blas_core + " kernels");
        c.value_label = "GFLOP/s";
        c.log_x = true;
        c.categories = names;
        if (with_naive) c.series.push_back({"naive loop, 1 thread", naive, "#7f7f7f"});  // each library: dark 1 thread, light 2
        c.series.push_back({"ours, 1 thread", ours[1], "#1f77b4"});
        if (with_blas) c.series.push_back({"OpenBLAS, 1 thread", blas[1], "#d62728"});
        if (two_threads) c.series.push_back({"ours, 2 threads", ours[2], "#9ecae1"});
        if (two_threads && with_blas) c.series.push_back({"OpenBLAS, 2 threads", blas[2], "#fcae91"});
        if (peak[1] > 0) c.references.push_back({peak[1], "FMA peak, 1 core"});
        if (two_threads && peak[2] > 0) c.references.push_back({peak[2], "2 cores"});
        return c;
    }
};

double gflops(const Shape& s, double seconds) { return 2.0 * double(s.M) * double(s.N) * double(s.K) / seconds / 1e9; }

void run_ours(const Shape& s, Operands& o) {
    nn::gemm(s.ta, s.tb, s.M, s.N, s.K, 1.0, o.A.data(), o.lda, o.B.data(), o.ldb, 0.0, o.C.data(), s.N);
}

void run_blas(const Shape& s, Operands& o) {
    const int RowMajor = 101, NoTrans = 111, Trans = 112;
    cblas(RowMajor, s.ta ? Trans : NoTrans, s.tb ? Trans : NoTrans, int(s.M), int(s.N), int(s.K), 1.0, o.A.data(),
          int(o.lda), o.B.data(), int(o.ldb), 0.0, o.C.data(), int(s.N));
}

// The least memory traffic any algorithm for this product has: read A and B once and write C
// once. This pass does just that, with the widest vectors the CPU has: an OR over the bits of A
// and B in four independent chains (no arithmetic to wait for), then C filled with the result
// (so that no read can be skipped). However fast its arithmetic, the product cannot take less
// time than this pass: flops over its time is the product's "memory floor" in GFLOP/s. Squares
// are far below theirs; the products of training with K = 10 or 25 are not, because writing C
// is most of their traffic.
template <class V>
__attribute__((always_inline)) inline void read_and_write_once_body(Operands& o) {
    constexpr std::size_t W = sizeof(V) / sizeof(double);  // doubles per vector
    V acc[4] = {};
    std::uint64_t tail = 0;
    for (const std::vector<double>* m : {&o.A, &o.B}) {
        const double* p = m->data();
        const std::size_t n = m->size(), whole = n / (4 * W) * (4 * W);
        for (std::size_t i = 0; i < whole; i += 4 * W)
            for (std::size_t k = 0; k < 4; ++k) {
                V v;
                std::memcpy(&v, p + i + k * W, sizeof v);
                acc[k] |= v;
            }
        for (std::size_t i = whole; i < n; ++i) {
            std::uint64_t u;
            std::memcpy(&u, p + i, sizeof u);
            tail |= u;
        }
    }
    V all = acc[0] | acc[1] | acc[2] | acc[3];
    for (std::size_t l = 0; l < W; ++l) tail |= static_cast<std::uint64_t>(all[l]);
    double value;
    std::memcpy(&value, &tail, sizeof value);
    V fill;  // `value` in every lane (its bits)
    for (std::size_t l = 0; l < W; ++l) fill[l] = static_cast<long long>(tail);
    double* c = o.C.data();
    const std::size_t n = o.C.size(), whole = n / W * W;
    for (std::size_t i = 0; i < whole; i += W) std::memcpy(c + i, &fill, sizeof fill);
    for (std::size_t i = whole; i < n; ++i) c[i] = value;
}

typedef long long Bits2 __attribute__((vector_size(16)));
void read_and_write_once_baseline(Operands& o) { read_and_write_once_body<Bits2>(o); }
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
typedef long long Bits4 __attribute__((vector_size(32)));
typedef long long Bits8 __attribute__((vector_size(64)));
__attribute__((target("avx2"))) void read_and_write_once_avx2(Operands& o) { read_and_write_once_body<Bits4>(o); }
__attribute__((target("avx512f"))) void read_and_write_once_avx512(Operands& o) { read_and_write_once_body<Bits8>(o); }
#endif

void read_and_write_once(Operands& o) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    if (__builtin_cpu_supports("avx512f")) return read_and_write_once_avx512(o);
    if (__builtin_cpu_supports("avx2")) return read_and_write_once_avx2(o);
#endif
    read_and_write_once_baseline(o);
}

double time_ours(const Shape& s, Operands& o, double budget) {
    return median_time([&] { run_ours(s, o); }, budget);
}

// What the tables call a shape: "square 512", or its name.
std::string label(const Shape& s) { return s.name[0] == 's' ? "square " + std::to_string(s.M) : s.name; }

// A shape's name padded to 40 columns as a terminal shows it: "·" and "ᵀ" take two or three
// bytes but one column, so printf's %-40s would pad them short.
std::string padded(const std::string& name) {
    std::size_t columns = 0;
    for (unsigned char c : name) columns += (c & 0xC0) != 0x80;  // count all but UTF-8 continuation bytes
    return name + std::string(columns < 40 ? 40 - columns : 0, ' ');
}

double time_naive(const Shape& s, Operands& o) {
    double flops = 2.0 * double(s.M) * double(s.N) * double(s.K);
    if (flops > 3e9) return -1;  // too slow to be worth waiting for
    return median_time([&] { nn::gemm_naive(s.ta, s.tb, s.M, s.N, s.K, 1.0, o.A.data(), o.lda, o.B.data(), o.ldb, 0.0, o.C.data(), s.N); }, 0.3);
}

}  // namespace

int main(int argc, char** argv) {
    bool quick = false, kernels = false, peak_only = false;
    std::string which = "all", svg_path, openblas_core;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--quick") quick = true;
        else if (a == "--kernels") kernels = true;
        else if (a == "--peak") peak_only = true;
        else if (a == "--shapes" && i + 1 < argc) which = argv[++i];
        else if (a == "--svg" && i + 1 < argc) svg_path = argv[++i];
        else if (a == "--openblas-core" && i + 1 < argc) openblas_core = argv[++i];
        else {
            std::fprintf(stderr, "usage: bench_gemm [--quick] [--shapes square|training|all] [--kernels] [--peak] [--svg FILE] "
                                 "[--openblas-core NAME]\n");
            return 2;
        }
    }
    if (!svg_path.empty()) {  // find out now, not after a minute of timing, if the picture can be written
        std::ofstream probe(svg_path + ".tmp");
        if (!probe) {
            std::fprintf(stderr, "bench_gemm: %s: cannot open file for writing\n", svg_path.c_str());
            return 2;
        }
        probe.close();
        std::remove((svg_path + ".tmp").c_str());
    }
    if (peak_only) {  // just the measured FMA peak of one core, in GFLOP/s (0: unknown)
        nn::set_threads(1);
        std::printf("%.1f\n", measure_peak(1));
        return 0;
    }
    // OpenBLAS reads OPENBLAS_CORETYPE once, when it is loaded.
    if (!openblas_core.empty()) setenv("OPENBLAS_CORETYPE", openblas_core.c_str(), 1);
    const bool compare_only = !openblas_core.empty();  // the naive loop and the floor are the first table's
    load_openblas();
    if (compare_only && !cblas) {
        std::printf("bench_gemm --openblas-core %s: OpenBLAS not found, nothing to compare with\n", openblas_core.c_str());
        return 0;
    }
    const double budget = quick ? 0.15 : 0.6;
    std::vector<Shape> shapes;
    if (which != "training")
        for (std::size_t n : {256, 512, 1024, 2048}) shapes.push_back({"square", false, false, n, n, n});
    if (which != "square") {
        shapes.push_back({"W1·X        (25x400)(400x4000)", false, false, 25, 4000, 400});
        shapes.push_back({"W2·A1       (10x25)(25x4000)", false, false, 10, 4000, 25});
        shapes.push_back({"dZ1·Xᵀ      (25x4000)(4000x400)", false, true, 25, 400, 4000});
        shapes.push_back({"W2ᵀ·dZ2     (25x10)(10x4000)", true, false, 25, 4000, 10});
        shapes.push_back({"dZ2·A1ᵀ     (10x4000)(4000x25)", false, true, 10, 25, 4000});
        shapes.push_back({"mini-batch  (128x784)(784x256)", false, false, 128, 256, 784});
        shapes.push_back({"mini-batch  dZ·Xᵀ (128x256)(256x784)", false, true, 128, 784, 256});
    }
    const std::string blas_core = openblas_corename ? openblas_corename() : "";
    std::printf("nn::gemm benchmark, double precision; kernel %s; GFLOP/s (median); OpenBLAS %s%s%s%s\n",
                nn::gemm_kernel_name(nn::active_gemm_kernel()), cblas ? "loaded at run time" : "not found (apt-get install libopenblas-dev)",
                blas_core.empty() ? "" : ", its core: ", blas_core.c_str(),
                compare_only ? " (forced with OPENBLAS_CORETYPE; the naive loop and the memory floor are left out)" : "");
    const int max_t = nn::max_threads();
    const double peak[3] = {0, measure_peak(1), max_t >= 2 ? measure_peak(2) : 0};
    if (peak[1] > 0) {
        std::printf("measured FMA peak with %s vectors: %.1f GFLOP/s on one core",
                    nn::gemm_kernel_name(nn::active_gemm_kernel()), peak[1]);
        if (peak[2] > 0) std::printf(", %.1f on two at once", peak[2]);
        std::printf("\n");
    }
    // "of peak": ours against the measured FMA peak of the cores in use
    std::printf("%-40s %7s %9s %8s %9s %9s %8s %12s\n", "shape", "threads", "ours", "of peak", "naive", "OpenBLAS", "ours/BLAS",
                "memory floor");
    Results results;
    std::vector<double> naive_gflops;  // per shape (-1: not timed), for the per-kernel table
    for (const Shape& s : shapes) {
        Operands o(s);
        double naive = -1;
        for (int t : {1, 2}) {
            if (t > max_t) continue;
            nn::set_threads(t);
            if (openblas_set_threads) openblas_set_threads(t);
            double ours, blas = -1;
            if (cblas) {  // ours and OpenBLAS alternate, call by call
                auto [t_ours, t_blas] =
                    median_times_alternating([&] { run_ours(s, o); }, [&] { run_blas(s, o); }, 2 * budget, t > 1);
                ours = gflops(s, t_ours);
                blas = gflops(s, t_blas);
            } else {
                ours = gflops(s, time_ours(s, o, budget));
            }
            double floor = -1;  // the memory floor (one thread), timed in alternation with ours
            if (t == 1 && !compare_only) {
                double tn = time_naive(s, o);
                naive = tn > 0 ? gflops(s, tn) : -1;
                floor = gflops(s, median_times_alternating([&] { run_ours(s, o); }, [&] { read_and_write_once(o); },
                                                           budget, false).second);
            }
            const std::string name = label(s);
            results.record(name, t, naive, ours, blas);
            const std::string of_peak = peak[t] > 0 ? std::to_string(int(100 * ours / peak[t] + 0.5)) + "%" : "-";
            std::printf("%s %7d %9.1f %8s %9s %9s %8s %12s\n", padded(name).c_str(), t, ours, of_peak.c_str(),
                        t == 1 && naive > 0 ? std::to_string(naive).substr(0, 5).c_str() : "-",
                        blas > 0 ? std::to_string(blas).substr(0, 5).c_str() : "-",
                        blas > 0 ? (std::to_string(ours / blas).substr(0, 4) + "x").c_str() : "-",
                        floor > 0 ? std::to_string(static_cast<long>(floor + 0.5)).c_str() : "-");
        }
        naive_gflops.push_back(naive);
        std::fflush(stdout);
    }
    nn::set_threads(max_t);
    if (!svg_path.empty()) {
        try {
            nn::save_svg(svg_path, nn::render_bar_chart(results.chart(peak, max_t >= 2, cblas != nullptr, blas_core)));
            std::printf("bar chart of this table: %s\n", svg_path.c_str());
        } catch (const std::exception& e) {
            std::fprintf(stderr, "bench_gemm: %s\n", e.what());
            return 2;
        }
    }
    if (kernels && !compare_only) {  // each kernel forced in turn, on every shape whose naive loop was timed above
        std::printf("\nper kernel, 1 thread (GFLOP/s; ratio to the naive loop of the table above):\n");
        nn::set_threads(1);
        double worst = 1e300, best = 0;
        int portable_5x = 0, timed = 0;
        for (std::size_t i = 0; i < shapes.size(); ++i) {
            const Shape& s = shapes[i];
            if (naive_gflops[i] <= 0) continue;
            Operands o(s);
            std::printf("%s", padded(label(s)).c_str());
            for (auto k : {nn::GemmKernel::Portable, nn::GemmKernel::Avx2, nn::GemmKernel::Avx512}) {
                if (!nn::set_gemm_kernel(k)) continue;
                const double g = gflops(s, time_ours(s, o, budget)), ratio = g / naive_gflops[i];
                std::printf("  %s %6.1f (%5.1fx)", nn::gemm_kernel_name(k), g, ratio);
                if (k == nn::GemmKernel::Portable) {
                    ++timed;
                    portable_5x += ratio >= 5.0;
                    worst = std::min(worst, ratio);
                    best = std::max(best, ratio);
                }
            }
            std::printf("\n");
            std::fflush(stdout);
        }
        if (timed > 0)
            std::printf("the portable kernel: at least 5x the naive loop on %d of %d shapes (%.1fx to %.1fx)\n",
                        portable_5x, timed, worst, best);
        nn::set_gemm_kernel(nn::GemmKernel::Auto);
        nn::set_threads(max_t);
    }
    return 0;
}
