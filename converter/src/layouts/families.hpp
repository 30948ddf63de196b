// The layout families, one per file in this folder; registry.cpp lists them.
#pragma once

#include "grurt_convert/layout_registry.hpp"

namespace grurt::convert::layouts {

LayoutFamily torch_gru();      // torch_gru.cpp: nn.GRU, nn.GRUCell
LayoutFamily chunked_cell();   // chunked_cell.cpp: seeds/000
LayoutFamily concat_cell();    // concat_cell.cpp: seeds/002 GRUCell
LayoutFamily per_gate_cell();  // per_gate_cell.cpp: seeds/002 GRU_cell_AI_SUMMER
LayoutFamily torch_rnn();      // torch_rnn.cpp: nn.RNN, nn.RNNCell
LayoutFamily torch_lstm();     // torch_lstm.cpp: nn.LSTM (incl. proj_size), nn.LSTMCell

}  // namespace grurt::convert::layouts
