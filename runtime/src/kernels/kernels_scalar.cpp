// The scalar kernel table: plain C++, no SIMD headers, builds everywhere
// (Cortex-M included) and is what every SIMD table is tested against.
#include <cmath>

#include "activations_scalar.hpp"
#include "grurt/half_float.hpp"
#include "int8_matrix.hpp"
#include "kernel_table.hpp"

namespace grurt {
namespace kernels {
namespace {

inline float widen(float w) { return w; }
inline float widen(Half w) { return half_to_float(w); }

template <class W>
void gemv_panel16(const W* w, std::uint32_t panels, std::uint32_t cols, const float* x, const float* bias,
                  float* y) {
  for (std::uint32_t p = 0; p < panels; ++p) {
    float acc[kPanelRows];
    for (std::uint32_t j = 0; j < kPanelRows; ++j) acc[j] = bias != nullptr ? bias[p * kPanelRows + j] : 0.0f;
    const W* panel = w + static_cast<std::uintptr_t>(p) * cols * kPanelRows;
    for (std::uint32_t k = 0; k < cols; ++k) {
      const float xk = x[k];
      for (std::uint32_t j = 0; j < kPanelRows; ++j) acc[j] += widen(panel[k * kPanelRows + j]) * xk;
    }
    for (std::uint32_t j = 0; j < kPanelRows; ++j) y[p * kPanelRows + j] = acc[j];
  }
}

template <class W>
void gemm_panel16(const W* w, std::uint32_t panels, std::uint32_t cols, const float* x, std::uint32_t x_stride,
                  std::uint32_t steps, const float* bias, float* y, std::uint32_t y_stride) {
  for (std::uint32_t t = 0; t < steps; ++t) gemv_panel16(w, panels, cols, x + t * x_stride, bias, y + t * y_stride);
}

// The gate and candidate activations as function objects, so one template
// serves the default GRU or LSTM (Logistic, Tanh: the same operations as
// ever) and the variants (AnyGate, AnyCandidate: one instantiation that tests the
// variant per element, which keeps microcontroller flash small); NaN passes
// through relu and hard_sigmoid as through tanh.
struct Logistic {
  float operator()(float x) const { return sigmoid(x); }
};
struct Tanh {
  float operator()(float x) const { return std::tanh(x); }
};
struct AnyGate {
  const GateActivations& a;
  float operator()(float x) const {
    if (!a.hard_gates) return sigmoid(x);
    const float v = a.slope * x + a.offset;
    return v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v;
  }
};
struct AnyCandidate {
  const GruActivations& a;
  float operator()(float x) const { return a.relu_candidate ? (x < 0.0f ? 0.0f : x) : std::tanh(x); }
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
template <class Gate>
void lstm_cell(const float* gx, const float* gh, const float* peephole, std::uint32_t hp, std::uint32_t count,
               Gate gate, float* c, float* h) {
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
    const float g = std::tanh(gx[2 * hp + k] + gh[2 * hp + k]);
    const float cell = f * old + i * g;
    float pre_o = gx[3 * hp + k] + gh[3 * hp + k];
    if (peephole != nullptr) pre_o += peephole[2 * hp + k] * cell;
    c[k] = cell;
    h[k] = gate(pre_o) * std::tanh(cell);
  }
}

void lstm_update(const float* gx, const float* gh, const float* peephole, std::uint32_t hp, std::uint32_t count,
                 const GateActivations& a, float* c, float* h) {
  if (a.standard()) return lstm_cell(gx, gh, peephole, hp, count, Logistic{}, c, h);
  lstm_cell(gx, gh, peephole, hp, count, AnyGate{a}, c, h);
}

void rnn_update(const float* gx, const float* gh, std::uint32_t count, Activation activation, float* h) {
  for (std::uint32_t i = 0; i < count; ++i) {
    const float sum = gx[i] + gh[i];
    h[i] = activation == Activation::kRelu ? (sum > 0.0f ? sum : 0.0f) : std::tanh(sum);
  }
}

}  // namespace

extern const KernelTable kScalarKernels = {
    Isa::kScalar,
    {{unscaled_gemv<float, gemv_panel16<float>>, unscaled_gemm<float, gemm_panel16<float>>},
     {unscaled_gemv<Half, gemv_panel16<Half>>, unscaled_gemm<Half, gemm_panel16<Half>>},
     {Int8Matrix<Int8Scalar>::gemv, Int8Matrix<Int8Scalar>::gemm}},
    gru_update_reset_after,
    gru_reset_hidden,
    gru_update_reset_before,
    lstm_update,
    rnn_update,
    activate};

const KernelTable& scalar_kernels() noexcept { return kScalarKernels; }

}  // namespace kernels
}  // namespace grurt
