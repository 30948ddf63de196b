// Reading the integer plan of a .grurt (schema/grurt.fbs, IntegerPlan) into
// LayerPlans, and the arena of an IntegerSession: one place for both
// IntegerModel::load (which checks every field) and IntegerSession::init.
#pragma once

#include <cstddef>
#include <cstdint>

#include "grurt/error_text.hpp"
#include "grurt/grurt_generated.h"
#include "integer/integer_layers.hpp"

namespace grurt {
namespace integer {

// Layer `index` of `root` (whose integer plan has a layer per model layer)
// fed `input_width` values, into `plan` (plan->values left null). With
// `check`, every field is checked, and every row's int32 sum is proven not to
// overflow for any input (|q| <= 32767); on failure the status and `error`
// name the layer, the tensor and what was expected.
Status read_layer_plan(const fb::Model& root, std::uint32_t index, std::uint32_t input_width, bool check,
                       LayerPlan* plan, ErrorText& error) noexcept;

// Where an IntegerSession's memory is: the plans, the zero-padded input copy,
// each layer's values (a GRU's h, a Dense layer's outputs) and the scratch the
// products write. Every part starts 64-byte aligned.
struct ArenaParts {
  LayerPlan* plans = nullptr;
  std::int16_t* input = nullptr;
  std::int32_t* scratch = nullptr;
};

// The arena's size for `root` (loaded and checked); with a non-null `base`,
// also fills `parts` and the plans there (the memory must be zeroed first).
std::size_t lay_out_arena(const fb::Model& root, unsigned char* base, ArenaParts* parts) noexcept;

}  // namespace integer
}  // namespace grurt
