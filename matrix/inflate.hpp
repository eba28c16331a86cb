// gzip decompression (RFC 1952 wrapper around RFC 1951 DEFLATE), written out so that
// reading MNIST's .gz files needs no zlib. Throws nn::FormatError naming the file on a
// bad header, corrupt data, a truncated stream, or a CRC-32/length mismatch.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace nn {

bool is_gzip(const std::vector<std::uint8_t>& bytes);
std::vector<std::uint8_t> gunzip(const std::vector<std::uint8_t>& bytes, const std::string& name);

}  // namespace nn
