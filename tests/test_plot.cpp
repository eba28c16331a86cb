#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "matrix/errors.hpp"
#include "nn/plot.hpp"

TEST_CASE("line chart: every series, its legend, axis labels; log scale ticks", "[plot]") {
    nn::LineChart c;
    c.title = "Cost <vs> iterations";
    c.x_label = "iteration";
    c.y_label = "cost";
    c.series.push_back({"lr = 0.1", {0, 1, 2}, {3, 2, 1}, false});
    c.series.push_back({"lr = 1", {0, 1, 2}, {3, 1, 0.5}, true});
    std::string svg = nn::render_line_chart(c);
    REQUIRE(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
    REQUIRE(svg.find("</svg>") != std::string::npos);
    REQUIRE(svg.find("Cost &lt;vs&gt; iterations") != std::string::npos);  // escaped
    REQUIRE(svg.find("lr = 0.1") != std::string::npos);
    REQUIRE(svg.find(">iteration<") != std::string::npos);
    std::size_t lines = 0;
    for (std::size_t at = svg.find("<polyline"); at != std::string::npos; at = svg.find("<polyline", at + 1)) ++lines;
    REQUIRE(lines == 2);
    c.log_y = true;
    c.series[0].y = {1, 1e3, 1e6};
    std::string log_svg = nn::render_line_chart(c);
    REQUIRE(log_svg.find(">1e6<") != std::string::npos);
    REQUIRE(log_svg.find(">1e0<") != std::string::npos);
}

TEST_CASE("decision regions colour the plane by the classifier and draw every point", "[plot]") {
    nn::DecisionRegions r;
    r.predict = [](double x1, double) { return x1 > 0 ? 1 : 0; };
    r.x1 = {-1, 1, 2};
    r.x2 = {0, 0, 1};
    r.labels = {0, 1, 1};
    r.class_names = {"neg", "pos"};
    r.resolution = 20;
    std::string svg = nn::render_decision_regions(r);
    REQUIRE(svg.find("#c6dbef") != std::string::npos);  // class 0 region
    REQUIRE(svg.find("#fcc5c0") != std::string::npos);  // class 1 region
    std::size_t circles = 0;
    for (std::size_t at = svg.find("<circle"); at != std::string::npos; at = svg.find("<circle", at + 1)) ++circles;
    REQUIRE(circles == 2 + 1);  // two class-1 points and the legend marker
}

TEST_CASE("digit grid: one tile per image, with captions", "[plot]") {
    nn::DigitGrid g;
    g.side = 2;
    g.images = {{0, 1, 0.5, 0}, {1, 1, 1, 1}, {0, 0, 0, 0}};
    g.captions = {"3 \u2192 8", "a", "b"};
    std::string svg = nn::render_digit_grid(g);
    REQUIRE(svg.find("3 \u2192 8") != std::string::npos);
    REQUIRE(svg.find("rgb(255,255,255)") != std::string::npos);
    REQUIRE(svg.find("rgb(128,128,128)") != std::string::npos);
    REQUIRE(svg.find("translate(8.00,40.00)") != std::string::npos);  // first tile right under the title
    g.subtitle = "3 of 3 shown";  // a second line: the tiles move down to make room for it
    svg = nn::render_digit_grid(g);
    REQUIRE(svg.find(">3 of 3 shown</text>") != std::string::npos);
    REQUIRE(svg.find("translate(8.00,40.00)") == std::string::npos);
    REQUIRE(svg.find("translate(8.00,58.00)") != std::string::npos);
}

namespace {
// The widths of the bars of a bar chart, in the order they are drawn.
std::vector<double> bar_widths(const std::string& svg) {
    std::vector<double> widths;
    for (std::size_t at = svg.find("<rect class=\"bar\""); at != std::string::npos; at = svg.find("<rect class=\"bar\"", at + 1)) {
        std::size_t w = svg.find("width=\"", at) + 7;
        widths.push_back(std::stod(svg.substr(w, svg.find('"', w) - w)));
    }
    return widths;
}
}  // namespace

TEST_CASE("bar chart: bar lengths follow the values (linear and log), missing values draw no bar", "[plot]") {
    nn::BarChart c;
    c.title = "GEMM <speed>";
    c.value_label = "GFLOP/s";
    c.categories = {"square 256", "W1·X"};
    c.series.push_back({"naive", {10, 20}, ""});
    c.series.push_back({"ours", {40, -1}, "#123456"});  // -1: not measured
    std::string svg = nn::render_bar_chart(c);
    REQUIRE(svg.find("GEMM &lt;speed&gt;") != std::string::npos);  // escaped
    REQUIRE(svg.find(">W1·X</text>") != std::string::npos);
    REQUIRE(svg.find("fill=\"#123456\"") != std::string::npos);  // the series' own colour
    std::vector<double> w = bar_widths(svg);                      // drawn: naive 10, ours 40, naive 20
    REQUIRE(w.size() == 3);
    CHECK(w[1] == Approx(4 * w[0]).epsilon(1e-3));  // linear axis from 0: 40 is four times 10
    CHECK(w[2] == Approx(2 * w[0]).epsilon(1e-3));
    REQUIRE(svg.find(">40</text>") != std::string::npos);  // each bar carries its value

    c.log_x = true;  // from the decade below the smallest value: 1 → 10, 100, 1000 are 1, 2, 3 decades
    c.series = {{"a", {10, 100}, ""}, {"b", {1000, std::nan("")}, ""}};
    c.references = {{50, "peak"}};
    svg = nn::render_bar_chart(c);
    w = bar_widths(svg);  // drawn: a 10, b 1000, a 100
    REQUIRE(w.size() == 3);
    CHECK(w[2] == Approx(2 * w[0]).epsilon(1e-3));
    CHECK(w[1] == Approx(3 * w[0]).epsilon(1e-3));
    REQUIRE(svg.find(">peak</text>") != std::string::npos);
    REQUIRE(svg.find("stroke-dasharray") != std::string::npos);  // the reference line
    REQUIRE(svg.find(">1</text>") != std::string::npos);         // log ticks at 1, 2, 5, 10, ...
    REQUIRE(svg.find(">200</text>") != std::string::npos);
}

TEST_CASE("pictures refuse inputs they cannot draw, with a message", "[plot]") {
    nn::DigitGrid g;  // 20 x 20 by default: an image of 4 values would be read past its end
    g.images = {{0, 1, 0.5, 0}};
    REQUIRE_THROWS_WITH(nn::render_digit_grid(g), "digit grid: image 0 has 4 values, not side x side = 400");
    nn::DecisionRegions r;
    r.x1 = {0, 1};
    r.x2 = {0, 1};
    r.labels = {0, 1};
    REQUIRE_THROWS_WITH(nn::render_decision_regions(r), Catch::Contains("no predict function"));
    r.predict = [](double, double) { return 0; };
    r.labels = {0};
    REQUIRE_THROWS_WITH(nn::render_decision_regions(r), Catch::Contains("(got 2, 2, 1)"));
    r.labels = {0, -1};  // would index the palette with -1
    REQUIRE_THROWS_AS(nn::render_decision_regions(r), nn::ValueError);
    r.x1 = r.x2 = {};
    r.labels = {};
    REQUIRE_THROWS_AS(nn::render_decision_regions(r), nn::ValueError);  // no points: no range to draw
}
