// Small helpers shared by the tests: fixture paths and scratch files.
#pragma once
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "matrix/vecmath.hpp"

#ifndef NN_SOURCE_DIR
#define NN_SOURCE_DIR "."
#endif

namespace testing {

// A path inside the repository (tests/data/..., data/...), wherever the tests are run from.
inline std::string repo_path(const std::string& relative) { return std::string(NN_SOURCE_DIR) + "/" + relative; }

// A fresh scratch directory for one test, removed when it goes out of scope.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        static int counter = 0;
        path = std::filesystem::temp_directory_path() /
               ("nn_test_" + std::to_string(static_cast<long>(::getpid())) + "_" + std::to_string(counter++));
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string file(const std::string& name) const { return (path / name).string(); }
    // Writes text to a file in the directory and returns its path.
    std::string write(const std::string& name, const std::string& contents) const {
        std::ofstream(file(name), std::ios::binary) << contents;
        return file(name);
    }
};

// Runs a test with one version of the vectorized loops (matrix/vecmath.hpp), then goes back
// to the best one for this CPU. ok is false when this CPU cannot run that version.
struct SimdLevelGuard {
    bool ok;
    explicit SimdLevelGuard(nn::SimdLevel level) : ok(nn::set_simd_level(level)) {
        if (ok) UNSCOPED_INFO("SIMD version " << static_cast<int>(level) << " (1 baseline, 2 AVX2, 3 AVX-512)");
    }
    ~SimdLevelGuard() { nn::set_simd_level(nn::SimdLevel::Auto); }
};

}  // namespace testing
