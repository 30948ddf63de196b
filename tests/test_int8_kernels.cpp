// int8 weight matrices (ElementType I8, layout Panel16x4): every ISA's int8
// products against integer sums computed here, bit for bit, over many shapes
// (columns not multiples of 4, 16 or 32; one column; many panels), the
// extreme weights that would saturate a careless vpmaddubsw, and the
// accuracy of the per-vector input quantization against double.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstdint>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "kernels/int8_dsp.hpp"
#include "kernels/kernel_table.hpp"
#include "support/kernel_buffers.hpp"
#include "support/random_models.hpp"

using namespace grurt;
using namespace grurt::test;
using grurt::kernels::KernelTable;

namespace {

constexpr int kI8 = static_cast<int>(ElementType::kI8);

// The byte of row `row`, column `k` in Panel16x4 (schema/grurt.fbs), one row block.
std::size_t panel16x4_index(std::size_t row, std::size_t k, std::size_t cols) {
  const std::size_t c4 = (cols + 3) / 4 * 4;
  return (row / 16 * c4 + k / 4 * 4) * 16 + row % 16 * 4 + k % 4;
}

// A matrix of q values [rows x cols], row-major here and packed for the kernels.
struct Int8Matrix {
  Int8Matrix(std::size_t rows_, std::size_t cols_)
      : rows(rows_), cols(cols_), q(rows_ * cols_), packed(rows_ * ((cols_ + 3) / 4 * 4)), scales(rows_) {}
  void pack() {
    for (std::size_t i = 0; i < packed.size; ++i) packed.data()[i] = 0;
    for (std::size_t row = 0; row < rows; ++row)
      for (std::size_t k = 0; k < cols; ++k) packed.data()[panel16x4_index(row, k, cols)] = q[row * cols + k];
  }
  // Row `row` dequantized, in double: its dot product with x, and its sum of |w|.
  double row_dot(std::size_t row, const float* x) const {
    double sum = 0.0;
    for (std::size_t k = 0; k < cols; ++k) sum += static_cast<double>(q[row * cols + k]) * scales[row] * x[k];
    return sum;
  }
  double row_magnitude(std::size_t row) const {
    std::int64_t sum = 0;
    for (std::size_t k = 0; k < cols; ++k) sum += q[row * cols + k] < 0 ? -q[row * cols + k] : q[row * cols + k];
    return static_cast<double>(sum) * scales[row];
  }
  std::size_t rows, cols;
  std::vector<std::int8_t> q;
  PanelPadded<std::int8_t> packed;
  std::vector<float> scales;
};

struct Work {
  explicit Work(std::size_t cols) : bytes(std::vector<std::uint8_t>(kernels::int8_work_bytes(cols))) {}
  AlignedBytes bytes;
};

// isas_to_test(); under qemu-aarch64 with
// a core that has the dot product (GRURT_EXPECT_ARM_DOTPROD=1), sdot must be among them.
std::vector<Isa> int8_isas_to_test() {
  std::vector<Isa> isas = isas_to_test();
  const char* dotprod = std::getenv("GRURT_EXPECT_ARM_DOTPROD");
  if (dotprod != nullptr && std::string(dotprod) == "1") {
    REQUIRE(std::find(isas.begin(), isas.end(), Isa::kNeonDotprod) != isas.end());
  }
  return isas;
}

const std::uint32_t kPanelCounts[] = {1, 2, 3, 4, 5, 7, 9};
const std::uint32_t kColumnCounts[] = {1, 2, 3, 4, 5, 7, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 257, 513};

// The int8 entries of a kernel table against integer sums computed here.
void require_integer_sums(const kernels::MatrixKernels& int8, const std::string& label) {
  // Inputs n * 2^-3 with max |n| = 127 quantize exactly to n (scale 2^-3), and
  // power-of-two row scales and biases of whole output units make
  // y = (sum + b) * 2^-3 * scale exact in float (|sum + b| < 2^24): any
  // difference is a wrong integer sum.
  for (std::uint32_t panels : kPanelCounts) {
    for (std::uint32_t cols : kColumnCounts) {
      for (int pattern = 0; pattern < 3; ++pattern) {
        std::mt19937 rng(panels * 7919 + cols * 31 + pattern);
        const std::size_t rows = std::size_t{panels} * 16;
        Int8Matrix w(rows, cols);
        std::uniform_int_distribution<int> weight(-127, 127), input(-127, 127), exponent(-6, 0), small(-64, 64);
        std::vector<int> n(cols);
        for (std::size_t i = 0; i < w.q.size(); ++i) {
          // pattern 1: every weight and input at +-127, the sums' extremes
          // (vpmaddubsw pairs of 2 * 127 * 127 must not saturate).
          w.q[i] = static_cast<std::int8_t>(pattern == 1 ? (i % 3 == 0 ? -127 : 127) : weight(rng));
        }
        for (std::uint32_t k = 0; k < cols; ++k) n[k] = pattern == 1 ? ((k % 2) != 0 ? -127 : 127) : input(rng);
        n[rng() % cols] = (rng() % 2) != 0 ? 127 : -127;  // the vector's largest magnitude is 127
        if (pattern == 2) {  // one nonzero input, negative
          n.assign(cols, 0);
          n[0] = -127;
        }
        w.pack();
        Floats x(cols), bias(rows), y(rows);
        for (std::uint32_t k = 0; k < cols; ++k) x.data()[k] = std::ldexp(static_cast<float>(n[k]), -3);
        for (std::size_t row = 0; row < rows; ++row) {
          w.scales[row] = std::ldexp(1.0f, exponent(rng));
          // A whole number of the row's output units 2^-3 * scale, so the sum stays exact.
          bias.data()[row] = std::ldexp(static_cast<float>(small(rng)), -3) * w.scales[row];
        }
        Work work(cols);
        int8.gemv(w.packed.data(), w.scales.data(), panels, panels * kPanelRows, cols, x.data(), bias.data(),
                  y.data(), work.bytes.data());
        std::ostringstream context;
        context << label << " i8 panels=" << panels << " cols=" << cols << " pattern=" << pattern;
        for (std::size_t row = 0; row < rows; ++row) {
          std::int64_t sum = 0;
          for (std::uint32_t k = 0; k < cols; ++k) sum += std::int64_t{w.q[row * cols + k]} * n[k];
          const double expected = std::ldexp(static_cast<double>(sum), -3) * w.scales[row] + bias.data()[row];
          if (static_cast<double>(y.data()[row]) != expected) {
            FAIL(context.str() << ": row " << row << ": " << y.data()[row] << " vs integer sum " << sum << " -> "
                               << expected);
          }
        }
      }
    }
  }
}

}  // namespace

TEST_CASE("int8 products on every ISA equal integer sums computed in the test, bit for bit", "[int8][kernels]") {
  for (Isa isa : int8_isas_to_test()) require_integer_sums(kernels::kernels_for(isa)->matrix[kI8], isa_name(isa));
}

// The Arm SIMD32 products (SXTB16, SMLAD: int8_dsp.hpp) are the scalar table's
// on Cortex-M4/M7/M33/M55 and ARMv7-A, where the test above runs them too; here
// they run everywhere, on the portable C versions of the two instructions off Arm.
TEST_CASE("int8 products of the Arm SIMD32 dot equal integer sums computed in the test bit for bit",
          "[int8][kernels]") {
  using Simd32 = kernels::Int8Matrix<kernels::Int8Simd32Dot>;
  require_integer_sums({Simd32::gemv, Simd32::gemm}, "simd32");
}

TEST_CASE("int8 products of real-valued inputs: every ISA as scalar bit for bit, within the quantization bound of "
          "double, gemm as gemv",
          "[int8][kernels]") {
  const KernelTable& scalar = kernels::scalar_kernels();
  for (Isa isa : int8_isas_to_test()) {
    const KernelTable& table = *kernels::kernels_for(isa);
    for (std::uint32_t panels : {1u, 3u, 6u}) {
      for (std::uint32_t cols : {1u, 3u, 5u, 16u, 33u, 127u}) {
        std::mt19937 rng(panels * 1000 + cols);
        const std::size_t rows = std::size_t{panels} * 16;
        Int8Matrix w(rows, cols);
        std::uniform_int_distribution<int> weight(-127, 127);
        std::uniform_real_distribution<float> scale(1e-3f, 1e-1f);
        for (std::int8_t& q : w.q) q = static_cast<std::int8_t>(weight(rng));
        for (float& s : w.scales) s = scale(rng);
        w.pack();
        Floats x(kernels::kMaxGemmSteps * cols), bias(rows), y(rows), y_scalar(rows),
            y_steps(kernels::kMaxGemmSteps * rows);
        fill(rng, x.data(), kernels::kMaxGemmSteps * cols, 2.0f);
        fill(rng, bias.data(), rows, 1.0f);
        Work work(cols);
        std::ostringstream context;
        context << isa_name(isa) << " i8 panels=" << panels << " cols=" << cols;
        table.matrix[kI8].gemv(w.packed.data(), w.scales.data(), panels, panels * kPanelRows, cols, x.data(),
                               bias.data(), y.data(), work.bytes.data());
        scalar.matrix[kI8].gemv(w.packed.data(), w.scales.data(), panels, panels * kPanelRows, cols, x.data(),
                                bias.data(), y_scalar.data(), work.bytes.data());
        // The input's quantization step is s = max|x| / 127: each input is off
        // by at most s / 2, so a row is off by at most sum |w| * s / 2 (plus
        // float rounding of the rescale).
        // (std::max, not std::fmax: GCC 12's AArch64 vectorizer crashes on an fmax reduction here.)
        float largest = 0.0f;
        for (std::uint32_t k = 0; k < cols; ++k) largest = std::max(largest, std::fabs(x.data()[k]));
        for (std::size_t row = 0; row < rows; ++row) {
          if (y.data()[row] != y_scalar.data()[row]) {
            FAIL(context.str() << ": row " << row << ": " << std::hexfloat << y.data()[row] << " vs scalar "
                               << y_scalar.data()[row] << std::defaultfloat);
          }
          const double exact = bias.data()[row] + w.row_dot(row, x.data());
          const double weight_magnitude = w.row_magnitude(row);
          const double bound = weight_magnitude * largest / 127.0 / 2.0 + 1e-6 * (std::fabs(exact) + 1.0);
          if (!(std::fabs(y.data()[row] - exact) <= bound)) {
            FAIL(context.str() << ": row " << row << ": " << y.data()[row] << " vs double " << exact << " (bound "
                               << bound << ")");
          }
        }
        for (std::uint32_t steps = 1; steps <= kernels::kMaxGemmSteps; ++steps) {
          table.matrix[kI8].gemm(w.packed.data(), w.scales.data(), panels, cols, x.data(), cols, steps, bias.data(),
                                 y_steps.data(), static_cast<std::uint32_t>(rows), work.bytes.data());
          for (std::uint32_t t = 0; t < steps; ++t) {
            table.matrix[kI8].gemv(w.packed.data(), w.scales.data(), panels, panels * kPanelRows, cols,
                                   x.data() + t * cols, bias.data(), y.data(), work.bytes.data());
            for (std::size_t row = 0; row < rows; ++row) REQUIRE(y_steps.data()[t * rows + row] == y.data()[row]);
          }
        }
      }
    }
  }
}

TEST_CASE("int8 products: a zero or vanishing input gives the bias, a NaN or infinite input gives NaN rows",
          "[int8][kernels]") {
  for (Isa isa : int8_isas_to_test()) {
    const KernelTable& table = *kernels::kernels_for(isa);
    const std::uint32_t cols = 5;
    Int8Matrix w(16, cols);
    for (std::size_t i = 0; i < w.q.size(); ++i) w.q[i] = static_cast<std::int8_t>(i % 255 - 127);
    w.scales.assign(16, 0.25f);
    w.pack();
    Floats x(cols), bias(16), y(16);
    for (std::size_t row = 0; row < 16; ++row) bias.data()[row] = 0.5f * static_cast<float>(row);
    Work work(cols);
    INFO(isa_name(isa));
    table.matrix[kI8].gemv(w.packed.data(), w.scales.data(), 1, kPanelRows, cols, x.data(), bias.data(), y.data(),
                           work.bytes.data());
    for (std::size_t row = 0; row < 16; ++row) REQUIRE(y.data()[row] == bias.data()[row]);
    // So small that 127 / max|x| overflows (a fuzz finding: converting inf
    // to int is undefined): taken as zeros.
    for (float tiny : {1e-45f, 3e-37f}) {
      x.data()[1] = tiny;
      table.matrix[kI8].gemv(w.packed.data(), w.scales.data(), 1, kPanelRows, cols, x.data(), bias.data(), y.data(),
                             work.bytes.data());
      for (std::size_t row = 0; row < 16; ++row) REQUIRE(y.data()[row] == bias.data()[row]);
    }
    x.data()[1] = 0.0f;
    for (float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
      x.data()[2] = bad;
      table.matrix[kI8].gemv(w.packed.data(), w.scales.data(), 1, kPanelRows, cols, x.data(), bias.data(), y.data(),
                             work.bytes.data());
      for (std::size_t row = 0; row < 16; ++row) REQUIRE(std::isnan(y.data()[row]));
    }
  }
}
