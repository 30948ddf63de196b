// The chunked-cell stack (seeds/000): rnn_cell_list.{l}.input = Linear(I, 3H),
// .hidden = Linear(H, 3H), outputs chunked into (reset, update, new).
#include "families.hpp"
#include "stacked_gates.hpp"

namespace grurt::convert::layouts {
namespace {

const std::string kFirst = "rnn_cell_list.0.input.weight";

std::vector<LayoutCandidate> find(const TensorMap& tensors) {
  std::vector<LayoutCandidate> found;
  for (const auto& entry : tensors) {
    const std::string& name = entry.first;
    if (ends_with(name, kFirst)) found.push_back({"chunked-cell", name.substr(0, name.size() - kFirst.size()), ""});
  }
  return found;
}

SourceModel build(const TensorMap& tensors, const LayoutCandidate& c, const RecognitionOptions&) {
  const std::string& p = c.prefix;
  SourceModel model;
  model.layers = stacked_gate_layers(TensorShapes(tensors), [&p](std::uint32_t k) {
    const std::string cell = p + "rnn_cell_list." + std::to_string(k) + ".";
    return std::array<std::string, 4>{cell + "input.weight", cell + "hidden.weight", cell + "input.bias",
                                      cell + "hidden.bias"};
  }, false);
  return model;
}

}  // namespace

LayoutFamily chunked_cell() {
  return {{{"chunked-cell", "{p}rnn_cell_list.{l}.input.weight [3H, I], .hidden.weight [3H, H] (+ .bias)"}},
          find, build, stacked_gate_reference};
}

}  // namespace grurt::convert::layouts
