// Half and bfloat16 decoding, checked on every half value against the IEEE definition.
#include <catch2/catch.hpp>
#include <cmath>

#include "grurt/half_float.hpp"
#include "grurt_convert/tensor_map.hpp"

using namespace grurt;
using namespace grurt::convert;

TEST_CASE("half_to_float is exact for all 65536 bit patterns", "[tensor_map]") {
  for (std::uint32_t bits = 0; bits < 65536; ++bits) {
    const int sign = (bits >> 15) ? -1 : 1;
    const int exponent = (bits >> 10) & 0x1f;
    const int mantissa = bits & 0x3ff;
    const float value = half_to_float(static_cast<std::uint16_t>(bits));
    INFO("bits 0x" << std::hex << bits);
    REQUIRE(half_is_finite(static_cast<std::uint16_t>(bits)) == (exponent != 0x1f));
    if (exponent == 0x1f) {
      REQUIRE((mantissa == 0 ? std::isinf(value) : std::isnan(value)));
      if (mantissa == 0) REQUIRE(std::signbit(value) == (sign < 0));
    } else {
      // Normal: (1 + m/1024) * 2^(e-15); subnormal: m/1024 * 2^-14.
      const double expected = exponent == 0 ? sign * std::ldexp(mantissa, -24)
                                            : sign * std::ldexp(1024 + mantissa, exponent - 25);
      REQUIRE(static_cast<double>(value) == expected);
      REQUIRE(std::signbit(value) == (sign < 0));
    }
  }
}

TEST_CASE("bfloat16_to_float keeps the top 16 bits of a float", "[tensor_map]") {
  REQUIRE(bfloat16_to_float(0x3f80) == 1.0f);
  REQUIRE(bfloat16_to_float(0xc000) == -2.0f);
  REQUIRE(bfloat16_to_float(0x3e80) == 0.25f);
  REQUIRE(std::isinf(bfloat16_to_float(0x7f80)));
}
