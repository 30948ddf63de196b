// Reads the small text format that tests/fixtures/torch/make_torch_fixtures.py writes:
// a model's weights in grurt's canonical gate order, an input sequence and
// PyTorch's outputs for it. Whitespace separated:
//   input_size I
//   gru I H reset_after|reset_before bias|nobias     then tensors W R [bW bR]
//   rnn I H tanh|relu bias|nobias                     then tensors W R [bW bR]
//   lstm I H P bias|nobias (P 0: no projection)       then tensors W R [bW bR] [projection]
//   dense I O ACTIVATION bias|nobias                  then tensors weight [bias]
//   tensor NAME ROWS COLS v...
//   inputs T I v...
//   outputs T O v...
// Lines starting with '#' are comments.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "grurt_convert/canonical_model.hpp"

namespace grurt::test {

struct TorchTextModel {
  convert::CanonicalModel model;
  std::uint32_t steps = 0;
  std::vector<float> inputs;    // steps x input_size
  std::vector<double> outputs;  // steps x output_size, from PyTorch
};

// Throws std::runtime_error naming the file and what was unexpected.
TorchTextModel read_torch_text_model(const std::string& path);

}  // namespace grurt::test
