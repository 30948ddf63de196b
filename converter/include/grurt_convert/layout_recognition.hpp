// Recognises a known GRU layout from tensor names and shapes alone.
//
//   gru            torch.nn.GRU: {p}weight_ih_l{k} [3H, I], weight_hh_l{k} [3H, H], bias_ih_l{k}, bias_hh_l{k}
//   grucell        torch.nn.GRUCell: {p}weight_ih, weight_hh, bias_ih, bias_hh
//   chunked-cell   {p}rnn_cell_list.{l}.input.weight [3H, I], .hidden.weight [3H, H] (+ .bias)
//   concat-cell    {p}reset_gate / update_gate / hidden_transform .weight [H, I+H] (+ .bias)
//   per-gate-cell  {p}linear_reset_w1/w2, linear_gate_w3 .weight [H, I]; linear_reset_r1/r2, linear_gate_r3 [H, H]
// plus an optional nn.Linear head whose input width is the last hidden size.
#pragma once

#include <string>
#include <vector>

#include "grurt_convert/source_model.hpp"
#include "grurt_convert/tensor_map.hpp"

namespace grurt::convert {

struct RecognitionOptions {
  std::string layout;            // one of known_layouts(), or "" to recognise automatically
  std::string prefix;            // only consider this module prefix (e.g. "encoder.gru."); "" = any
  std::string head = "auto";     // "auto", "none", or the head module's name (e.g. "fc")
  bool head_reads_tanh = false;  // concat cell: the head reads tanh(h') instead of h'
  bool allow_unused = false;     // accept tensors the layout does not use
};

const std::vector<std::string>& known_layouts();

// Throws ConversionError: nothing recognised (listing the tensors), several
// candidates (listing them), a tensor missing or of the wrong shape (naming
// it with expected and found shapes), or tensors left unused.
SourceModel recognize_layout(const TensorMap& tensors, const RecognitionOptions& options);

}  // namespace grurt::convert
