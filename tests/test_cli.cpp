// The command line: bad input gets one clear line on stderr, exit status 2, and no files.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <iostream>
#include <sstream>

#include "nn/cli.hpp"
#include "tests/helpers.hpp"

namespace {

struct CliRun {
    int status;
    std::string out, err;
};

CliRun run(std::vector<std::string> args) {
    args.insert(args.begin(), "nn");
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    std::ostringstream out, err;
    auto* old_out = std::cout.rdbuf(out.rdbuf());
    auto* old_err = std::cerr.rdbuf(err.rdbuf());
    int status = nn::cli_main(static_cast<int>(argv.size()), argv.data());
    std::cout.rdbuf(old_out);
    std::cerr.rdbuf(old_err);
    return {status, out.str(), err.str()};
}

std::vector<std::string> train_args(const testing::TempDir& dir, std::vector<std::string> extra) {
    std::vector<std::string> a = {"train", "--train", testing::repo_path("data/digits20_test.csv"), "--iterations", "3",
                                  "--quiet", "--history", dir.file("h.csv"), "--plot", dir.file("p.svg")};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
}

}  // namespace

TEST_CASE("cli: bad flags give one line, status 2, and no output files", "[cli]") {
    testing::TempDir dir;
    struct Bad {
        std::vector<std::string> extra;
        std::string message;
    };
    const std::vector<Bad> cases = {
        {{"--layers", "784,25,10"}, "--layers starts with 784 inputs but"},
        {{"--layers", "400,25,3"}, "--layers ends with 3 output unit(s) but the labels go up to 9"},
        {{"--layers", "400,x,10"}, "'x' is not a positive whole number"},
        {{"--hidden-activation", "relu6"}, "unknown activation 'relu6'"},
        {{"--output", "linear"}, "unknown output activation 'linear'"},
        {{"--init", "glorot"}, "unknown initialization 'glorot'"},
        {{"--lr", "0"}, "--lr: learning rate 0 must be positive"},
        {{"--lr", "-0.5"}, "must be positive"},
        {{"--lr", "fast"}, "--lr 'fast' is not a number"},
        {{"--lr", "0.5,1,0.50"}, "--lr: learning rate 0.50 is listed twice"},
        {{"--iterations", "0"}, "--iterations must be positive"},
        {{"--iterations", "-3"}, "--iterations must be positive"},
        {{"--threads", "0"}, "--threads must be positive"},
        {{"--threads", "5000"}, "--threads must be at most 1024, got 5000"},
        {{"--iterations", "4294967296"}, "--iterations must be at most 2147483647, got 4294967296"},  // not wrapped to 0
        {{"--eval-every", "-1"}, "--eval-every must be 0 (only at the end) or a number of iterations"},
        {{"--layers", "400,99999999999,10"}, "--layers 400,99999999999,10: training it on 1000 examples needs about"},
        {{"--test", dir.file("missing.csv")}, "missing.csv: no such file"},
        {{"--test", dir.path.string()}, "is a directory, not a file"},
        {{"--plot", dir.path.string()}, "is a directory; give a file name in it"},
        {{"--frobnicate"}, "unknown flag '--frobnicate'"},
        {{"--test-labels", dir.file("labels")}, "--test-labels goes with --test FILE"},
        {{"--seed"}, "flag --seed needs a value"},
    };
    for (const Bad& b : cases) {
        INFO(b.message);
        CliRun r = run(train_args(dir, b.extra));
        REQUIRE(r.status == 2);
        REQUIRE(r.err.find(b.message) != std::string::npos);
        REQUIRE(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        REQUIRE_FALSE(std::filesystem::exists(dir.file("h.csv")));
        REQUIRE_FALSE(std::filesystem::exists(dir.file("p.svg")));
    }
    CliRun missing = run({"train", "--train", dir.file("nope.csv")});
    REQUIRE(missing.status == 2);
    REQUIRE(missing.err.find("nope.csv: no such file") != std::string::npos);
    REQUIRE(run({"frobnicate"}).status == 2);
    REQUIRE(run({"demo", "nosuchdemo"}).err.find("unknown demo 'nosuchdemo'") != std::string::npos);
    CliRun out_is_file = run({"demo", "perceptron", "--quiet", "--out", dir.write("a_file", "x")});
    REQUIRE(out_is_file.status == 2);
    REQUIRE(out_is_file.err.find("a_file is a file, not a directory") != std::string::npos);
}

TEST_CASE("cli: divergence stops the run with status 2 and writes nothing", "[cli]") {
    testing::TempDir dir;
    CliRun r = run(train_args(dir, {"--lr", "1e300", "--hidden-activation", "relu", "--init", "he", "--iterations", "40"}));
    REQUIRE(r.status == 2);
    REQUIRE(r.err.find("training diverged at iteration") != std::string::npos);
    REQUIRE_FALSE(std::filesystem::exists(dir.file("h.csv")));
}

TEST_CASE("cli: a good run prints the table and writes one history file per rate", "[cli]") {
    testing::TempDir dir;
    CliRun r = run(train_args(dir, {"--lr", "0.5,1", "--test", testing::repo_path("data/digits20_test.csv")}));
    INFO(r.err);
    REQUIRE(r.status == 0);
    REQUIRE(r.out.find("learning rate  final cost  train accuracy  test accuracy  ms/iteration") != std::string::npos);
    REQUIRE(std::filesystem::exists(dir.file("h_lr0.5.csv")));
    REQUIRE(std::filesystem::exists(dir.file("h_lr1.csv")));
    REQUIRE(std::filesystem::exists(dir.file("p.svg")));
    // numpy: (X == 0).mean() = 0.7273175 for these 1000 digits, so W[1]·X and dZ[1]·Xᵀ skip the zeros
    REQUIRE(r.out.find("X is 72.7% zeros: W[1]·X and dZ[1]·Xᵀ skipped them (--dense: do not)") != std::string::npos);
    CliRun dense = run(train_args(dir, {"--dense"}));
    REQUIRE(dense.status == 0);
    REQUIRE(dense.out.find("% zeros") == std::string::npos);
    REQUIRE(run({"train", "--help"}).out.find("--hidden-activation") != std::string::npos);
    REQUIRE(run({"train", "--help"}).out.find("--dense") != std::string::npos);
    REQUIRE(run({"--help"}).status == 0);
}

TEST_CASE("cli: the lecture-1 demos print the slides' numbers and write their SVGs", "[cli][golden]") {
    testing::TempDir dir;
    const std::string data = testing::repo_path("data");
    CliRun p = run({"demo", "perceptron", "--out", dir.path.string(), "--data", data, "--quiet"});
    REQUIRE(p.status == 0);
    REQUIRE(p.out.find("weights (bias first): [-0.4, -0.68, 1.82]") != std::string::npos);
    REQUIRE(std::filesystem::exists(dir.file("perceptron_regions.svg")));
    CliRun a = run({"demo", "adaline", "--out", dir.path.string(), "--data", data, "--quiet"});
    REQUIRE(a.status == 0);
    REQUIRE(a.out.find("7.81302e+28") != std::string::npos);
    REQUIRE(a.out.find("40.2361") != std::string::npos);
    REQUIRE(std::filesystem::exists(dir.file("adaline_learning_rates.svg")));
    REQUIRE(run({"demo", "adaline-sgd", "--out", dir.path.string(), "--data", data, "--quiet"}).status == 0);
    REQUIRE(std::filesystem::exists(dir.file("adaline_sgd_regions.svg")));
    REQUIRE(run({"demo", "--list"}).out.find("logistic") != std::string::npos);
    CliRun missing = run({"demo", "perceptron", "--data", dir.file("nowhere")});
    REQUIRE(missing.status == 2);
    REQUIRE(missing.err.find("iris.csv: no such file") != std::string::npos);
}

TEST_CASE("cli: an NN_SIMD or NN_GEMM_KERNEL value that cannot be used is named on stderr", "[cli]") {
    // The environment is read once per process, so this runs the command line as its own
    // process: build/nn sits next to this test binary (found through /proc on Linux).
    std::error_code ec;
    const std::filesystem::path cli = std::filesystem::read_symlink("/proc/self/exe", ec).parent_path() / "nn";
    // (Under an emulator, e.g. the AArch64 tests in qemu, the shell may not be able to start it.)
    const std::string probe = "'" + cli.string() + "' --help > /dev/null 2>&1";
    if (ec || !std::filesystem::exists(cli) || std::system(probe.c_str()) != 0) {
        WARN("skipped: cannot run the nn binary next to the tests as a process of its own");
        return;
    }
    testing::TempDir dir;
    const std::string command = "NN_SIMD=avx-2 NN_GEMM_KERNEL=fast '" + cli.string() + "' train --train '" +
                                testing::repo_path("data/digits20_test.csv") + "' --iterations 1 --quiet > '" +
                                dir.file("out.txt") + "' 2> '" + dir.file("err.txt") + "'";
    REQUIRE(std::system(command.c_str()) == 0);  // still runs, with the best versions
    std::ifstream in(dir.file("err.txt"));
    const std::string err((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    INFO(err);
    REQUIRE(err.find("NN_SIMD=avx-2 ignored (baseline, avx2 or avx512") != std::string::npos);
    REQUIRE(err.find("NN_GEMM_KERNEL=fast ignored (portable, avx2 or avx512") != std::string::npos);
}
