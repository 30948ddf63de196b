// An independent double-precision reference for the canonical model, written
// from the formulas in schema/grurt.fbs and DESIGN.md and sharing no code with
// the runtime. Tests compare the float runtime against it.
#pragma once

#include <cstdint>
#include <vector>

#include "grurt_convert/canonical_model.hpp"

namespace grurt::test {

class ReferenceModel {
 public:
  explicit ReferenceModel(const convert::CanonicalModel& model);

  // One time step in double precision; returns the model output.
  std::vector<double> step(const std::vector<double>& input);

  // All recurrent states (GRU, RNN: h; LSTM: h then c), concatenated in layer order.
  std::vector<double> state() const;
  void set_state(const std::vector<double>& state);

 private:
  const convert::CanonicalModel& model_;
  std::vector<std::vector<double>> hidden_;  // per layer; empty for layers without state
};

// Runs the reference over `inputs` (steps x input_size) from zero state.
std::vector<double> reference_outputs(const convert::CanonicalModel& model, const std::vector<float>& inputs);

}  // namespace grurt::test
