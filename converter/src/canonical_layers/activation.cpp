// The canonical stand-alone activation layer: no weights.
#include "canonical_layers.hpp"

namespace grurt::convert::canonical_layers {

Shape shape(const ActivationSpec& activation) { return {"activation", activation.size, activation.size, {}, ""}; }

flatbuffers::Offset<fb::Layer> write(const ActivationSpec& activation, flatbuffers::FlatBufferBuilder& builder,
                                     const Tensors&, Name name) {
  const auto layer = fb::CreateActivationLayer(builder, activation.size, to_fb(activation.activation));
  return fb::CreateLayer(builder, fb::LayerKind::ActivationLayer, layer.Union(), name);
}

}  // namespace grurt::convert::canonical_layers
