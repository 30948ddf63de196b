// An activation applied to the previous layer's output (not to its state).
#include <sstream>

#include "source_layers.hpp"

namespace grurt::convert::source_layers {

CanonicalLayer canonical(const ActivationSpec& activation, const TensorMap&) { return activation; }
void add_used_tensors(const ActivationSpec&, std::set<std::string>&) {}
std::uint32_t input_width(const ActivationSpec& activation) { return activation.size; }
std::uint32_t output_width(const ActivationSpec& activation) { return activation.size; }
std::uint32_t state_width(const ActivationSpec&) { return 0; }

Vec evaluate(const ActivationSpec& activation, const Linear&, const Vec& x, Vec&) {
  return layouts::activate(activation.activation, x);
}

std::string describe(const ActivationSpec& activation) {
  std::ostringstream out;
  out << "activation " << activation_name(activation.activation) << " (" << activation.size << ")\n";
  return out.str();
}

SourceVariant read_activation(const Json& layer, const TensorMap&, std::uint32_t input, const std::string& where) {
  if (!layer.contains("activation")) fail(where, "\"activation\" is required");
  return ActivationSpec{input, parse_activation(layer["activation"], where)};
}

}  // namespace grurt::convert::source_layers
