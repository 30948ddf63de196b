#include "torch_modules.hpp"

#include "tensor_shapes.hpp"

namespace grurt::convert::layouts {
namespace {

TorchCell classify(const TensorMap& tensors, const std::string& weight_ih, const std::string& weight_hh) {
  const auto hh = tensors.find(weight_hh);
  if (hh != tensors.end() && hh->second.shape.size() == 2 && hh->second.shape[1] > 0) {
    const std::int64_t rows = hh->second.shape[0], H = hh->second.shape[1];
    if (rows == H) return TorchCell::kRnn;
    if (rows == 3 * H) return TorchCell::kGru;
    if (rows == 4 * H) return TorchCell::kLstm;
  }
  const auto ih = tensors.find(weight_ih);
  const bool three_gates = ih != tensors.end() && !ih->second.shape.empty() && ih->second.shape[0] % 3 == 0;
  return three_gates ? TorchCell::kGru : TorchCell::kRnn;
}

}  // namespace

std::vector<TorchModule> find_torch_modules(const TensorMap& tensors) {
  std::vector<TorchModule> modules;
  for (const auto& entry : tensors) {
    const std::string& name = entry.first;
    if (ends_with(name, "weight_ih_l0")) {
      const std::string p = name.substr(0, name.size() - 12);
      modules.push_back({p, true, classify(tensors, name, p + "weight_hh_l0")});
    }
    if (ends_with(name, "weight_ih")) {
      const std::string p = name.substr(0, name.size() - 9);
      if (tensors.count(p + "weight_hh")) modules.push_back({p, false, classify(tensors, name, p + "weight_hh")});
    }
  }
  return modules;
}

}  // namespace grurt::convert::layouts
