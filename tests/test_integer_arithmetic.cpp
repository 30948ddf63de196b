// The integer path's arithmetic (runtime/src/integer/fixed_point.hpp) against
// double precision: sigmoid and tanh over every Q.12 input from -20 to 20
// (beyond 16 both are saturated), and requantization against the exact
// quotient (64-bit integers). The bounds are the stated errors of the integer path.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <random>

#include "integer/fixed_point.hpp"

using namespace grurt::integer;

namespace {

constexpr std::int32_t kLimit = 20 * 4096;  // Q.12 inputs -20 .. 20

// Largest |f_q15(x) / 32768 - f(x / 4096)| over every Q.12 input in the range.
template <typename Fixed, typename Exact>
double largest_error(Fixed fixed, Exact exact, std::int32_t* worst_input) {
  double largest = 0.0;
  for (std::int32_t x = -kLimit; x <= kLimit; ++x) {
    const double error = std::fabs(fixed(x) / 32768.0 - exact(x / 4096.0));
    if (error > largest) {
      largest = error;
      *worst_input = x;
    }
  }
  return largest;
}

}  // namespace

TEST_CASE("Integer sigmoid and tanh stay within their stated errors on every Q.12 input", "[integer]") {
  std::int32_t worst = 0;
  // Linear interpolation in steps of 1/32 (error <= max|f''| h^2 / 8: 1.2e-5
  // for sigmoid), table entries rounded to Q15 (1.5e-5), the result rounded
  // (1.5e-5); tanh = 2 sigmoid(2x) - 1 doubles sigmoid's error at twice the slope.
  const double sigmoid = largest_error(sigmoid_q15, [](double x) { return 1.0 / (1.0 + std::exp(-x)); }, &worst);
  WARN("integer sigmoid: largest error " << sigmoid << " at x = " << worst / 4096.0);
  CHECK(sigmoid <= 4e-5);
  const double tanh = largest_error(tanh_q15, [](double x) { return std::tanh(x); }, &worst);
  WARN("integer tanh: largest error " << tanh << " at x = " << worst / 4096.0);
  CHECK(tanh <= 8e-5);
}

TEST_CASE("Integer sigmoid and tanh are exact at 0 and saturate to 1 and -1 at any magnitude", "[integer]") {
  CHECK(sigmoid_q15(0) == 16384);
  CHECK(tanh_q15(0) == 0);
  for (std::int32_t x : {16 * 4096, 100000, 1 << 29, (1 << 30) + 12345}) {
    CHECK(sigmoid_q15(x) == 32768);
    CHECK(sigmoid_q15(-x) == 0);
    CHECK(tanh_q15(x) == 32768);
    CHECK(tanh_q15(-x) == -32768);
  }
  // Odd and mirrored, bit for bit: sigmoid(-x) = 1 - sigmoid(x), tanh(-x) = -tanh(x).
  for (std::int32_t x = 1; x < kLimit; x += 37) {
    CHECK(sigmoid_q15(-x) == 32768 - sigmoid_q15(x));
    CHECK(tanh_q15(-x) == -tanh_q15(x));
  }
}

TEST_CASE("Integer sigmoid and tanh never decrease", "[integer]") {
  for (std::int32_t x = -kLimit; x < kLimit; ++x) {
    REQUIRE(sigmoid_q15(x) <= sigmoid_q15(x + 1));
    REQUIRE(tanh_q15(x) <= tanh_q15(x + 1));
  }
}

TEST_CASE("Requantization is within one unit of the exact quotient, and exact on whole multiples", "[integer]") {
  std::mt19937 rng(1202);
  std::uniform_int_distribution<std::int32_t> sums(INT32_MIN + 1, INT32_MAX);
  std::uniform_int_distribution<std::int32_t> multipliers(1 << 30, INT32_MAX);
  std::uniform_int_distribution<std::uint32_t> shifts(0, kMaxShift);
  for (int i = 0; i < 200000; ++i) {
    const std::int32_t acc = i % 4 == 0 ? sums(rng) % 100000 : sums(rng);
    const std::int32_t m = multipliers(rng);
    const std::uint32_t shift = shifts(rng);
    // The exact quotient acc * m / 2^(32 + shift) lies in [floor, floor + 1):
    // the product is exact in 64 bits (|acc * m| < 2^62).
    const std::int64_t product = std::int64_t{acc} * m;
    const std::int64_t floor = product >> (32 + shift);
    const std::int64_t remainder = product - floor * (std::int64_t{1} << (32 + shift));
    const bool upper_half = remainder >= (std::int64_t{1} << (31 + shift));
    const std::int32_t got = requantize(acc, m, shift);
    INFO("acc " << acc << " multiplier " << m << " shift " << shift);
    // Nearest, except that the two roundings (to 2^-32, then by the shift)
    // may move a quotient within 2^-(shift + 1) of a half by one unit.
    const std::int64_t nearest = upper_half ? floor + 1 : floor;
    REQUIRE(std::llabs(got - nearest) <= 1);
    const std::int64_t tie = std::int64_t{1} << (31 + shift);
    if (remainder > tie + (std::int64_t{1} << 31) || remainder < tie - (std::int64_t{1} << 31)) {
      REQUIRE(got == nearest);  // away from the tie, exactly the nearest
    }
    REQUIRE(std::abs(got) < (1 << 30));
  }
  // The multiplier 2^30 with shift s divides by 2^(s + 2) exactly when it can.
  CHECK(requantize(4 * 1000, 1 << 30, 0) == 1000);
  CHECK(requantize(-4 * 1000, 1 << 30, 0) == -1000);
  CHECK(requantize(1 << 20, 1 << 30, 10) == 1 << 8);
}

TEST_CASE("Q15 products round to nearest and int16 saturation is symmetric", "[integer]") {
  CHECK(multiply_q15(32768, 12345) == 12345);
  CHECK(multiply_q15(16384, 3) == 2);  // 1.5 rounds up
  CHECK(multiply_q15(16384, -3) == -1);  // -1.5 rounds up (halves toward +infinity)
  CHECK(saturate_int16(40000) == 32767);
  CHECK(saturate_int16(-40000) == -32767);
  CHECK(saturate_int16(-32768) == -32767);
}
