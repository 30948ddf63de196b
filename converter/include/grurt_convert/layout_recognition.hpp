// Recognises a known layout from tensor names and shapes alone, among the
// layout families of layout_registry.hpp, plus an optional nn.Linear head
// whose input width is the last hidden size.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "grurt_convert/source_model.hpp"
#include "grurt_convert/tensor_map.hpp"

namespace grurt::convert {

struct RecognitionOptions {
  std::string layout;            // a layout name of layout_registry(), or "" to recognise automatically
  std::string prefix;            // only consider this module prefix (e.g. "encoder.gru."); "" = any
  std::string head = "auto";     // "auto", "none", or the head module's name (e.g. "fc")
  bool head_reads_tanh = false;  // concat cell: the head reads tanh(h') instead of h'
  bool allow_unused = false;     // accept tensors the layout does not use
  // nn.RNN / nn.RNNCell: tanh or relu; a state_dict does not record it, so
  // unset means tanh (PyTorch's default), reported as assumed.
  std::optional<Activation> rnn_activation;
  // Module prefixes of recurrent modules to chain, in this order (--chain
  // gru1,gru2); empty: several recurrent modules are chained in declaration order.
  std::vector<std::string> chain;
};

// Several recurrent modules are chained (module_chain.hpp) in `order`, the
// tensor names in declaration order (SourceFile::order; empty when the file
// does not keep it), or in options.chain's order.
// Throws ConversionError: nothing recognised (listing the tensors), several
// candidates that do not chain (listing them), a tensor missing or of the
// wrong shape (naming it with expected and found shapes), or tensors left unused.
SourceModel recognize_layout(const TensorMap& tensors, const RecognitionOptions& options,
                             const std::vector<std::string>& order = {});

}  // namespace grurt::convert
