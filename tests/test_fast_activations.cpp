// The scalar path's exp, tanh and sigmoid (runtime/src/kernels/fast_activations.hpp)
// against the exact functions in double precision: a dense grid over the range
// where they vary, every float near the tanh branch at 0.25, tiny inputs,
// the saturation ends, infinities and NaN. The bounds are from a run over
// every float with |x| <= 100 (exp 8.4e-8 relative, tanh 8.7e-8 and sigmoid
// 8.9e-8 absolute; libm's own tanhf and 1/(1+expf) are at 1.04e-7 and 8.9e-8),
// with a little margin.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "kernels/fast_activations.hpp"

using grurt::kernels::exp_approx;
using grurt::kernels::sigmoid_approx;
using grurt::kernels::tanh_approx;

namespace {

constexpr double kExpRelative = 1.2e-7;
constexpr double kAbsolute = 1.1e-7;

double sigmoid_exact(double x) { return 1.0 / (1.0 + std::exp(-x)); }

struct Worst {
  double error = 0.0;
  float at = 0.0f;
  void see(double e, float x) {
    if (e > error) error = e, at = x;
  }
};

struct Errors {
  Worst exp, tanh, sigmoid;
  void check(float x) {
    if (std::fabs(x) <= 87.0f) {
      const double e = std::exp(static_cast<double>(x));
      exp.see(std::fabs(exp_approx(x) - e) / e, x);
    }
    tanh.see(std::fabs(tanh_approx(x) - std::tanh(static_cast<double>(x))), x);
    sigmoid.see(std::fabs(sigmoid_approx(x) - sigmoid_exact(x)), x);
  }
  void require_within_bounds() const {
    INFO("exp worst at " << exp.at << ", tanh at " << tanh.at << ", sigmoid at " << sigmoid.at);
    REQUIRE(exp.error <= kExpRelative);
    REQUIRE(tanh.error <= kAbsolute);
    REQUIRE(sigmoid.error <= kAbsolute);
  }
};

float from_bits(std::uint32_t bits) {
  float value = 0.0f;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

}  // namespace

TEST_CASE("fast exp and tanh and sigmoid over a dense grid of [-100 100]", "[activations]") {
  Errors errors;
  constexpr int kPoints = 1 << 22;
  for (int i = 0; i <= kPoints; ++i) errors.check(-100.0f + 200.0f * static_cast<float>(i) / kPoints);
  errors.require_within_bounds();
}

TEST_CASE("fast tanh at every float around its branch at 0.25 and on tiny inputs", "[activations]") {
  Errors errors;
  std::uint32_t low = 0, high = 0;
  const float from = 0.24f, to = 0.26f;
  std::memcpy(&low, &from, sizeof low);
  std::memcpy(&high, &to, sizeof high);
  for (std::uint32_t bits = low; bits <= high; ++bits) {
    errors.check(from_bits(bits));
    errors.check(-from_bits(bits));
  }
  for (float x = 1e-30f; x < 0.24f; x *= 1.001f) {
    errors.check(x);
    errors.check(-x);
    REQUIRE(std::fabs(tanh_approx(x) - x) <= std::fabs(x) * 1e-7 + x * x * x);  // relative near 0
  }
  errors.require_within_bounds();
}

TEST_CASE("fast activations saturate and keep signs and pass NaN", "[activations]") {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (float x : {9.5f, 20.0f, 87.0f, 88.0f, 100.0f, 1e30f, std::numeric_limits<float>::max(), inf}) {
    INFO("x = " << x);
    REQUIRE(tanh_approx(x) == 1.0f);
    REQUIRE(tanh_approx(-x) == -1.0f);
  }
  for (float x : {20.0f, 87.0f, 88.0f, 100.0f, 1e30f, std::numeric_limits<float>::max(), inf}) {
    INFO("x = " << x);
    REQUIRE(sigmoid_approx(x) == 1.0f);
    REQUIRE(sigmoid_approx(-x) > 0.0f);
    REQUIRE(sigmoid_approx(-x) <= std::exp(-x) * 1.0000002f + 2e-38f);  // e^-x or, beyond 87, e^-87
  }
  REQUIRE(exp_approx(-inf) > 0.0f);
  REQUIRE(exp_approx(-inf) <= 2e-38f);
  REQUIRE(exp_approx(inf) == exp_approx(87.0f));
  REQUIRE(exp_approx(0.0f) == 1.0f);
  REQUIRE(tanh_approx(0.0f) == 0.0f);
  REQUIRE(std::signbit(tanh_approx(-0.0f)));
  REQUIRE(sigmoid_approx(0.0f) == 0.5f);
  REQUIRE(std::isnan(exp_approx(nan)));
  REQUIRE(std::isnan(tanh_approx(nan)));
  REQUIRE(std::isnan(sigmoid_approx(nan)));
  REQUIRE(std::isnan(tanh_approx(-nan)));
}
