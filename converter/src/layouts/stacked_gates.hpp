// Layers whose gates are stacked in one [3H, I] and one [3H, H] Linear, in
// r, z, n order, with n = tanh(x_n + r * h_n): nn.GRU, nn.GRUCell and the
// chunked cell share the recognition and the reference here.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "grurt_convert/source_model.hpp"
#include "grurt_convert/source_reference.hpp"
#include "tensor_shapes.hpp"

namespace grurt::convert::layouts {

// Layer k's tensor names: W, R, bW, bR.
using StackedNames = std::function<std::array<std::string, 4>(std::uint32_t k)>;

// Layers 0, 1, ... while layer k's W exists (only layer 0 when `single`),
// every shape checked against the layer below.
std::vector<SourceLayer> stacked_gate_layers(const TensorShapes& shapes, const StackedNames& names, bool single);

// One Linear of 3H rows for x and one for h, chunked into (reset, update, new);
// n = tanh(x_n + r * h_n); h' = (1 - z) * n + z * h; on the tensors the layers name.
std::unique_ptr<SourceReference> stacked_gate_reference(const SourceModel& model, const TensorMap& tensors);

}  // namespace grurt::convert::layouts
