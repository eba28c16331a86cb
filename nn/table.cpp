#include "nn/table.hpp"

#include <algorithm>
#include <cstdio>

namespace nn {

std::string fmt(const char* format, double value) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, value);
    return buf;
}

std::string format_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> width(header.size());
    for (std::size_t j = 0; j < header.size(); ++j) width[j] = header[j].size();
    for (const auto& r : rows)
        for (std::size_t j = 0; j < r.size() && j < width.size(); ++j) width[j] = std::max(width[j], r[j].size());
    auto line = [&](const std::vector<std::string>& cells) {
        std::string s;
        for (std::size_t j = 0; j < width.size(); ++j) {
            std::string c = j < cells.size() ? cells[j] : "";
            s += (j ? "  " : "") + std::string(width[j] - c.size(), ' ') + c;
        }
        return s + "\n";
    };
    std::string out = line(header);
    std::size_t total = 0;
    for (std::size_t w : width) total += w;
    out += std::string(total + 2 * (width.size() - 1), '-') + "\n";
    for (const auto& r : rows) out += line(r);
    return out;
}

}  // namespace nn
