// What the integer path keeps per layer (read once at IntegerSession::init
// from the checked file) and the kernels its step runs. Integers only.
#pragma once

#include <cstdint>

namespace grurt {
namespace integer {

// One requantized matrix product (schema IntegerRows over an I8 Panel16x4
// tensor): per stored row a bias in the sums' units, a multiplier and a shift.
struct Product {
  const std::int8_t* weights = nullptr;  // Panel16x4
  std::uint32_t columns = 0;             // stored columns per row (a multiple of 4)
  const std::int32_t* bias = nullptr;
  const std::int32_t* multiplier = nullptr;
  const std::uint8_t* shift = nullptr;
};

// Dense activations the integer path runs (values of the schema's Activation).
enum class DenseActivation : std::uint8_t { kIdentity = 0, kTanh = 1, kSigmoid = 2, kRelu = 3 };

enum class LayerKind : std::uint8_t { kGru, kLstm, kDense };

struct LayerPlan {
  LayerKind kind = LayerKind::kDense;
  DenseActivation activation = DenseActivation::kIdentity;
  std::uint32_t output_size = 0;    // GRU, LSTM: H; Dense: O
  std::uint32_t padded_output = 0;  // whole 16-row panels: a gate block, a Dense's rows
  Product input;      // W x (GRU: 3 gate blocks of padded_output rows; LSTM: 4)
  Product recurrent;  // GRU, LSTM: R h
  std::int16_t* values = nullptr;  // GRU, LSTM: h (state and output); Dense: its output; padded_output long
  std::int16_t* cell = nullptr;    // LSTM: c in Q4.11 (c = q / 2048, |c| < 16); padded_output long

  bool recurrent_kind() const { return kind != LayerKind::kDense; }
  // Gate blocks of the products (GRU 3, LSTM 4; Dense 1).
  std::uint32_t gates() const { return kind == LayerKind::kGru ? 3u : kind == LayerKind::kLstm ? 4u : 1u; }
  // int16 state values (GRU: h; LSTM: h and c; Dense: none).
  std::uint32_t state_values() const {
    return kind == LayerKind::kGru ? output_size : kind == LayerKind::kLstm ? 2 * output_size : 0;
  }
};

// An LSTM cell's c in Q4.11: 11 fractional bits, saturated to |c| < 16.
constexpr int kCellFractionBits = 11;

// y[i] for the `rows` rows from stored row `first_row` (a multiple of 4; rows
// rounded up to 4, within the row block's padding): the requantized sums over
// x's `columns` values (zero past the input's width).
void product_rows(const Product& p, std::uint32_t first_row, std::uint32_t rows, const std::int16_t* x,
                  std::int32_t* y) noexcept;

// product_rows in a form chosen by the caller (the tests run both on every
// target): kPlain, a byte and a multiply-add per weight; kDual, SXTB16 and
// SMLAD on words (portable C off Arm). product_rows uses kDual where the
// target has the DSP extension, kPlain elsewhere; both give the same bits.
enum class ProductForm { kPlain, kDual };
void product_rows_in(ProductForm form, const Product& p, std::uint32_t first_row, std::uint32_t rows,
                     const std::int16_t* x, std::int32_t* y) noexcept;

// A GRU's update with the reset after R h, gate rows hp apart in gx (W x) and
// gh (R h), Q.12:
//   r = sigmoid(gx_r + gh_r)  z = sigmoid(gx_z + gh_z)  n = tanh(gx_n + r * gh_n)
//   h = n + z * (h - n)       (Q15, |h| <= 32767)
void gru_update(const std::int32_t* gx, const std::int32_t* gh, std::uint32_t hp, std::uint32_t count,
                std::int16_t* h) noexcept;

// An LSTM's update (gate rows i, f, g, o hp apart in gx and gh, Q.12):
//   i, f, o = sigmoid(gx + gh)   g = tanh(gx_g + gh_g)   (Q15)
//   c = f c + i g                (Q4.11, saturated)       h = o tanh(c)  (Q15)
void lstm_update(const std::int32_t* gx, const std::int32_t* gh, std::uint32_t hp, std::uint32_t count,
                 std::int16_t* c, std::int16_t* h) noexcept;

// A Dense layer's outputs from its requantized sums: identity and relu
// saturate them to int16; tanh and sigmoid read them as Q.12 and give Q15.
void dense_outputs(const std::int32_t* y, std::uint32_t count, DenseActivation activation,
                   std::int16_t* out) noexcept;

}  // namespace integer
}  // namespace grurt
