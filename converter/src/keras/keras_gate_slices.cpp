#include "keras_gate_slices.hpp"

namespace grurt::convert::keras_layout {

void gru_slices(const std::string& kernel, const std::string& recurrent, const std::string& bias, std::uint32_t inputs,
                std::uint32_t units, SourceGru& gru) {
  const std::uint32_t keras_block[3] = {1, 0, 2};  // grurt's r, z, n in Keras's z, r, h
  for (std::size_t g = 0; g < 3; ++g) {
    const std::uint32_t col = keras_block[g] * units;
    gru.w[g] = TensorSlice{kernel, 0, inputs, col, units, true};
    gru.r[g] = TensorSlice{recurrent, 0, units, col, units, true};
    if (bias.empty()) continue;
    if (gru.reset_after) {
      gru.bias_w[g] = TensorSlice{bias, 0, 1, col, units, true};
      gru.bias_r[g] = TensorSlice{bias, 1, 1, col, units, true};
    } else {
      gru.bias_w[g] = TensorSlice{bias, col, units, 0, 1, false};
    }
  }
}

void lstm_slices(const std::string& kernel, const std::string& recurrent, const std::string& bias,
                 std::uint32_t inputs, std::uint32_t units, SourceLstm& lstm) {
  for (std::uint32_t g = 0; g < 4; ++g) {  // Keras's i, f, c, o is grurt's i, f, g, o
    lstm.w[g] = TensorSlice{kernel, 0, inputs, g * units, units, true};
    lstm.r[g] = TensorSlice{recurrent, 0, units, g * units, units, true};
    if (!bias.empty()) lstm.bias_w[g] = TensorSlice{bias, g * units, units, 0, 1, false};
  }
}

}  // namespace grurt::convert::keras_layout
