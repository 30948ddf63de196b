#include "grurt_convert/tensor_map.hpp"

#include <cstring>

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

float half_to_float(std::uint16_t bits) {
  const std::uint32_t sign = (bits & 0x8000u) << 16;
  std::uint32_t exponent = (bits >> 10) & 0x1fu;
  std::uint32_t mantissa = bits & 0x3ffu;
  std::uint32_t out;
  if (exponent == 0x1f) {
    out = sign | 0x7f800000u | (mantissa << 13);  // inf / NaN
  } else if (exponent != 0) {
    out = sign | ((exponent + 112) << 23) | (mantissa << 13);  // 112 = 127 - 15
  } else if (mantissa == 0) {
    out = sign;  // +-0
  } else {
    // Subnormal half: normalise the mantissa into a normal float.
    exponent = 113;
    while ((mantissa & 0x400u) == 0) {
      mantissa <<= 1;
      --exponent;
    }
    out = sign | (exponent << 23) | ((mantissa & 0x3ffu) << 13);
  }
  float value;
  std::memcpy(&value, &out, sizeof value);
  return value;
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
