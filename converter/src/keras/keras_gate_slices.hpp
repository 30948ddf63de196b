// Keras's recurrent weight layout, shared by the Keras readers and RTNeural
// JSON (RTNeural's exporter writes Keras's arrays as they are): kernel
// [inputs, gates*units] and recurrent kernel [units, gates*units] with one
// column block per gate, a GRU's in the order z, r, h and an LSTM's i, f, c, o;
// a GRU's bias [2, 3*units] (input row, recurrent row) when reset_after, else
// [3*units]; an LSTM's bias [4*units]. The slices cut each gate into grurt's order.
#pragma once

#include <cstdint>
#include <string>

#include "grurt_convert/source_model.hpp"

namespace grurt::convert::keras_layout {

// Fills gru.w, r, bias_w, bias_r (no biases when `bias` is ""); reads gru.reset_after.
void gru_slices(const std::string& kernel, const std::string& recurrent, const std::string& bias, std::uint32_t inputs,
                std::uint32_t units, SourceGru& gru);

// Fills lstm.w, r, bias_w (no biases when `bias` is "").
void lstm_slices(const std::string& kernel, const std::string& recurrent, const std::string& bias,
                 std::uint32_t inputs, std::uint32_t units, SourceLstm& lstm);

}  // namespace grurt::convert::keras_layout
