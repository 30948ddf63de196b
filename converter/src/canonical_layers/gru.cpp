// The canonical GRU layer: gates r, z, n in three row blocks of H, with its
// candidate (tanh or relu) and gate (sigmoid or hard_sigmoid) activations.
#include <cmath>

#include "canonical_layers.hpp"

namespace grurt::convert::canonical_layers {
namespace {

// The same rules the runtime applies when it loads the layer.
std::string variant_problem(const GruSpec& gru) {
  if (gru.candidate_activation != Activation::kTanh && gru.candidate_activation != Activation::kRelu) {
    return std::string("candidate activation must be tanh or relu, not ") + activation_name(gru.candidate_activation);
  }
  if (gru.gate_activation != GateActivation::kSigmoid && gru.gate_activation != GateActivation::kHardSigmoid) {
    return "gate activation must be sigmoid or hard_sigmoid";
  }
  if (gru.gate_activation == GateActivation::kHardSigmoid) {
    if (!(std::isfinite(gru.hard_sigmoid_slope) && gru.hard_sigmoid_slope > 0.0f)) {
      return "hard_sigmoid slope must be finite and above 0";
    }
    if (!std::isfinite(gru.hard_sigmoid_offset)) return "hard_sigmoid offset must be finite";
  }
  return "";
}

}  // namespace

Shape shape(const GruSpec& gru) {
  const std::uint64_t gates = 3ull * gru.hidden_size;
  return {"gru",
          gru.input_size,
          gru.hidden_size,
          {{"W", &gru.w, gates, gru.input_size, "3*H*I", false, 3, true},
           {"R", &gru.r, gates, gru.hidden_size, "3*H*H", false, 3, true},
           {"bW", &gru.bias_w, gates, 1, "3*H", true, 3},
           {"bR", &gru.bias_r, gates, 1, "3*H", true, 3},
           {"initial_state", &gru.initial_state, gru.hidden_size, 1, "H", true, 1}},
          variant_problem(gru)};
}

// The schema's GateActivation values are the runtime's, in the same order.
static_assert(static_cast<int>(fb::GateActivation::Sigmoid) == static_cast<int>(GateActivation::kSigmoid) &&
                  static_cast<int>(fb::GateActivation::HardSigmoid) == static_cast<int>(GateActivation::kHardSigmoid),
              "schema/grurt.fbs GateActivation and grurt::GateActivation must agree");

// FlatBuffers leaves out fields equal to their defaults, so a tanh/sigmoid
// GRU is written byte for byte as before the variant fields existed; the
// slope and offset are only meaningful (and only written) with hard_sigmoid.
flatbuffers::Offset<fb::Layer> write(const GruSpec& gru, flatbuffers::FlatBufferBuilder& builder,
                                     const Tensors& tensors, Name name) {
  const bool hard = gru.gate_activation == GateActivation::kHardSigmoid;
  const auto layer = fb::CreateGruLayer(
      builder, gru.input_size, gru.hidden_size, gru.reset_after, tensors[0], tensors[1], tensors[2], tensors[3],
      to_fb(gru.candidate_activation), static_cast<fb::GateActivation>(gru.gate_activation),
      hard ? gru.hard_sigmoid_slope : 0.2f, hard ? gru.hard_sigmoid_offset : 0.5f, tensors[4]);
  return fb::CreateLayer(builder, fb::LayerKind::GruLayer, layer.Union(), name);
}

}  // namespace grurt::convert::canonical_layers
