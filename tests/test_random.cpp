// Values pinned here were printed by numpy 1.24 (np.random legacy API), not by this code.
#include <catch2/catch.hpp>

#include "matrix/random.hpp"

TEST_CASE("randn after seed(1) matches numpy bit for bit", "[rng]") {
    nn::Random rng(1);
    nn::Matrix Z = rng.randn(1, 5);
    const double expect[5] = {1.6243453636632417, -0.6117564136500754, -0.5281717522634557, -1.0729686221561705,
                              0.8654076293246785};
    for (int i = 0; i < 5; ++i) REQUIRE(Z(0, i) == expect[i]);
}

TEST_CASE("rand after seed(1) matches numpy", "[rng]") {
    nn::Random rng(1);
    nn::Matrix U = rng.rand(1, 3);
    REQUIRE(U(0, 0) == 0.417022004702574);
    REQUIRE(U(0, 1) == 0.7203244934421581);
    REQUIRE(U(0, 2) == 0.00011437481734488664);
    rng.seed(4294967295u);
    REQUIRE(rng.random_double() == 0.0976320289940138);
    REQUIRE(rng.random_double() == 0.9123828453026218);
}

TEST_CASE("permutation matches numpy's legacy Fisher-Yates", "[rng]") {
    nn::Random rng(1);
    REQUIRE(rng.permutation(10) == std::vector<std::size_t>{2, 9, 6, 4, 0, 3, 1, 7, 8, 5});
    rng.seed(42);
    std::vector<std::size_t> p = rng.permutation(4000);
    REQUIRE(std::vector<std::size_t>(p.begin(), p.begin() + 8) == std::vector<std::size_t>{555, 3491, 527, 3925, 2989, 70, 1756, 211});
    // the stream continues exactly where numpy's does: randn then rand
    nn::Matrix z = rng.randn(1, 3);
    REQUIRE(z(0, 0) == -0.02943473090949095);
    REQUIRE(z(0, 1) == 2.278333029161633);
    REQUIRE(z(0, 2) == 0.5466953237658755);
    REQUIRE(rng.random_double() == 0.5225397167320532);
}

TEST_CASE("the cached second normal is carried across calls (odd counts)", "[rng]") {
    nn::Random rng(3);
    nn::Matrix x = rng.randn(3, 1);  // uses 2 pairs, leaves one value cached
    REQUIRE(x(0, 0) == 1.7886284734303186);
    REQUIRE(x(2, 0) == 0.09649746807200862);
    std::vector<std::size_t> p = rng.permutation(70000);
    REQUIRE(std::vector<std::size_t>(p.begin(), p.begin() + 5) == std::vector<std::size_t>{61222, 14971, 35844, 40167, 46861});
}

TEST_CASE("whole-matrix check: seed(1) randn(25, 400), the assignment's W1", "[rng]") {
    nn::Random rng(1);
    nn::Matrix W = rng.randn(25, 400);
    double s = 0, s2 = 0;
    for (double v : W) s += v, s2 += v * v;
    REQUIRE(s == Approx(97.7265669910497).epsilon(1e-13));
    REQUIRE(s2 == Approx(9976.686663706054).epsilon(1e-13));
    REQUIRE(W(24, 399) == -1.4378698926788949);
}

TEST_CASE("uniform matches np.random.uniform", "[rng]") {
    nn::Random rng(0);
    nn::Matrix U = rng.uniform(-2, 3, 2, 2);
    REQUIRE(U(0, 0) == 0.7440675196366238);
    REQUIRE(U(1, 1) == 0.7244159149844842);
}

TEST_CASE("shuffle of a vector and edge sizes", "[rng]") {
    nn::Random rng(5);
    REQUIRE(rng.permutation(0).empty());
    REQUIRE(rng.permutation(1) == std::vector<std::size_t>{0});
    std::vector<std::size_t> p = rng.permutation(1000);
    std::vector<bool> seen(1000, false);
    for (std::size_t v : p) seen[v] = true;
    REQUIRE(std::count(seen.begin(), seen.end(), true) == 1000);
}
