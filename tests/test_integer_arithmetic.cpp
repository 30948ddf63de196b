// The integer path's arithmetic (runtime/src/integer/fixed_point.hpp) against
// double precision: sigmoid and tanh over every Q.12 input from -20 to 20
// (beyond 16 both are saturated), and requantization against the exact
// quotient (64-bit integers); and its products in both forms (plain, and
// SXTB16/SMLAD: the instructions on ARMv7, portable C elsewhere) against
// plain row sums. The bounds are the stated errors of the integer path.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <random>

#include "integer/fixed_point.hpp"
#include "integer/integer_layers.hpp"

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

TEST_CASE("Both forms of the integer products equal plain row sums, requantized, bit for bit", "[integer][kernels]") {
  std::mt19937 rng(1203);
  std::uniform_int_distribution<int> weight(-127, 127), input(-32767, 32767), rows_in_panels(1, 3);
  std::uniform_int_distribution<std::int32_t> bias(-100000, 100000), multiplier(1 << 30, INT32_MAX);
  std::uniform_int_distribution<int> shift(0, 20);
  for (std::uint32_t columns : {4u, 8u, 12u, 40u, 64u, 132u}) {
    const std::uint32_t stored_rows = 16u * static_cast<std::uint32_t>(rows_in_panels(rng));
    std::vector<std::int8_t> weights(std::size_t{stored_rows} * columns);
    for (auto& w : weights) w = static_cast<std::int8_t>(weight(rng));
    // Extreme weights and inputs in places: the sums reach 127 * 32767 per term.
    weights[0] = 127;
    weights[1] = -127;
    std::vector<std::int16_t> x(columns);
    for (auto& v : x) v = static_cast<std::int16_t>(input(rng));
    x[0] = 32767;
    x[1] = -32767;
    std::vector<std::int32_t> biases(stored_rows), multipliers(stored_rows);
    std::vector<std::uint8_t> shifts(stored_rows);
    for (std::uint32_t i = 0; i < stored_rows; ++i) {
      biases[i] = bias(rng);
      multipliers[i] = multiplier(rng);
      shifts[i] = static_cast<std::uint8_t>(shift(rng));
    }
    const Product p{weights.data(), columns, biases.data(), multipliers.data(), shifts.data()};
    // Every run of whole groups of 4 rows from a multiple of 4.
    for (std::uint32_t first = 0; first < stored_rows; first += 4) {
      for (std::uint32_t rows = 4; first + rows <= stored_rows; rows += 4) {
        std::vector<std::int32_t> expected(rows), plain(rows), dual(rows);
        for (std::uint32_t r = 0; r < rows; ++r) {
          const std::uint32_t row = first + r;
          std::int64_t sum = biases[row];
          for (std::uint32_t k = 0; k < columns; ++k) {
            // Panel16x4: row p*16 + j, column k at (p * columns + (k / 4) * 4) * 16 + j * 4 + k % 4.
            sum += std::int64_t{weights[(row / 16 * columns + k / 4 * 4) * 16 + row % 16 * 4 + k % 4]} * x[k];
          }
          REQUIRE(sum == static_cast<std::int32_t>(sum));
          expected[r] = requantize(static_cast<std::int32_t>(sum), multipliers[row], shifts[row]);
        }
        product_rows_in(ProductForm::kPlain, p, first, rows, x.data(), plain.data());
        product_rows_in(ProductForm::kDual, p, first, rows, x.data(), dual.data());
        INFO(columns << " columns, rows " << first << " + " << rows);
        REQUIRE(plain == expected);
        REQUIRE(dual == expected);
      }
    }
  }
}
