#include <cmath>
#include <set>
#include <sstream>
#include <string>

#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/source_model.hpp"

namespace grurt::convert {
namespace {

// Appends the slice's values row by row (of the block as used: a transposed
// slice is read down its stored columns), each multiplied by `sign`. A NaN or
// infinity is refused here, where the source tensor and position are known
// (a diverged training run saves such weights; the runtime refuses them too).
void append_slice(const TensorSlice& slice, const TensorMap& tensors, float sign, std::vector<float>& out) {
  const SourceTensor& tensor = tensors.at(slice.tensor);
  const std::size_t width = tensor.shape.size() == 2 ? static_cast<std::size_t>(tensor.shape[1]) : 1;
  for (std::uint32_t i = 0; i < slice.used_rows(); ++i) {
    for (std::uint32_t j = 0; j < slice.used_cols(); ++j) {
      // Position in the stored tensor.
      const std::size_t row = slice.row + (slice.transposed ? j : i);
      const std::size_t col = slice.col + (slice.transposed ? i : j);
      const float value = tensor.values[row * width + col];
      if (!std::isfinite(value)) {
        std::ostringstream message;
        message << "tensor '" << slice.tensor << "' holds " << value << " at ["
                << (tensor.shape.size() == 2 ? std::to_string(row) + ", " + std::to_string(col) : std::to_string(row))
                << "]: weights must be finite (did training diverge?)";
        throw ConversionError(message.str());
      }
      out.push_back(sign * value);
    }
  }
}

// The three gates' optional biases as one [3H] vector; empty when all absent.
std::vector<float> gate_biases(const std::array<std::optional<TensorSlice>, 3>& biases, const SourceGru& gru,
                               const TensorMap& tensors, float z_sign) {
  if (!biases[0] && !biases[1] && !biases[2]) return {};
  std::vector<float> out;
  for (int g = 0; g < 3; ++g) {
    if (biases[g]) {
      append_slice(*biases[g], tensors, g == 1 ? z_sign : 1.0f, out);
    } else {
      out.insert(out.end(), gru.hidden_size, 0.0f);
    }
  }
  return out;
}

GruSpec canonical_gru(const SourceGru& source, const TensorMap& tensors) {
  // sigmoid(-a) = 1 - sigmoid(a): negating z's pre-activation turns
  // (1-z)*h + z*n into the canonical z*h + (1-z)*n.
  const float z_sign = source.update_keeps_state ? 1.0f : -1.0f;
  GruSpec gru;
  gru.input_size = source.input_size;
  gru.hidden_size = source.hidden_size;
  gru.reset_after = source.reset_after;
  for (int g = 0; g < 3; ++g) {
    append_slice(source.w[g], tensors, g == 1 ? z_sign : 1.0f, gru.w);
    append_slice(source.r[g], tensors, g == 1 ? z_sign : 1.0f, gru.r);
  }
  gru.bias_w = gate_biases(source.bias_w, source, tensors, z_sign);
  gru.bias_r = gate_biases(source.bias_r, source, tensors, z_sign);
  return gru;
}

RnnSpec canonical_rnn(const SourceRnn& source, const TensorMap& tensors) {
  RnnSpec rnn;
  rnn.input_size = source.input_size;
  rnn.hidden_size = source.hidden_size;
  rnn.activation = source.activation;
  append_slice(source.w, tensors, 1.0f, rnn.w);
  append_slice(source.r, tensors, 1.0f, rnn.r);
  if (source.bias_w) append_slice(*source.bias_w, tensors, 1.0f, rnn.bias_w);
  if (source.bias_r) append_slice(*source.bias_r, tensors, 1.0f, rnn.bias_r);
  return rnn;
}

}  // namespace

std::string TensorSlice::describe() const {
  return tensor + "[" + std::to_string(row) + ":" + std::to_string(row + rows) + ", " + std::to_string(col) + ":" +
         std::to_string(col + cols) + "]" + (transposed ? "^T" : "");
}

std::uint32_t output_width(const SourceLayer& layer) {
  if (const auto* gru = std::get_if<SourceGru>(&layer.layer)) return gru->hidden_size;
  if (const auto* rnn = std::get_if<SourceRnn>(&layer.layer)) return rnn->hidden_size;
  if (const auto* dense = std::get_if<SourceDense>(&layer.layer)) return dense->output_size;
  return std::get<ActivationSpec>(layer.layer).size;
}

CanonicalModel canonicalize(const SourceModel& source, const TensorMap& tensors) {
  CanonicalModel model;
  model.input_size = source.input_size;
  for (const SourceLayer& layer : source.layers) {
    if (const auto* gru = std::get_if<SourceGru>(&layer.layer)) {
      model.layers.push_back({layer.name, canonical_gru(*gru, tensors)});
    } else if (const auto* rnn = std::get_if<SourceRnn>(&layer.layer)) {
      model.layers.push_back({layer.name, canonical_rnn(*rnn, tensors)});
    } else if (const auto* dense = std::get_if<SourceDense>(&layer.layer)) {
      DenseSpec spec;
      spec.input_size = dense->input_size;
      spec.output_size = dense->output_size;
      spec.activation = dense->activation;
      append_slice(dense->weight, tensors, 1.0f, spec.weight);
      if (dense->bias) append_slice(*dense->bias, tensors, 1.0f, spec.bias);
      model.layers.push_back({layer.name, spec});
    } else {
      model.layers.push_back({layer.name, std::get<ActivationSpec>(layer.layer)});
    }
  }
  return model;
}

std::vector<std::string> used_tensors(const SourceModel& source) {
  std::set<std::string> names;
  auto add = [&names](const std::optional<TensorSlice>& slice) {
    if (slice) names.insert(slice->tensor);
  };
  for (const SourceLayer& layer : source.layers) {
    if (const auto* gru = std::get_if<SourceGru>(&layer.layer)) {
      for (int g = 0; g < 3; ++g) {
        add(gru->w[g]);
        add(gru->r[g]);
        add(gru->bias_w[g]);
        add(gru->bias_r[g]);
      }
    } else if (const auto* rnn = std::get_if<SourceRnn>(&layer.layer)) {
      add(rnn->w);
      add(rnn->r);
      add(rnn->bias_w);
      add(rnn->bias_r);
    } else if (const auto* dense = std::get_if<SourceDense>(&layer.layer)) {
      add(dense->weight);
      add(dense->bias);
    }
  }
  return {names.begin(), names.end()};
}

}  // namespace grurt::convert
