// Turns one verified FlatBuffers layer into a checked LayerView.
#pragma once

#include <cstdint>

#include "grurt/error_text.hpp"
#include "grurt/model.hpp"

namespace grurt {
namespace fb {
struct Layer;
}
namespace detail {

// Checks every field of layer `index` (kind, sizes, tensors: presence, element
// type, layout, shape, byte size, alignment) and that it reads `input_width`
// values. On success fills `view`; on failure returns the status and `error`
// names the layer, the tensor and what was expected.
Status read_layer(const fb::Layer* layer, std::uint32_t index, std::uint32_t input_width,
                  LayerView* view, ErrorText& error) noexcept;

}  // namespace detail
}  // namespace grurt
