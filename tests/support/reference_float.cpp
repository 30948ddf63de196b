// Compiled with -ffp-contract=off like the runtime (tests/CMakeLists.txt).
// exp, tanh and sigmoid are the scalar kernels' own (fast_activations.hpp,
// tested against the exact functions on their own), so that this reference
// checks the layout, the order of operations and the gate formulas bit for bit.
#include "reference_float.hpp"

#include <algorithm>
#include <cmath>

#include "kernels/fast_activations.hpp"

namespace grurt::test {
namespace {

using convert::ActivationSpec;
using convert::DenseSpec;
using convert::GruSpec;
using convert::LstmSpec;
using convert::RnnSpec;

using kernels::sigmoid_approx;
using kernels::tanh_approx;

// y = A x + b for a row-major A [rows][cols]; an empty b means zeros.
void matvec_bias(const float* A, std::size_t rows, std::size_t cols, const float* x, const float* b, float* y) {
  for (std::size_t i = 0; i < rows; ++i) {
    float sum = b != nullptr ? b[i] : 0.0f;
    for (std::size_t j = 0; j < cols; ++j) sum += A[i * cols + j] * x[j];
    y[i] = sum;
  }
}

const float* or_null(const std::vector<float>& values) { return values.empty() ? nullptr : values.data(); }

void activate(Activation activation, std::vector<float>& y) {
  switch (activation) {
    case Activation::kIdentity: return;
    case Activation::kTanh: for (float& v : y) v = tanh_approx(v); return;
    case Activation::kSigmoid: for (float& v : y) v = sigmoid_approx(v); return;
    case Activation::kRelu: for (float& v : y) v = v > 0.0f ? v : 0.0f; return;
    case Activation::kSoftmax: {
      float largest = y[0];
      for (float v : y) largest = v > largest ? v : largest;
      float sum = 0.0f;
      for (float& v : y) sum += (v = kernels::exp_approx(v - largest));
      const float scale = 1.0f / sum;
      for (float& v : y) v *= scale;
      return;
    }
  }
}

// A GRU's or LSTM's gate activation (Spec: GruSpec or LstmSpec): sigmoid, or
// clip(slope * x + offset, 0, 1) written as the scalar kernel writes it (NaN
// passes through).
template <class Spec>
float gate(const Spec& g, float x) {
  if (g.gate_activation == GateActivation::kSigmoid) return sigmoid_approx(x);
  const float v = g.hard_sigmoid_slope * x + g.hard_sigmoid_offset;
  return v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v;
}

// The candidate's: tanh or relu.
float candidate(const GruSpec& g, float x) {
  if (g.candidate_activation == Activation::kRelu) return x < 0.0f ? 0.0f : x;
  return tanh_approx(x);
}

// h' = n + z * (h - n), gates r, z, n (schema/grurt.fbs).
void gru_step(const GruSpec& g, const std::vector<float>& x, std::vector<float>& h) {
  const std::size_t H = g.hidden_size, I = g.input_size;
  std::vector<float> gx(3 * H), gh(3 * H), rh(H);
  const float* bR = or_null(g.bias_r);
  matvec_bias(g.w.data(), 3 * H, I, x.data(), or_null(g.bias_w), gx.data());
  if (g.reset_after) {
    matvec_bias(g.r.data(), 3 * H, H, h.data(), bR, gh.data());
  } else {
    matvec_bias(g.r.data(), 2 * H, H, h.data(), bR, gh.data());
    for (std::size_t i = 0; i < H; ++i) rh[i] = gate(g, gx[i] + gh[i]) * h[i];
    matvec_bias(g.r.data() + 2 * H * H, H, H, rh.data(), bR != nullptr ? bR + 2 * H : nullptr, gh.data() + 2 * H);
  }
  for (std::size_t i = 0; i < H; ++i) {
    const float r = gate(g, gx[i] + gh[i]);
    const float z = gate(g, gx[H + i] + gh[H + i]);
    const float n = candidate(g, gx[2 * H + i] + (g.reset_after ? r * gh[2 * H + i] : gh[2 * H + i]));
    h[i] = n + z * (h[i] - n);
  }
}

void rnn_step(const RnnSpec& e, const std::vector<float>& x, std::vector<float>& h) {
  const std::size_t H = e.hidden_size;
  std::vector<float> gx(H), gh(H);
  matvec_bias(e.w.data(), H, e.input_size, x.data(), or_null(e.bias_w), gx.data());
  matvec_bias(e.r.data(), H, H, h.data(), or_null(e.bias_r), gh.data());
  for (std::size_t i = 0; i < H; ++i) {
    const float sum = gx[i] + gh[i];
    h[i] = e.activation == Activation::kRelu ? (sum > 0.0f ? sum : 0.0f) : tanh_approx(sum);
  }
}

// `state` is h [P or H] then c [H]; the sums in the scalar kernel's order
// (the peephole terms only when there is a peephole).
void lstm_step(const LstmSpec& l, const std::vector<float>& x, std::vector<float>& state) {
  const std::size_t H = l.hidden_size, P = l.output_size();
  std::vector<float> gx(4 * H), gh(4 * H), out(H);
  float* c = state.data() + P;
  const float* p = or_null(l.peephole);
  matvec_bias(l.w.data(), 4 * H, l.input_size, x.data(), or_null(l.bias_w), gx.data());
  matvec_bias(l.r.data(), 4 * H, P, state.data(), or_null(l.bias_r), gh.data());
  for (std::size_t k = 0; k < H; ++k) {
    float pre_i = gx[k] + gh[k];
    float pre_f = gx[H + k] + gh[H + k];
    if (p != nullptr) {
      pre_i += p[k] * c[k];
      pre_f += p[H + k] * c[k];
    }
    const float cell = gate(l, pre_f) * c[k] + gate(l, pre_i) * tanh_approx(gx[2 * H + k] + gh[2 * H + k]);
    float pre_o = gx[3 * H + k] + gh[3 * H + k];
    if (p != nullptr) pre_o += p[2 * H + k] * cell;
    c[k] = cell;
    out[k] = gate(l, pre_o) * tanh_approx(cell);
  }
  if (l.projection_size == 0) {
    std::copy(out.begin(), out.end(), state.begin());
  } else {
    matvec_bias(l.projection.data(), P, H, out.data(), nullptr, state.data());
  }
}

}  // namespace

std::vector<float> row_major_float_outputs(const convert::CanonicalModel& model, const std::vector<float>& inputs) {
  std::vector<std::vector<float>> states;
  for (const auto& spec : model.layers) {
    const auto* g = std::get_if<GruSpec>(&spec.layer);
    const auto* e = std::get_if<RnnSpec>(&spec.layer);
    const auto* l = std::get_if<LstmSpec>(&spec.layer);
    states.emplace_back(g ? g->hidden_size : e ? e->hidden_size : l ? l->output_size() + l->hidden_size : 0, 0.0f);
  }
  std::vector<float> outputs;
  for (std::size_t t = 0; t < inputs.size() / model.input_size; ++t) {
    std::vector<float> x(inputs.begin() + static_cast<std::ptrdiff_t>(t * model.input_size),
                         inputs.begin() + static_cast<std::ptrdiff_t>((t + 1) * model.input_size));
    for (std::size_t i = 0; i < model.layers.size(); ++i) {
      const auto& layer = model.layers[i].layer;
      if (const auto* g = std::get_if<GruSpec>(&layer)) {
        gru_step(*g, x, states[i]);
        x = states[i];
      } else if (const auto* e = std::get_if<RnnSpec>(&layer)) {
        rnn_step(*e, x, states[i]);
        x = states[i];
      } else if (const auto* l = std::get_if<LstmSpec>(&layer)) {
        lstm_step(*l, x, states[i]);
        x.assign(states[i].begin(), states[i].begin() + l->output_size());
      } else if (const auto* d = std::get_if<DenseSpec>(&layer)) {
        std::vector<float> y(d->output_size);
        matvec_bias(d->weight.data(), d->output_size, d->input_size, x.data(), or_null(d->bias), y.data());
        activate(d->activation, y);
        x = y;
      } else {
        activate(std::get<ActivationSpec>(layer).activation, x);
      }
    }
    outputs.insert(outputs.end(), x.begin(), x.end());
  }
  return outputs;
}

}  // namespace grurt::test
