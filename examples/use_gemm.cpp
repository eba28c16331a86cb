// An external program using only nn::gemm, exactly as it would call cblas_dgemm.
// Build (after `make`):  g++ -std=c++17 -O2 -I. examples/use_gemm.cpp build/libnn.a -fopenmp -o use_gemm
#include <cstdio>

#include "matrix/gemm.hpp"

int main() {
    // C (2x2) = A (2x3) · B (3x2), row-major
    const double A[] = {1, 2, 3, 4, 5, 6};
    const double B[] = {7, 8, 9, 10, 11, 12};
    double C[4] = {};
    nn::gemm(false, false, 2, 2, 3, 1.0, A, 3, B, 2, 0.0, C, 2);
    std::printf("C = [[%g, %g], [%g, %g]] using the %s kernel\n", C[0], C[1], C[2], C[3],
                nn::gemm_kernel_name(nn::active_gemm_kernel()));
    const bool right = C[0] == 58 && C[1] == 64 && C[2] == 139 && C[3] == 154;
    return right ? 0 : 1;
}
