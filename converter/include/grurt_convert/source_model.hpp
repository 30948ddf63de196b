// A trained model described in its source's own terms: which tensor slices
// are which gate, how its update and reset are written. Layout recognition
// and mapping files produce it; canonicalisation turns it into the canonical
// model (gate order r, z, n; h' = z*h + (1-z)*n).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "grurt/model.hpp"
#include "grurt_convert/canonical_model.hpp"
#include "grurt_convert/tensor_map.hpp"

namespace grurt::convert {

// rows x cols block of a named tensor starting at (row, col); a 1-D tensor is
// a column (cols = 1).
struct TensorSlice {
  std::string tensor;
  std::uint32_t row = 0, rows = 0;
  std::uint32_t col = 0, cols = 0;

  std::string describe() const;  // "name" or "name[0:16, 3:19]"
};

enum class Gate { kReset = 0, kUpdate = 1, kNew = 2 };

struct SourceGru {
  std::uint32_t input_size = 0;
  std::uint32_t hidden_size = 0;
  bool reset_after = true;         // n = tanh(.. + r * (R_n h + bR_n)) vs tanh(.. + R_n (r * h) + bR_n)
  bool update_keeps_state = true;  // h' = z*h + (1-z)*n; false: h' = (1-z)*h + z*n
  std::array<TensorSlice, 3> w;    // per gate r, z, n: [H x I]
  std::array<TensorSlice, 3> r;    // [H x H]
  std::array<std::optional<TensorSlice>, 3> bias_w;  // [H], absent = zeros
  std::array<std::optional<TensorSlice>, 3> bias_r;
};

struct SourceDense {
  std::uint32_t input_size = 0;
  std::uint32_t output_size = 0;
  Activation activation = Activation::kIdentity;
  TensorSlice weight;  // [O x I]
  std::optional<TensorSlice> bias;
};

struct SourceLayer {
  std::string name;
  std::variant<SourceGru, SourceDense, ActivationSpec> layer;
};

struct SourceModel {
  std::string layout;  // "nn.GRU", "nn.GRUCell", "chunked-cell", "concat-cell", "per-gate-cell", "mapping"
  std::string prefix;  // module prefix the layout was found under
  std::uint32_t input_size = 0;
  std::vector<SourceLayer> layers;
  std::optional<std::string> head;  // module prefix of the Linear head ("fc."), if any
  bool head_reads_tanh = false;  // concat cell: the head reads tanh(h') instead of h'
};

// Copies the slices into canonical arrays: gates permuted to r, z, n, z rows
// negated for the (1-z)*h + z*n convention, missing biases as zeros.
CanonicalModel canonicalize(const SourceModel& source, const TensorMap& tensors);

// Every tensor name the model reads.
std::vector<std::string> used_tensors(const SourceModel& source);

}  // namespace grurt::convert
