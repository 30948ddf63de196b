// An independent double-precision evaluation of a source model, written from
// each layout's own formulas on its own named tensors (as the PyTorch code
// computes it), before any canonicalisation. The converter compares the
// runtime's output for the written file against it.
#pragma once

#include <memory>
#include <vector>

#include "grurt_convert/source_model.hpp"
#include "grurt_convert/tensor_map.hpp"

namespace grurt::convert {

class SourceReference {
 public:
  virtual ~SourceReference() = default;
  // One time step from the current state; returns the model output.
  virtual std::vector<double> step(const std::vector<double>& input) = 0;
  // The recurrent state, layer after layer in model order, each layer's h
  // (the order of the runtime's Session::read_state). The conversion check
  // sets both sides to the same state before each step, so errors cannot
  // compound.
  virtual std::vector<double> state() const = 0;
  virtual void set_state(const std::vector<double>& state) = 0;
};

// Flattens per-layer states into one vector, and back.
std::vector<double> join_states(const std::vector<std::vector<double>>& states);
void split_state(const std::vector<double>& joined, std::vector<std::vector<double>>& states);

// The reference of the layout family that built `model` (layout_registry.hpp);
// for a mapping file or a reader's declared model, its slices evaluated as declared.
std::unique_ptr<SourceReference> make_source_reference(const SourceModel& model, const TensorMap& tensors);

}  // namespace grurt::convert
