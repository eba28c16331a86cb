#include "matrix/io.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "matrix/inflate.hpp"

namespace nn {

// ---- whole files ------------------------------------------------------------------------

std::vector<std::uint8_t> read_file_bytes(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw FormatError(path + ": is a directory, not a file");
    std::ifstream f(path, std::ios::binary);
    if (!f) throw FormatError(path + ": cannot open file for reading");
    std::vector<std::uint8_t> bytes;
    try {
        bytes.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    } catch (const std::ios_base::failure& e) {  // (what the library throws when read() fails)
        throw FormatError(path + ": read error (" + e.what() + ")");
    }
    if (f.bad()) throw FormatError(path + ": read error");
    return bytes;
}

void write_file_atomic(const std::string& path, const std::string& contents) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw FormatError(path + ": is a directory; give a file name");
    const std::string tmp = path + ".tmp";
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        if (!f) throw FormatError(path + ": cannot open file for writing");
        f.write(contents.data(), static_cast<std::streamsize>(contents.size()));
        f.flush();
        if (!f) {
            std::remove(tmp.c_str());
            throw FormatError(path + ": write failed (disk full?)");
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        throw FormatError(path + ": cannot rename the temporary file into place");
    }
}

// ---- CSV --------------------------------------------------------------------------------

namespace {

std::vector<std::string> split_line(const std::string& line) {
    std::vector<std::string> cells;
    std::size_t start = 0;
    for (;;) {
        std::size_t comma = line.find(',', start);
        cells.push_back(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return cells;
}

std::string trim(const std::string& s) {
    std::size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
    return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

std::string where(const std::string& path, std::size_t line, std::size_t column) {
    return path + ":" + std::to_string(line) + ": column " + std::to_string(column);
}

}  // namespace

CsvTable read_csv(const std::string& path) {
    std::vector<std::uint8_t> bytes = read_file_bytes(path);
    std::string text(bytes.begin(), bytes.end());
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);  // the UTF-8 mark some editors (Excel) put first
    CsvTable table;
    std::vector<double> values;
    std::size_t line_no = 0, pos = 0, n_rows = 0;
    bool header_seen = false, blank_seen = false;
    while (pos < text.size()) {
        std::size_t nl = text.find('\n', pos);
        std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        pos = nl == std::string::npos ? text.size() : nl + 1;
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (trim(line).empty()) {
            blank_seen = true;
            continue;
        }
        if (blank_seen)
            throw FormatError(path + ":" + std::to_string(line_no) + ": data after a blank line");
        if (!header_seen) {
            for (const std::string& name : split_line(line)) table.names.push_back(trim(name));
            header_seen = true;
            continue;
        }
        // Parse the cells of one data row in place (this loop reads millions of numbers).
        const char* p = line.data();
        const char* end = p + line.size();
        std::size_t column = 0;
        for (;;) {
            const char* comma = p;
            while (comma < end && *comma != ',') ++comma;
            ++column;
            if (column > table.names.size())
                throw FormatError(path + ":" + std::to_string(line_no) + ": expected " +
                                  std::to_string(table.names.size()) + " columns (as in the header), found more");
            const char* a = p;
            const char* b = comma;
            while (a < b && (*a == ' ' || *a == '\t')) ++a;
            while (b > a && (b[-1] == ' ' || b[-1] == '\t')) --b;
            if (a < b && *a == '+') ++a;
            double v = 0;
            auto res = std::from_chars(a, b, v);
            if (a == b || res.ec != std::errc() || res.ptr != b) {
                std::string cell(p, comma);
                if (res.ec == std::errc::result_out_of_range)
                    throw FormatError(where(path, line_no, column) + " ('" + trim(cell) + "'): number out of range");
                const bool other_separator = cell.find_first_of(";\t") != std::string::npos;
                throw FormatError(where(path, line_no, column) + " ('" + trim(cell) + "'): not a number" +
                                  (other_separator ? " (the columns must be separated by commas)" : ""));
            }
            if (!std::isfinite(v))
                throw FormatError(where(path, line_no, column) + ": " + (std::isnan(v) ? "NaN" : "infinite value") +
                                  " is not allowed");
            values.push_back(v);
            if (comma == end) break;
            p = comma + 1;
        }
        if (column != table.names.size())
            throw FormatError(path + ":" + std::to_string(line_no) + ": expected " + std::to_string(table.names.size()) +
                              " columns (as in the header), found " + std::to_string(column));
        ++n_rows;
    }
    if (!header_seen) throw FormatError(path + ": file is empty (expected a header line and data rows)");
    if (n_rows == 0) throw FormatError(path + ": no data rows after the header");
    table.values = Matrix::from_vector(n_rows, table.names.size(), values);
    return table;
}

Dataset load_csv_dataset(const std::string& path, const std::string& label, int min_label, int max_label) {
    CsvTable t = read_csv(path);
    const std::size_t n_cols = t.names.size();
    std::size_t label_col = n_cols;
    if (label == "-1") {
        label_col = n_cols - 1;
    } else if (!label.empty() && label[0] == '#') {
        std::size_t idx = 0;
        auto res = std::from_chars(label.data() + 1, label.data() + label.size(), idx);
        if (res.ec != std::errc() || res.ptr != label.data() + label.size() || idx >= n_cols)
            throw ValueError(path + ": label column '" + label + "' is not a column index in [0, " +
                             std::to_string(n_cols - 1) + "]");
        label_col = idx;
    } else {
        for (std::size_t j = 0; j < n_cols; ++j)
            if (t.names[j] == label) label_col = j;
        if (label_col == n_cols) throw FormatError(path + ": no column named '" + label + "' in the header");
    }
    if (n_cols < 2) throw FormatError(path + ": need at least one feature column besides the label");
    Dataset d;
    const std::size_t m = t.values.rows(), n = n_cols - 1;
    d.X = Matrix(n, m);
    d.y.resize(m);
    for (std::size_t j = 0; j < n_cols; ++j)
        if (j != label_col) d.feature_names.push_back(t.names[j]);
    for (std::size_t i = 0; i < m; ++i) {
        double v = t.values(i, label_col);
        if (v != std::floor(v) || v < min_label || v > max_label) {
            std::ostringstream msg;
            msg << path << ":" << (i + 2) << ": column " << (label_col + 1) << ": label " << v
                << (v != std::floor(v) ? " is not a whole number" : " is out of range")
                << " (expected " << min_label << ".." << max_label << ")";
            throw FormatError(msg.str());
        }
        d.y[i] = static_cast<int>(v);
        for (std::size_t j = 0, f = 0; j < n_cols; ++j)
            if (j != label_col) d.X(f++, i) = t.values(i, j);
    }
    return d;
}

void save_csv(const std::string& path, const std::vector<std::string>& names, const Matrix& values) {
    if (names.size() != values.cols())
        throw ShapeError("save_csv: " + std::to_string(names.size()) + " column names for a matrix of shape " +
                         values.shape());
    for (const std::string& name : names)  // (read_csv could not split such a header back)
        if (name.find_first_of(",\r\n") != std::string::npos)
            throw ValueError("save_csv: column name '" + name + "' contains a comma or a line break");
    std::string out;
    for (std::size_t j = 0; j < names.size(); ++j) out += (j ? "," : "") + names[j];
    out += "\n";
    char buf[64];
    for (std::size_t i = 0; i < values.rows(); ++i) {
        for (std::size_t j = 0; j < values.cols(); ++j) {
            std::snprintf(buf, sizeof buf, "%s%.17g", j ? "," : "", values(i, j));
            out += buf;
        }
        out += "\n";
    }
    write_file_atomic(path, out);
}

// ---- MNIST IDX ----------------------------------------------------------------------------
// Big-endian header: 0x00 0x00 <type 0x08 = unsigned byte> <number of dimensions>, then one
// 32-bit size per dimension, then the data.

namespace {

std::vector<std::uint8_t> read_maybe_gzip(const std::string& path) {
    std::vector<std::uint8_t> bytes = read_file_bytes(path);
    return is_gzip(bytes) ? gunzip(bytes, path) : bytes;
}

std::uint32_t be32(const std::vector<std::uint8_t>& b, std::size_t at) {
    return (std::uint32_t(b[at]) << 24) | (std::uint32_t(b[at + 1]) << 16) | (std::uint32_t(b[at + 2]) << 8) | b[at + 3];
}

// Checks the magic number and returns the dimensions.
std::vector<std::size_t> idx_header(const std::vector<std::uint8_t>& b, const std::string& path, int want_dims) {
    if (b.size() < 4) throw FormatError(path + ": file too short for an IDX header");
    if (b[0] != 0 || b[1] != 0 || b[2] != 0x08 || b[3] != want_dims) {
        char magic[16];
        std::snprintf(magic, sizeof magic, "0x%02X%02X%02X%02X", b[0], b[1], b[2], b[3]);
        throw FormatError(path + ": wrong magic number " + magic + " (expected 0x0000080" + std::to_string(want_dims) +
                          ", an idx" + std::to_string(want_dims) + "-ubyte file)");
    }
    if (b.size() < 4 + 4 * std::size_t(want_dims)) throw FormatError(path + ": IDX header is truncated");
    std::vector<std::size_t> dims;
    std::string promised;  // "60000 x 28 x 28", for the message
    for (int d = 0; d < want_dims; ++d) {
        dims.push_back(be32(b, 4 + 4 * d));
        promised += (d ? " x " : "") + std::to_string(dims.back());
    }
    // The bytes of data the header promises are the product of the dimensions. Three 32-bit sizes
    // can multiply past 2^64 and wrap round, so the product is only built while it fits the file.
    const std::size_t data_bytes = b.size() - 4 - 4 * std::size_t(want_dims);
    const bool empty = std::find(dims.begin(), dims.end(), std::size_t(0)) != dims.end();
    std::size_t total = empty ? 0 : 1;
    for (std::size_t dim : dims)
        if (total > 0) {
            if (total > data_bytes / dim)
                throw FormatError(path + ": truncated: header promises " + promised + " bytes of data, file has " +
                                  std::to_string(data_bytes));
            total *= dim;
        }
    const std::size_t expected = 4 + 4 * want_dims + total;
    if (b.size() > expected)
        throw FormatError(path + ": " + std::to_string(b.size() - expected) + " unexpected bytes after the data");
    return dims;
}

}  // namespace

Matrix read_idx_images(const std::string& path) {
    std::vector<std::uint8_t> b = read_maybe_gzip(path);
    std::vector<std::size_t> dims = idx_header(b, path, 3);
    const std::size_t count = dims[0], pixels = dims[1] * dims[2];
    Matrix X(pixels, count);  // one image per column
    const std::uint8_t* data = b.data() + 16;
    for (std::size_t i = 0; i < count; ++i)
        for (std::size_t p = 0; p < pixels; ++p) X(p, i) = data[i * pixels + p] / 255.0;
    return X;
}

std::vector<int> read_idx_labels(const std::string& path) {
    std::vector<std::uint8_t> b = read_maybe_gzip(path);
    std::vector<std::size_t> dims = idx_header(b, path, 1);
    std::vector<int> y(b.begin() + 8, b.end());
    for (std::size_t i = 0; i < y.size(); ++i)
        if (y[i] > 9)
            throw FormatError(path + ": label " + std::to_string(y[i]) + " of item " + std::to_string(i) +
                              " is out of range (expected 0..9)");
    return y;
}

Dataset load_idx_dataset(const std::string& images_path, const std::string& labels_path) {
    Dataset d;
    d.X = read_idx_images(images_path);
    d.y = read_idx_labels(labels_path);
    if (d.y.size() != d.X.cols())
        throw FormatError(labels_path + ": " + std::to_string(d.y.size()) + " labels for " + std::to_string(d.X.cols()) +
                          " images in " + images_path);
    return d;
}

// ---- numpy .npy ----------------------------------------------------------------------------
// "\x93NUMPY", version (1.0 / 2.0 / 3.0), header length, then a Python dict literal such as
// {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), } padded with spaces to 64 bytes.

Matrix load_npy(const std::string& path) {
    std::vector<std::uint8_t> b = read_file_bytes(path);
    static const char magic[] = "\x93NUMPY";
    if (b.size() < 10 || std::string(b.begin(), b.begin() + 6) != std::string(magic, 6))
        throw FormatError(path + ": not a .npy file (bad magic string)");
    const int major = b[6];
    std::size_t header_len, start;
    if (major == 1) {
        header_len = b[8] | (b[9] << 8);
        start = 10;
    } else if (major == 2 || major == 3) {
        if (b.size() < 12) throw FormatError(path + ": .npy header is truncated");
        header_len = b[8] | (b[9] << 8) | (b[10] << 16) | (std::size_t(b[11]) << 24);
        start = 12;
    } else {
        throw FormatError(path + ": unsupported .npy version " + std::to_string(major));
    }
    if (b.size() < start + header_len) throw FormatError(path + ": .npy header is truncated");
    std::string h(b.begin() + static_cast<std::ptrdiff_t>(start), b.begin() + static_cast<std::ptrdiff_t>(start + header_len));
    auto value_of = [&](const std::string& key) {
        std::size_t k = h.find("'" + key + "'");
        if (k == std::string::npos) throw FormatError(path + ": .npy header has no '" + key + "'");
        std::size_t colon = h.find(':', k);
        return h.substr(colon + 1);
    };
    std::string descr = value_of("descr");
    descr = descr.substr(descr.find('\'') + 1);
    descr = descr.substr(0, descr.find('\''));
    if (descr != "<f8" && descr != "f8")
        throw FormatError(path + ": dtype '" + descr + "' is not supported (need float64 '<f8'; use arr.astype(np.float64))");
    std::string fortran = value_of("fortran_order");
    if (trim(fortran).rfind("True", 0) == 0)
        throw FormatError(path + ": Fortran-order arrays are not supported (save np.ascontiguousarray(arr))");
    std::string shape = value_of("shape");
    shape = shape.substr(shape.find('(') + 1);
    shape = shape.substr(0, shape.find(')'));
    std::vector<std::size_t> dims;
    std::stringstream ss(shape);
    std::string part;
    while (std::getline(ss, part, ',')) {
        part = trim(part);
        if (part.empty()) continue;
        std::size_t v = 0;
        auto res = std::from_chars(part.data(), part.data() + part.size(), v);
        if (res.ec != std::errc() || res.ptr != part.data() + part.size())
            throw FormatError(path + ": bad shape (" + shape + ") in .npy header");
        dims.push_back(v);
    }
    if (dims.empty() || dims.size() > 2)
        throw FormatError(path + ": only 1-D and 2-D arrays are supported, this one has shape (" + shape + ")");
    const std::size_t rows = dims.size() == 2 ? dims[0] : 1, cols = dims.back();
    const std::size_t data_start = start + header_len, data_bytes = b.size() - data_start;
    // rows · cols · 8 bytes, compared without forming a product that could wrap round 2^64
    const bool fits = rows == 0 || cols == 0 || (cols <= data_bytes / 8 && rows <= data_bytes / 8 / cols);
    if (!fits || rows * cols * 8 != data_bytes)
        throw FormatError(path + ": truncated or oversized: shape (" + shape + ") needs " +
                          (fits ? std::to_string(rows * cols * 8) : std::to_string(rows) + " x " + std::to_string(cols) + " x 8") +
                          " data bytes, file has " + std::to_string(data_bytes));
    Matrix M(rows, cols);
    if (M.size()) std::memcpy(M.data(), b.data() + data_start, M.size() * sizeof(double));
    return M;
}

void save_npy(const std::string& path, const Matrix& M) {
    std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + std::to_string(M.rows()) + ", " +
                         std::to_string(M.cols()) + "), }";
    const std::size_t preamble = 10;
    std::size_t total = preamble + header.size() + 1;
    header += std::string((64 - total % 64) % 64, ' ') + "\n";
    std::string out = "\x93NUMPY";
    out += '\x01';
    out += '\x00';
    out += static_cast<char>(header.size() & 0xff);
    out += static_cast<char>((header.size() >> 8) & 0xff);
    out += header;
    out.append(reinterpret_cast<const char*>(M.data()), M.size() * sizeof(double));
    write_file_atomic(path, out);
}

}  // namespace nn
