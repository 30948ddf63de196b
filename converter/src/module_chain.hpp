// Several recurrent modules in one state_dict, each reading the one before
// (self.gru1 = nn.GRU(1, 8); self.gru2 = nn.GRU(8, 8, num_layers=3)): one
// model whose layers are theirs, in declaration order or in the order --chain
// names. A state_dict records the order the modules were declared in, not the
// order forward() calls them, so the report says which order was used.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "grurt_convert/layout_registry.hpp"

namespace grurt::convert {

// The candidates' layers chained (no head): options.chain's order when given
// (each name a candidate's module prefix, with or without the trailing '.'),
// else the order of the candidates' first tensors in `order` (the tensor names
// in declaration order). Throws ConversionError when the order is unknown
// (`order` empty: a safetensors file), a --chain name is no candidate, or the
// sizes do not chain (naming the modules and their sizes).
SourceModel chain_modules(const TensorMap& tensors, const std::vector<LayoutCandidate>& candidates,
                          const RecognitionOptions& options, const std::vector<std::string>& order);

// Each module's own layout reference (its family's formulas on its tensors),
// one after the other, then tanh if the head reads it, then the Linear head.
std::unique_ptr<SourceReference> chain_reference(const SourceModel& model, const TensorMap& tensors);

}  // namespace grurt::convert
