// The parameterless layers a state_dict cannot show, stated by the user on
// the command line: an activation between the recurrent stack and the Linear
// head (GRU -> ReLU -> Linear), and one after the head. They become layers of
// the source model, so the canonical model holds them and the conversion
// check's reference evaluates them as the user's framework would.
#pragma once

#include <optional>
#include <string>

#include "grurt/model.hpp"
#include "grurt_convert/source_model.hpp"

namespace grurt::convert {

struct StatedLayers {
  std::optional<Activation> before_head;  // --activation-before-head
  std::optional<Activation> after_head;   // --activation-after-head
};

// "tanh", "relu", "sigmoid", "softmax", "identity"; throws ConversionError
// naming the option and the names it takes.
Activation parse_activation_name(const std::string& name, const std::string& option);

// Inserts the stated activations: before-head right before the first Linear
// layer after the last recurrent layer (refused, with the reason, when there
// is none), after-head at the end of the model. Each is recorded in
// `source.assumptions`, so the report says it came from the command line.
void add_stated_layers(SourceModel& source, const StatedLayers& stated);

}  // namespace grurt::convert
