// nn/initialization.cpp — see initialization.hpp for the lecture's table.
#include "nn/initialization.hpp"

#include <cmath>

namespace nn {

namespace {
struct InitName {
    Init init;
    const char* name;
};
const InitName kNames[] = {
    {Init::Zeros, "zeros"},
    {Init::Small, "small"},
    {Init::Xavier, "xavier"},
    {Init::He, "he"},
    {Init::LogisticNormal, "logistic-normal"},
    {Init::LogisticUniform, "logistic-uniform"},
    {Init::TanhNormal, "tanh-normal"},
    {Init::TanhUniform, "tanh-uniform"},
    {Init::ReluNormal, "relu-normal"},
    {Init::ReluUniform, "relu-uniform"},
};
}  // namespace

Init parse_init(const std::string& name) {
    std::string all;
    for (const InitName& n : kNames) {
        if (name == n.name) return n.init;
        all += std::string(all.empty() ? "" : ", ") + n.name;
    }
    throw ValueError("unknown initialization '" + name + "' (choose " + all + ")");
}

std::string init_name(Init init) {
    for (const InitName& n : kNames)
        if (n.init == init) return n.name;
    return "?";
}

Matrix init_weights(Init init, std::size_t n_out, std::size_t n_in, Random& rng) {
    const double fan_in = static_cast<double>(n_in), fan_sum = static_cast<double>(n_in + n_out);
    switch (init) {
        case Init::Zeros: return Matrix::zeros(n_out, n_in);                              // W = 0
        case Init::Small: return rng.randn(n_out, n_in) * 0.01;                           // W = 0.01·randn
        case Init::Xavier: return rng.randn(n_out, n_in) * std::sqrt(1.0 / fan_in);       // σ = √(1/n_in)
        case Init::He: return rng.randn(n_out, n_in) * std::sqrt(2.0 / fan_in);           // σ = √(2/n_in)
        case Init::LogisticNormal: return rng.randn(n_out, n_in) * std::sqrt(2.0 / fan_sum);
        case Init::TanhNormal: return rng.randn(n_out, n_in) * (4.0 * std::sqrt(2.0 / fan_sum));
        case Init::ReluNormal: return rng.randn(n_out, n_in) * (std::sqrt(2.0) * std::sqrt(2.0 / fan_sum));
        case Init::LogisticUniform: {
            double r = std::sqrt(6.0 / fan_sum);
            return rng.uniform(-r, r, n_out, n_in);
        }
        case Init::TanhUniform: {
            double r = 4.0 * std::sqrt(6.0 / fan_sum);
            return rng.uniform(-r, r, n_out, n_in);
        }
        case Init::ReluUniform: {
            double r = std::sqrt(2.0) * std::sqrt(6.0 / fan_sum);
            return rng.uniform(-r, r, n_out, n_in);
        }
    }
    return Matrix();
}

}  // namespace nn
