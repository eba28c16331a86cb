#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <typeinfo>
#include <vector>

#include "matrix/inflate.hpp"
#include "matrix/io.hpp"
#include "tests/helpers.hpp"

using testing::TempDir;
using testing::repo_path;

TEST_CASE("CSV: header, label column by name, X is (n_x, m)", "[io]") {
    TempDir dir;
    std::string path = dir.write("d.csv", "a,b,y\n1,2,0\n3,-4e-1,2\r\n\n");
    nn::Dataset d = nn::load_csv_dataset(path, "y", 0, 9);
    REQUIRE(d.X.shape() == "(2, 2)");
    REQUIRE(d.X(0, 1) == 3);
    REQUIRE(d.X(1, 1) == -0.4);
    REQUIRE(d.y == std::vector<int>{0, 2});
    REQUIRE(d.feature_names == std::vector<std::string>{"a", "b"});
    nn::Dataset by_index = nn::load_csv_dataset(path, "#0", 0, 9);
    REQUIRE(by_index.y == std::vector<int>{1, 3});
    REQUIRE(nn::load_csv_dataset(path, "-1").y == d.y);
}

TEST_CASE("CSV: a UTF-8 byte-order mark before the header is skipped (as spreadsheets write it)", "[io]") {
    TempDir dir;
    nn::Dataset d = nn::load_csv_dataset(dir.write("bom.csv", "\xEF\xBB\xBFy,a\n1,0.5\n0,2\n"));
    REQUIRE(d.y == std::vector<int>{1, 0});
    REQUIRE(d.feature_names == std::vector<std::string>{"a"});
}

TEST_CASE("CSV errors name the file, the line and the column", "[io]") {
    TempDir dir;
    SECTION("ragged row") {
        auto p = dir.write("r.csv", "a,b,y\n1,2,0\n1,0\n");
        REQUIRE_THROWS_WITH(nn::read_csv(p), Catch::Contains("r.csv:3: expected 3 columns (as in the header), found 2"));
        auto q = dir.write("r2.csv", "a,b,y\n1,2,0,7\n");
        REQUIRE_THROWS_WITH(nn::read_csv(q), Catch::Contains("r2.csv:2: expected 3 columns"));
    }
    SECTION("non-numeric cell") {
        auto p = dir.write("n.csv", "a,b,y\n1,2,0\n1,abc,0\n");
        REQUIRE_THROWS_WITH(nn::read_csv(p), Catch::Contains("n.csv:3: column 2 ('abc'): not a number"));
        auto q = dir.write("e.csv", "a,b,y\n1,,0\n");
        REQUIRE_THROWS_WITH(nn::read_csv(q), Catch::Contains("e.csv:2: column 2 (''): not a number"));
        auto semi = dir.write("s.csv", "a;b;y\n1;2;0\n");  // a European spreadsheet's export
        REQUIRE_THROWS_WITH(nn::read_csv(semi), Catch::Contains("not a number (the columns must be separated by commas)"));
    }
    SECTION("directory instead of a file") {
        REQUIRE_THROWS_WITH(nn::read_csv(dir.path.string()), Catch::Contains(dir.path.string() + ": is a directory, not a file"));
    }
    SECTION("NaN and Inf") {
        REQUIRE_THROWS_WITH(nn::read_csv(dir.write("nan.csv", "a,y\nnan,1\n")), Catch::Contains("nan.csv:2: column 1: NaN is not allowed"));
        REQUIRE_THROWS_WITH(nn::read_csv(dir.write("inf.csv", "a,y\n1,-inf\n")), Catch::Contains("inf.csv:2: column 2: infinite value"));
        REQUIRE_THROWS_WITH(nn::read_csv(dir.write("big.csv", "a,y\n1e999,1\n")), Catch::Contains("out of range"));
    }
    SECTION("empty file and header only") {
        REQUIRE_THROWS_WITH(nn::read_csv(dir.write("empty.csv", "")), Catch::Contains("empty.csv: file is empty"));
        REQUIRE_THROWS_WITH(nn::read_csv(dir.write("h.csv", "a,y\n")), Catch::Contains("h.csv: no data rows"));
    }
    SECTION("labels out of range or not whole") {
        auto p = dir.write("l.csv", "a,y\n1,3\n2,12\n");
        REQUIRE_THROWS_WITH(nn::load_csv_dataset(p, "y", 0, 9), Catch::Contains("l.csv:3: column 2: label 12 is out of range (expected 0..9)"));
        auto q = dir.write("f.csv", "a,y\n1,0.5\n");
        REQUIRE_THROWS_WITH(nn::load_csv_dataset(q), Catch::Contains("label 0.5 is not a whole number"));
    }
    SECTION("missing file and missing label column") {
        REQUIRE_THROWS_WITH(nn::read_csv(dir.file("nope.csv")), Catch::Contains("nope.csv: cannot open file"));
        REQUIRE_THROWS_WITH(nn::load_csv_dataset(dir.write("x.csv", "a,b\n1,2\n"), "y"), Catch::Contains("no column named 'y'"));
    }
    SECTION("data after a blank line") {
        REQUIRE_THROWS_WITH(nn::read_csv(dir.write("b.csv", "a,y\n1,2\n\n3,4\n")), Catch::Contains("b.csv:4: data after a blank line"));
    }
}

TEST_CASE("the bundled 20x20 digits load with the right shapes and labels", "[io]") {
    nn::Dataset train = nn::load_csv_dataset(repo_path("data/digits20_train.csv"));
    REQUIRE(train.X.shape() == "(400, 4000)");
    REQUIRE(train.y.size() == 4000);
    std::vector<int> per_class(10, 0);
    for (int v : train.y) per_class[v]++;
    REQUIRE(per_class == std::vector<int>(10, 400));
    REQUIRE(nn::min(train.X) >= 0.0);
    REQUIRE(nn::max(train.X) <= 1.0);
    nn::Dataset test = nn::load_csv_dataset(repo_path("data/digits20_test.csv"));
    REQUIRE(test.X.shape() == "(400, 1000)");
    nn::Dataset iris = nn::load_csv_dataset(repo_path("data/iris.csv"), "y", 0, 2);
    REQUIRE(iris.X.shape() == "(4, 150)");
    nn::Dataset bc = nn::load_csv_dataset(repo_path("data/breast_cancer.csv"), "y", 0, 1);
    REQUIRE(bc.X.shape() == "(30, 569)");
}

TEST_CASE("IDX images and labels, plain and gzip-compressed", "[io]") {
    nn::Matrix X = nn::read_idx_images(repo_path("tests/data/tiny-images-idx3-ubyte"));
    REQUIRE(X.shape() == "(20, 6)");
    REQUIRE(X(7, 2) == (2 * 20 + 7) * 2 / 255.0);  // pixel 7 of image 2
    nn::Matrix Xz = nn::read_idx_images(repo_path("tests/data/tiny-images-idx3-ubyte.gz"));
    REQUIRE(Xz == X);
    REQUIRE(nn::read_idx_labels(repo_path("tests/data/tiny-labels-idx1-ubyte.gz")) == std::vector<int>{3, 1, 4, 1, 5, 9});
    nn::Dataset d = nn::load_idx_dataset(repo_path("tests/data/tiny-images-idx3-ubyte"), repo_path("tests/data/tiny-labels-idx1-ubyte"));
    REQUIRE(d.y.size() == 6);
    nn::Matrix P = nn::read_idx_images(repo_path("tests/data/pattern-images-idx3-ubyte.gz"));
    REQUIRE(P.shape() == "(784, 300)");
    REQUIRE(nn::sum(P) * 255.0 == Approx(27680871.0).epsilon(1e-12));  // byte sum printed by Python
}

TEST_CASE("IDX errors: wrong magic, truncated, corrupt gzip, bad labels", "[io]") {
    TempDir dir;
    auto bytes = nn::read_file_bytes(repo_path("tests/data/tiny-images-idx3-ubyte"));
    std::string s(bytes.begin(), bytes.end());
    REQUIRE_THROWS_WITH(nn::read_idx_labels(repo_path("tests/data/tiny-images-idx3-ubyte")),
                        Catch::Contains("wrong magic number 0x00000803 (expected 0x00000801"));
    REQUIRE_THROWS_WITH(nn::read_idx_images(dir.write("t.idx", s.substr(0, s.size() - 3))), Catch::Contains("t.idx: truncated"));
    REQUIRE_THROWS_WITH(nn::read_idx_images(dir.write("h.idx", s.substr(0, 9))), Catch::Contains("header is truncated"));
    auto gz = nn::read_file_bytes(repo_path("tests/data/tiny-images-idx3-ubyte.gz"));
    std::string g(gz.begin(), gz.end());
    REQUIRE_THROWS_WITH(nn::read_idx_images(dir.write("cut.gz", g.substr(0, g.size() - 20))), Catch::Contains("cut.gz"));
    std::string flipped = g;
    flipped[g.size() - 12] ^= 0x55;  // damage the compressed data
    REQUIRE_THROWS_AS(nn::read_idx_images(dir.write("bad.gz", flipped)), nn::FormatError);
    std::string bad_label = "\x00\x00\x08\x01" + std::string("\x00\x00\x00\x02", 4) + "\x03\x0c";
    bad_label = std::string("\x00\x00\x08\x01", 4) + std::string("\x00\x00\x00\x02", 4) + "\x03\x0c";
    REQUIRE_THROWS_WITH(nn::read_idx_labels(dir.write("l.idx", bad_label)), Catch::Contains("label 12 of item 1 is out of range"));
}

TEST_CASE("npy: numpy files read back; our files round-trip", "[io]") {
    nn::Matrix S = nn::load_npy(repo_path("tests/data/small.npy"));
    REQUIRE(S.shape() == "(3, 4)");
    REQUIRE(S(2, 3) == 11.0 / 8);
    nn::Matrix v = nn::load_npy(repo_path("tests/data/vector.npy"));
    REQUIRE(v == nn::Matrix{{1.5, -2.0, 3.25}});
    REQUIRE_THROWS_WITH(nn::load_npy(repo_path("tests/data/int32.npy")), Catch::Contains("dtype '<i4' is not supported"));
    REQUIRE_THROWS_WITH(nn::load_npy(repo_path("tests/data/fortran.npy")), Catch::Contains("Fortran-order"));
    TempDir dir;
    nn::Matrix W{{1e-300, -2.5}, {3.14159, 1e300}};
    nn::save_npy(dir.file("w.npy"), W);
    REQUIRE(nn::load_npy(dir.file("w.npy")) == W);
    auto b = nn::read_file_bytes(dir.file("w.npy"));
    REQUIRE((b.size() - 32) % 64 == 0);  // header padded to a multiple of 64 bytes
    std::string s(b.begin(), b.end());
    REQUIRE_THROWS_WITH(nn::load_npy(dir.write("cut.npy", s.substr(0, s.size() - 8))), Catch::Contains("truncated"));
    REQUIRE_THROWS_WITH(nn::load_npy(dir.write("x.npy", "hello")), Catch::Contains("not a .npy file"));
}

TEST_CASE("atomic writes leave no temporary file behind", "[io]") {
    TempDir dir;
    nn::save_csv(dir.file("h.csv"), {"iteration", "cost"}, nn::Matrix{{0, 0.1}, {1, 1.0 / 3}});
    auto t = nn::read_csv(dir.file("h.csv"));
    REQUIRE(t.values(1, 1) == 1.0 / 3);  // 17 digits read back exactly
    REQUIRE_FALSE(std::filesystem::exists(dir.file("h.csv.tmp")));
    REQUIRE_THROWS_AS(nn::write_file_atomic(dir.file("no/such/dir/f.txt"), "x"), nn::FormatError);
    REQUIRE_THROWS_WITH(nn::write_file_atomic(dir.path.string(), "x"), Catch::Contains("is a directory; give a file name"));
    REQUIRE_THROWS_WITH(nn::save_csv(dir.file("c.csv"), {"a,b"}, nn::Matrix(1, 1)), Catch::Contains("column name 'a,b' contains a comma"));
    REQUIRE_FALSE(std::filesystem::exists(dir.file("c.csv")));
}

// Damaged files, made by flipping, replacing, inserting and deleting bytes of good ones (and
// cutting them short), the way a fuzzer does. Every reader must either read the file or throw
// nn::FormatError with a message; any other exception fails here, and an out-of-bounds access
// in the hand-written gunzip, IDX, npy or CSV code fails the AddressSanitizer run of CI.
TEST_CASE("damaged files: every reader reads them or throws a FormatError, never anything else", "[io]") {
    TempDir dir;
    enum Reader { Gunzip, IdxImages, IdxLabels, Npy, Csv, CsvDataset };
    struct Seed {
        std::string path;
        Reader reader;
    };
    const std::string csv = dir.write("seed.csv", "x1,x2,y\n0.5,-1e-3,1\n2,3.25e2,0\n-7,8,9\n");
    const std::vector<Seed> seeds = {{repo_path("tests/data/pattern-images-idx3-ubyte.gz"), Gunzip},
                                     {repo_path("tests/data/tiny-images-idx3-ubyte.gz"), Gunzip},
                                     {repo_path("tests/data/tiny-images-idx3-ubyte"), IdxImages},
                                     {repo_path("tests/data/tiny-images-idx3-ubyte.gz"), IdxImages},
                                     {repo_path("tests/data/tiny-labels-idx1-ubyte"), IdxLabels},
                                     {repo_path("tests/data/small.npy"), Npy},
                                     {repo_path("tests/data/vector.npy"), Npy},
                                     {csv, Csv},
                                     {csv, CsvDataset}};
    std::mt19937 rng(2026);
    const int cases = 1500;
    int rejected = 0, unnamed = 0;
    for (int i = 0; i < cases; ++i) {
        const Seed& seed = seeds[rng() % seeds.size()];
        std::vector<std::uint8_t> b = nn::read_file_bytes(seed.path);
        for (unsigned m = 0, n = 1 + rng() % 6; m < n && !b.empty(); ++m) {
            const std::size_t at = rng() % b.size();
            switch (rng() % 5) {
                case 0: b[at] = static_cast<std::uint8_t>(b[at] ^ (1u << (rng() % 8))); break;  // flip a bit
                case 1: b[at] = static_cast<std::uint8_t>(rng()); break;                         // replace a byte
                case 2: b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), static_cast<std::uint8_t>(rng())); break;
                case 3: b.erase(b.begin() + static_cast<std::ptrdiff_t>(at)); break;
                default: b.resize(at); break;  // cut short
            }
        }
        const std::string path = dir.write("damaged", std::string(b.begin(), b.end()));
        try {
            switch (seed.reader) {
                case Gunzip: nn::gunzip(b, "damaged.gz"); break;
                case IdxImages: nn::read_idx_images(path); break;
                case IdxLabels: nn::read_idx_labels(path); break;
                case Npy: nn::load_npy(path); break;
                case Csv: nn::read_csv(path); break;
                case CsvDataset: nn::load_csv_dataset(path); break;
            }
        } catch (const nn::FormatError& e) {
            ++rejected;
            if (std::string(e.what()).find("damaged") == std::string::npos) ++unnamed;  // the message must name the file
        } catch (const std::exception& e) {
            FAIL("case " << i << " (" << seed.path << "): " << typeid(e).name() << ": " << e.what());
        }
    }
    REQUIRE(rejected > cases / 2);  // the damage was real: most of the files were refused
    REQUIRE(unnamed == 0);
}

// Headers whose sizes multiply past 2^64: the product wraps round to 0, which would match an
// empty data section. The readers must see through it and name the file.
TEST_CASE("IDX and npy headers whose sizes overflow 64 bits are refused, naming the file", "[io]") {
    TempDir dir;
    auto be32 = [](std::uint32_t v) {
        return std::string{char(v >> 24), char((v >> 16) & 0xff), char((v >> 8) & 0xff), char(v & 0xff)};
    };
    const std::string idx = std::string("\x00\x00\x08\x03", 4) + be32(65536) + be32(1u << 24) + be32(1u << 24);  // 2^64 bytes
    REQUIRE_THROWS_WITH(nn::read_idx_images(dir.write("huge.idx", idx)),
                        Catch::Contains("huge.idx: truncated: header promises 65536 x 16777216 x 16777216 bytes of data, file has 0"));
    std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2305843009213693952, 8), }";  // 2^61 x 8 x 8 bytes
    header += std::string(64 - (10 + header.size() + 1) % 64, ' ') + "\n";
    const std::string npy = std::string("\x93NUMPY\x01\x00", 8) + char(header.size() & 0xff) + char(header.size() >> 8) + header;
    REQUIRE_THROWS_WITH(nn::load_npy(dir.write("huge.npy", npy)),
                        Catch::Contains("huge.npy: truncated or oversized: shape (2305843009213693952, 8) needs 2305843009213693952 x 8 x 8 data bytes, file has 0"));
}
