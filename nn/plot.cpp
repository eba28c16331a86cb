// nn/plot.cpp — see plot.hpp. Plain string building; no library.
#include "nn/plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "matrix/errors.hpp"
#include "matrix/io.hpp"

namespace nn {

namespace {

const char* kPalette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
const char* kLightPalette[] = {"#c6dbef", "#fcc5c0", "#c7e9c0", "#fdd0a2", "#dadaeb", "#e7d4c5", "#f7d3ea", "#e0e0e0", "#f0f0b0", "#c2f0f5"};

std::string esc(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '&') out += "&amp;";
        else if (c == '"') out += "&quot;";
        else out += c;
    }
    return out;
}

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

// A tick label: short, no trailing zeros ("0.5", "100", "1e+06").
std::string tick_label(double v) {
    if (std::fabs(v) < 1e-12) return "0";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

// "Nice" ticks covering [lo, hi]: steps of 1, 2 or 5 times a power of ten.
std::vector<double> nice_ticks(double lo, double hi, int target = 6) {
    if (!(hi > lo)) hi = lo + 1;
    double raw = (hi - lo) / target, mag = std::pow(10.0, std::floor(std::log10(raw)));
    double step = mag;
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * mag >= raw) {
            step = m * mag;
            break;
        }
    std::vector<double> ticks;
    for (double t = std::ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) ticks.push_back(t);
    return ticks;
}

struct Frame {  // the plotting area inside the margins, and the data range it shows
    double left, top, width, height, x0, x1, y0, y1;
    double px(double x) const { return left + (x - x0) / (x1 - x0) * width; }
    double py(double y) const { return top + height - (y - y0) / (y1 - y0) * height; }
};

std::string header(int w, int h) {
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(w) + "\" height=\"" + std::to_string(h) +
           "\" viewBox=\"0 0 " + std::to_string(w) + " " + std::to_string(h) +
           "\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
}

std::string text(double x, double y, const std::string& s, const char* anchor = "middle", int size = 13,
                 const std::string& extra = "") {
    return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor + "\" font-size=\"" +
           std::to_string(size) + "\"" + extra + ">" + esc(s) + "</text>\n";
}

// Axes, ticks, grid lines and labels around a frame. y_log: y values are log10 of the data.
std::string axes(const Frame& f, const std::string& title, const std::string& xl, const std::string& yl, bool y_log) {
    std::ostringstream s;
    for (double t : nice_ticks(f.x0, f.x1)) {
        double x = f.px(t);
        s << "<line x1=\"" << num(x) << "\" y1=\"" << num(f.top) << "\" x2=\"" << num(x) << "\" y2=\"" << num(f.top + f.height)
          << "\" stroke=\"#e5e5e5\"/>\n";
        s << text(x, f.top + f.height + 18, tick_label(t));
    }
    std::vector<double> yt;
    if (y_log) {
        for (double e = std::ceil(f.y0 - 1e-9); e <= f.y1 + 1e-9; e += std::max(1.0, std::ceil((f.y1 - f.y0) / 8))) yt.push_back(e);
    } else {
        yt = nice_ticks(f.y0, f.y1);
    }
    for (double t : yt) {
        double y = f.py(t);
        s << "<line x1=\"" << num(f.left) << "\" y1=\"" << num(y) << "\" x2=\"" << num(f.left + f.width) << "\" y2=\"" << num(y)
          << "\" stroke=\"#e5e5e5\"/>\n";
        s << text(f.left - 8, y + 4, y_log ? "1e" + tick_label(t) : tick_label(t), "end");
    }
    s << "<rect x=\"" << num(f.left) << "\" y=\"" << num(f.top) << "\" width=\"" << num(f.width) << "\" height=\"" << num(f.height)
      << "\" fill=\"none\" stroke=\"#333\"/>\n";
    s << text(f.left + f.width / 2, 24, title, "middle", 16, " font-weight=\"bold\"");
    s << text(f.left + f.width / 2, f.top + f.height + 40, xl);
    s << "<text transform=\"translate(18," << num(f.top + f.height / 2) << ") rotate(-90)\" text-anchor=\"middle\">" << esc(yl)
      << "</text>\n";
    return s.str();
}

}  // namespace

std::string render_line_chart(const LineChart& c) {
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    auto ty = [&](double y) { return c.log_y ? std::log10(y) : y; };
    for (const Series& s : c.series)
        for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
            if (!std::isfinite(s.y[i]) || (c.log_y && s.y[i] <= 0)) continue;
            x0 = std::min(x0, s.x[i]);
            x1 = std::max(x1, s.x[i]);
            y0 = std::min(y0, ty(s.y[i]));
            y1 = std::max(y1, ty(s.y[i]));
        }
    if (!std::isfinite(x0)) x0 = 0, x1 = 1, y0 = 0, y1 = 1;
    if (x1 == x0) x1 = x0 + 1;
    if (y1 == y0) y1 = y0 + 1;
    double pad = (y1 - y0) * 0.05;
    y0 -= pad;
    y1 += pad;
    if (!c.log_y && y0 < 0 && y0 + pad >= 0) y0 = 0;  // costs and counts start at 0
    Frame f{80, 40, c.width - 80.0 - 190, c.height - 40.0 - 60, x0, x1, y0, y1};
    std::ostringstream s;
    s << header(c.width, c.height) << axes(f, c.title, c.x_label, c.y_label, c.log_y);
    for (std::size_t k = 0; k < c.series.size(); ++k) {
        const Series& ser = c.series[k];
        const char* color = kPalette[k % 10];
        std::string points;
        for (std::size_t i = 0; i < ser.x.size() && i < ser.y.size(); ++i) {
            if (!std::isfinite(ser.y[i]) || (c.log_y && ser.y[i] <= 0)) continue;
            points += num(f.px(ser.x[i])) + "," + num(f.py(ty(ser.y[i]))) + " ";
            if (ser.markers)
                s << "<circle cx=\"" << num(f.px(ser.x[i])) << "\" cy=\"" << num(f.py(ty(ser.y[i]))) << "\" r=\"3.5\" fill=\""
                  << color << "\"/>\n";
        }
        s << "<polyline fill=\"none\" stroke=\"" << color << "\" stroke-width=\"2\" points=\"" << points << "\"/>\n";
        double ly = f.top + 14 + 22.0 * static_cast<double>(k);  // legend entry
        s << "<line x1=\"" << num(f.left + f.width + 16) << "\" y1=\"" << num(ly) << "\" x2=\"" << num(f.left + f.width + 40)
          << "\" y2=\"" << num(ly) << "\" stroke=\"" << color << "\" stroke-width=\"3\"/>\n";
        s << text(f.left + f.width + 46, ly + 4, ser.name, "start");
    }
    s << "</svg>\n";
    return s.str();
}

std::string render_decision_regions(const DecisionRegions& p) {
    if (!p.predict) throw ValueError("decision regions: no predict function to colour the plane with");
    if (p.x1.empty() || p.x1.size() != p.x2.size() || p.x1.size() != p.labels.size())
        throw ValueError("decision regions: need as many x1, x2 and labels as there are points (got " +
                         std::to_string(p.x1.size()) + ", " + std::to_string(p.x2.size()) + ", " +
                         std::to_string(p.labels.size()) + "), and at least one");
    for (int c : p.labels)
        if (c < 0) throw ValueError("decision regions: class labels must be 0 or more, got " + std::to_string(c));
    double x0 = *std::min_element(p.x1.begin(), p.x1.end()) - 1, x1 = *std::max_element(p.x1.begin(), p.x1.end()) + 1;
    double y0 = *std::min_element(p.x2.begin(), p.x2.end()) - 1, y1 = *std::max_element(p.x2.begin(), p.x2.end()) + 1;
    Frame f{80, 40, p.width - 80.0 - 150, p.height - 40.0 - 60, x0, x1, y0, y1};
    std::ostringstream s;
    s << header(p.width, p.height);
    const int n = p.resolution;
    const double cw = f.width / n, ch = f.height / n;
    for (int i = 0; i < n; ++i) {  // one rectangle per run of equal predictions along a row
        double y = y1 - (i + 0.5) * (y1 - y0) / n;
        int run_start = 0, run_class = p.predict(x0 + 0.5 * (x1 - x0) / n, y);
        for (int j = 1; j <= n; ++j) {
            int cls = j < n ? p.predict(x0 + (j + 0.5) * (x1 - x0) / n, y) : -1;
            if (cls == run_class) continue;
            s << "<rect x=\"" << num(f.left + run_start * cw) << "\" y=\"" << num(f.top + i * ch) << "\" width=\""
              << num((j - run_start) * cw + 0.5) << "\" height=\"" << num(ch + 0.5) << "\" fill=\""
              << kLightPalette[((run_class % 10) + 10) % 10] << "\"/>\n";
            run_start = j;
            run_class = cls;
        }
    }
    s << axes(f, p.title, p.x_label, p.y_label, false);
    for (std::size_t k = 0; k < p.x1.size(); ++k) {
        int c = p.labels[k];
        double cx = f.px(p.x1[k]), cy = f.py(p.x2[k]);
        if (c % 2 == 0)
            s << "<rect x=\"" << num(cx - 4) << "\" y=\"" << num(cy - 4) << "\" width=\"8\" height=\"8\" fill=\"" << kPalette[c % 10]
              << "\" stroke=\"#222\" stroke-width=\"0.6\"/>\n";
        else
            s << "<circle cx=\"" << num(cx) << "\" cy=\"" << num(cy) << "\" r=\"4.5\" fill=\"" << kPalette[c % 10]
              << "\" stroke=\"#222\" stroke-width=\"0.6\"/>\n";
    }
    for (std::size_t c = 0; c < p.class_names.size(); ++c) {
        double ly = f.top + 14 + 22.0 * static_cast<double>(c), lx = f.left + f.width + 20;
        if (c % 2 == 0)
            s << "<rect x=\"" << num(lx - 4) << "\" y=\"" << num(ly - 4) << "\" width=\"8\" height=\"8\" fill=\"" << kPalette[c % 10] << "\"/>\n";
        else
            s << "<circle cx=\"" << num(lx) << "\" cy=\"" << num(ly) << "\" r=\"4.5\" fill=\"" << kPalette[c % 10] << "\"/>\n";
        s << text(lx + 12, ly + 4, p.class_names[c], "start");
    }
    s << "</svg>\n";
    return s.str();
}

std::string render_digit_grid(const DigitGrid& g) {
    for (std::size_t k = 0; k < g.images.size(); ++k)
        if (g.images[k].size() != g.side * g.side)
            throw ValueError("digit grid: image " + std::to_string(k) + " has " + std::to_string(g.images[k].size()) +
                             " values, not side x side = " + std::to_string(g.side * g.side));
    const std::size_t n = g.images.size(), cols = std::max<std::size_t>(1, std::min(g.per_row, n));
    const std::size_t rows = (n + cols - 1) / cols;
    const int caption = 18, pad = 8, top = g.subtitle.empty() ? 40 : 58;  // room for the title (and subtitle)
    const int w = static_cast<int>(cols) * (g.cell + pad) + pad, h = top + static_cast<int>(rows) * (g.cell + caption + pad) + pad;
    std::ostringstream s;
    s << header(w, h) << text(w / 2.0, 24, g.title, "middle", 15, " font-weight=\"bold\"");
    if (!g.subtitle.empty()) s << text(w / 2.0, 44, g.subtitle, "middle", 13);
    const double px = static_cast<double>(g.cell) / static_cast<double>(g.side);
    for (std::size_t k = 0; k < n; ++k) {
        double ox = pad + static_cast<double>(k % cols) * (g.cell + pad), oy = top + static_cast<double>(k / cols) * (g.cell + caption + pad);
        s << "<g transform=\"translate(" << num(ox) << "," << num(oy) << ")\">\n";
        s << "<rect width=\"" << g.cell << "\" height=\"" << g.cell << "\" fill=\"black\"/>\n";
        for (std::size_t r = 0; r < g.side; ++r)
            for (std::size_t c = 0; c < g.side; ++c) {
                double v = g.images[k][r * g.side + c];
                if (v <= 0.02) continue;  // black background already drawn
                int grey = static_cast<int>(std::lround(255 * std::min(1.0, v)));
                s << "<rect x=\"" << num(static_cast<double>(c) * px) << "\" y=\"" << num(static_cast<double>(r) * px) << "\" width=\"" << num(px + 0.3)
                  << "\" height=\"" << num(px + 0.3) << "\" fill=\"rgb(" << grey << "," << grey << "," << grey << ")\"/>\n";
            }
        if (k < g.captions.size()) s << text(g.cell / 2.0, g.cell + 14, g.captions[k], "middle", 12);
        s << "</g>\n";
    }
    s << "</svg>\n";
    return s.str();
}

namespace {

// The ticks of a bar chart's value axis from lo to hi, given as positions on the axis (log10 of
// the value on a log axis): 1, 2 and 5 times the powers of ten on a log axis, "nice" steps on a
// linear one.
std::vector<double> bar_ticks(double lo, double hi, bool log_x) {
    if (!log_x) return nice_ticks(lo, hi);
    std::vector<double> ticks;
    for (double e = std::floor(lo); e <= hi + 1e-9; ++e)
        for (double m : {1.0, 2.0, 5.0}) {
            double t = std::log10(m) + e;
            if (t >= lo - 1e-9 && t <= hi + 1e-9) ticks.push_back(t);
        }
    return ticks;
}

}  // namespace

std::string render_bar_chart(const BarChart& c) {
    auto usable = [](double v) { return std::isfinite(v) && v > 0; };
    auto color_of = [&](std::size_t k) { return c.series[k].color.empty() ? std::string(kPalette[k % 10]) : c.series[k].color; };
    auto t = [&](double v) { return c.log_x ? std::log10(v) : v; };
    double lo = INFINITY, hi = -INFINITY;  // the range of the values (and references) on the axis
    for (const BarSeries& ser : c.series)
        for (double v : ser.values)
            if (usable(v)) lo = std::min(lo, t(v)), hi = std::max(hi, t(v));
    for (const auto& ref : c.references)
        if (usable(ref.first)) lo = std::min(lo, t(ref.first)), hi = std::max(hi, t(ref.first));
    if (!std::isfinite(lo)) lo = 0, hi = 1;
    // Bars grow from the left edge: 0 on a linear axis, the decade below the smallest value on a log one.
    double x0 = c.log_x ? std::floor(lo - 1e-9) : 0.0;
    double x1 = c.log_x ? std::max(hi + 0.08 * (hi - x0), x0 + 1) : std::max(hi * 1.1, 1e-300);  // room for the labels
    const std::size_t groups = c.categories.size(), per_group = std::max<std::size_t>(1, c.series.size());
    const double refs_room = c.references.empty() ? 0 : c.references.size() == 1 ? 16 : 28;  // their labels, above
    const double bar = 12, gap = 10, top = (c.subtitle.empty() ? 44 : 62) + refs_room, bottom = 56;
    const double group_height = static_cast<double>(per_group) * bar + gap;
    Frame f{270, top, c.width - 270.0 - 240, static_cast<double>(groups) * group_height, x0, x1, 0, 1};
    const int height = static_cast<int>(top + f.height + bottom);
    std::ostringstream s;
    s << header(c.width, height) << text(c.width / 2.0, 24, c.title, "middle", 16, " font-weight=\"bold\"");
    if (!c.subtitle.empty()) s << text(c.width / 2.0, 44, c.subtitle, "middle", 13);
    for (double tk : bar_ticks(x0, x1, c.log_x)) {  // grid lines and tick labels
        double x = f.px(tk);
        s << "<line x1=\"" << num(x) << "\" y1=\"" << num(f.top) << "\" x2=\"" << num(x) << "\" y2=\"" << num(f.top + f.height)
          << "\" stroke=\"#e5e5e5\"/>\n";
        s << text(x, f.top + f.height + 18, tick_label(c.log_x ? std::pow(10.0, tk) : tk));
    }
    for (std::size_t g = 0; g < groups; ++g) {
        const double gy = f.top + gap / 2 + static_cast<double>(g) * group_height;
        s << text(f.left - 8, gy + static_cast<double>(per_group) * bar / 2 + 4, c.categories[g], "end");
        for (std::size_t k = 0; k < c.series.size(); ++k) {
            const std::vector<double>& v = c.series[k].values;
            if (g >= v.size() || !usable(v[g])) continue;  // a missing measurement: no bar
            const double y = gy + static_cast<double>(k) * bar, w = f.px(t(v[g])) - f.left;
            s << "<rect class=\"bar\" x=\"" << num(f.left) << "\" y=\"" << num(y) << "\" width=\"" << num(w) << "\" height=\""
              << num(bar - 2) << "\" fill=\"" << color_of(k) << "\"/>\n";
            char label[32];
            std::snprintf(label, sizeof label, "%.3g", v[g]);
            s << text(f.left + w + 4, y + bar - 3, label, "start", 10);
        }
    }
    for (std::size_t r = 0; r < c.references.size(); ++r) {  // dashed lines across the whole chart
        const auto& ref = c.references[r];
        if (!usable(ref.first)) continue;
        double x = f.px(t(ref.first));
        s << "<line x1=\"" << num(x) << "\" y1=\"" << num(f.top) << "\" x2=\"" << num(x) << "\" y2=\"" << num(f.top + f.height)
          << "\" stroke=\"#555\" stroke-dasharray=\"5,4\"/>\n";
        s << text(x, f.top - 6 - 12.0 * static_cast<double>(r % 2), ref.second, "middle", 11);
    }
    s << "<rect x=\"" << num(f.left) << "\" y=\"" << num(f.top) << "\" width=\"" << num(f.width) << "\" height=\"" << num(f.height)
      << "\" fill=\"none\" stroke=\"#333\"/>\n";
    s << text(f.left + f.width / 2, f.top + f.height + 40, c.value_label);
    for (std::size_t k = 0; k < c.series.size(); ++k) {  // legend
        double ly = f.top + 14 + 22.0 * static_cast<double>(k);
        s << "<rect x=\"" << num(f.left + f.width + 16) << "\" y=\"" << num(ly - 6) << "\" width=\"22\" height=\"10\" fill=\""
          << color_of(k) << "\"/>\n";
        s << text(f.left + f.width + 44, ly + 4, c.series[k].name, "start");
    }
    s << "</svg>\n";
    return s.str();
}

std::string side_by_side(const std::string& left, int left_width, const std::string& right, int right_width, int height) {
    auto at = [](const std::string& svg, int x) {  // the same picture as a nested <svg> placed at x
        std::string inner = svg.substr(svg.find("<svg") + 4);
        return "<svg x=\"" + std::to_string(x) + "\" y=\"0\"" + inner;
    };
    return header(left_width + right_width, height) + at(left, 0) + at(right, left_width) + "</svg>\n";
}

void save_svg(const std::string& path, const std::string& svg) { write_file_atomic(path, svg); }

}  // namespace nn
