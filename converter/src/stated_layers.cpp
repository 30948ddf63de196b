#include "grurt_convert/stated_layers.hpp"

#include "grurt_convert/conversion_error.hpp"

namespace grurt::convert {

Activation parse_activation_name(const std::string& name, const std::string& option) {
  for (Activation a : {Activation::kIdentity, Activation::kTanh, Activation::kSigmoid, Activation::kRelu,
                       Activation::kSoftmax}) {
    if (name == activation_name(a)) return a;
  }
  throw ConversionError(option + " '" + name + "' is not one of identity, tanh, sigmoid, relu, softmax");
}

void add_stated_layers(SourceModel& source, const StatedLayers& stated) {
  if (stated.before_head) {
    std::size_t last_recurrent = source.layers.size();
    for (std::size_t k = 0; k < source.layers.size(); ++k) {
      if (state_width(source.layers[k]) > 0) last_recurrent = k;
    }
    std::size_t head = source.layers.size();
    for (std::size_t k = last_recurrent + 1; k < source.layers.size() && head == source.layers.size(); ++k) {
      if (std::holds_alternative<SourceDense>(source.layers[k].layer)) head = k;
    }
    if (last_recurrent == source.layers.size() || head == source.layers.size()) {
      throw ConversionError(
          "--activation-before-head: the model has no Linear head after its recurrent layers; for an activation on "
          "the recurrent output, use --activation-after-head");
    }
    const Activation a = *stated.before_head;
    source.layers.insert(source.layers.begin() + static_cast<std::ptrdiff_t>(head),
                         SourceLayer{"before_head", ActivationSpec{input_width(source.layers[head]), a}});
    source.assumptions.push_back(std::string("activation ") + activation_name(a) +
                                 " between the recurrent layers and the head (from --activation-before-head)");
  }
  if (stated.after_head) {
    const Activation a = *stated.after_head;
    source.layers.push_back({"after_head", ActivationSpec{output_width(source.layers.back()), a}});
    source.assumptions.push_back(std::string("activation ") + activation_name(a) +
                                 " on the model's output (from --activation-after-head)");
  }
}

}  // namespace grurt::convert
