// The GRU source layer: three gates r, z, n, each a W, R and optional bias
// slice; reset applied after or before R; update z*h + (1-z)*n or (1-z)*h + z*n.
#include <algorithm>
#include <cmath>
#include <sstream>

#include "source_layers.hpp"

namespace grurt::convert::source_layers {
namespace {

const char* kGates[3] = {"r", "z", "n"};

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

void gates(std::ostringstream& out, const char* field, const std::array<TensorSlice, 3>& slices, bool negate_z) {
  out << "      " << field << " <-";
  for (int g = 0; g < 3; ++g) {
    out << (g ? " | " : " ") << kGates[g] << " " << (g == 1 && negate_z ? "-" : "") << slices[g].describe();
  }
  out << "\n";
}

void optional_gates(std::ostringstream& out, const char* field, const std::array<std::optional<TensorSlice>, 3>& slices,
                    bool negate_z) {
  out << "      " << field << " <-";
  for (int g = 0; g < 3; ++g) {
    out << (g ? " | " : " ") << kGates[g] << " ";
    if (slices[g]) {
      out << (g == 1 && negate_z ? "-" : "") << slices[g]->describe();
    } else {
      out << "zeros";
    }
  }
  out << "\n";
}

// r and z's activation in double: sigmoid, or clip(slope * x + offset, 0, 1).
Vec gate(const SourceGru& g, Vec x) {
  for (double& v : x) v = layouts::gate(g.gate_activation, g.hard_sigmoid_slope, g.hard_sigmoid_offset, v);
  return x;
}

// A number-valued mapping key, type-checked with the key in the message.
float number_field(const Json& layer, const char* key, const std::string& where) {
  if (!layer.contains(key) || !layer[key].is_number()) {
    fail(where, std::string("\"") + key + "\" must be a number" +
                    (layer.contains(key) ? ", not " + layer[key].dump() : " with \"gate_activation\": \"hard_sigmoid\""));
  }
  return layer[key].get<float>();
}

// "candidate_activation" (tanh, relu), "gate_activation" (sigmoid,
// hard_sigmoid) and, with hard_sigmoid only, its "hard_sigmoid_slope" and
// "hard_sigmoid_offset": both required, since Keras 2 (0.2, 0.5) and Keras 3
// (1/6, 0.5) disagree and a default would silently pick one.
void read_activations(const Json& layer, SourceGru& gru, const std::string& where) {
  const std::string candidate = text_field(layer, "candidate_activation", "tanh", where);
  if (candidate != "tanh" && candidate != "relu") {
    fail(where, "\"candidate_activation\" must be \"tanh\" or \"relu\", not \"" + candidate + "\"");
  }
  gru.candidate_activation = candidate == "relu" ? Activation::kRelu : Activation::kTanh;
  const std::string gates = text_field(layer, "gate_activation", "sigmoid", where);
  if (gates != "sigmoid" && gates != "hard_sigmoid") {
    fail(where, "\"gate_activation\" must be \"sigmoid\" or \"hard_sigmoid\", not \"" + gates + "\"");
  }
  if (gates == "sigmoid") {
    for (const char* key : {"hard_sigmoid_slope", "hard_sigmoid_offset"}) {
      if (layer.contains(key)) fail(where, std::string("\"") + key + "\" needs \"gate_activation\": \"hard_sigmoid\"");
    }
    return;
  }
  gru.gate_activation = GateActivation::kHardSigmoid;
  gru.hard_sigmoid_slope = number_field(layer, "hard_sigmoid_slope", where);
  gru.hard_sigmoid_offset = number_field(layer, "hard_sigmoid_offset", where);
  if (!(std::isfinite(gru.hard_sigmoid_slope) && gru.hard_sigmoid_slope > 0.0f)) {
    fail(where, "\"hard_sigmoid_slope\" must be above 0 (Keras before 2.3: 0.2; Keras 3, torch hardsigmoid: 1/6)");
  }
  if (!std::isfinite(gru.hard_sigmoid_offset)) fail(where, "\"hard_sigmoid_offset\" must be finite");
}

}  // namespace

// Gates permuted to r, z, n as declared; sigmoid(-a) = 1 - sigmoid(a):
// negating z's pre-activation turns (1-z)*h + z*n into the canonical z*h + (1-z)*n.
CanonicalLayer canonical(const SourceGru& source, const TensorMap& tensors) {
  const float z_sign = source.update_keeps_state ? 1.0f : -1.0f;
  GruSpec gru;
  gru.input_size = source.input_size;
  gru.hidden_size = source.hidden_size;
  gru.reset_after = source.reset_after;
  gru.candidate_activation = source.candidate_activation;
  gru.gate_activation = source.gate_activation;
  gru.hard_sigmoid_slope = source.hard_sigmoid_slope;
  gru.hard_sigmoid_offset = source.hard_sigmoid_offset;
  for (int g = 0; g < 3; ++g) {
    append_slice(source.w[g], tensors, g == 1 ? z_sign : 1.0f, gru.w);
    append_slice(source.r[g], tensors, g == 1 ? z_sign : 1.0f, gru.r);
  }
  gru.bias_w = gate_biases(source.bias_w, source, tensors, z_sign);
  gru.bias_r = gate_biases(source.bias_r, source, tensors, z_sign);
  return gru;
}

void add_used_tensors(const SourceGru& gru, std::set<std::string>& names) {
  for (int g = 0; g < 3; ++g) {
    names.insert(gru.w[g].tensor);
    names.insert(gru.r[g].tensor);
    add_tensor(gru.bias_w[g], names);
    add_tensor(gru.bias_r[g], names);
  }
}

std::uint32_t input_width(const SourceGru& gru) { return gru.input_size; }
std::uint32_t output_width(const SourceGru& gru) { return gru.hidden_size; }
std::uint32_t state_width(const SourceGru& gru) { return gru.hidden_size; }

// In the source's own conventions (reset before or after, either update).
Vec evaluate(const SourceGru& g, const Linear& linear, const Vec& x, Vec& h) {
  using layouts::activate;
  using layouts::add;
  auto input = [&](int gate) { return affine(linear, g.w[gate], g.bias_w[gate], x); };
  auto hidden = [&](int gate, const Vec& v) { return affine(linear, g.r[gate], g.bias_r[gate], v); };
  const Vec r = gate(g, add(input(0), hidden(0, h)));
  const Vec z = gate(g, add(input(1), hidden(1, h)));
  Vec rh(h.size());
  for (std::size_t i = 0; i < h.size(); ++i) rh[i] = r[i] * h[i];
  const Vec xn = input(2);
  const Vec hn = g.reset_after ? hidden(2, h) : hidden(2, rh);
  Vec next(h.size());
  for (std::size_t i = 0; i < h.size(); ++i) {
    const double n_input = xn[i] + (g.reset_after ? r[i] * hn[i] : hn[i]);
    const double n = g.candidate_activation == Activation::kRelu ? std::max(n_input, 0.0) : std::tanh(n_input);
    next[i] = g.update_keeps_state ? z[i] * h[i] + (1.0 - z[i]) * n : (1.0 - z[i]) * h[i] + z[i] * n;
  }
  h = next;
  return next;
}

std::string describe(const SourceGru& gru) {
  std::ostringstream out;
  const bool negate = !gru.update_keeps_state;
  out << "gru " << gru.input_size << " -> " << gru.hidden_size << (gru.reset_after ? ", reset after" : ", reset before")
      << (negate ? ", update (1-z)*h + z*n mapped by negating z" : "") << "\n";
  // Variants only: a default GRU's report stays as it was.
  if (gru.candidate_activation != Activation::kTanh || gru.gate_activation != GateActivation::kSigmoid) {
    out << "      n = " << activation_name(gru.candidate_activation) << "(..), r and z = ";
    if (gru.gate_activation == GateActivation::kHardSigmoid) {
      out << "hard_sigmoid clip(" << gru.hard_sigmoid_slope << " x + " << gru.hard_sigmoid_offset << ", 0, 1)\n";
    } else {
      out << "sigmoid(..)\n";
    }
  }
  gates(out, "W ", gru.w, negate);
  gates(out, "R ", gru.r, negate);
  optional_gates(out, "bW", gru.bias_w, negate);
  optional_gates(out, "bR", gru.bias_r, negate);
  return out.str();
}

SourceVariant read_gru(const Json& layer, const TensorMap& tensors, std::uint32_t input, const std::string& where) {
  SourceGru gru;
  gru.input_size = input;
  gru.hidden_size = size_field(layer, "hidden_size", where);
  const std::uint32_t H = gru.hidden_size;
  const std::string reset = text_field(layer, "reset", "after", where);
  if (reset != "after" && reset != "before") fail(where, "\"reset\" must be \"after\" or \"before\"");
  gru.reset_after = reset == "after";
  std::string update = text_field(layer, "update", "z*h + (1-z)*n", where);
  update.erase(std::remove(update.begin(), update.end(), ' '), update.end());
  if (update != "z*h+(1-z)*n" && update != "(1-z)*h+z*n") {
    fail(where, "\"update\" must be \"z*h + (1-z)*n\" or \"(1-z)*h + z*n\"");
  }
  gru.update_keeps_state = update == "z*h+(1-z)*n";
  read_activations(layer, gru, where);
  const char* gates[3] = {"r", "z", "n"};
  for (const char* field : {"W", "R"}) {
    if (!layer.contains(field) || !layer[field].is_object()) fail(where, std::string("\"") + field + "\" {\"r\", \"z\", \"n\"} is required");
  }
  for (int g = 0; g < 3; ++g) {
    for (const char* field : {"W", "R"}) {
      if (!layer[field].contains(gates[g])) fail(where, std::string(field) + " has no gate \"" + gates[g] + "\"");
    }
    gru.w[g] = slice(layer["W"][gates[g]], tensors, H, input, where + " W." + gates[g]);
    gru.r[g] = slice(layer["R"][gates[g]], tensors, H, H, where + " R." + gates[g]);
    for (const char* field : {"bW", "bR"}) {
      if (layer.contains(field) && layer[field].contains(gates[g])) {
        auto& target = field[1] == 'W' ? gru.bias_w[g] : gru.bias_r[g];
        target = slice(layer[field][gates[g]], tensors, H, 1, where + " " + field + "." + gates[g]);
      }
    }
  }
  return gru;
}

}  // namespace grurt::convert::source_layers
