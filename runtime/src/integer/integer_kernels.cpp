// The integer path's kernels, written for Cortex-M cores without an FPU.
//
// Products, four rows at a time (their sums, the inputs and the pointers fit
// the 13 general registers; eight rows' sums spill, measured slower):
// - plain: each weight read as a byte and multiplied into its row's sum, 2
//   instructions per weight plus an input load per 4 weights (Cortex-M0+/M3);
// - dual: where the DSP extension's 32-bit SIMD is (Cortex-M4/M7/M33/M55,
//   ARMv7-A), a row's 4 weights as one word, split by two SXTB16 into 16-bit
//   pairs and multiplied by the input pairs (x0, x2) and (x1, x3) with two SMLAD:
//   5 instructions per 4 weights. Integer sums do not depend on the order, so
//   both give the same bits (the host tests run both, the dual one on the
//   portable C versions of the instructions).
#include "grurt/model.hpp"
#include "integer/fixed_point.hpp"
#include "integer/integer_layers.hpp"
#include "kernels/simd32.hpp"

namespace grurt {
namespace integer {
namespace {

// Panel16x4 (schema/grurt.fbs): 16 rows x 4 columns per 64-byte group.
constexpr std::uint32_t kGroupColumns = kInt8GroupColumns;
constexpr std::uint32_t kGroupBytes = kPanelRows * kGroupColumns;

#if defined(__ARM_FEATURE_SIMD32)
constexpr bool kDualByDefault = true;
#else
constexpr bool kDualByDefault = false;
#endif

// The sums of 4 rows: bias[0..3] plus their weights `w` (16 bytes per group:
// 4 rows x 4 columns, groups 64 bytes apart) times x[0..columns), into y[0..3].
// Out of line (GRURT_OWN_REGISTERS), and the requantization left to the
// caller: GCC 12 otherwise kept sums on the stack (two more instructions per
// row and group) to keep the requantization's pointers in registers.
template <bool kDual>
GRURT_OWN_REGISTERS void four_sums(const std::int32_t* bias, const std::int8_t* w, const std::int16_t* x,
                                   std::uint32_t columns, std::int32_t* y) noexcept {
  std::int32_t s0 = bias[0], s1 = bias[1], s2 = bias[2], s3 = bias[3];
  const std::int16_t* const end = x + columns;
  for (; x != end; w += kGroupBytes, x += kGroupColumns) {
    if (kDual) {
      namespace simd32 = kernels::simd32;
      const std::uint32_t x01 = simd32::load_halves(x), x23 = simd32::load_halves(x + 2);
      const std::uint32_t x02 = simd32::low_halves(x01, x23), x13 = simd32::high_halves(x01, x23);
      std::uint32_t word = simd32::load_word(w);
      s0 = simd32::dual_multiply_add(simd32::even_bytes(word), x02, s0);
      s0 = simd32::dual_multiply_add(simd32::odd_bytes(word), x13, s0);
      word = simd32::load_word(w + 4);
      s1 = simd32::dual_multiply_add(simd32::even_bytes(word), x02, s1);
      s1 = simd32::dual_multiply_add(simd32::odd_bytes(word), x13, s1);
      word = simd32::load_word(w + 8);
      s2 = simd32::dual_multiply_add(simd32::even_bytes(word), x02, s2);
      s2 = simd32::dual_multiply_add(simd32::odd_bytes(word), x13, s2);
      word = simd32::load_word(w + 12);
      s3 = simd32::dual_multiply_add(simd32::even_bytes(word), x02, s3);
      s3 = simd32::dual_multiply_add(simd32::odd_bytes(word), x13, s3);
    } else {
#pragma GCC unroll 4
      for (std::uint32_t c = 0; c < kGroupColumns; ++c) {
        const std::int32_t v = x[c];
        s0 += w[c] * v;
        s1 += w[4 + c] * v;
        s2 += w[8 + c] * v;
        s3 += w[12 + c] * v;
      }
    }
  }
  y[0] = s0;
  y[1] = s1;
  y[2] = s2;
  y[3] = s3;
}

template <bool kDual>
void rows_of(const Product& p, std::uint32_t first_row, std::uint32_t rows, const std::int16_t* x,
             std::int32_t* y) noexcept {
  for (std::uint32_t row = first_row; row < first_row + rows; row += 4) {
    // Rows row..row+3 of their panel: 4 bytes per row in each 64-byte group.
    const std::int8_t* w = p.weights + (row / kPanelRows) * p.columns * kPanelRows + (row % kPanelRows) * kGroupColumns;
    four_sums<kDual>(p.bias + row, w, x, p.columns, y + (row - first_row));
  }
  for (std::uint32_t i = 0; i < rows; ++i) y[i] = requantize(y[i], p.multiplier[first_row + i], p.shift[first_row + i]);
}

}  // namespace

void product_rows(const Product& p, std::uint32_t first_row, std::uint32_t rows, const std::int16_t* x,
                  std::int32_t* y) noexcept {
  rows_of<kDualByDefault>(p, first_row, rows, x, y);
}

void product_rows_in(ProductForm form, const Product& p, std::uint32_t first_row, std::uint32_t rows,
                     const std::int16_t* x, std::int32_t* y) noexcept {
  if (form == ProductForm::kDual) {
    rows_of<true>(p, first_row, rows, x, y);
  } else {
    rows_of<false>(p, first_row, rows, x, y);
  }
}

void gru_update(const std::int32_t* gx, const std::int32_t* gh, std::uint32_t hp, std::uint32_t count,
                std::int16_t* h) noexcept {
  for (std::uint32_t j = 0; j < count; ++j) {
    const std::int32_t r = sigmoid_q15(gx[j] + gh[j]);
    const std::int32_t z = sigmoid_q15(gx[hp + j] + gh[hp + j]);
    const std::int32_t n = tanh_q15(gx[2 * hp + j] + multiply_q15(r, gh[2 * hp + j]));
    h[j] = saturate_int16(n + multiply_q15(z, h[j] - n));
  }
}

void lstm_update(const std::int32_t* gx, const std::int32_t* gh, std::uint32_t hp, std::uint32_t count,
                 std::int16_t* c, std::int16_t* h) noexcept {
  constexpr int kProductToCell = 2 * kStateFractionBits - kCellFractionBits;  // Q30 -> Q11
  for (std::uint32_t j = 0; j < count; ++j) {
    const std::int32_t i = sigmoid_q15(gx[j] + gh[j]);
    const std::int32_t f = sigmoid_q15(gx[hp + j] + gh[hp + j]);
    const std::int32_t g = tanh_q15(gx[2 * hp + j] + gh[2 * hp + j]);
    const std::int32_t o = sigmoid_q15(gx[3 * hp + j] + gh[3 * hp + j]);
    // f c: Q15 x Q11; i g: Q30, both brought to Q26 and summed (|sum| < 2^31), then to Q11.
    const std::int32_t kept = f * c[j];
    const std::int32_t added = (i * g + (1 << (kProductToCell - kStateFractionBits - 1))) >>
                               (kProductToCell - kStateFractionBits);
    const std::int32_t cell = saturate_int16((kept + added + (1 << (kStateFractionBits - 1))) >> kStateFractionBits);
    c[j] = static_cast<std::int16_t>(cell);
    // tanh reads Q.12: the cell's Q11 doubled.
    h[j] = saturate_int16(multiply_q15(o, tanh_q15(cell * (1 << (kGateFractionBits - kCellFractionBits)))));
  }
}

void dense_outputs(const std::int32_t* y, std::uint32_t count, DenseActivation activation,
                   std::int16_t* out) noexcept {
  for (std::uint32_t i = 0; i < count; ++i) {
    std::int32_t v = y[i];
    if (activation == DenseActivation::kRelu) {
      v = v < 0 ? 0 : v;
    } else if (activation == DenseActivation::kTanh) {
      v = tanh_q15(v);
    } else if (activation == DenseActivation::kSigmoid) {
      v = sigmoid_q15(v);
    }
    out[i] = saturate_int16(v);
  }
}

}  // namespace integer
}  // namespace grurt
