// Calibration of the integer path: the canonical model's own formulas
// (schema/grurt.fbs) in double precision, recording the largest |value| that
// enters and leaves each layer.
#include <algorithm>
#include <cmath>
#include <variant>

#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/integer_plan.hpp"

namespace grurt::convert {
namespace {

double largest(const std::vector<double>& values) {
  double m = 0.0;
  for (double v : values) m = std::max(m, std::fabs(v));
  return m;
}

// row i of a row-major [rows][cols] matrix times x, plus bias[i] (empty: 0)
double row_product(const std::vector<float>& w, std::size_t i, const std::vector<double>& x,
                   const std::vector<float>& bias) {
  double sum = bias.empty() ? 0.0 : bias[i];
  for (std::size_t k = 0; k < x.size(); ++k) sum += double{w[i * x.size() + k]} * x[k];
  return sum;
}

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

double activate(Activation a, double x) {
  switch (a) {
    case Activation::kTanh: return std::tanh(x);
    case Activation::kSigmoid: return sigmoid(x);
    case Activation::kRelu: return std::max(x, 0.0);
    default: return x;
  }
}

// One GRU step (reset after), h updated in place.
void gru_step(const GruSpec& g, const std::vector<double>& x, std::vector<double>& h) {
  const std::size_t n = g.hidden_size;
  std::vector<double> next(n);
  for (std::size_t j = 0; j < n; ++j) {
    const double r = sigmoid(row_product(g.w, j, x, g.bias_w) + row_product(g.r, j, h, g.bias_r));
    const double z = sigmoid(row_product(g.w, n + j, x, g.bias_w) + row_product(g.r, n + j, h, g.bias_r));
    const double c = std::tanh(row_product(g.w, 2 * n + j, x, g.bias_w) + r * row_product(g.r, 2 * n + j, h, g.bias_r));
    next[j] = c + z * (h[j] - c);
  }
  h = next;
}

// One LSTM step (sigmoid gates, no peephole or projection), h and c updated in place.
void lstm_step(const LstmSpec& m, const std::vector<double>& x, std::vector<double>& h, std::vector<double>& c) {
  const std::size_t n = m.hidden_size;
  std::vector<double> next(n);
  for (std::size_t j = 0; j < n; ++j) {
    auto gate = [&](std::size_t block) {
      return row_product(m.w, block * n + j, x, m.bias_w) + row_product(m.r, block * n + j, h, m.bias_r);
    };
    c[j] = sigmoid(gate(1)) * c[j] + sigmoid(gate(0)) * std::tanh(gate(2));
    next[j] = sigmoid(gate(3)) * std::tanh(c[j]);
  }
  h = next;
}

}  // namespace

Calibration calibrate(const CanonicalModel& model, const std::vector<std::vector<float>>& inputs) {
  // The formulas below are the integer path's layers only (an LSTM's projection
  // would change R's shape): anything else is refused first.
  const std::string refusal = integer_path_refusal(model);
  if (!refusal.empty()) throw ConversionError(refusal);
  Calibration c;
  c.layer_outputs.assign(model.layers.size(), 0.0);
  std::vector<std::vector<double>> states(model.layers.size()), cells(model.layers.size());
  for (const std::vector<float>& row : inputs) {
    std::vector<double> x(row.begin(), row.end());
    c.input = std::max(c.input, largest(x));
    for (std::size_t l = 0; l < model.layers.size(); ++l) {
      if (const auto* gru = std::get_if<GruSpec>(&model.layers[l].layer)) {
        states[l].resize(gru->hidden_size, 0.0);
        gru_step(*gru, x, states[l]);
        x = states[l];
      } else if (const auto* lstm = std::get_if<LstmSpec>(&model.layers[l].layer)) {
        states[l].resize(lstm->hidden_size, 0.0);
        cells[l].resize(lstm->hidden_size, 0.0);
        lstm_step(*lstm, x, states[l], cells[l]);
        c.cell = std::max(c.cell, largest(cells[l]));
        x = states[l];
      } else if (const auto* dense = std::get_if<DenseSpec>(&model.layers[l].layer)) {
        std::vector<double> y(dense->output_size);
        for (std::size_t i = 0; i < y.size(); ++i) {
          y[i] = activate(dense->activation, row_product(dense->weight, i, x, dense->bias));
        }
        x = y;
      }
      c.layer_outputs[l] = std::max(c.layer_outputs[l], largest(x));
    }
    ++c.steps;
  }
  return c;
}

}  // namespace grurt::convert
