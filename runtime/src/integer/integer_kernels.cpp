// The integer path's kernels. Written for cores without SIMD or an FPU
// (Cortex-M0+/M3): four rows at a time, their sums and one input in
// registers, each weight read once as a byte: 2 instructions per weight
// (load, multiply-add) plus an input load per 4 weights. Eight rows would
// read each input half as often, but their sums no longer fit the M3's
// registers and spill (measured: slower).
#include "integer/fixed_point.hpp"
#include "integer/integer_layers.hpp"

namespace grurt {
namespace integer {

namespace {

constexpr std::uint32_t kPanelRows = 16;
constexpr std::uint32_t kGroupColumns = 4;
constexpr std::uint32_t kGroupBytes = kPanelRows * kGroupColumns;

}  // namespace

namespace {

// The requantized sums of rows row..row+3 from their biases and weights `w`
// (16 bytes per group: 4 rows x 4 columns, groups 64 bytes apart).
void four_rows(const Product& p, std::uint32_t row, const std::int8_t* w, const std::int16_t* x,
               std::int32_t* y) noexcept {
  std::int32_t s0 = p.bias[row], s1 = p.bias[row + 1], s2 = p.bias[row + 2], s3 = p.bias[row + 3];
  const std::int16_t* const end = x + p.columns;
  // One input at a time, one multiply-add per weight into its row's sum: the
  // sums, the input and the pointers stay in the Cortex-M3's registers.
  for (; x != end; w += kGroupBytes, x += kGroupColumns) {
#pragma GCC unroll 4
    for (std::uint32_t c = 0; c < kGroupColumns; ++c) {
      const std::int32_t v = x[c];
      s0 += w[c] * v;
      s1 += w[4 + c] * v;
      s2 += w[8 + c] * v;
      s3 += w[12 + c] * v;
    }
  }
  y[0] = requantize(s0, p.multiplier[row], p.shift[row]);
  y[1] = requantize(s1, p.multiplier[row + 1], p.shift[row + 1]);
  y[2] = requantize(s2, p.multiplier[row + 2], p.shift[row + 2]);
  y[3] = requantize(s3, p.multiplier[row + 3], p.shift[row + 3]);
}

}  // namespace

void product_rows(const Product& p, std::uint32_t first_row, std::uint32_t rows, const std::int16_t* x,
                  std::int32_t* y) noexcept {
  for (std::uint32_t row = first_row; row < first_row + rows; row += 4) {
    // Rows row..row+3 of their panel: 4 bytes per row in each 64-byte group.
    const std::int8_t* w = p.weights + (row / kPanelRows) * p.columns * kPanelRows + (row % kPanelRows) * kGroupColumns;
    four_rows(p, row, w, x, y + (row - first_row));
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
