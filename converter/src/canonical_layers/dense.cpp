// The canonical dense layer: y = activation(weight x + bias).
#include "canonical_layers.hpp"

namespace grurt::convert::canonical_layers {

Shape shape(const DenseSpec& dense) {
  return {"dense",
          dense.input_size,
          dense.output_size,
          {{"weight", &dense.weight, dense.output_size, dense.input_size, "O*I", false, 1, true},
           {"bias", &dense.bias, dense.output_size, 1, "O", true, 1}},
          ""};
}

flatbuffers::Offset<fb::Layer> write(const DenseSpec& dense, flatbuffers::FlatBufferBuilder& builder,
                                     const Tensors& tensors, Name name) {
  const auto layer = fb::CreateDenseLayer(builder, dense.input_size, dense.output_size, to_fb(dense.activation),
                                          tensors[0], tensors[1]);
  return fb::CreateLayer(builder, fb::LayerKind::DenseLayer, layer.Union(), name);
}

}  // namespace grurt::convert::canonical_layers
