// The canonical Elman RNN layer: h' = activation(W x + bW + R h + bR).
#include "canonical_layers.hpp"

namespace grurt::convert::canonical_layers {

Shape shape(const RnnSpec& rnn) {
  const std::uint64_t H = rnn.hidden_size;
  Shape shape{"rnn",
              rnn.input_size,
              rnn.hidden_size,
              {{"W", &rnn.w, H, rnn.input_size, "H*I", false, 1, true},
               {"R", &rnn.r, H, H, "H*H", false, 1, true},
               {"bW", &rnn.bias_w, H, 1, "H", true, 1},
               {"bR", &rnn.bias_r, H, 1, "H", true, 1},
               {"initial_state", &rnn.initial_state, H, 1, "H", true, 1}},
              ""};
  if (rnn.activation != Activation::kTanh && rnn.activation != Activation::kRelu) {
    shape.problem = "activation must be tanh or relu";
  }
  return shape;
}

flatbuffers::Offset<fb::Layer> write(const RnnSpec& rnn, flatbuffers::FlatBufferBuilder& builder,
                                     const Tensors& tensors, Name name) {
  const auto layer = fb::CreateRnnLayer(builder, rnn.input_size, rnn.hidden_size, to_fb(rnn.activation), tensors[0],
                                        tensors[1], tensors[2], tensors[3], tensors[4]);
  return fb::CreateLayer(builder, fb::LayerKind::RnnLayer, layer.Union(), name);
}

}  // namespace grurt::convert::canonical_layers
