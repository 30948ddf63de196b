// torch.nn's recurrent modules share key names: nn.GRU, nn.RNN and nn.LSTM
// all store {p}weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k}, and
// their Cell versions weight_ih, weight_hh, bias_ih, bias_hh. What tells them
// apart is weight_hh's shape [G*H, H]: G = 3 for a GRU, 1 for an RNN, 4 for an
// LSTM; an nn.LSTM with proj_size has weight_hh [4H, P] and, telling it apart,
// weight_hr_l{k}. torch_gru.cpp, torch_rnn.cpp and torch_lstm.cpp each claim
// their own kind from here.
#pragma once

#include <string>
#include <vector>

#include "grurt_convert/tensor_map.hpp"

namespace grurt::convert::layouts {

enum class TorchCell { kGru, kRnn, kLstm };

struct TorchModule {
  std::string prefix;
  bool stacked = true;  // nn.GRU / nn.RNN / nn.LSTM (..._l{k}); false: the Cell version
  TorchCell cell = TorchCell::kGru;
};

// Every torch.nn recurrent module in the tensors. When weight_hh is missing or
// its shape fits no kind, weight_ih's rows decide (a multiple of 3: a GRU,
// else of 4: an LSTM, else an RNN), so the chosen family reports the shape that is wrong.
std::vector<TorchModule> find_torch_modules(const TensorMap& tensors);

}  // namespace grurt::convert::layouts
