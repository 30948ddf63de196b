// The Elman RNN source layer: h' = activation(W x + bW + R h + bR),
// activation tanh or relu; one W, R and optional bias slice each.
#include <sstream>

#include "source_layers.hpp"

namespace grurt::convert::source_layers {

CanonicalLayer canonical(const SourceRnn& source, const TensorMap& tensors) {
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

void add_used_tensors(const SourceRnn& rnn, std::set<std::string>& names) {
  names.insert(rnn.w.tensor);
  names.insert(rnn.r.tensor);
  add_tensor(rnn.bias_w, names);
  add_tensor(rnn.bias_r, names);
}

std::uint32_t input_width(const SourceRnn& rnn) { return rnn.input_size; }
std::uint32_t output_width(const SourceRnn& rnn) { return rnn.hidden_size; }
std::uint32_t state_width(const SourceRnn& rnn) { return rnn.hidden_size; }

Vec evaluate(const SourceRnn& rnn, const Linear& linear, const Vec& x, Vec& h) {
  h = layouts::activate(rnn.activation,
                        layouts::add(affine(linear, rnn.w, rnn.bias_w, x), affine(linear, rnn.r, rnn.bias_r, h)));
  return h;
}

std::string describe(const SourceRnn& rnn) {
  std::ostringstream out;
  out << "rnn " << rnn.input_size << " -> " << rnn.hidden_size << ", h' = " << activation_name(rnn.activation)
      << "(W x + bW + R h + bR)\n      W  <- " << rnn.w.describe() << "\n      R  <- " << rnn.r.describe()
      << "\n      bW <- " << (rnn.bias_w ? rnn.bias_w->describe() : "zeros")
      << "\n      bR <- " << (rnn.bias_r ? rnn.bias_r->describe() : "zeros") << "\n";
  return out.str();
}

// Mapping file: W [H x I], R [H x H], biases [H] optional; activation tanh
// (the default, as PyTorch's) or relu.
SourceVariant read_rnn(const Json& layer, const TensorMap& tensors, std::uint32_t input, const std::string& where) {
  SourceRnn rnn;
  rnn.input_size = input;
  rnn.hidden_size = size_field(layer, "hidden_size", where);
  const std::uint32_t H = rnn.hidden_size;
  if (layer.contains("activation")) {
    const Json& value = layer["activation"];
    const std::string name = value.is_string() ? value.get<std::string>() : "";
    if (name != "tanh" && name != "relu") fail(where, "\"activation\" must be \"tanh\" or \"relu\", not " + value.dump());
    rnn.activation = name == "relu" ? Activation::kRelu : Activation::kTanh;
  }
  for (const char* field : {"W", "R"}) {
    if (!layer.contains(field)) fail(where, std::string("\"") + field + "\" (one slice: an rnn has no gates) is required");
  }
  rnn.w = slice(layer["W"], tensors, H, input, where + " W");
  rnn.r = slice(layer["R"], tensors, H, H, where + " R");
  if (layer.contains("bW")) rnn.bias_w = slice(layer["bW"], tensors, H, 1, where + " bW");
  if (layer.contains("bR")) rnn.bias_r = slice(layer["bR"], tensors, H, 1, where + " bR");
  return rnn;
}

}  // namespace grurt::convert::source_layers
