// State_dict-like tensor maps with uniform random values, for converter tests
// that need a file's names and shapes rather than a trained model.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "grurt_convert/tensor_map.hpp"

namespace grurt::test {

// tensors[name] = a float tensor of `shape`, values uniform in [-0.5, 0.5]
// from `seed` and the number of tensors already in the map (so each differs).
inline void add_random_tensor(convert::TensorMap& tensors, const std::string& name, std::vector<std::int64_t> shape,
                              unsigned seed = 1) {
  convert::SourceTensor t;
  t.shape = std::move(shape);
  t.dtype = "F32";
  std::mt19937 rng(seed + static_cast<unsigned>(tensors.size()));
  std::uniform_real_distribution<float> uniform(-0.5f, 0.5f);
  t.values.resize(static_cast<std::size_t>(t.numel()));
  for (float& v : t.values) v = uniform(rng);
  tensors[name] = t;
}

// The tensors of PyTorch's nn.RNN (gates 1), nn.GRU (3) or nn.LSTM (4) with
// `layers` layers under `prefix`: weight_ih_lK, weight_hh_lK and, with bias,
// bias_ih_lK, bias_hh_lK.
inline convert::TensorMap torch_recurrent_tensors(const std::string& prefix, std::int64_t I, std::int64_t H,
                                                  int layers, bool bias, int gates, unsigned seed = 1) {
  convert::TensorMap t;
  for (int k = 0; k < layers; ++k) {
    const std::string s = "_l" + std::to_string(k);
    add_random_tensor(t, prefix + "weight_ih" + s, {gates * H, k == 0 ? I : H}, seed);
    add_random_tensor(t, prefix + "weight_hh" + s, {gates * H, H}, seed);
    if (bias) {
      add_random_tensor(t, prefix + "bias_ih" + s, {gates * H}, seed);
      add_random_tensor(t, prefix + "bias_hh" + s, {gates * H}, seed);
    }
  }
  return t;
}

}  // namespace grurt::test
