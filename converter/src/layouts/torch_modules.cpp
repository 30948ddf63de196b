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
  // weight_hh missing or misshapen: weight_ih's rows [G*H, I] guess G so that
  // the family reports what is wrong (a multiple of 3 first, as before LSTMs).
  const auto ih = tensors.find(weight_ih);
  const std::int64_t rows = ih != tensors.end() && !ih->second.shape.empty() ? ih->second.shape[0] : 1;
  if (rows % 3 == 0) return TorchCell::kGru;
  return rows % 4 == 0 ? TorchCell::kLstm : TorchCell::kRnn;
}

}  // namespace

std::vector<TorchModule> find_torch_modules(const TensorMap& tensors) {
  std::vector<TorchModule> modules;
  for (const auto& entry : tensors) {
    const std::string& name = entry.first;
    if (ends_with(name, "weight_ih_l0")) {
      const std::string p = name.substr(0, name.size() - 12);
      // Only an nn.LSTM has weight_hr (proj_size); its weight_hh is then [4H, P], not square in H.
      const TorchCell cell = tensors.count(p + "weight_hr_l0") ? TorchCell::kLstm : classify(tensors, name, p + "weight_hh_l0");
      modules.push_back({p, true, cell});
    }
    if (ends_with(name, "weight_ih")) {
      const std::string p = name.substr(0, name.size() - 9);
      if (tensors.count(p + "weight_hh")) modules.push_back({p, false, classify(tensors, name, p + "weight_hh")});
    }
  }
  return modules;
}

}  // namespace grurt::convert::layouts
