// Errors raised by the library. Every one derives from std::exception and carries a
// message a student can act on; the CLI prints it on one line and exits with status 2.
#pragma once
#include <stdexcept>
#include <string>

namespace nn {

// Two operands whose shapes do not fit, e.g. "matmul: shapes (25, 400) and (25, 5000) not aligned".
struct ShapeError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

// A file that cannot be read, or whose contents are malformed (names file, line, column).
struct FormatError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A bad argument: unknown activation name, non-positive learning rate, labels out of range...
struct ValueError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

// Training went wrong numerically (NaN/Inf cost); names the iteration and the learning rate.
struct DivergenceError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace nn
