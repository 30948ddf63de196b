// Whole models with int8 weight matrices (grurt-convert --weights int8): every
// layer kind passes its products' work buffer and row scales correctly (the
// reset-before GRU's split R, an LSTM's projection), on every ISA; run()
// equals step(); the arena grows only by the products' work. Against an f32
// file of the dequantized weights, the only difference left is the per-step
// 8-bit quantization of each product's input.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <type_traits>

#include "grurt_convert/int8_quantization.hpp"
#include "grurt_convert/model_writer.hpp"
#include "support/random_models.hpp"

using namespace grurt;
using namespace grurt::test;

namespace {

// Every weight matrix replaced by q * scale, its int8 form's values.
void dequantize(std::vector<float>& values, std::size_t rows) {
  if (values.empty()) return;
  const auto cols = static_cast<std::uint32_t>(values.size() / rows);
  const convert::QuantizedRows q = convert::quantize_rows(values, static_cast<std::uint32_t>(rows), cols);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>(q.q[i]) * q.scales[i / cols];
}

CanonicalModel with_dequantized_matrices(CanonicalModel model) {
  for (convert::LayerSpec& spec : model.layers) {
    std::visit(
        [&](auto& layer) {
          using Kind = std::decay_t<decltype(layer)>;
          if constexpr (std::is_same_v<Kind, DenseSpec>) dequantize(layer.weight, layer.output_size);
          if constexpr (std::is_same_v<Kind, GruSpec>) {
            dequantize(layer.w, 3u * layer.hidden_size);
            dequantize(layer.r, 3u * layer.hidden_size);
          }
          if constexpr (std::is_same_v<Kind, RnnSpec>) {
            dequantize(layer.w, layer.hidden_size);
            dequantize(layer.r, layer.hidden_size);
          }
          if constexpr (std::is_same_v<Kind, LstmSpec>) {
            dequantize(layer.w, 4u * layer.hidden_size);
            dequantize(layer.r, 4u * layer.hidden_size);
            dequantize(layer.projection, layer.projection_size);
          }
        },
        spec.layer);
  }
  return model;
}

}  // namespace

TEST_CASE("A model with int8 weights runs every layer kind on every ISA, close to its dequantized f32 twin",
          "[int8]") {
  std::vector<Isa> isas = isas_to_test();
  std::mt19937 rng(801);
  CanonicalModel model = every_matrix_kind(801);
  const CanonicalModel twin = with_dequantized_matrices(model);
  model.weight_type = ElementType::kI8;
  const auto inputs = random_values(rng, 3 * 40, 2.0f);
  for (Isa isa : isas) {
    INFO(isa_name(isa));
    auto int8 = load_model(model, isa);
    auto f32 = load_model(twin, isa);
    REQUIRE(int8->model.layer(0).weight.type == ElementType::kI8);
    REQUIRE(int8->model.layer(4).weight.type == ElementType::kI8);
    // The arena adds only the largest product's work: one input of 33
    // quantized to bytes, padded to a 64-byte line (16 floats).
    REQUIRE(int8->model.arena_bytes() == f32->model.arena_bytes() + 64);
    const auto expected = run_steps(f32->session, inputs, 3, 2);
    const auto got = run_steps(int8->session, inputs, 3, 2);
    // Each product's input is rounded to 8 bits (a relative error up to
    // 1/254 of its largest element), so over five layers and 40 steps the
    // outputs stray from the twin's by about 1.2e-3 (measured: see the WARN);
    // a wrong row scale or work buffer shows as errors of order 0.1 to 1.
    double largest = 0.0;
    for (std::size_t i = 0; i < got.size(); ++i) largest = std::max(largest, std::fabs(double{got[i]} - expected[i]));
    WARN(isa_name(isa) << ": int8 model vs dequantized f32 twin, largest output difference " << largest);
    REQUIRE(largest < 0.01);
    require_run_equals_steps(model, isa, inputs, 40, std::string(isa_name(isa)) + " int8 run()");
  }
}
