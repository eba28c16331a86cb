// nn/plot.hpp — dependency-free SVG pictures: line charts, decision regions, digit grids, bar charts.
//
// The lectures draw three kinds of pictures, and so does this file:
//   * cost (or errors) against iterations, one line per learning rate, optionally on a
//     log scale (the assignment's "plot cost versus number of iteration");
//   * the decision regions of a 2-D classifier with the training points on top
//     (the slides' plot_decision_regions for the perceptron and Adaline);
//   * a grid of digit images with captions (e.g. misclassified test digits).
// A fourth, the bar chart, compares a few numbers per category (make bench: GFLOP/s of the
// naive loop, our GEMM and OpenBLAS, one group of bars per matrix shape).
// Each function returns the SVG text; save_svg writes it atomically.
#pragma once
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "matrix/matrix.hpp"

namespace nn {

struct Series {
    std::string name;
    std::vector<double> x, y;
    bool markers = false;  // draw a dot at every point (short series, as the slides do)
};

struct LineChart {
    std::string title, x_label, y_label;
    std::vector<Series> series;
    bool log_y = false;  // logarithmic y axis (values must be positive)
    int width = 720, height = 440;
};

std::string render_line_chart(const LineChart& chart);

struct DecisionRegions {
    std::string title, x_label, y_label;
    // predict(x1, x2) -> class index 0..K-1 (the regions are coloured by it)
    std::function<int(double, double)> predict;
    std::vector<double> x1, x2;       // the training points
    std::vector<int> labels;          // their classes 0..K-1
    std::vector<std::string> class_names;
    int resolution = 200;             // grid cells per axis
    int width = 560, height = 440;
};

std::string render_decision_regions(const DecisionRegions& plot);

struct DigitGrid {
    std::string title;
    std::string subtitle;                     // a second, smaller line under the title (may be empty)
    std::vector<std::vector<double>> images;  // side*side values in [0, 1], row by row
    std::vector<std::string> captions;        // one per image (may be empty)
    std::size_t side = 20;
    std::size_t per_row = 10;
    int cell = 60;                            // pixels per digit
};

std::string render_digit_grid(const DigitGrid& grid);

// Horizontal bars: one group per category, one bar per series in every group, on a linear or
// a logarithmic value axis (the naive loop and a tuned GEMM differ a hundredfold, so make bench
// uses log). A value that is not a positive finite number (a missing measurement) draws no
// bar. Each bar carries its value; references (e.g. the machine's peak) are dashed lines.
struct BarSeries {
    std::string name;
    std::vector<double> values;  // one per category
    std::string color;           // e.g. "#1f77b4"; empty: the next colour of the palette
};

struct BarChart {
    std::string title, subtitle, value_label;
    std::vector<std::string> categories;
    std::vector<BarSeries> series;
    std::vector<std::pair<double, std::string>> references;  // (value, label)
    bool log_x = false;
    int width = 960;  // the height follows from the number of bars
};

std::string render_bar_chart(const BarChart& chart);

// Two pictures next to each other in one SVG (e.g. two learning rates side by side).
std::string side_by_side(const std::string& left_svg, int left_width, const std::string& right_svg, int right_width,
                         int height);

void save_svg(const std::string& path, const std::string& svg);

}  // namespace nn
