// The safetensors reader on files built here byte by byte.
#include <catch2/catch.hpp>
#include <cstring>
#include <string>

#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/safetensors_reader.hpp"

using namespace grurt::convert;

namespace {

std::vector<std::uint8_t> file(const std::string& header, const std::vector<std::uint8_t>& data,
                               std::uint64_t declared = UINT64_MAX) {
  const std::uint64_t length = declared == UINT64_MAX ? header.size() : declared;
  std::string bytes(8, '\0');
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>(length >> (8 * i));
  bytes += header;
  bytes.append(data.begin(), data.end());
  return {bytes.begin(), bytes.end()};
}

TensorMap read(const std::vector<std::uint8_t>& bytes) { return read_safetensors(bytes.data(), bytes.size()); }

std::vector<std::uint8_t> f32(std::initializer_list<float> values) {
  std::vector<std::uint8_t> out(values.size() * 4);
  std::memcpy(out.data(), values.begin(), out.size());
  return out;
}

}  // namespace

TEST_CASE("safetensors: tensors of each float dtype are read", "[safetensors]") {
  // F32 [2, 2], F16 [2] = {1.0, -2.0}, BF16 [1] = {0.5}, F64 [1] = {0.25}, I64 [1] (kept, not converted)
  std::vector<std::uint8_t> data = f32({1.0f, 2.0f, 3.0f, 4.0f});
  for (std::uint8_t b : {0x00, 0x3c, 0x00, 0xc0}) data.push_back(b);  // half 1.0, -2.0
  for (std::uint8_t b : {0x00, 0x3f}) data.push_back(b);              // bf16 0.5
  double quarter = 0.25;
  const auto* q = reinterpret_cast<const std::uint8_t*>(&quarter);
  data.insert(data.end(), q, q + 8);
  data.insert(data.end(), 8, 0);
  const std::string header =
      R"({"a": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]},)"
      R"( "b": {"dtype": "F16", "shape": [2], "data_offsets": [16, 20]},)"
      R"( "c": {"dtype": "BF16", "shape": [1], "data_offsets": [20, 22]},)"
      R"( "d": {"dtype": "F64", "shape": [1], "data_offsets": [22, 30]},)"
      R"( "steps": {"dtype": "I64", "shape": [1], "data_offsets": [30, 38]},)"
      R"( "__metadata__": {"format": "pt"}})";
  const TensorMap tensors = read(file(header, data));
  REQUIRE(tensors.size() == 5);
  REQUIRE(tensors.at("a").values == std::vector<float>{1.0f, 2.0f, 3.0f, 4.0f});
  REQUIRE(tensors.at("a").shape_text() == "[2, 2]");
  REQUIRE(tensors.at("b").values == std::vector<float>{1.0f, -2.0f});
  REQUIRE(tensors.at("c").values == std::vector<float>{0.5f});
  REQUIRE(tensors.at("d").values == std::vector<float>{0.25f});
  REQUIRE_FALSE(tensors.at("steps").is_float);
}

TEST_CASE("safetensors: every header and offset problem is named", "[safetensors]") {
  const auto data = f32({1.0f, 2.0f});
  const std::string good = R"({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}})";
  REQUIRE(read(file(good, data)).size() == 1);
  REQUIRE_THROWS_WITH(read({1, 2, 3}), Catch::Contains("the 8-byte header length is missing"));
  REQUIRE_THROWS_WITH(read(file(good, data, 1ull << 40)), Catch::Contains("exceeds the limit"));
  REQUIRE_THROWS_WITH(read(file(good, data, 500)), Catch::Contains("header length 500 but only"));
  REQUIRE_THROWS_WITH(read(file("{not json", data)), Catch::Contains("header is not valid JSON"));
  REQUIRE_THROWS_WITH(read(file("[1, 2]", data)), Catch::Contains("header is not a JSON object"));
  REQUIRE_THROWS_WITH(read(file(R"({"w": {"dtype": "F32"}})", data)), Catch::Contains("tensor 'w': needs"));
  REQUIRE_THROWS_WITH(read(file(R"({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 16]}})", data)),
                      Catch::Contains("tensor 'w': data_offsets [0,16] lie outside the 8-byte data section"));
  REQUIRE_THROWS_WITH(read(file(R"({"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}})", data)),
                      Catch::Contains("holds 8 bytes, but F32 [3] needs 12"));
  REQUIRE_THROWS_WITH(read(file(R"({"w": {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}})", data)),
                      Catch::Contains("has a dimension that is not a size"));
  REQUIRE_THROWS_WITH(read(file(R"({"w": {"dtype": "Q4", "shape": [2], "data_offsets": [0, 8]}})", data)),
                      Catch::Contains("dtype 'Q4' is not supported"));
  REQUIRE_THROWS_WITH(read(file(R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},)"
                                R"( "b": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}})",
                                data)),
                      Catch::Contains("overlap"));
  REQUIRE_THROWS_WITH(read(file(R"({"w": {"dtype": "F32", "shape": [4294967296, 4294967296], "data_offsets": [0, 8]}})",
                                data)),
                      Catch::Contains("larger than the file's data"));
}

TEST_CASE("safetensors: more tensors than the limit are refused", "[safetensors]") {
  std::string header = "{";
  for (std::size_t i = 0; i <= kMaxTensors; ++i) {
    header += (i ? ", \"t" : "\"t") + std::to_string(i) + R"(": {"dtype": "F32", "shape": [0], "data_offsets": [0, 0]})";
  }
  header += "}";
  REQUIRE_THROWS_WITH(read(file(header, {})), Catch::Contains("header lists 65537 tensors; the limit is 65536"));
}
