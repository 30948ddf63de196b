#include "module_chain.hpp"

#include <algorithm>

#include "grurt_convert/conversion_error.hpp"
#include "layouts/reference_math.hpp"

namespace grurt::convert {
namespace {

struct Module {
  LayoutCandidate candidate;
  SourceModel model;        // its recurrent layers, no head
  std::size_t position = 0;  // of its first tensor in declaration order
};

// "'gru2.' (gru, 3 layers, 8 -> 8)"
std::string describe_module(const Module& m) {
  const std::size_t n = m.model.layers.size();
  return "'" + m.candidate.prefix + "' (" + m.candidate.layout + (n > 1 ? ", " + std::to_string(n) + " layers" : "") +
         ", " + std::to_string(input_width(m.model.layers.front())) + " -> " +
         std::to_string(output_width(m.model.layers.back())) + ")";
}

std::string list_candidates(const std::vector<LayoutCandidate>& candidates) {
  std::string list;
  for (const LayoutCandidate& c : candidates) list += "\n  " + c.layout + " under prefix '" + c.prefix + "'";
  return list;
}

Module build_module(const TensorMap& tensors, const LayoutCandidate& c, const RecognitionOptions& options,
                    const std::vector<std::string>& order) {
  if (!c.refusal.empty()) throw ConversionError(c.refusal);
  Module m{c, find_layout_family(c.layout)->build(tensors, c, options), order.size()};
  for (const std::string& name : used_tensors(m.model)) {
    const auto at = std::find(order.begin(), order.end(), name);
    m.position = std::min(m.position, static_cast<std::size_t>(at - order.begin()));
  }
  return m;
}

// The candidates --chain names, in its order.
std::vector<LayoutCandidate> named(const std::vector<LayoutCandidate>& candidates, const std::vector<std::string>& names) {
  std::vector<LayoutCandidate> out;
  for (std::string name : names) {
    if (!name.empty() && name.back() != '.') name += '.';
    const auto found = std::find_if(candidates.begin(), candidates.end(),
                                    [&](const LayoutCandidate& c) { return c.prefix == name; });
    if (found == candidates.end()) {
      throw ConversionError("--chain: no recurrent module '" + name + "' in the file; the modules found are:" +
                            list_candidates(candidates));
    }
    for (const LayoutCandidate& c : out) {
      if (c.prefix == name) throw ConversionError("--chain: module '" + name + "' is named twice");
    }
    out.push_back(*found);
  }
  return out;
}

}  // namespace

SourceModel chain_modules(const TensorMap& tensors, const std::vector<LayoutCandidate>& candidates,
                          const RecognitionOptions& options, const std::vector<std::string>& order) {
  const bool declared = options.chain.empty();
  if (declared && order.empty()) {
    throw ConversionError("ambiguous: several recurrent modules found:" + list_candidates(candidates) +
                          "\nthis file does not record the order they were declared in (a .safetensors file lists its "
                          "tensors sorted by name), so they cannot be chained by themselves: give the order with "
                          "--chain FIRST,SECOND,... (module prefixes), or convert one with --prefix");
  }
  std::vector<Module> modules;
  for (const LayoutCandidate& c : declared ? candidates : named(candidates, options.chain)) {
    modules.push_back(build_module(tensors, c, options, order));
  }
  if (declared) {
    std::stable_sort(modules.begin(), modules.end(),
                     [](const Module& a, const Module& b) { return a.position < b.position; });
  }
  std::string listed;
  for (const Module& m : modules) listed += (listed.empty() ? "" : ", ") + describe_module(m);
  for (std::size_t k = 1; k < modules.size(); ++k) {
    const std::uint32_t gives = output_width(modules[k - 1].model.layers.back());
    const std::uint32_t takes = input_width(modules[k].model.layers.front());
    if (gives != takes) {
      throw ConversionError(
          "the recurrent modules do not chain " +
          std::string(declared ? "in declaration order" : "in the order --chain gives") + ": " +
          describe_module(modules[k]) + " takes " + std::to_string(takes) + " inputs, but " +
          describe_module(modules[k - 1]) + " before it gives " + std::to_string(gives) + " (its output width: the hidden size, or an LSTM's projection size)" +
          "\nthe order: " + listed +
          (declared ? "\ngive another order with --chain FIRST,SECOND,... (module prefixes), or convert one with --prefix"
                    : ""));
    }
  }
  SourceModel chain;
  chain.layout = "chain";
  for (Module& m : modules) {
    chain.chain.push_back({m.candidate.layout, m.candidate.prefix, m.model.layers.size()});
    for (SourceLayer& layer : m.model.layers) chain.layers.push_back(std::move(layer));
    for (const std::string& a : m.model.assumptions) {
      if (std::find(chain.assumptions.begin(), chain.assumptions.end(), a) == chain.assumptions.end()) {
        chain.assumptions.push_back(a);
      }
    }
  }
  // Only the last module's output reaches the head (a concat cell's tanh(h') option).
  chain.head_reads_tanh = modules.back().model.head_reads_tanh;
  // A state_dict keeps the declaration order; forward() may call the modules in
  // another, which nothing in the file shows: say which order was used.
  chain.assumptions.insert(chain.assumptions.begin(),
                           std::string(declared ? "modules chained in declaration order (the state_dict's order; "
                                                  "--chain sets another): "
                                                : "modules chained in the order --chain gave: ") + listed);
  return chain;
}

namespace {

class ChainReference : public SourceReference {
 public:
  ChainReference(const SourceModel& model, const TensorMap& tensors) : model_(model), linear_(tensors) {
    std::size_t first = 0;
    for (const ChainedModule& m : model.chain) {
      // Each family's reference reads the model it was given by reference: keep it alive here.
      auto part = std::make_unique<SourceModel>();
      part->layout = m.layout;
      part->prefix = m.prefix;
      part->layers.assign(model.layers.begin() + static_cast<std::ptrdiff_t>(first),
                          model.layers.begin() + static_cast<std::ptrdiff_t>(first + m.layers));
      part->input_size = input_width(part->layers.front());
      first += m.layers;
      references_.push_back(find_layout_family(m.layout)->reference(*part, tensors));
      parts_.push_back(std::move(part));
    }
    first_after_chain_ = first;
  }

  // The chained modules, each by its family's reference, then the layers after
  // them (the head, activations a user stated) as LayoutReference runs them.
  std::vector<double> step(const std::vector<double>& input) override {
    std::vector<double> x = input;
    for (auto& reference : references_) x = reference->step(x);
    for (std::size_t k = first_after_chain_; k < model_.layers.size(); ++k) {
      const SourceLayer& layer = model_.layers[k];
      if (const auto* activation = std::get_if<ActivationSpec>(&layer.layer)) {
        x = layouts::activate(activation->activation, x);
      } else if (const auto* dense = std::get_if<SourceDense>(&layer.layer)) {
        x = layouts::activate(dense->activation, linear_(dense->weight.tensor, layouts::tensor_of(dense->bias), x));
      }
    }
    return x;
  }

  // The modules' states one after another: the layer order of the whole model.
  std::vector<double> state() const override {
    std::vector<double> all;
    for (const auto& reference : references_) {
      const std::vector<double> part = reference->state();
      all.insert(all.end(), part.begin(), part.end());
    }
    return all;
  }

  void set_state(const std::vector<double>& state) override {
    std::size_t at = 0;
    for (auto& reference : references_) {
      const std::size_t size = reference->state().size();
      reference->set_state({state.begin() + static_cast<std::ptrdiff_t>(at),
                            state.begin() + static_cast<std::ptrdiff_t>(at + size)});
      at += size;
    }
  }

 private:
  const SourceModel& model_;
  layouts::Linear linear_;
  std::vector<std::unique_ptr<SourceModel>> parts_;  // before references_: outlives them
  std::vector<std::unique_ptr<SourceReference>> references_;
  std::size_t first_after_chain_ = 0;  // the first layer of the model after the chained modules
};

}  // namespace

std::unique_ptr<SourceReference> chain_reference(const SourceModel& model, const TensorMap& tensors) {
  return std::make_unique<ChainReference>(model, tensors);
}

}  // namespace grurt::convert
