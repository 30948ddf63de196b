#include "grurt_convert/source_reference.hpp"

#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/layout_registry.hpp"
#include "layouts/reference_math.hpp"
#include "module_chain.hpp"
#include "source_layers/source_layers.hpp"

namespace grurt::convert {
namespace {

using layouts::Vec;

// A model no layout family built (a mapping file, a reader's declared
// architecture): the slices and conventions it declares, evaluated as written
// by each layer kind (source gate order and update convention, transposed
// slices as transposes).
class SliceReference : public SourceReference {
 public:
  SliceReference(const SourceModel& model, const TensorMap& tensors) : model_(model), linear_(tensors) {
    for (const SourceLayer& layer : model.layers) state_.emplace_back(state_width(layer), 0.0);
  }

  Vec step(const Vec& input) override {
    Vec x = input;
    for (std::size_t k = 0; k < model_.layers.size(); ++k) {
      x = std::visit([&](const auto& kind) { return source_layers::evaluate(kind, linear_, x, state_[k]); },
                     model_.layers[k].layer);
    }
    return x;
  }

  Vec state() const override { return join_states(state_); }
  void set_state(const Vec& state) override { split_state(state, state_); }

 private:
  const SourceModel& model_;
  layouts::Linear linear_;
  std::vector<Vec> state_;
};

// The user's skip from the model input, added to any layout's output as the
// source model computes it: y[j] = network(x)[j] + x[first_channel + j].
class InputSkipReference : public SourceReference {
 public:
  InputSkipReference(std::unique_ptr<SourceReference> network, std::uint32_t first_channel)
      : network_(std::move(network)), first_channel_(first_channel) {}

  Vec step(const Vec& input) override {
    Vec y = network_->step(input);
    for (std::size_t j = 0; j < y.size(); ++j) y[j] += input.at(first_channel_ + j);
    return y;
  }

  // The skip has no state of its own.
  Vec state() const override { return network_->state(); }
  void set_state(const Vec& state) override { network_->set_state(state); }

 private:
  std::unique_ptr<SourceReference> network_;
  std::uint32_t first_channel_;
};

std::unique_ptr<SourceReference> family_reference(const SourceModel& model, const TensorMap& tensors) {
  if (!model.chain.empty()) return chain_reference(model, tensors);
  if (const LayoutFamily* family = find_layout_family(model.layout)) return family->reference(model, tensors);
  return std::make_unique<SliceReference>(model, tensors);
}

// The reference starts where the source model does: each layer's stored
// initial state, read from the source's own tensors (zeros where none).
std::unique_ptr<SourceReference> network_reference(const SourceModel& model, const TensorMap& tensors) {
  std::unique_ptr<SourceReference> reference = family_reference(model, tensors);
  std::vector<double> start;
  bool stored = false;
  for (const SourceLayer& layer : model.layers) {
    const std::vector<float> initial = initial_state_values(layer, tensors);
    stored = stored || !initial.empty();
    if (initial.empty()) start.resize(start.size() + state_width(layer), 0.0);
    start.insert(start.end(), initial.begin(), initial.end());
  }
  if (stored) reference->set_state(start);
  return reference;
}

}  // namespace

std::vector<double> join_states(const std::vector<std::vector<double>>& states) {
  std::vector<double> joined;
  for (const auto& s : states) joined.insert(joined.end(), s.begin(), s.end());
  return joined;
}

void split_state(const std::vector<double>& joined, std::vector<std::vector<double>>& states) {
  std::size_t at = 0;
  for (auto& s : states) {
    for (double& v : s) v = joined.at(at++);
  }
}

std::unique_ptr<SourceReference> make_source_reference(const SourceModel& model, const TensorMap& tensors) {
  if (!model.skip) return network_reference(model, tensors);
  // Layout families evaluate their layers as a whole, so a layer's own output
  // is not at hand here: only the skip --skip can state is checked.
  if (!model.skip->from_input) {
    throw ConversionError("the conversion check evaluates a skip from the model input only, not from layer " +
                          std::to_string(model.skip->layer));
  }
  return std::make_unique<InputSkipReference>(network_reference(model, tensors), model.skip->first_channel);
}

}  // namespace grurt::convert
