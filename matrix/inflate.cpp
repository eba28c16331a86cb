// DEFLATE in brief: the stream is a sequence of blocks; each is stored (raw bytes), or
// Huffman-coded with fixed or with transmitted ("dynamic") code tables. Codes stand for
// literal bytes or for (length, distance) pairs that copy earlier output. A canonical
// Huffman code is fully described by its code lengths, which is what the tables hold.
#include "matrix/inflate.hpp"

#include "matrix/errors.hpp"

namespace nn {
namespace {

struct BitReader {
    const std::vector<std::uint8_t>& in;
    std::size_t pos;
    const std::string& name;
    std::uint32_t bitbuf = 0;
    int bitcount = 0;

    [[noreturn]] void fail(const std::string& what) const { throw FormatError(name + ": corrupt gzip data (" + what + ")"); }
    int bit() {
        if (bitcount == 0) {
            if (pos >= in.size()) throw FormatError(name + ": gzip data is truncated");
            bitbuf = in[pos++];
            bitcount = 8;
        }
        int b = bitbuf & 1;
        bitbuf >>= 1;
        --bitcount;
        return b;
    }
    std::uint32_t bits(int n) {  // n bits, least significant first
        std::uint32_t v = 0;
        for (int i = 0; i < n; ++i) v |= static_cast<std::uint32_t>(bit()) << i;
        return v;
    }
    void align() { bitcount = 0; }
};

// A canonical Huffman code given by the length of each symbol's code.
struct Huffman {
    std::vector<int> count;   // count[len] = number of codes of that length
    std::vector<int> symbol;  // symbols ordered by code
    Huffman(const int* lengths, int n) : count(16, 0), symbol(n, 0) {
        for (int s = 0; s < n; ++s) count[lengths[s]]++;
        count[0] = 0;
        std::vector<int> offs(16, 0);
        for (int len = 1; len < 16; ++len) offs[len] = offs[len - 1] + count[len - 1];
        for (int s = 0; s < n; ++s)
            if (lengths[s]) symbol[offs[lengths[s]]++] = s;
    }
    int decode(BitReader& br) const {
        int code = 0, first = 0, index = 0;
        for (int len = 1; len < 16; ++len) {
            code |= br.bit();
            int c = count[len];
            if (code - c < first) return symbol[index + (code - first)];
            index += c;
            first += c;
            first <<= 1;
            code <<= 1;
        }
        br.fail("invalid Huffman code");
    }
};

const int kLengthBase[29] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
const int kLengthExtra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
const int kDistBase[30] = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
const int kDistExtra[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

void inflate_codes(BitReader& br, std::vector<std::uint8_t>& out, const Huffman& lit, const Huffman& dist) {
    for (;;) {
        int sym = lit.decode(br);
        if (sym < 256) {
            out.push_back(static_cast<std::uint8_t>(sym));
        } else if (sym == 256) {
            return;  // end of block
        } else {
            sym -= 257;
            if (sym >= 29) br.fail("bad length symbol");
            std::size_t len = kLengthBase[sym] + br.bits(kLengthExtra[sym]);
            int d = dist.decode(br);
            if (d >= 30) br.fail("bad distance symbol");
            std::size_t back = kDistBase[d] + br.bits(kDistExtra[d]);
            if (back > out.size()) br.fail("distance too far back");
            std::size_t from = out.size() - back;
            for (std::size_t i = 0; i < len; ++i) out.push_back(out[from + i]);
        }
    }
}

void inflate_stored(BitReader& br, std::vector<std::uint8_t>& out) {
    br.align();
    if (br.pos + 4 > br.in.size()) throw FormatError(br.name + ": gzip data is truncated");
    unsigned len = br.in[br.pos] | (br.in[br.pos + 1] << 8);
    unsigned nlen = br.in[br.pos + 2] | (br.in[br.pos + 3] << 8);
    br.pos += 4;
    if (len != (~nlen & 0xffffu)) br.fail("stored block length check");
    if (br.pos + len > br.in.size()) throw FormatError(br.name + ": gzip data is truncated");
    out.insert(out.end(), br.in.begin() + static_cast<std::ptrdiff_t>(br.pos), br.in.begin() + static_cast<std::ptrdiff_t>(br.pos + len));
    br.pos += len;
}

void inflate_fixed(BitReader& br, std::vector<std::uint8_t>& out) {
    int lengths[288];
    for (int s = 0; s < 144; ++s) lengths[s] = 8;
    for (int s = 144; s < 256; ++s) lengths[s] = 9;
    for (int s = 256; s < 280; ++s) lengths[s] = 7;
    for (int s = 280; s < 288; ++s) lengths[s] = 8;
    static const Huffman lit(lengths, 288);
    int dl[30];
    for (int& l : dl) l = 5;
    static const Huffman dist(dl, 30);
    inflate_codes(br, out, lit, dist);
}

void inflate_dynamic(BitReader& br, std::vector<std::uint8_t>& out) {
    int nlen = static_cast<int>(br.bits(5)) + 257, ndist = static_cast<int>(br.bits(5)) + 1;
    int ncode = static_cast<int>(br.bits(4)) + 4;
    if (nlen > 286 || ndist > 30) br.fail("too many length or distance codes");
    static const int order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
    int lengths[320] = {};
    for (int i = 0; i < ncode; ++i) lengths[order[i]] = static_cast<int>(br.bits(3));
    Huffman lencode(lengths, 19);
    int idx = 0;
    while (idx < nlen + ndist) {
        int sym = lencode.decode(br);
        if (sym < 16) {
            lengths[idx++] = sym;
            continue;
        }
        int len = 0, repeat;
        if (sym == 16) {
            if (idx == 0) br.fail("repeat with no previous length");
            len = lengths[idx - 1];
            repeat = 3 + static_cast<int>(br.bits(2));
        } else if (sym == 17) {
            repeat = 3 + static_cast<int>(br.bits(3));
        } else {
            repeat = 11 + static_cast<int>(br.bits(7));
        }
        if (idx + repeat > nlen + ndist) br.fail("too many code lengths");
        while (repeat--) lengths[idx++] = len;
    }
    Huffman lit(lengths, nlen), dist(lengths + nlen, ndist);
    inflate_codes(br, out, lit, dist);
}

struct Crc32Table {
    std::uint32_t t[256];
    Crc32Table() {
        for (std::uint32_t n = 0; n < 256; ++n) {
            std::uint32_t c = n;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
    }
};

std::uint32_t crc32(const std::vector<std::uint8_t>& data) {
    static const Crc32Table crc;  // built once, thread-safely
    const std::uint32_t* table = crc.t;
    std::uint32_t c = 0xffffffffu;
    for (std::uint8_t b : data) c = table[(c ^ b) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

}  // namespace

bool is_gzip(const std::vector<std::uint8_t>& bytes) {
    return bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

std::vector<std::uint8_t> gunzip(const std::vector<std::uint8_t>& in, const std::string& name) {
    if (in.size() < 18 || !is_gzip(in)) throw FormatError(name + ": not a gzip file or truncated header");
    if (in[2] != 8) throw FormatError(name + ": unsupported gzip compression method " + std::to_string(in[2]));
    const std::uint8_t flags = in[3];
    std::size_t pos = 10;
    auto need = [&](std::size_t n) {
        if (pos + n > in.size()) throw FormatError(name + ": gzip header is truncated");
    };
    if (flags & 4) {  // FEXTRA
        need(2);
        std::size_t xlen = in[pos] | (in[pos + 1] << 8);
        pos += 2 + xlen;
    }
    for (int field : {8, 16}) {  // FNAME, FCOMMENT: zero-terminated strings
        if (flags & field) {
            while (pos < in.size() && in[pos] != 0) ++pos;
            ++pos;
        }
    }
    if (flags & 2) pos += 2;  // FHCRC
    need(0);
    std::vector<std::uint8_t> out;
    BitReader br{in, pos, name};
    int last;
    do {
        last = br.bit();
        int type = static_cast<int>(br.bits(2));
        if (type == 0) inflate_stored(br, out);
        else if (type == 1) inflate_fixed(br, out);
        else if (type == 2) inflate_dynamic(br, out);
        else br.fail("invalid block type 3");
    } while (!last);
    pos = br.pos;
    if (pos + 8 > in.size()) throw FormatError(name + ": gzip data is truncated (missing CRC-32 and length)");
    std::uint32_t crc = in[pos] | (in[pos + 1] << 8) | (in[pos + 2] << 16) | (std::uint32_t(in[pos + 3]) << 24);
    std::uint32_t size = in[pos + 4] | (in[pos + 5] << 8) | (in[pos + 6] << 16) | (std::uint32_t(in[pos + 7]) << 24);
    if (crc != crc32(out)) throw FormatError(name + ": gzip CRC-32 check failed (the file is corrupt)");
    if (size != static_cast<std::uint32_t>(out.size())) throw FormatError(name + ": gzip length check failed");
    return out;
}

}  // namespace nn
