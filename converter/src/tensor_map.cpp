#include "grurt_convert/tensor_map.hpp"

#include <cstring>

#include "grurt/half_float.hpp"

namespace grurt::convert {

std::int64_t SourceTensor::numel() const {
  std::int64_t n = 1;
  for (std::int64_t d : shape) n *= d;
  return n;
}

std::string SourceTensor::shape_text() const {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

float bfloat16_to_float(std::uint16_t bits) {
  const std::uint32_t out = static_cast<std::uint32_t>(bits) << 16;
  float value;
  std::memcpy(&value, &out, sizeof value);
  return value;
}

std::size_t float_dtype_size(const std::string& dtype) {
  if (dtype == "F32") return 4;
  if (dtype == "F16" || dtype == "BF16") return 2;
  if (dtype == "F64") return 8;
  return 0;
}

void decode_floats(const std::string& dtype, const std::uint8_t* bytes, std::size_t count, float* out) {
  for (std::size_t i = 0; i < count; ++i) {
    if (dtype == "F32") {
      std::memcpy(&out[i], bytes + 4 * i, 4);
    } else if (dtype == "F64") {
      double d;
      std::memcpy(&d, bytes + 8 * i, 8);
      out[i] = static_cast<float>(d);
    } else {
      const std::uint16_t bits = static_cast<std::uint16_t>(bytes[2 * i] | (bytes[2 * i + 1] << 8));
      out[i] = dtype == "F16" ? half_to_float(bits) : bfloat16_to_float(bits);
    }
  }
}

}  // namespace grurt::convert
