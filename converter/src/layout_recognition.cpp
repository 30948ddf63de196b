#include "grurt_convert/layout_recognition.hpp"

#include <set>

#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/layout_registry.hpp"
#include "layouts/tensor_shapes.hpp"
#include "module_chain.hpp"

namespace grurt::convert {
namespace {

std::string list_tensors(const TensorMap& tensors, const std::set<std::string>& skip = {}) {
  std::string text;
  int shown = 0;
  for (const auto& [name, tensor] : tensors) {
    if (skip.count(name)) continue;
    if (shown++ == 24) {
      text += "\n  ...";
      break;
    }
    text += "\n  " + name + " " + tensor.shape_text() + " " + tensor.dtype;
  }
  return text;
}

// The optional nn.Linear head reading the last hidden state.
void add_head(const layouts::TensorShapes& shapes, const TensorMap& tensors, const RecognitionOptions& options,
              std::set<std::string>& used, SourceModel& model) {
  const std::uint32_t H = output_width(model.layers.back());
  std::vector<std::string> modules;
  if (options.head != "auto" && options.head != "none") {
    modules.push_back(options.head + ".");
    shapes.matrix(options.head + ".weight", "[O, H]");
  } else if (options.head == "auto") {
    for (const auto& [name, tensor] : tensors) {
      if (!used.count(name) && layouts::ends_with(name, "weight") && tensor.shape.size() == 2 && tensor.shape[1] == H) {
        modules.push_back(name.substr(0, name.size() - 6));  // keeps the trailing '.'
      }
    }
  }
  if (model.head_reads_tanh) model.layers.push_back({"tanh", ActivationSpec{H, Activation::kTanh}});
  if (modules.empty()) return;
  if (modules.size() > 1) {
    std::string list;
    for (const auto& m : modules) list += "\n  " + m + "weight";
    throw ConversionError("several tensors could be the Linear head reading the hidden state (input width " +
                          std::to_string(H) + "):" + list + "\nchoose one with --head NAME, or --head none");
  }
  const std::string weight = modules[0] + "weight";
  const auto [O, cols] = shapes.matrix(weight, "[O, H]");
  if (cols != H) throw ConversionError("head tensor '" + weight + "' has shape " + layouts::dims({O, cols}) + ", expected [O, H] with H = " + std::to_string(H));
  SourceDense dense;
  dense.input_size = H;
  dense.output_size = O;
  dense.weight = {weight, 0, O, 0, H};
  dense.bias = shapes.optional_vector(modules[0] + "bias", O, 0, O, "[O]");
  model.head = modules[0];
  model.layers.push_back({"head", dense});
  used.insert(weight);
  if (dense.bias) used.insert(dense.bias->tensor);
}

bool has_rnn_layer(const SourceModel& model) {
  for (const SourceLayer& layer : model.layers) {
    if (std::holds_alternative<SourceRnn>(layer.layer)) return true;
  }
  return false;
}

// Several candidates that are all convertible recurrent modules:
// chained rather than ambiguous, in declaration order.
bool all_chainable(const std::vector<LayoutCandidate>& candidates) {
  for (const LayoutCandidate& c : candidates) {
    if (!c.refusal.empty()) return false;
  }
  return candidates.size() > 1;
}

}  // namespace

SourceModel recognize_layout(const TensorMap& tensors, const RecognitionOptions& options,
                             const std::vector<std::string>& order) {
  if (!options.layout.empty() && !find_layout_family(options.layout)) {
    throw ConversionError("unknown layout '" + options.layout + "'; known: " + layout_names());
  }
  std::vector<LayoutCandidate> candidates;
  for (const LayoutFamily& family : layout_registry()) {
    for (const LayoutCandidate& c : family.find(tensors)) {
      if ((options.layout.empty() || c.layout == options.layout) && (options.prefix.empty() || c.prefix == options.prefix)) {
        candidates.push_back(c);
      }
    }
  }
  if (candidates.empty()) {
    throw ConversionError("no known layout" + (options.layout.empty() ? std::string() : " '" + options.layout + "'") +
                          (options.prefix.empty() ? std::string() : " under prefix '" + options.prefix + "'") +
                          " found among the file's tensors:" + list_tensors(tensors) + "\nknown layouts: " +
                          layout_names() + "; for any other, write a mapping file (--mapping, see README)");
  }
  const bool chained = !options.chain.empty() || all_chainable(candidates);
  if (candidates.size() > 1 && !chained) {
    std::string list;
    for (const LayoutCandidate& c : candidates) list += "\n  " + c.layout + " under prefix '" + c.prefix + "'";
    throw ConversionError("ambiguous: several layouts found:" + list + "\nchoose one with --layout and/or --prefix");
  }
  const LayoutCandidate& chosen = candidates[0];
  if (!chosen.refusal.empty() && !chained) throw ConversionError(chosen.refusal);
  SourceModel model = chained ? chain_modules(tensors, candidates, options, order)
                              : find_layout_family(chosen.layout)->build(tensors, chosen, options);
  if (!chained) {
    model.layout = chosen.layout;
    model.prefix = chosen.prefix;
  }
  model.input_size = input_width(model.layers.at(0));
  const std::string label = chained ? std::string("chained modules") : "layout '" + chosen.layout + "'";
  const std::string what = chained ? std::string("the chained modules")
                                   : "the " + chosen.layout + " layout under prefix '" + chosen.prefix + "'";
  if (options.head_reads_tanh && !model.head_reads_tanh) {
    throw ConversionError("--head-input tanh applies to the concat cell only (" + label + ")");
  }
  if (options.rnn_activation && !has_rnn_layer(model)) {
    throw ConversionError("--rnn-nonlinearity applies to nn.RNN and nn.RNNCell layouts only (" + label + ")");
  }
  const std::vector<std::string> layer_tensors = used_tensors(model);
  std::set<std::string> used(layer_tensors.begin(), layer_tensors.end());
  add_head(layouts::TensorShapes(tensors), tensors, options, used, model);
  if (used.size() < tensors.size() && !options.allow_unused) {
    throw ConversionError(what + (chained ? " do" : " does") + " not use these tensors:" + list_tensors(tensors, used) +
                          "\nconverting without them could give a model that differs from yours; use --prefix, --head, "
                          "a mapping file, or --allow-unused if they really are not part of the network");
  }
  return model;
}

}  // namespace grurt::convert
