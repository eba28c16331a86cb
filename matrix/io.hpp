// matrix/io.hpp — reading and writing data: CSV with a header, MNIST's IDX files (plain or
// gzip-compressed), and numpy's .npy. Every reader checks what it reads and throws
// nn::FormatError naming the file, line and column on anything malformed; every writer
// writes to a temporary file and renames it, so a failed run never leaves half a file.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "matrix/matrix.hpp"

namespace nn {

// A labelled data set laid out the way the lectures write it: X is (n_x, m), one example
// per column; y holds the m integer labels.
struct Dataset {
    Matrix X;
    std::vector<int> y;
    std::vector<std::string> feature_names;  // from the CSV header (empty for IDX)
    std::size_t n_features() const { return X.rows(); }
    std::size_t n_examples() const { return X.cols(); }
};

// A CSV file with a header line: names[j] heads column j of values (one row per line).
struct CsvTable {
    std::vector<std::string> names;
    Matrix values;
};

// Reads a comma-separated file whose first line is a header. Every cell must be a finite
// number; blank lines at the end are ignored; "\r\n" line ends are accepted.
CsvTable read_csv(const std::string& path);

// Reads a CSV and splits off the label column, named `label` ("y") or given by its index
// ("#3" or "-1" for the last). Labels must be whole numbers in [min_label, max_label].
Dataset load_csv_dataset(const std::string& path, const std::string& label = "y", int min_label = 0,
                         int max_label = 9);

// MNIST IDX: idx3 (images: count x rows x cols bytes) and idx1 (labels: count bytes),
// plain or .gz. Pixels are scaled to [0, 1]; X is (rows·cols, count).
Matrix read_idx_images(const std::string& path);
std::vector<int> read_idx_labels(const std::string& path);
Dataset load_idx_dataset(const std::string& images_path, const std::string& labels_path);

// numpy .npy, float64, C order, 1-D (read as (1, n)) or 2-D.
Matrix load_npy(const std::string& path);
void save_npy(const std::string& path, const Matrix& M);

// Writes a CSV with a header line (values with 17 significant digits, so they read back exactly).
void save_csv(const std::string& path, const std::vector<std::string>& names, const Matrix& values);

// Whole-file helpers. write_file_atomic writes path.tmp and renames it over path.
std::vector<std::uint8_t> read_file_bytes(const std::string& path);
void write_file_atomic(const std::string& path, const std::string& contents);

}  // namespace nn
