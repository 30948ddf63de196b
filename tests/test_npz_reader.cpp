// The .npy member reader on hand-made arrays, and the front door telling an
// .npz from a torch.save zip.
#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>

#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/npz_reader.hpp"
#include "grurt_convert/source_file.hpp"

using namespace grurt::convert;
using namespace std::string_literals;

namespace {

// A .npy array: magic, version MAJOR.0, the header length (2 bytes in 1.0, 4 after), header, data.
std::string npy(const std::string& header, const std::string& data, int major = 1) {
  std::string bytes = "\x93NUMPY"s + static_cast<char>(major) + '\0';
  const std::size_t n = header.size();
  bytes += static_cast<char>(n & 0xff);
  bytes += static_cast<char>((n >> 8) & 0xff);
  if (major > 1) bytes += std::string(2, '\0');
  return bytes + header + data;
}

std::string floats(std::initializer_list<float> values) {
  std::string bytes(values.size() * 4, '\0');
  std::memcpy(&bytes[0], values.begin(), bytes.size());
  return bytes;
}

SourceTensor read(const std::string& bytes) {
  return read_npy("w", reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

std::string dict(const std::string& descr, const std::string& shape, const std::string& order = "False") {
  return "{'descr': '" + descr + "', 'fortran_order': " + order + ", 'shape': " + shape + ", }          \n";
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("npy: float arrays of every version are read row-major", "[npz]") {
  const SourceTensor t = read(npy(dict("<f4", "(2, 3)"), floats({1, 2, 3, 4, 5, 6})));
  REQUIRE(t.dtype == "F32");
  REQUIRE(t.shape == std::vector<std::int64_t>{2, 3});
  REQUIRE(t.values == std::vector<float>{1, 2, 3, 4, 5, 6});
  // Version 2.0 (4-byte header length), float64, a 1-tuple shape written "(2,)".
  double d[2] = {0.5, -2.0};
  const SourceTensor f64 = read(npy(dict("<f8", "(2,)"), std::string(reinterpret_cast<char*>(d), 16), 2));
  REQUIRE(f64.dtype == "F64");
  REQUIRE(f64.values == std::vector<float>{0.5f, -2.0f});
  // float16: 1.0 is 0x3c00.
  REQUIRE(read(npy(dict("<f2", "(1,)"), "\x00\x3c"s, 3)).values == std::vector<float>{1.0f});
  // A 0-d array holds one value; an integer array is kept, only to be named.
  REQUIRE(read(npy(dict("<f4", "()"), floats({7}))).values == std::vector<float>{7});
  const SourceTensor ints = read(npy(dict("<i8", "(2,)"), std::string(16, '\0')));
  REQUIRE(ints.dtype == "I64");
  REQUIRE_FALSE(ints.is_float);
  REQUIRE(read(npy(dict("|b1", "(3,)"), "\x01\x00\x01"s)).dtype == "BOOL");
}

TEST_CASE("npy: what is not a plain C-ordered numeric array is refused, saying why", "[npz]") {
  const std::string six = floats({1, 2, 3, 4, 5, 6});
  REQUIRE_THROWS_WITH(read(npy(dict("<f4", "(2, 3)", "True"), six)),
                      "npz: array 'w': is stored in Fortran (column-major) order; save it C-ordered "
                      "(numpy.ascontiguousarray)");
  REQUIRE_THROWS_WITH(read(npy(dict("|O", "(2,)"), "")), Catch::Contains("is an object array (pickled Python objects"));
  REQUIRE_THROWS_WITH(read(npy(dict(">f4", "(2, 3)"), six)), Catch::Contains("dtype '>f4' is big-endian"));
  REQUIRE_THROWS_WITH(read(npy(dict("<c8", "(1,)"), "12345678")), Catch::Contains("dtype '<c8' is not supported"));
  REQUIRE_THROWS_WITH(read(npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }\n", "1234")),
                      Catch::Contains("structured dtype"));
  REQUIRE_THROWS_WITH(read(npy(dict("<f4", "(2, 4)"), six)),
                      "npz: array 'w': holds 24 bytes of data, but <f4 [2, 4] needs 32");
  REQUIRE_THROWS_WITH(read(npy(dict("<f4", "(2, 3)"), six + "x")), Catch::Contains("holds 25 bytes of data"));
  // Dimensions whose product overflows 64 bits are refused before any multiplication wraps.
  REQUIRE_THROWS_WITH(read(npy(dict("<f4", "(4294967296, 4294967296, 4294967296)"), six)),
                      Catch::Contains("needs more"));
  REQUIRE_THROWS_WITH(read(npy(dict("<f4", "(4294967297,)"), six)), Catch::Contains("larger than 2^32"));
  REQUIRE_THROWS_WITH(read(npy(dict("<f4", "(-1,)"), six)), Catch::Contains("not a size"));
}

TEST_CASE("npy: malformed headers are errors, not crashes", "[npz]") {
  const std::string six = floats({1, 2, 3, 4, 5, 6});
  REQUIRE_THROWS_WITH(read("PK\x03\x04"s), Catch::Contains("is not a .npy array (no \\x93NUMPY magic)"));
  REQUIRE_THROWS_WITH(read(npy(dict("<f4", "(2, 3)"), six, 4)), Catch::Contains(".npy version 4.0"));
  REQUIRE_THROWS_WITH(read(npy("['<f4', False, (2, 3)]\n", six)), Catch::Contains("expected the header to be a dict"));
  REQUIRE_THROWS_WITH(read(npy("{'descr': '<f4', 'shape': (6,)}\n", six)), Catch::Contains("needs 'descr', 'fortran_order'"));
  REQUIRE_THROWS_WITH(read(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (6,), 'x': 1}\n", six)),
                      Catch::Contains("unknown key 'x'"));
  REQUIRE_THROWS_WITH(read(npy("{'descr': '<f4', 'fortran_order': 0, 'shape': (6,)}\n", six)),
                      Catch::Contains("neither True nor False"));
  REQUIRE_THROWS_WITH(read(npy("{'descr': '<f4}", six)), Catch::Contains("not terminated"));
  REQUIRE_THROWS_WITH(read(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (6,)} x", six)),
                      Catch::Contains("text after its dict"));
  // A header length past the member's end, and one past the limit.
  std::string cut = npy(dict("<f4", "(2, 3)"), "");
  REQUIRE_THROWS_WITH(read(cut.substr(0, 20)), Catch::Contains("follow (truncated?)"));
  std::string huge = "\x93NUMPY\x02\x00\xff\xff\xff\x7f"s + "{}";
  REQUIRE_THROWS_WITH(read(huge), Catch::Contains("more than 65536"));
}

TEST_CASE("npz: the front door tells an .npz from a torch.save zip", "[npz]") {
  const std::string npz = file_bytes(GRURT_CONVERT_FIXTURES "/../npz/gru_i3_h8_fc2.npz");
  const std::string pt = file_bytes(GRURT_CONVERT_FIXTURES "/gru_bare_i1_h5.pt");
  const auto* n = reinterpret_cast<const std::uint8_t*>(npz.data());
  const auto* p = reinterpret_cast<const std::uint8_t*>(pt.data());
  REQUIRE(looks_like_npz(n, npz.size()));
  REQUIRE_FALSE(looks_like_npz(p, pt.size()));
  const SourceFile file = read_source_file(n, npz.size());
  REQUIRE(file.format == "NumPy .npz");
  // numpy.savez keeps the state_dict's order, as a torch.save pickle does.
  REQUIRE(file.order == std::vector<std::string>{"rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0",
                                                 "rnn.bias_hh_l0", "fc.weight", "fc.bias"});
  REQUIRE(file.tensors.at("rnn.weight_ih_l0").shape == std::vector<std::int64_t>{24, 3});
  REQUIRE(read_source_file(n, npz.size(), parse_source_format("npz")).tensors.size() == 6);
  REQUIRE_THROWS_WITH(parse_source_format("numpy"),
                      "--format: unknown format 'numpy'; expected pt, safetensors, onnx, json, keras or npz");
  REQUIRE_THROWS_WITH(read_source_file(p, pt.size(), SourceFormat::kNpz),
                      Catch::Contains("is not a .npy array; an .npz holds only NAME.npy members"));
}
