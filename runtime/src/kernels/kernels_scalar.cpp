// The scalar kernel table: plain C++, no SIMD headers, builds everywhere
// (Cortex-M included) and is what every SIMD table is tested against.
#include <cmath>
#include <type_traits>

#include "activations_scalar.hpp"
#include "grurt/half_float.hpp"
#include "int8_dsp.hpp"
#include "int8_matrix.hpp"
#include "kernel_table.hpp"
#include "kernels_helium.hpp"

namespace grurt {
namespace kernels {
namespace {

inline float widen(float w) { return w; }
inline float widen(Half w) { return half_to_float(w); }

// The row loops are unrolled so that a panel's 16 accumulators live in
// registers (an FPv4/FPv5 Cortex-M has 32 single-precision ones): built for
// size, the rolled loop kept them on the stack and spent 8 instructions per
// multiply-add on a Cortex-M4 instead of 2 (vldr, vmla).
template <class W>
void full_panel(const W* panel, std::uint32_t cols, const float* x, const float* bias, float* y) {
  float acc[kPanelRows];
#pragma GCC unroll 16
  for (std::uint32_t j = 0; j < kPanelRows; ++j) acc[j] = bias != nullptr ? bias[j] : 0.0f;
  const W* column = panel;
  for (std::uint32_t k = 0; k < cols; ++k, column += kPanelRows) {
    const float xk = x[k];
#pragma GCC unroll 16
    for (std::uint32_t j = 0; j < kPanelRows; ++j) acc[j] += widen(column[j]) * xk;
  }
#pragma GCC unroll 16
  for (std::uint32_t j = 0; j < kPanelRows; ++j) y[j] = acc[j];
}

// The first `rows` rows of a panel one by one, each with the operations of
// full_panel in the same order (so the same result); the rest get the bias.
template <class W>
void partial_panel(const W* panel, std::uint32_t rows, std::uint32_t cols, const float* x, const float* bias,
                   float* y) {
  for (std::uint32_t j = 0; j < rows; ++j) {
    float acc = bias != nullptr ? bias[j] : 0.0f;
    const W* row = panel + j;
    for (std::uint32_t k = 0; k < cols; ++k, row += kPanelRows) acc += widen(*row) * x[k];
    y[j] = acc;
  }
  for (std::uint32_t j = rows; j < kPanelRows; ++j) y[j] = bias != nullptr ? bias[j] : 0.0f;
}

template <class W>
void gemv_panel16(const W* w, std::uint32_t panels, std::uint32_t rows, std::uint32_t cols, const float* x,
                  const float* bias, float* y) {
  const std::uintptr_t panel_stride = static_cast<std::uintptr_t>(cols) * kPanelRows;
  for (std::uint32_t p = 0; p < panels; ++p) {
    const std::uint32_t first = p * kPanelRows;
    const float* b = bias != nullptr ? bias + first : nullptr;
    // f16 panels stay rolled: unrolled, 16 software widenings cost more flash than the loop saves.
    if (std::is_same<W, float>::value && rows >= first + kPanelRows) {
      full_panel(w + p * panel_stride, cols, x, b, y + first);
    } else {
      partial_panel(w + p * panel_stride, rows > first ? rows - first : 0, cols, x, b, y + first);
    }
  }
}

template <class W>
void gemv_rows(const void* w, const float*, std::uint32_t panels, std::uint32_t rows, std::uint32_t cols,
               const float* x, const float* bias, float* y, void*) {
  gemv_panel16(static_cast<const W*>(w), panels, rows, cols, x, bias, y);
}

template <class W>
void gemm_panel16(const W* w, std::uint32_t panels, std::uint32_t cols, const float* x, std::uint32_t x_stride,
                  std::uint32_t steps, const float* bias, float* y, std::uint32_t y_stride) {
  for (std::uint32_t t = 0; t < steps; ++t) {
    gemv_panel16(w, panels, panels * kPanelRows, cols, x + t * x_stride, bias, y + t * y_stride);
  }
}

// The gate and candidate activations as function objects, so one template
// serves the default GRU or LSTM (Logistic, Tanh: the same operations as
// ever) and the variants (AnyGate, AnyCandidate: one instantiation that tests the
// variant per element, which keeps microcontroller flash small); NaN passes
// through relu and hard_sigmoid as through tanh.
struct Logistic {
  GRURT_ACTIVATION float operator()(float x) const { return sigmoid_approx(x); }
};
struct Tanh {
  GRURT_ACTIVATION float operator()(float x) const { return tanh_approx(x); }
};
// The variants call one out-of-line copy of sigmoid and tanh: flash matters
// more there than a call per element.
struct TanhCall {
  float operator()(float x) const { return tanh_out_of_line(x); }
};
struct AnyGate {
  const GateActivations& a;
  float operator()(float x) const {
    if (!a.hard_gates) return sigmoid_out_of_line(x);
    const float v = a.slope * x + a.offset;
    return v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v;
  }
};
struct AnyCandidate {
  const GruActivations& a;
  float operator()(float x) const { return a.relu_candidate ? (x < 0.0f ? 0.0f : x) : tanh_out_of_line(x); }
};

template <class Gate, class Candidate>
void update_reset_after(const float* gx, const float* gh, std::uint32_t hp, std::uint32_t count, Gate gate,
                        Candidate candidate, float* h) {
  for (std::uint32_t i = 0; i < count; ++i) {
    const float r = gate(gx[i] + gh[i]);
    const float z = gate(gx[hp + i] + gh[hp + i]);
    const float n = candidate(gx[2 * hp + i] + r * gh[2 * hp + i]);
    h[i] = n + z * (h[i] - n);
  }
}

template <class Gate>
void reset_hidden(const float* gx, const float* gh, const float* h, std::uint32_t count, Gate gate, float* rh) {
  for (std::uint32_t i = 0; i < count; ++i) rh[i] = gate(gx[i] + gh[i]) * h[i];
}

template <class Gate, class Candidate>
void update_reset_before(const float* gx, const float* gh, std::uint32_t hp, std::uint32_t count, Gate gate,
                         Candidate candidate, float* h) {
  for (std::uint32_t i = 0; i < count; ++i) {
    const float z = gate(gx[hp + i] + gh[hp + i]);
    const float n = candidate(gx[2 * hp + i] + gh[2 * hp + i]);
    h[i] = n + z * (h[i] - n);
  }
}

void gru_update_reset_after(const float* gx, const float* gh, std::uint32_t hp, std::uint32_t count,
                            const GruActivations& a, float* h) {
  if (a.standard()) return update_reset_after(gx, gh, hp, count, Logistic{}, Tanh{}, h);
  update_reset_after(gx, gh, hp, count, AnyGate{a}, AnyCandidate{a}, h);
}

void gru_reset_hidden(const float* gx, const float* gh, const float* h, std::uint32_t count, const GruActivations& a,
                      float* rh) {
  if (a.standard()) return reset_hidden(gx, gh, h, count, Logistic{}, rh);
  reset_hidden(gx, gh, h, count, AnyGate{a}, rh);
}

void gru_update_reset_before(const float* gx, const float* gh, std::uint32_t hp, std::uint32_t count,
                             const GruActivations& a, float* h) {
  if (a.standard()) return update_reset_before(gx, gh, hp, count, Logistic{}, Tanh{}, h);
  update_reset_before(gx, gh, hp, count, AnyGate{a}, AnyCandidate{a}, h);
}

// Without a peephole the p * c terms are left out (not added as zeros), so
// the sums are the plain ones of a PyTorch LSTM.
template <class Gate, class TanhFunction>
void lstm_cell(const float* gx, const float* gh, const float* peephole, std::uint32_t hp, std::uint32_t count,
               Gate gate, TanhFunction tanh_of, float* c, float* h) {
  for (std::uint32_t k = 0; k < count; ++k) {
    const float old = c[k];
    float pre_i = gx[k] + gh[k];
    float pre_f = gx[hp + k] + gh[hp + k];
    if (peephole != nullptr) {
      pre_i += peephole[k] * old;
      pre_f += peephole[hp + k] * old;
    }
    const float i = gate(pre_i);
    const float f = gate(pre_f);
    const float g = tanh_of(gx[2 * hp + k] + gh[2 * hp + k]);
    const float cell = f * old + i * g;
    float pre_o = gx[3 * hp + k] + gh[3 * hp + k];
    if (peephole != nullptr) pre_o += peephole[2 * hp + k] * cell;
    c[k] = cell;
    h[k] = gate(pre_o) * tanh_of(cell);
  }
}

void lstm_update(const float* gx, const float* gh, const float* peephole, std::uint32_t hp, std::uint32_t count,
                 const GateActivations& a, float* c, float* h) {
  if (a.standard()) return lstm_cell(gx, gh, peephole, hp, count, Logistic{}, Tanh{}, c, h);
  lstm_cell(gx, gh, peephole, hp, count, AnyGate{a}, TanhCall{}, c, h);
}

void rnn_update(const float* gx, const float* gh, std::uint32_t count, Activation activation, float* h) {
  for (std::uint32_t i = 0; i < count; ++i) {
    const float sum = gx[i] + gh[i];
    h[i] = activation == Activation::kRelu ? (sum > 0.0f ? sum : 0.0f) : tanh_out_of_line(sum);
  }
}

// Where Arm's 32-bit SIMD instructions exist (Cortex-M4/M7/M33/M55, ARMv7-A),
// the scalar table's int8 products use them (int8_dsp.hpp): chosen at compile
// time, the same sums as the portable loop.
#if defined(__ARM_FEATURE_SIMD32)
using ScalarInt8Dot = Int8Simd32Dot;
#else
using ScalarInt8Dot = Int8Scalar;
#endif

constexpr KernelTable scalar_table(Isa isa) {
  return {isa,
          {{gemv_rows<float>, unscaled_gemm<float, gemm_panel16<float>>},
           {gemv_rows<Half>, unscaled_gemm<Half, gemm_panel16<Half>>},
           {Int8Matrix<ScalarInt8Dot>::gemv, Int8Matrix<ScalarInt8Dot>::gemm}},
          gru_update_reset_after,
          gru_reset_hidden,
          gru_update_reset_before,
          lstm_update,
          rnn_update,
          activate,
          {}};  // no fused small-layer steps: the products run row by row anyway
}

#if defined(GRURT_HAVE_HELIUM)
// The scalar table with Helium's f32 and int8 products and GRU and LSTM
// updates (kernels_helium.cpp); everything else is shared.
constexpr KernelTable helium_table() {
  KernelTable table = scalar_table(Isa::kHelium);
  table.matrix[static_cast<int>(ElementType::kF32)] = {helium_gemv_f32, helium_gemm_f32};
  table.matrix[static_cast<int>(ElementType::kI8)] = {helium_gemv_i8, helium_gemm_i8};
  table.gru_update_reset_after = helium_gru_update_reset_after;
  table.gru_reset_hidden = helium_gru_reset_hidden;
  table.gru_update_reset_before = helium_gru_update_reset_before;
  table.lstm_update = helium_lstm_update;
  return table;
}
#endif

}  // namespace

extern const KernelTable kScalarKernels = scalar_table(Isa::kScalar);
#if defined(GRURT_HAVE_HELIUM)
extern const KernelTable kHeliumKernels = helium_table();
#endif

const KernelTable& scalar_kernels() noexcept { return kScalarKernels; }

}  // namespace kernels
}  // namespace grurt
