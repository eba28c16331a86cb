// nn/gradient_check.cpp — see gradient_check.hpp.
#include "nn/gradient_check.hpp"

#include <cmath>
#include <cstdio>

namespace nn {

std::vector<double> flatten(const Parameters& p) {
    std::vector<double> theta;
    for (std::size_t l = 1; l <= p.L(); ++l) {
        theta.insert(theta.end(), p.W[l].begin(), p.W[l].end());
        theta.insert(theta.end(), p.b[l].begin(), p.b[l].end());
    }
    return theta;
}

std::vector<double> flatten(const Gradients& g) {
    if (g.db.size() != g.dW.size())
        throw ShapeError("flatten: gradients for " + std::to_string(g.dW.size()) + " weight matrices but " +
                         std::to_string(g.db.size()) + " bias vectors");
    std::vector<double> v;
    for (std::size_t l = 1; l < g.dW.size(); ++l) {
        v.insert(v.end(), g.dW[l].begin(), g.dW[l].end());
        v.insert(v.end(), g.db[l].begin(), g.db[l].end());
    }
    return v;
}

void unflatten(const std::vector<double>& theta, Parameters& p) {
    if (theta.size() != flatten(p).size())
        throw ShapeError("unflatten: " + std::to_string(theta.size()) + " values for " + std::to_string(flatten(p).size()) +
                         " parameters");
    std::size_t k = 0;
    for (std::size_t l = 1; l <= p.L(); ++l) {
        for (double& w : p.W[l]) w = theta[k++];
        for (double& b : p.b[l]) b = theta[k++];
    }
}

namespace {

// The name of flat index k, e.g. "dW2[3, 7]".
std::string entry_name(const Parameters& p, std::size_t k) {
    for (std::size_t l = 1; l <= p.L(); ++l) {
        for (const Matrix* M : {&p.W[l], &p.b[l]}) {
            if (k < M->size())
                return std::string(M == &p.W[l] ? "dW" : "db") + std::to_string(l) + "[" + std::to_string(k / M->cols()) +
                       ", " + std::to_string(k % M->cols()) + "]";
            k -= M->size();
        }
    }
    return "?";
}

// ε must be a small positive number: with 0 every ĝ_i is 0/0.
void check_epsilon(const char* who, double epsilon) {
    if (!(epsilon > 0) || !std::isfinite(epsilon)) {
        char got[32];
        std::snprintf(got, sizeof got, "%g", epsilon);
        throw ValueError(std::string(who) + ": epsilon must be a small positive number (e.g. 1e-6), got " + got);
    }
}

// Compares g with ĝ; worst_index is the entry with the largest scaled difference (a NaN in
// either vector counts as the worst, so that it is the one reported).
GradientCheckResult compare(const std::vector<double>& g, const std::vector<double>& numeric, std::size_t& worst_index) {
    GradientCheckResult r;
    double diff2 = 0, g2 = 0, n2 = 0, worst = -1;
    worst_index = 0;
    for (std::size_t i = 0; i < g.size(); ++i) {
        double d = g[i] - numeric[i];
        diff2 += d * d;
        g2 += g[i] * g[i];
        n2 += numeric[i] * numeric[i];
        double scaled = std::fabs(d) / (std::fabs(g[i]) + std::fabs(numeric[i]) + 1e-12);
        if (std::isnan(worst)) continue;  // the first NaN stays the worst
        if (std::isnan(scaled) || scaled > worst) {
            worst = scaled;
            worst_index = i;
            r.worst_analytic = g[i];
            r.worst_numeric = numeric[i];
        }
    }
    r.gradient_norm = std::sqrt(g2);
    double denom = std::sqrt(g2) + std::sqrt(n2);
    r.relative_difference = denom == 0 ? 0 : std::sqrt(diff2) / denom;
    r.n_parameters = g.size();
    return r;
}

}  // namespace

GradientCheckResult gradient_check(const Parameters& params, const Gradients& grads,
                                   const std::function<double(const Parameters&)>& cost, double epsilon) {
    check_epsilon("gradient_check", epsilon);
    std::vector<double> theta = flatten(params), g = flatten(grads), numeric(theta.size());
    if (g.size() != theta.size())
        throw ShapeError("gradient_check: " + std::to_string(g.size()) + " gradient values for " +
                         std::to_string(theta.size()) + " parameters");
    Parameters shifted = params;
    for (std::size_t i = 0; i < theta.size(); ++i) {
        const double saved = theta[i];
        theta[i] = saved + epsilon;
        unflatten(theta, shifted);
        double plus = cost(shifted);   // J(θ + ε e_i)
        theta[i] = saved - epsilon;
        unflatten(theta, shifted);
        double minus = cost(shifted);  // J(θ − ε e_i)
        theta[i] = saved;
        numeric[i] = (plus - minus) / (2 * epsilon);  // ĝ_i
    }
    std::size_t worst = 0;
    GradientCheckResult r = compare(g, numeric, worst);
    r.worst_entry = entry_name(params, worst);
    return r;
}

GradientCheckResult gradient_check_model(const Model& model, const Matrix& X, const Matrix& Y, double epsilon) {
    Gradients grads = model_backward(model_forward(X, model), Y, model);
    Model probe = model;
    auto cost = [&](const Parameters& p) {
        probe.params = p;
        return compute_cost(model_forward(X, probe).AL(), Y, model.output);
    };
    return gradient_check(model.params, grads, cost, epsilon);
}

GradientCheckResult gradient_check_matrix(const Matrix& X, const Matrix& dX, const std::function<double(const Matrix&)>& f,
                                          double epsilon) {
    check_epsilon("gradient_check_matrix", epsilon);
    if (!same_shape(X, dX)) throw ShapeError("gradient_check_matrix: X is " + X.shape() + " but dX is " + dX.shape());
    Matrix probe = X;
    std::vector<double> numeric(X.size());
    for (std::size_t i = 0; i < X.size(); ++i) {
        const double saved = probe.data()[i];
        probe.data()[i] = saved + epsilon;
        double plus = f(probe);
        probe.data()[i] = saved - epsilon;
        double minus = f(probe);
        probe.data()[i] = saved;
        numeric[i] = (plus - minus) / (2 * epsilon);
    }
    std::size_t k = 0;
    GradientCheckResult r = compare(std::vector<double>(dX.begin(), dX.end()), numeric, k);
    r.worst_entry = "[" + std::to_string(k / X.cols()) + ", " + std::to_string(k % X.cols()) + "]";
    return r;
}

}  // namespace nn
