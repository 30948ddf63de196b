// The canonical GRU layer: gates r, z, n in three row blocks of H.
#include "canonical_layers.hpp"

namespace grurt::convert::canonical_layers {

Shape shape(const GruSpec& gru) {
  const std::uint64_t gates = 3ull * gru.hidden_size;
  return {"gru",
          gru.input_size,
          gru.hidden_size,
          {{"W", &gru.w, gates, gru.input_size, "3*H*I", false, 3},
           {"R", &gru.r, gates, gru.hidden_size, "3*H*H", false, 3},
           {"bW", &gru.bias_w, gates, 1, "3*H", true, 3},
           {"bR", &gru.bias_r, gates, 1, "3*H", true, 3}},
          ""};
}

flatbuffers::Offset<fb::Layer> write(const GruSpec& gru, flatbuffers::FlatBufferBuilder& builder,
                                     const Tensors& tensors, Name name) {
  const auto layer = fb::CreateGruLayer(builder, gru.input_size, gru.hidden_size, gru.reset_after, tensors[0],
                                        tensors[1], tensors[2], tensors[3]);
  return fb::CreateLayer(builder, fb::LayerKind::GruLayer, layer.Union(), name);
}

}  // namespace grurt::convert::canonical_layers
