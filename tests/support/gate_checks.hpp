// Checks every layer kind with a gate activation (GRU r, z; LSTM i, f, o)
// shares, so each kind's tests run the same ones.
#pragma once

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "grurt/grurt.hpp"
#include "grurt_convert/model_writer.hpp"
#include "support/load_result.hpp"
#include "support/stored_fields.hpp"

namespace grurt::test {

// Pre-activations across hard_sigmoid's clip points (-2.5 and 2.5 for Keras
// 2's slope), far beyond them, and NaN; and Keras 2's clip(0.2 x + 0.5, 0, 1)
// of each, worked by hand.
constexpr int kHardSigmoidCases = 16;
inline const float kHardSigmoidInputs[kHardSigmoidCases] = {
    -100.0f, -2.5f, -2.0f, -1.0f, 0.0f,  1.0f,  2.0f,  2.5f, 100.0f,
    -3.0f,   3.0f,  0.5f,  -0.5f, 1e30f, -1e30f, std::numeric_limits<float>::quiet_NaN()};
inline const double kKeras2HardSigmoid[kHardSigmoidCases] = {0, 0, 0.1, 0.3, 0.5, 0.7, 0.9, 1,
                                                             1, 0, 1,   0.6, 0.4, 1,   0, NAN};

// gates[i] is Keras 2's hard_sigmoid of kHardSigmoidInputs[i] (NaN passes through).
inline void require_keras2_hard_sigmoid(const float* gates, const char* isa) {
  for (int i = 0; i < kHardSigmoidCases; ++i) {
    INFO(isa << " hard_sigmoid(" << kHardSigmoidInputs[i] << ") = " << gates[i]);
    if (std::isnan(kKeras2HardSigmoid[i])) {
      REQUIRE(std::isnan(gates[i]));
    } else {
      REQUIRE(gates[i] == Approx(kKeras2HardSigmoid[i]).margin(1e-7));
    }
  }
}

// The gate fields the runtime cannot run are refused by name at load, and by
// the writer: an unknown gate_activation, a hard_sigmoid slope that is not
// finite and above 0, an offset that is not finite. With sigmoid gates the
// slope and offset are neither written nor read. `model_of(layer)` is a
// model whose layer 0 is `layer`, of kind `kind` ("gru", "lstm").
template <class Spec, class ModelOf>
void require_gate_fields_refused(Spec layer, const std::string& kind, ModelOf model_of) {
  auto require_refused = [&](const std::string& load_message, const char* write_message) {
    const LoadResult result = load_bytes(convert::serialize_model(model_of(layer)));
    REQUIRE(result.status == Status::kUnsupportedLayer);
    REQUIRE(result.message == "layer 0 (" + kind + "): " + load_message);
    REQUIRE_THROWS_WITH(convert::write_model(model_of(layer)), Catch::Contains(write_message));
  };
  layer.gate_activation = static_cast<GateActivation>(7);
  require_refused("gate_activation 7 is unknown; this runtime knows 0 (sigmoid) and 1 (hard_sigmoid)",
                  "gate activation must be sigmoid or hard_sigmoid");
  layer.gate_activation = GateActivation::kHardSigmoid;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  for (float slope : {0.0f, -0.2f, nan, inf}) {
    layer.hard_sigmoid_slope = slope;
    INFO(kind << " slope " << slope);
    require_refused("hard_sigmoid_slope is not allowed: it must be finite and above 0",
                    "hard_sigmoid slope must be finite and above 0");
  }
  layer.hard_sigmoid_slope = 0.2f;
  for (float offset : {nan, inf, -inf}) {
    layer.hard_sigmoid_offset = offset;
    INFO(kind << " offset " << offset);
    require_refused("hard_sigmoid_offset is not allowed: it must be finite", "hard_sigmoid offset must be finite");
  }
  layer.gate_activation = GateActivation::kSigmoid;
  REQUIRE(load_bytes(convert::serialize_model(model_of(layer))).status == Status::kOk);
}

// A sigmoid layer's table (fb::GruLayer, fb::LstmLayer) stores none of the
// gate fields: the file is what a writer without the fields wrote.
template <class Table>
void require_no_gate_fields(const Table& table) {
  REQUIRE_FALSE(stored(table, Table::VT_GATE_ACTIVATION));
  REQUIRE_FALSE(stored(table, Table::VT_HARD_SIGMOID_SLOPE));
  REQUIRE_FALSE(stored(table, Table::VT_HARD_SIGMOID_OFFSET));
}

// The model loaded, and its layer 0 has hard_sigmoid gates with this slope and offset.
inline void require_hard_gates_loaded(const LoadResult& loaded, float slope, float offset) {
  REQUIRE(loaded.status == Status::kOk);
  REQUIRE(loaded.first_layer.gate_activation == GateActivation::kHardSigmoid);
  REQUIRE(loaded.first_layer.hard_sigmoid_slope == slope);
  REQUIRE(loaded.first_layer.hard_sigmoid_offset == offset);
}

}  // namespace grurt::test
