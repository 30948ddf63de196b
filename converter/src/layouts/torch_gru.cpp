// torch.nn.GRU (any num_layers, bias on or off) and torch.nn.GRUCell.
#include "families.hpp"
#include "grurt_convert/conversion_error.hpp"
#include "stacked_gates.hpp"
#include "torch_modules.hpp"

namespace grurt::convert::layouts {
namespace {

std::vector<LayoutCandidate> find(const TensorMap& tensors) {
  std::vector<LayoutCandidate> found;
  for (const TorchModule& m : find_torch_modules(tensors)) {
    if (m.cell == TorchCell::kGru) found.push_back({m.stacked ? "gru" : "grucell", m.prefix, ""});
  }
  return found;
}

SourceModel build(const TensorMap& tensors, const LayoutCandidate& c, const RecognitionOptions&) {
  const std::string& p = c.prefix;
  const TensorShapes shapes(tensors);
  SourceModel model;
  if (c.layout == "gru") {
    if (shapes.has(p + "weight_ih_l0_reverse")) {
      throw ConversionError("'" + p + "' is a bidirectional nn.GRU; streaming runs forward only, so it cannot be converted");
    }
    model.layers = stacked_gate_layers(shapes, [&p](std::uint32_t k) {
      const std::string s = "_l" + std::to_string(k);
      return std::array<std::string, 4>{p + "weight_ih" + s, p + "weight_hh" + s, p + "bias_ih" + s, p + "bias_hh" + s};
    }, false);
  } else {
    model.layers = stacked_gate_layers(shapes, [&p](std::uint32_t) {
      return std::array<std::string, 4>{p + "weight_ih", p + "weight_hh", p + "bias_ih", p + "bias_hh"};
    }, true);
  }
  return model;
}

}  // namespace

LayoutFamily torch_gru() {
  return {{{"gru", "torch.nn.GRU: {p}weight_ih_l{k} [3H, I], weight_hh_l{k} [3H, H], bias_ih_l{k}, bias_hh_l{k}"},
           {"grucell", "torch.nn.GRUCell: {p}weight_ih [3H, I], weight_hh [3H, H], bias_ih, bias_hh"}},
          find, build, stacked_gate_reference};
}

}  // namespace grurt::convert::layouts
