#include "gate_reader.hpp"

#include <cmath>

#include "tensor_reader.hpp"

namespace grurt {
namespace detail {

Status read_gate_activation(fb::GateActivation stored, float slope, float offset, const ReadContext& at,
                            const char* kind, LayerView* view, ErrorText& error) {
  const auto value = static_cast<std::uint32_t>(stored);
  if (value == static_cast<std::uint32_t>(fb::GateActivation::Sigmoid)) {
    view->gate_activation = GateActivation::kSigmoid;
    return Status::kOk;
  }
  if (value != static_cast<std::uint32_t>(fb::GateActivation::HardSigmoid)) {
    return fail_at(error, Status::kUnsupportedLayer, at, kind)
           << "gate_activation " << value << " is unknown; this runtime knows 0 (sigmoid) and 1 (hard_sigmoid)";
  }
  if (!(std::isfinite(slope) && slope > 0.0f)) {
    return fail_at(error, Status::kUnsupportedLayer, at, kind)
           << "hard_sigmoid_slope is not allowed: it must be finite and above 0";
  }
  if (!std::isfinite(offset)) {
    return fail_at(error, Status::kUnsupportedLayer, at, kind) << "hard_sigmoid_offset is not allowed: it must be finite";
  }
  view->gate_activation = GateActivation::kHardSigmoid;
  view->hard_sigmoid_slope = slope;
  view->hard_sigmoid_offset = offset;
  return Status::kOk;
}

}  // namespace detail
}  // namespace grurt
