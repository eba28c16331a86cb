#include "matrix/random.hpp"

#include <cmath>

namespace nn {

void Random::seed(std::uint32_t s) {
    // init_genrand: key[0] = s, key[i] = 1812433253 · (key[i-1] ^ (key[i-1] >> 30)) + i
    for (int i = 0; i < 624; ++i) {
        key_[i] = s;
        s = 1812433253u * (s ^ (s >> 30)) + static_cast<std::uint32_t>(i + 1);
    }
    pos_ = 624;
    has_gauss_ = false;
    gauss_ = 0.0;
}

// Regenerate all 624 words of state (the MT19937 "twist").
void Random::refill() {
    const std::uint32_t upper = 0x80000000u, lower = 0x7fffffffu, matrix_a = 0x9908b0dfu;
    for (int i = 0; i < 624; ++i) {
        std::uint32_t y = (key_[i] & upper) | (key_[(i + 1) % 624] & lower);
        key_[i] = key_[(i + 397) % 624] ^ (y >> 1) ^ ((y & 1u) ? matrix_a : 0u);
    }
    pos_ = 0;
}

std::uint32_t Random::next_uint32() {
    if (pos_ == 624) refill();
    std::uint32_t y = key_[pos_++];
    // tempering
    y ^= (y >> 11);
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= (y >> 18);
    return y;
}

double Random::random_double() {
    std::uint32_t a = next_uint32() >> 5, b = next_uint32() >> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;  // (a·2^26 + b) / 2^53
}

double Random::gauss() {
    if (has_gauss_) {
        has_gauss_ = false;
        return gauss_;
    }
    double x1, x2, r2;
    do {  // a point uniform in the unit disc (not the centre)
        x1 = 2.0 * random_double() - 1.0;
        x2 = 2.0 * random_double() - 1.0;
        r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    double f = std::sqrt(-2.0 * std::log(r2) / r2);
    gauss_ = f * x1;  // kept for the next call
    has_gauss_ = true;
    return f * x2;
}

std::size_t Random::interval(std::size_t max) {
    if (max == 0) return 0;
    std::uint64_t mask = max;  // smallest all-ones mask covering max
    mask |= mask >> 1;
    mask |= mask >> 2;
    mask |= mask >> 4;
    mask |= mask >> 8;
    mask |= mask >> 16;
    mask |= mask >> 32;
    std::uint64_t value;
    if (max <= 0xffffffffu) {
        while ((value = (next_uint32() & mask)) > max) {
        }
    } else {
        do {
            std::uint64_t hi = next_uint32(), lo = next_uint32();
            value = ((hi << 32) | lo) & mask;
        } while (value > max);
    }
    return static_cast<std::size_t>(value);
}

Matrix Random::rand(std::size_t rows, std::size_t cols) {
    Matrix M(rows, cols);
    for (double& v : M) v = random_double();
    return M;
}

Matrix Random::randn(std::size_t rows, std::size_t cols) {
    Matrix M(rows, cols);
    for (double& v : M) v = gauss();
    return M;
}

Matrix Random::uniform(double low, double high, std::size_t rows, std::size_t cols) {
    Matrix M(rows, cols);
    for (double& v : M) v = low + (high - low) * random_double();
    return M;
}

void Random::shuffle(std::vector<std::size_t>& values) {
    // Fisher–Yates from the last element down: swap values[i] with values[j], j uniform in [0, i]
    for (std::size_t i = values.size(); i-- > 1;) {
        std::size_t j = interval(i);
        std::swap(values[i], values[j]);
    }
}

std::vector<std::size_t> Random::permutation(std::size_t n) {
    std::vector<std::size_t> p(n);
    for (std::size_t i = 0; i < n; ++i) p[i] = i;
    shuffle(p);
    return p;
}

}  // namespace nn
