// bench/bench_vecmath.cpp — the element-wise functions of matrix/vecmath.hpp (exp, sigmoid,
// tanh, expm1, log) over 100 000 values, the size of the 25 x 4000 hidden layer of the
// assignment, on one thread: the plain loop over the standard library function next to every
// SIMD version this CPU can run (baseline, AVX2 with FMA, AVX-512). All variants of one
// function are timed in turn, call by call, so a slow spell of a shared machine hits them
// alike; medians of the calls.
//
// usage: build/bench_vecmath [--quick]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "matrix/parallel.hpp"
#include "matrix/random.hpp"
#include "matrix/vecmath.hpp"

namespace {

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

struct Variant {
    std::string name;
    std::function<void()> run;
};

// Median seconds per call of each variant, taking turns until about `budget` seconds are spent.
std::vector<double> median_times(const std::vector<Variant>& variants, double budget) {
    std::vector<std::vector<double>> times(variants.size());
    for (const Variant& v : variants) v.run();  // warm up
    const double start = now();
    while (times[0].size() < 5 || (now() - start < budget && times[0].size() < 500))
        for (std::size_t i = 0; i < variants.size(); ++i) {
            const double t0 = now();
            variants[i].run();
            times[i].push_back(now() - t0);
        }
    std::vector<double> medians;
    for (std::vector<double>& t : times) {
        std::sort(t.begin(), t.end());
        medians.push_back(t[t.size() / 2]);
    }
    return medians;
}

struct Function {
    const char* name;
    void (*simd)(const double*, double*, std::size_t);
    double (*scalar)(double);
    bool positive_input;  // log: x in (0, 10]; the others: x in [-10, 10]
};

double sigmoid_std(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double exp_std(double x) { return std::exp(x); }
double tanh_std(double x) { return std::tanh(x); }
double expm1_std(double x) { return std::expm1(x); }
double log_std(double x) { return std::log(x); }

}  // namespace

int main(int argc, char** argv) {
    const bool quick = argc > 1 && std::string(argv[1]) == "--quick";
    if (argc > 2 || (argc == 2 && !quick)) {
        std::fprintf(stderr, "usage: bench_vecmath [--quick]\n");
        return 2;
    }
    nn::set_threads(1);
    const std::size_t n = 100000;
    nn::Random rng(1);
    std::vector<double> x_any(n), x_positive(n), y(n);
    for (std::size_t i = 0; i < n; ++i) {
        x_any[i] = 20.0 * rng.random_double() - 10.0;
        x_positive[i] = 10.0 * (1.0 - rng.random_double());
    }
    std::vector<nn::SimdLevel> levels;
    for (nn::SimdLevel level : {nn::SimdLevel::Baseline, nn::SimdLevel::Avx2, nn::SimdLevel::Avx512})
        if (nn::simd_level_available(level)) levels.push_back(level);
    const nn::SimdLevel chosen = nn::active_simd_level();

    std::printf("element-wise functions over %zu values, 1 thread: microseconds per call (median), and the\n", n);
    std::printf("speed-up over a plain loop calling the std:: function; in use by default here: %s\n",
                nn::simd_level_name(chosen));
    std::printf("%-9s %10s", "function", "std::");
    for (nn::SimdLevel level : levels) std::printf(" %10s %7s", nn::simd_level_name(level), "x std");
    std::printf("\n");

    const Function functions[] = {{"exp", nn::exp_array, exp_std, false},
                                  {"sigmoid", nn::sigmoid_array, sigmoid_std, false},
                                  {"tanh", nn::tanh_array, tanh_std, false},
                                  {"expm1", nn::expm1_array, expm1_std, false},
                                  {"log", nn::log_array, log_std, true}};
    for (const Function& f : functions) {
        const double* x = f.positive_input ? x_positive.data() : x_any.data();
        std::vector<Variant> variants;
        variants.push_back({"std", [&] {
                                for (std::size_t i = 0; i < n; ++i) y[i] = f.scalar(x[i]);
                            }});
        for (nn::SimdLevel level : levels)
            variants.push_back({nn::simd_level_name(level), [&, level] {
                                    nn::set_simd_level(level);
                                    f.simd(x, y.data(), n);
                                }});
        const std::vector<double> t = median_times(variants, quick ? 0.2 : 1.0);
        std::printf("%-9s %10.1f", f.name, t[0] * 1e6);
        for (std::size_t i = 1; i < t.size(); ++i) std::printf(" %10.1f %6.1fx", t[i] * 1e6, t[0] / t[i]);
        std::printf("\n");
    }
    nn::set_simd_level(chosen);
    return 0;
}
