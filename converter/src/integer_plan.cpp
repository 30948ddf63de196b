#include "grurt_convert/integer_plan.hpp"

#include <algorithm>
#include <cmath>
#include <variant>

#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/int8_quantization.hpp"
#include "grurt_convert/panel_rows.hpp"

namespace grurt::convert {
namespace {

constexpr double kQ15 = 1.0 / 32768.0;     // a GRU's h, a tanh/sigmoid output
constexpr double kGateUnit = 1.0 / 4096.0;  // Q.12 gate pre-activations
constexpr double kLargestInt16 = 32767.0;
constexpr double kLargestSum = 2147483647.0;  // int32

std::string layer_name(std::size_t index, const char* kind) {
  return "layer " + std::to_string(index) + " (" + kind + ")";
}

bool all_zero(const QuantizedRows& q, std::uint32_t row, std::uint32_t cols) {
  const auto first = q.q.begin() + std::size_t{row} * cols;
  return std::all_of(first, first + cols, [](std::int8_t v) { return v == 0; });
}

// Requantization of one row: factor = multiplier * 2^-(32 + shift).
struct RowScale {
  std::int32_t multiplier;
  std::uint8_t shift;
};

RowScale row_scale(double factor, const std::string& where) {
  int exponent = 0;
  const double fraction = std::frexp(factor, &exponent);  // factor = fraction * 2^exponent, fraction in [0.5, 1)
  auto multiplier = static_cast<std::int64_t>(std::nearbyint(fraction * 2147483648.0));
  if (multiplier == (std::int64_t{1} << 31)) {
    multiplier >>= 1;
    ++exponent;
  }
  const int shift = -exponent - 1;
  if (!(factor > 0.0) || shift < 0 || shift > 30) {
    throw ConversionError(where + ": its sums would be scaled by " + std::to_string(factor) +
                          ", outside what the integer path's requantization holds (2^-32 to 1/2): the weights times "
                          "the input scale are too " + (shift < 0 ? "large" : "small"));
  }
  return {static_cast<std::int32_t>(multiplier), static_cast<std::uint8_t>(shift)};
}

// The rows of one product: `values` [rows][cols] row-major in `blocks` blocks,
// its bias (empty: zeros), inputs of scale `input_scale`, sums requantized to
// `unit` (the same for every row), or per row to output_scale when unit is 0.
IntegerRowsSpec product_rows(const std::vector<float>& values, const std::vector<float>& bias, std::uint32_t rows,
                             std::uint32_t cols, std::uint32_t blocks, double input_scale, double unit,
                             const std::string& where) {
  const QuantizedRows q = quantize_rows(values, rows, cols);  // exactly what the writer stores
  const PanelRows layout(rows, blocks);
  IntegerRowsSpec spec;
  spec.bias.assign(layout.stored(), 0);
  spec.multiplier.assign(layout.stored(), 1 << 30);
  spec.shift.assign(layout.stored(), 0);
  for (std::uint32_t i = 0; i < rows; ++i) {
    const std::string row = where + " row " + std::to_string(i);
    // A row of zero weights sums only its bias: any unit holds it, 1/4 of the target's.
    const double sum_unit = all_zero(q, i, cols) ? unit / 4.0 : double{q.scales[i]} * input_scale;
    const RowScale scale = row_scale(sum_unit / unit, row);
    const double b = bias.empty() ? 0.0 : std::nearbyint(bias[i] / sum_unit);
    double bound = std::fabs(b);
    for (std::uint32_t k = 0; k < cols; ++k) bound += std::abs(int{q.q[std::size_t{i} * cols + k]}) * kLargestInt16;
    if (!(bound <= kLargestSum)) {
      throw ConversionError(row + ": its int32 sums could reach " + std::to_string(bound) +
                            " for int16 inputs (weights and bias too large against the row's scale); the integer "
                            "path cannot run it");
    }
    const std::uint64_t stored = layout.stored_row(i);
    spec.bias[stored] = static_cast<std::int32_t>(b);
    spec.multiplier[stored] = scale.multiplier;
    spec.shift[stored] = scale.shift;
  }
  return spec;
}

// Largest scale of a row with a nonzero weight, as the writer quantizes them.
double largest_row_scale(const std::vector<float>& values, std::uint32_t rows, std::uint32_t cols) {
  const QuantizedRows q = quantize_rows(values, rows, cols);
  double largest = 0.0;
  for (std::uint32_t i = 0; i < rows; ++i) {
    if (!all_zero(q, i, cols)) largest = std::max(largest, double{q.scales[i]});
  }
  return largest;
}

}  // namespace

std::string integer_path_refusal(const CanonicalModel& model) {
  if (model.skip) return "the integer path has no skip connection (--skip)";
  for (std::size_t l = 0; l < model.layers.size(); ++l) {
    const auto& layer = model.layers[l].layer;
    if (const auto* gru = std::get_if<GruSpec>(&layer)) {
      if (!gru->reset_after || gru->candidate_activation != Activation::kTanh ||
          gru->gate_activation != GateActivation::kSigmoid || !gru->initial_state.empty()) {
        return layer_name(l, "gru") + ": the integer path runs GRUs with sigmoid gates, a tanh candidate and the "
               "reset after R h (PyTorch's nn.GRU), without a stored initial state";
      }
    } else if (const auto* lstm = std::get_if<LstmSpec>(&layer)) {
      if (lstm->gate_activation != GateActivation::kSigmoid || !lstm->peephole.empty() ||
          lstm->projection_size != 0 || !lstm->initial_state.empty()) {
        return layer_name(l, "lstm") + ": the integer path runs LSTMs with sigmoid gates, without peepholes, a "
               "projection or a stored initial state";
      }
    } else if (const auto* dense = std::get_if<DenseSpec>(&layer)) {
      if (dense->activation == Activation::kSoftmax) {
        return layer_name(l, "dense") + ": the integer path has no softmax (identity, tanh, sigmoid, relu)";
      }
    } else {
      const char* kind = std::holds_alternative<RnnSpec>(layer) ? "rnn" : "activation";
      return layer_name(l, kind) + ": the integer path runs GRU, LSTM and Dense layers only";
    }
  }
  return "";
}

IntegerPlanSpec plan_integer(const CanonicalModel& model, const Calibration& calibration) {
  const std::string refusal = integer_path_refusal(model);
  if (!refusal.empty()) throw ConversionError(refusal);
  IntegerPlanSpec plan;
  double scale = calibration.input > 0.0 ? calibration.input / kLargestInt16 : 1.0 / kLargestInt16;
  plan.input_scale = static_cast<float>(scale);
  scale = plan.input_scale;  // the runtime's hosts quantize with the stored float
  for (std::size_t l = 0; l < model.layers.size(); ++l) {
    IntegerLayerSpec layer;
    if (const auto* gru = std::get_if<GruSpec>(&model.layers[l].layer)) {
      const std::uint32_t h = gru->hidden_size;
      layer.input = product_rows(gru->w, gru->bias_w, 3 * h, gru->input_size, 3, scale, kGateUnit,
                                 layer_name(l, "gru") + " W");
      layer.recurrent = product_rows(gru->r, gru->bias_r, 3 * h, h, 3, kQ15, kGateUnit, layer_name(l, "gru") + " R");
      scale = kQ15;
    } else if (const auto* lstm = std::get_if<LstmSpec>(&model.layers[l].layer)) {
      const std::uint32_t h = lstm->hidden_size;
      layer.input = product_rows(lstm->w, lstm->bias_w, 4 * h, lstm->input_size, 4, scale, kGateUnit,
                                 layer_name(l, "lstm") + " W");
      layer.recurrent = product_rows(lstm->r, lstm->bias_r, 4 * h, h, 4, kQ15, kGateUnit, layer_name(l, "lstm") + " R");
      scale = kQ15;
    } else {
      const auto& dense = std::get<DenseSpec>(model.layers[l].layer);
      const bool squashed = dense.activation == Activation::kTanh || dense.activation == Activation::kSigmoid;
      double unit = kGateUnit;
      if (!squashed) {
        // The calibrated range, widened if needed so every row's factor stays below 1/2.
        const double floor = 2.0 * largest_row_scale(dense.weight, dense.output_size, dense.input_size) * scale;
        const double calibrated = calibration.layer_outputs[l] / kLargestInt16;
        unit = static_cast<float>(std::max(calibrated, floor * 1.0001));
        if (!(unit > 0.0)) unit = 1.0 / kLargestInt16;
      }
      layer.input = product_rows(dense.weight, dense.bias, dense.output_size, dense.input_size, 1, scale, unit,
                                 layer_name(l, "dense") + " weight");
      scale = squashed ? kQ15 : unit;
    }
    plan.layers.push_back(std::move(layer));
  }
  plan.output_scale = static_cast<float>(scale);
  return plan;
}

}  // namespace grurt::convert
