// The dense source layer: y = activation(W x + b), W [O x I], b optional.
#include <sstream>

#include "source_layers.hpp"

namespace grurt::convert::source_layers {

CanonicalLayer canonical(const SourceDense& dense, const TensorMap& tensors) {
  DenseSpec spec;
  spec.input_size = dense.input_size;
  spec.output_size = dense.output_size;
  spec.activation = dense.activation;
  append_slice(dense.weight, tensors, 1.0f, spec.weight);
  if (dense.bias) append_slice(*dense.bias, tensors, 1.0f, spec.bias);
  return spec;
}

void add_used_tensors(const SourceDense& dense, std::set<std::string>& names) {
  names.insert(dense.weight.tensor);
  add_tensor(dense.bias, names);
}

std::uint32_t input_width(const SourceDense& dense) { return dense.input_size; }
std::uint32_t output_width(const SourceDense& dense) { return dense.output_size; }
std::uint32_t state_width(const SourceDense&) { return 0; }

Vec evaluate(const SourceDense& dense, const Linear& linear, const Vec& x, Vec&) {
  return layouts::activate(dense.activation, affine(linear, dense.weight, dense.bias, x));
}

std::string describe(const SourceDense& dense) {
  std::ostringstream out;
  out << "dense " << dense.input_size << " -> " << dense.output_size << ", " << activation_name(dense.activation)
      << "\n      weight <- " << dense.weight.describe()
      << "\n      bias   <- " << (dense.bias ? dense.bias->describe() : "zeros") << "\n";
  return out.str();
}

SourceVariant read_dense(const Json& layer, const TensorMap& tensors, std::uint32_t input, const std::string& where) {
  SourceDense dense;
  dense.input_size = input;
  dense.output_size = size_field(layer, "output_size", where);
  if (!layer.contains("weight")) fail(where, "\"weight\" is required");
  dense.weight = slice(layer["weight"], tensors, dense.output_size, input, where + " weight");
  if (layer.contains("bias")) dense.bias = slice(layer["bias"], tensors, dense.output_size, 1, where + " bias");
  if (layer.contains("activation")) dense.activation = parse_activation(layer["activation"], where);
  return dense;
}

}  // namespace grurt::convert::source_layers
