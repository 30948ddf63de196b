// Fuzz target: mapping files (JSON), checked against a fixed set of tensors
// that holds every tensor the committed example mappings name, then converted.
// Any text must give a model or a ConversionError.
#include <cstdint>
#include <string>

#include "convert_pipeline.hpp"
#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/mapping_file.hpp"

namespace {

using grurt::convert::SourceTensor;
using grurt::convert::TensorMap;

SourceTensor tensor(std::int64_t rows, std::int64_t cols = 0) {
  SourceTensor t;
  t.shape = cols == 0 ? std::vector<std::int64_t>{rows} : std::vector<std::int64_t>{rows, cols};
  t.dtype = "F32";
  t.values.resize(static_cast<std::size_t>(t.numel()));
  for (std::size_t i = 0; i < t.values.size(); ++i) t.values[i] = 0.01f * static_cast<float>(i % 37) - 0.18f;
  return t;
}

// The tensors of tests/fixtures/convert/mappings/*.json (same names and shapes).
const TensorMap& known_tensors() {
  static const TensorMap tensors = [] {
    TensorMap map;
    map["rnn_cell_list.0.input.weight"] = tensor(24, 1);  // chunked cell, I=1, H=8
    map["rnn_cell_list.0.hidden.weight"] = tensor(24, 8);
    map["rnn_cell_list.0.input.bias"] = tensor(24);
    map["rnn_cell_list.0.hidden.bias"] = tensor(24);
    for (const char* gate : {"reset_gate", "update_gate", "hidden_transform"}) {  // concat cell, I=3, H=12
      map[std::string("gru.") + gate + ".weight"] = tensor(12, 15);
      map[std::string("gru.") + gate + ".bias"] = tensor(12);
    }
    for (const char* w : {"linear_reset_w1", "linear_reset_w2", "linear_gate_w3"}) {  // per-gate cell, I=2, H=6
      map[std::string("cell.") + w + ".weight"] = tensor(6, 2);
      map[std::string("cell.") + w + ".bias"] = tensor(6);
    }
    for (const char* r : {"linear_reset_r1", "linear_reset_r2", "linear_gate_r3"}) {
      map[std::string("cell.") + r + ".weight"] = tensor(6, 6);
      map[std::string("cell.") + r + ".bias"] = tensor(6);
    }
    map["encoder.rnn.weight_ih_l0"] = tensor(8, 3);  // nn.RNN, I=3, H=8 (its fc.weight [2, 8] clashes with the concat cell's)
    map["encoder.rnn.weight_hh_l0"] = tensor(8, 8);
    map["encoder.rnn.bias_ih_l0"] = tensor(8);
    map["encoder.rnn.bias_hh_l0"] = tensor(8);
    map["cell.weight_ih"] = tensor(4, 2);  // nn.RNNCell, I=2, H=4, relu
    map["cell.weight_hh"] = tensor(4, 4);
    map["cell.bias_ih"] = tensor(4);
    map["cell.bias_hh"] = tensor(4);
    map["classifier.weight"] = tensor(2, 4);
    map["classifier.bias"] = tensor(2);
    map["fc.weight"] = tensor(5, 12);
    map["fc.bias"] = tensor(5);
    map["head.weight"] = tensor(3, 6);
    map["head.bias"] = tensor(3);
    map["steps"] = SourceTensor{{1}, "I64", false, {}};  // an integer tensor, as real files have
    return map;
  }();
  return tensors;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    grurt::fuzz::convert_source(grurt::convert::read_mapping(text, known_tensors()), known_tensors());
  } catch (const grurt::convert::ConversionError&) {
  }
  return 0;
}
