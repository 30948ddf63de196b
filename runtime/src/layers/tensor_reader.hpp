// Checks shared by the layer kinds' read(): sizes, activations and tensors.
#pragma once

#include <cstdint>

#include "layer_kind.hpp"

namespace grurt {
namespace detail {

// The shape a tensor must have, with the formula to print when it does not.
struct TensorRule {
  const char* name;      // "W", "R", "bW", ...
  std::uint64_t rows;
  std::uint64_t cols;
  const char* formula;   // e.g. "3*H x I"
  bool required;
  std::uint32_t blocks;  // row blocks padded separately (GRU gates: 3)
};

// Starts a message about layer at.index: "layer 2 (gru): ".
ErrorText& fail_at(ErrorText& error, Status status, const ReadContext& at, const char* kind);

// A packed weight matrix (any element type this runtime reads); absent and
// optional leaves `matrix` empty.
Status read_matrix(const fb::Tensor* tensor, const TensorRule& rule, const ReadContext& at, const char* kind,
                   WeightView* matrix, ErrorText& error);
// A packed f32 vector (biases); absent and optional leaves `values` null.
Status read_vector(const fb::Tensor* tensor, const TensorRule& rule, const ReadContext& at, const char* kind,
                   const float** values, ErrorText& error);

Status check_size(std::uint32_t value, const char* what, const ReadContext& at, const char* kind, ErrorText& error);
// `declared` input size equals what the previous layer outputs (first read only).
Status check_input(std::uint32_t declared, const ReadContext& at, const char* kind, ErrorText& error);
// The sizes every weighted layer declares: both in range, the input chained.
Status check_layer_sizes(std::uint32_t input, std::uint32_t output, const char* output_name, const ReadContext& at,
                         const char* kind, ErrorText& error);

// The stored activation as the runtime's; kUnsupportedLayer for a value this
// runtime does not know or one outside `allowed` (a bit per Activation).
constexpr unsigned kAnyActivation = 0x1F;
Status read_activation(fb::Activation stored, unsigned allowed, const ReadContext& at, const char* kind,
                       Activation* activation, ErrorText& error);

}  // namespace detail
}  // namespace grurt
