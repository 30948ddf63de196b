// The gate activation of the layer kinds that have one (GRU r, z; LSTM i, f,
// o): read and checked once at load, handed to the kernels at each step.
#pragma once

#include "layer_kind.hpp"

namespace grurt {
namespace detail {

// gate_activation: sigmoid (default) or hard_sigmoid with a finite, positive
// slope and a finite offset (a gate must rise from 0 to 1); anything else is
// refused by name, so a file meant for a newer runtime is never misread.
Status read_gate_activation(fb::GateActivation stored, float slope, float offset, const ReadContext& at,
                            const char* kind, LayerView* view, ErrorText& error);

// The same for any schema table with the three gate fields (GruLayer, LstmLayer).
template <class Table>
Status read_gate_activation(const Table& table, const ReadContext& at, const char* kind, LayerView* view,
                            ErrorText& error) {
  return read_gate_activation(table.gate_activation(), table.hard_sigmoid_slope(), table.hard_sigmoid_offset(), at,
                              kind, view, error);
}

// The kernels' view of the layer's gate activation.
inline kernels::GateActivations gate_activations_of(const LayerView& layer) noexcept {
  kernels::GateActivations a;
  a.hard_gates = layer.gate_activation == GateActivation::kHardSigmoid;
  a.slope = layer.hard_sigmoid_slope;
  a.offset = layer.hard_sigmoid_offset;
  return a;
}

}  // namespace detail
}  // namespace grurt
