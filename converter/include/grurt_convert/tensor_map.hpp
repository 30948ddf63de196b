// What every weights reader produces: named tensors, converted to float.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace grurt::convert {

struct SourceTensor {
  std::vector<std::int64_t> shape;
  std::string dtype;          // as the file names it: "F32", "F16", "BF16", "F64", "I64", ...
  bool is_float = true;       // false for integer/bool tensors (kept only to be named)
  std::vector<float> values;  // row-major (contiguous), empty when !is_float

  std::int64_t numel() const;
  std::string shape_text() const;  // "[48, 16]"
};

// Most tensors a weights file may hold: far more than any GRU state_dict (with
// optimizer state), few enough that a hostile file cannot exhaust memory with them.
constexpr std::size_t kMaxTensors = 1u << 16;

// Sorted by name, so messages and reports are stable.
using TensorMap = std::map<std::string, SourceTensor>;

// bfloat16 bit patterns to float (exact); IEEE halves: grurt/half_float.hpp.
float bfloat16_to_float(std::uint16_t bits);

// Element size in bytes of a float dtype name, or 0 when not a float type we convert.
std::size_t float_dtype_size(const std::string& dtype);

// Converts `count` little-endian elements of a float dtype to float.
void decode_floats(const std::string& dtype, const std::uint8_t* bytes, std::size_t count, float* out);

}  // namespace grurt::convert
