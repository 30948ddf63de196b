// The LSTM gate fields in the file (schema LstmLayer gate_activation,
// hard_sigmoid_slope, hard_sigmoid_offset): absent for a sigmoid LSTM (old
// files and new ones of default LSTMs stay byte-identical), read back into
// LayerView, and every value the runtime cannot run refused with the field's
// name, as the GRU's are.
#include <catch2/catch.hpp>
#include <random>

#include "grurt/grurt_generated.h"
#include "grurt_convert/model_writer.hpp"
#include "support/gate_checks.hpp"
#include "support/load_result.hpp"
#include "support/random_models.hpp"
#include "support/stored_fields.hpp"

using namespace grurt;
using namespace grurt::test;

namespace {

LstmSpec small_lstm() {
  std::mt19937 rng(4);
  return random_lstm(rng, 2, 5, LstmOptions{true, true, 3});
}

CanonicalModel lstm_model(const LstmSpec& lstm) { return stacked_model(2, {{"", lstm}}); }

}  // namespace

TEST_CASE("LSTM gates: a sigmoid LSTM stores none of the gate fields and loads as sigmoid", "[lstm][load]") {
  const auto bytes = convert::write_model(lstm_model(small_lstm()));
  const fb::LstmLayer& lstm = first_layer_table<fb::LstmLayer>(bytes);
  require_no_gate_fields(lstm);
  REQUIRE(stored(lstm, fb::LstmLayer::VT_PEEPHOLE));  // ... while a field that is given is written
  const LoadResult loaded = load_bytes(bytes);
  REQUIRE(loaded.status == Status::kOk);
  REQUIRE(loaded.first_layer.gate_activation == GateActivation::kSigmoid);
}

TEST_CASE("LSTM gates: hard_sigmoid gates are stored and read back", "[lstm][load]") {
  LstmSpec lstm = small_lstm();
  lstm.gate_activation = GateActivation::kHardSigmoid;
  lstm.hard_sigmoid_slope = 1.0f / 6.0f;
  lstm.hard_sigmoid_offset = 0.25f;
  const auto bytes = convert::write_model(lstm_model(lstm));
  REQUIRE(first_layer_table<fb::LstmLayer>(bytes).gate_activation() == fb::GateActivation::HardSigmoid);
  REQUIRE(first_layer_table<fb::LstmLayer>(bytes).hard_sigmoid_slope() == 1.0f / 6.0f);
  REQUIRE(first_layer_table<fb::LstmLayer>(bytes).hard_sigmoid_offset() == 0.25f);
  const LoadResult loaded = load_bytes(bytes);
  require_hard_gates_loaded(loaded, 1.0f / 6.0f, 0.25f);
  REQUIRE(loaded.first_layer.kind == LayerKind::kLstm);

  // Keras 2's slope 0.2 and offset 0.5 equal the schema defaults: absent in the file, still read.
  lstm.hard_sigmoid_slope = 0.2f;
  lstm.hard_sigmoid_offset = 0.5f;
  const auto keras2_bytes = convert::write_model(lstm_model(lstm));
  REQUIRE_FALSE(stored(first_layer_table<fb::LstmLayer>(keras2_bytes), fb::LstmLayer::VT_HARD_SIGMOID_SLOPE));
  require_hard_gates_loaded(load_bytes(keras2_bytes), 0.2f, 0.5f);
}

TEST_CASE("LSTM gates: unknown gate activations and bad hard_sigmoid parameters are refused by name", "[lstm][load]") {
  require_gate_fields_refused(small_lstm(), "lstm", lstm_model);
}
