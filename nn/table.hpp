// nn/table.hpp — a plain-text table for the end of a run (column widths fitted to the contents).
#pragma once
#include <string>
#include <vector>

namespace nn {

std::string format_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);
// printf-style number formatting into a std::string, e.g. fmt("%.4f", x).
std::string fmt(const char* format, double value);

}  // namespace nn
