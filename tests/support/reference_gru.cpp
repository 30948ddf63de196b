#include "reference_gru.hpp"

#include <algorithm>
#include <cmath>

namespace grurt::test {
namespace {

using convert::ActivationSpec;
using convert::DenseSpec;
using convert::GruSpec;
using convert::LstmSpec;
using convert::RnnSpec;

double sigmoid(double v) { return 1.0 / (1.0 + std::exp(-v)); }

// Row `row` of a row-major [rows][cols] float matrix times x, in double.
double dot_row(const std::vector<float>& matrix, std::size_t row, const std::vector<double>& x) {
  double sum = 0.0;
  for (std::size_t j = 0; j < x.size(); ++j) sum += static_cast<double>(matrix[row * x.size() + j]) * x[j];
  return sum;
}

double bias_at(const std::vector<float>& bias, std::size_t i) { return bias.empty() ? 0.0 : bias[i]; }

// A GRU's r and z or an LSTM's i, f and o (Spec: GruSpec or LstmSpec): the
// logistic sigmoid or clip(slope v + offset, 0, 1).
template <class Spec>
double gate(const Spec& g, double v) {
  if (g.gate_activation == GateActivation::kSigmoid) return sigmoid(v);
  return std::clamp(static_cast<double>(g.hard_sigmoid_slope) * v + g.hard_sigmoid_offset, 0.0, 1.0);
}

std::vector<double> gru(const GruSpec& g, const std::vector<double>& x, std::vector<double>& h) {
  const std::size_t H = g.hidden_size;
  std::vector<double> next(H);
  for (std::size_t i = 0; i < H; ++i) {
    const double r = gate(g, dot_row(g.w, i, x) + bias_at(g.bias_w, i) + dot_row(g.r, i, h) + bias_at(g.bias_r, i));
    const double z = gate(g, dot_row(g.w, H + i, x) + bias_at(g.bias_w, H + i) + dot_row(g.r, H + i, h) +
                             bias_at(g.bias_r, H + i));
    double n_input = dot_row(g.w, 2 * H + i, x) + bias_at(g.bias_w, 2 * H + i);
    if (g.reset_after) {
      n_input += r * (dot_row(g.r, 2 * H + i, h) + bias_at(g.bias_r, 2 * H + i));
    } else {
      // R_n (r * h): every r_j is needed, so compute the reset vector here.
      double sum = bias_at(g.bias_r, 2 * H + i);
      for (std::size_t j = 0; j < H; ++j) {
        const double r_j =
            gate(g, dot_row(g.w, j, x) + bias_at(g.bias_w, j) + dot_row(g.r, j, h) + bias_at(g.bias_r, j));
        sum += static_cast<double>(g.r[(2 * H + i) * H + j]) * r_j * h[j];
      }
      n_input += sum;
    }
    const double n = g.candidate_activation == Activation::kRelu ? std::max(n_input, 0.0) : std::tanh(n_input);
    next[i] = (1.0 - z) * n + z * h[i];
  }
  h = next;
  return next;
}

std::vector<double> activate(Activation activation, std::vector<double> y) {
  switch (activation) {
    case Activation::kIdentity: break;
    case Activation::kTanh: for (double& v : y) v = std::tanh(v); break;
    case Activation::kSigmoid: for (double& v : y) v = sigmoid(v); break;
    case Activation::kRelu: for (double& v : y) v = std::max(v, 0.0); break;
    case Activation::kSoftmax: {
      double sum = 0.0;
      for (double& v : y) sum += (v = std::exp(v));
      for (double& v : y) v /= sum;
      break;
    }
  }
  return y;
}

// h' = activation(W x + bW + R h + bR), activation tanh or relu.
std::vector<double> rnn(const RnnSpec& g, const std::vector<double>& x, std::vector<double>& h) {
  std::vector<double> next(g.hidden_size);
  for (std::size_t i = 0; i < next.size(); ++i) {
    const double sum = dot_row(g.w, i, x) + bias_at(g.bias_w, i) + dot_row(g.r, i, h) + bias_at(g.bias_r, i);
    next[i] = g.activation == Activation::kRelu ? std::max(sum, 0.0) : std::tanh(sum);
  }
  h = next;
  return next;
}

// `state` is h [P or H] then c [H], as the session orders them.
std::vector<double> lstm(const LstmSpec& l, const std::vector<double>& x, std::vector<double>& state) {
  const std::size_t H = l.hidden_size;
  const std::size_t P = l.output_size();
  const std::vector<double> h(state.begin(), state.begin() + static_cast<std::ptrdiff_t>(P));
  std::vector<double> c(state.begin() + static_cast<std::ptrdiff_t>(P), state.end());
  auto pre = [&](std::size_t gate, std::size_t i) {
    const std::size_t row = gate * H + i;
    return dot_row(l.w, row, x) + bias_at(l.bias_w, row) + dot_row(l.r, row, h) + bias_at(l.bias_r, row);
  };
  auto peep = [&](std::size_t k, std::size_t i) { return l.peephole.empty() ? 0.0 : l.peephole[k * H + i]; };
  std::vector<double> out(H);
  for (std::size_t i = 0; i < H; ++i) {
    const double in = gate(l, pre(0, i) + peep(0, i) * c[i]);
    const double forget = gate(l, pre(1, i) + peep(1, i) * c[i]);
    const double g = std::tanh(pre(2, i));
    c[i] = forget * c[i] + in * g;
    out[i] = gate(l, pre(3, i) + peep(2, i) * c[i]) * std::tanh(c[i]);
  }
  std::vector<double> next = out;
  if (l.projection_size != 0) {
    next.assign(P, 0.0);
    for (std::size_t j = 0; j < P; ++j) next[j] = dot_row(l.projection, j, out);
  }
  state.assign(next.begin(), next.end());
  state.insert(state.end(), c.begin(), c.end());
  return next;
}

std::vector<double> dense(const DenseSpec& d, const std::vector<double>& x) {
  std::vector<double> y(d.output_size);
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = dot_row(d.weight, i, x) + bias_at(d.bias, i);
  return activate(d.activation, y);
}

}  // namespace

ReferenceModel::ReferenceModel(const convert::CanonicalModel& model) : model_(model) {
  for (const auto& spec : model.layers) {
    const auto* g = std::get_if<GruSpec>(&spec.layer);
    const auto* e = std::get_if<RnnSpec>(&spec.layer);
    const auto* l = std::get_if<LstmSpec>(&spec.layer);
    hidden_.emplace_back(g ? g->hidden_size : e ? e->hidden_size : l ? l->output_size() + l->hidden_size : 0, 0.0);
  }
}

std::vector<double> ReferenceModel::step(const std::vector<double>& input) {
  std::vector<double> x = input;
  // The skip's source as schema/grurt.fbs defines it: the input or layer k's output.
  std::vector<double> skip_source;
  if (model_.skip && model_.skip->from_input) skip_source = input;
  for (std::size_t i = 0; i < model_.layers.size(); ++i) {
    const auto& layer = model_.layers[i].layer;
    if (const auto* g = std::get_if<GruSpec>(&layer)) {
      x = gru(*g, x, hidden_[i]);
    } else if (const auto* e = std::get_if<RnnSpec>(&layer)) {
      x = rnn(*e, x, hidden_[i]);
    } else if (const auto* l = std::get_if<LstmSpec>(&layer)) {
      x = lstm(*l, x, hidden_[i]);
    } else if (const auto* d = std::get_if<DenseSpec>(&layer)) {
      x = dense(*d, x);
    } else {
      x = activate(std::get<ActivationSpec>(layer).activation, x);
    }
    if (model_.skip && !model_.skip->from_input && model_.skip->layer == i) skip_source = x;
  }
  if (model_.skip) {
    for (std::size_t j = 0; j < x.size(); ++j) x[j] += skip_source.at(model_.skip->first_channel + j);
  }
  return x;
}

std::vector<double> ReferenceModel::state() const {
  std::vector<double> all;
  for (const auto& h : hidden_) all.insert(all.end(), h.begin(), h.end());
  return all;
}

void ReferenceModel::set_state(const std::vector<double>& state) {
  std::size_t at = 0;
  for (auto& h : hidden_) {
    for (double& v : h) v = state.at(at++);
  }
}

std::vector<double> reference_outputs(const convert::CanonicalModel& model, const std::vector<float>& inputs) {
  ReferenceModel reference(model);
  std::vector<double> outputs;
  for (std::size_t t = 0; t < inputs.size() / model.input_size; ++t) {
    std::vector<double> x(inputs.begin() + static_cast<std::ptrdiff_t>(t * model.input_size),
                          inputs.begin() + static_cast<std::ptrdiff_t>((t + 1) * model.input_size));
    const std::vector<double> y = reference.step(x);
    outputs.insert(outputs.end(), y.begin(), y.end());
  }
  return outputs;
}

}  // namespace grurt::test
