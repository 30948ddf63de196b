// The canonical LSTM layer: gates i, f, g, o in four row blocks of H, an
// optional peephole [3H] (i, f, o), an optional projection [P x H], and the
// gate activation of i, f, o (sigmoid or hard_sigmoid).
#include "canonical_layers.hpp"

namespace grurt::convert::canonical_layers {

Shape shape(const LstmSpec& lstm) {
  const std::uint64_t H = lstm.hidden_size;
  const std::uint64_t gates = 4 * H;
  const std::uint64_t P = lstm.projection_size;
  Shape shape{"lstm",
              lstm.input_size,
              lstm.output_size(),
              {{"W", &lstm.w, gates, lstm.input_size, "4*H*I", false, 4, true},
               {"R", &lstm.r, gates, lstm.output_size(), P != 0 ? "4*H*P" : "4*H*H", false, 4, true},
               {"bW", &lstm.bias_w, gates, 1, "4*H", true, 4},
               {"bR", &lstm.bias_r, gates, 1, "4*H", true, 4},
               {"peephole", &lstm.peephole, 3 * H, 1, "3*H", true, 3},
               {"projection", &lstm.projection, P, H, "P*H", true, 1, true},
               {"initial_state", &lstm.initial_state, lstm.output_size() + H, 1, P != 0 ? "P+H" : "H+H", true, 1}},
              ""};
  if (P != 0 && lstm.projection.empty()) shape.problem = "projection size P is set but the projection [P x H] is empty";
  if (P == 0 && !lstm.projection.empty()) shape.problem = "a projection is given but projection size P is 0";
  if (shape.problem.empty()) {
    shape.problem = gate_problem(lstm.gate_activation, lstm.hard_sigmoid_slope, lstm.hard_sigmoid_offset);
  }
  return shape;
}

// A sigmoid LSTM is written byte for byte as before the gate fields existed.
flatbuffers::Offset<fb::Layer> write(const LstmSpec& lstm, flatbuffers::FlatBufferBuilder& builder,
                                     const Tensors& tensors, Name name) {
  const StoredGates gates = stored_gates(lstm.gate_activation, lstm.hard_sigmoid_slope, lstm.hard_sigmoid_offset);
  const auto layer = fb::CreateLstmLayer(builder, lstm.input_size, lstm.hidden_size, lstm.projection_size, tensors[0],
                                         tensors[1], tensors[2], tensors[3], tensors[4], tensors[5], tensors[6],
                                         gates.activation, gates.slope, gates.offset);
  return fb::CreateLayer(builder, fb::LayerKind::LstmLayer, layer.Union(), name);
}

}  // namespace grurt::convert::canonical_layers
