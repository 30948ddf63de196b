// The gate activation GRU and LSTM layers share: sigmoid, or hard_sigmoid
// with its slope and offset.
#include <cmath>

#include "canonical_layers.hpp"

namespace grurt::convert::canonical_layers {

// The schema's GateActivation values are the runtime's, in the same order.
static_assert(static_cast<int>(fb::GateActivation::Sigmoid) == static_cast<int>(GateActivation::kSigmoid) &&
                  static_cast<int>(fb::GateActivation::HardSigmoid) == static_cast<int>(GateActivation::kHardSigmoid),
              "schema/grurt.fbs GateActivation and grurt::GateActivation must agree");

std::string gate_problem(GateActivation gates, float slope, float offset) {
  if (gates != GateActivation::kSigmoid && gates != GateActivation::kHardSigmoid) {
    return "gate activation must be sigmoid or hard_sigmoid";
  }
  if (gates == GateActivation::kHardSigmoid) {
    if (!(std::isfinite(slope) && slope > 0.0f)) return "hard_sigmoid slope must be finite and above 0";
    if (!std::isfinite(offset)) return "hard_sigmoid offset must be finite";
  }
  return "";
}

StoredGates stored_gates(GateActivation gates, float slope, float offset) {
  const bool hard = gates == GateActivation::kHardSigmoid;
  return {static_cast<fb::GateActivation>(gates), hard ? slope : 0.2f, hard ? offset : 0.5f};
}

}  // namespace grurt::convert::canonical_layers
