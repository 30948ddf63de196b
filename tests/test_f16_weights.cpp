// f16 weight matrices (grurt-convert --weights f16): the converter's rounding
// against numpy, the f16 matrix kernels of every ISA against double, and whole
// models whose f16 file runs exactly as an f32 file of the same values. (The
// widening of every half is checked in test_tensor_map.cpp.)
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <type_traits>

#include "grurt_convert/half_precision.hpp"
#include "grurt_convert/model_writer.hpp"
#include "kernels/kernel_table.hpp"
#include "support/kernel_buffers.hpp"
#include "support/random_models.hpp"

using namespace grurt;
using namespace grurt::test;
using grurt::kernels::Half;
using grurt::kernels::KernelTable;

namespace {

constexpr int kF16 = static_cast<int>(ElementType::kF16);

// A half's value from IEEE 754's definition, in double: (-1)^s 2^(e-15)
// (1 + m/1024) for a normal half, (-1)^s 2^-14 (m/1024) for a subnormal one.
double half_value(std::uint16_t half) {
  const int sign = (half >> 15) != 0 ? -1 : 1;
  const int exponent = (half >> 10) & 0x1f;
  const int mantissa = half & 0x3ff;
  if (exponent == 0x1f) return mantissa == 0 ? sign * INFINITY : NAN;
  if (exponent == 0) return sign * std::ldexp(mantissa / 1024.0, -14);
  return sign * std::ldexp(1.0 + mantissa / 1024.0, exponent - 15);
}

float float_from_bits(std::uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

// The model with every weight matrix rounded to its nearest half's value:
// what an f16 file of `model` holds, as f32.
CanonicalModel with_half_valued_matrices(CanonicalModel model) {
  auto round = [](std::vector<float>& values) {
    for (float& v : values) v = static_cast<float>(half_value(convert::float_to_half(v)));
  };
  for (convert::LayerSpec& spec : model.layers) {
    std::visit(
        [&](auto& layer) {
          using Kind = std::decay_t<decltype(layer)>;
          if constexpr (std::is_same_v<Kind, DenseSpec>) round(layer.weight);
          if constexpr (std::is_same_v<Kind, GruSpec> || std::is_same_v<Kind, RnnSpec> ||
                        std::is_same_v<Kind, LstmSpec>) {
            round(layer.w);
            round(layer.r);
          }
          if constexpr (std::is_same_v<Kind, LstmSpec>) round(layer.projection);
        },
        spec.layer);
  }
  return model;
}

}  // namespace

TEST_CASE("Rounding to f16 matches numpy's astype(float16) on ties, subnormals and overflow", "[f16]") {
  std::ifstream file(GRURT_F16_FIXTURES "/float_to_half.csv");
  REQUIRE(file.good());
  std::string line;
  int checked = 0;
  while (std::getline(file, line)) {
    if (line.empty() || line[0] == '#') continue;
    unsigned float_bits = 0, half_bits = 0;
    REQUIRE(std::sscanf(line.c_str(), "%x,%x", &float_bits, &half_bits) == 2);
    const float value = float_from_bits(float_bits);
    INFO(line << " (" << value << ")");
    REQUIRE(convert::float_to_half(value) == half_bits);
    ++checked;
  }
  REQUIRE(checked > 2000);
}

TEST_CASE("f16 products on every ISA equal the double-precision product of the widened weights", "[f16][kernels]") {
  std::vector<Isa> isas = isas_to_test();
  const KernelTable& scalar = kernels::scalar_kernels();
  for (Isa isa : isas) {
    const KernelTable& table = *kernels::kernels_for(isa);
    for (std::uint32_t panels : {1u, 2u, 3u, 5u, 9u}) {
      for (std::uint32_t cols : {1u, 2u, 3u, 7u, 8u, 15u, 16u, 17u, 33u, 100u}) {
        std::mt19937 rng(panels * 1000 + cols);
        const std::size_t rows = std::size_t{panels} * 16;
        PanelPadded<Half> w(rows * cols);
        constexpr std::uint32_t kSteps = kernels::kMaxGemmSteps;
        Floats x(kSteps * cols), bias(rows), y(rows), y_scalar(rows), y_steps(kSteps * rows);
        std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
        for (std::size_t i = 0; i < w.size; ++i) w.data()[i] = convert::float_to_half(uniform(rng));
        fill(rng, x.data(), kSteps * cols, 1.0f);
        fill(rng, bias.data(), rows, 1.0f);
        std::ostringstream context;
        context << isa_name(isa) << " f16 panels=" << panels << " cols=" << cols;
        table.matrix[kF16].gemv(w.data(), nullptr, panels, panels * kPanelRows, cols, x.data(), bias.data(), y.data(),
                                nullptr);
        // Against double: row p*16 + j, column k at (p * cols + k) * 16 + j.
        for (std::size_t row = 0; row < rows; ++row) {
          const std::size_t p = row / 16, j = row % 16;
          double sum = bias.data()[row], magnitude = std::fabs(sum);
          for (std::size_t k = 0; k < cols; ++k) {
            const double term = half_value(w.data()[(p * cols + k) * 16 + j]) * x.data()[k];
            sum += term;
            magnitude += std::fabs(term);
          }
          // Float32 accumulation: a few roundings of the terms' magnitude.
          const double limit = 4.0 * (cols + 1) * 0x1p-24 * magnitude;
          if (!(std::fabs(y.data()[row] - sum) <= limit)) {
            FAIL(context.str() << ": row " << row << ": " << y.data()[row] << " vs double " << sum);
          }
        }
        scalar.matrix[kF16].gemv(w.data(), nullptr, panels, panels * kPanelRows, cols, x.data(), bias.data(),
                                 y_scalar.data(), nullptr);
        require_near(y.data(), y_scalar.data(), rows, 2e-6 * std::sqrt(static_cast<double>(cols)), context.str());
        // gemm: each step exactly as gemv computes it.
        for (std::uint32_t steps = 1; steps <= kernels::kMaxGemmSteps; ++steps) {
          table.matrix[kF16].gemm(w.data(), nullptr, panels, cols, x.data(), cols, steps, bias.data(),
                                  y_steps.data(), static_cast<std::uint32_t>(rows), nullptr);
          for (std::uint32_t t = 0; t < steps; ++t) {
            table.matrix[kF16].gemv(w.data(), nullptr, panels, panels * kPanelRows, cols, x.data() + t * cols,
                                    bias.data(), y.data(), nullptr);
            for (std::size_t row = 0; row < rows; ++row) {
              if (y_steps.data()[t * rows + row] != y.data()[row]) {
                FAIL(context.str() << ": gemm of " << steps << " steps, step " << t << " row " << row << ": "
                                   << y_steps.data()[t * rows + row] << " vs gemv " << y.data()[row]);
              }
            }
          }
        }
      }
    }
  }
}

TEST_CASE("A model with f16 weights runs bit for bit as f32 weights of the same values, on every ISA", "[f16]") {
  std::vector<Isa> isas = isas_to_test();
  std::mt19937 rng(1601);
  CanonicalModel model = every_matrix_kind(1601);
  const CanonicalModel same_values = with_half_valued_matrices(model);
  model.weight_type = ElementType::kF16;
  const auto f16_bytes = convert::write_model(model);
  const auto f32_bytes = convert::write_model(same_values);
  // Matrices take half the bytes; biases and states stay f32.
  REQUIRE(f16_bytes.size() < f32_bytes.size() * 3 / 4);
  const auto inputs = random_values(rng, 3 * 40, 2.0f);
  for (Isa isa : isas) {
    auto f16 = load_model(model, isa);
    auto f32 = load_model(same_values, isa);
    REQUIRE(f16->model.layer(0).weight.type == ElementType::kF16);
    REQUIRE(f16->model.layer(0).bias != nullptr);
    REQUIRE(f16->model.arena_bytes() == f32->model.arena_bytes());
    const auto expected = run_steps(f32->session, inputs, 3, 2);
    const auto got = run_steps(f16->session, inputs, 3, 2);
    INFO(isa_name(isa));
    REQUIRE(got == expected);
    require_run_equals_steps(model, isa, inputs, 40, std::string(isa_name(isa)) + " f16 run()");
  }
}

TEST_CASE("A weight beyond f16's range is refused before writing, naming where it is", "[f16]") {
  std::mt19937 rng(7);
  CanonicalModel model = single_layer_model(random_gru(rng, 2, 3, true));
  auto& gru = std::get<GruSpec>(model.layers[0].layer);
  gru.r[1 * 3 + 2] = -70000.0f;  // row 1, column 2
  gru.bias_w[0] = 1e6f;          // a bias: stays f32, so allowed
  REQUIRE(convert::find_inconsistencies(model).empty());
  model.weight_type = ElementType::kF16;
  REQUIRE(convert::find_inconsistencies(model) ==
          "layer 0 (gru): R row 1 column 2 is -70000: outside f16's range (|w| < 65520 rounds to a finite half); "
          "keep this model in f32 (--weights f32)\n");
  gru.r[1 * 3 + 2] = 65519.0f;  // rounds to 65504, the largest half
  REQUIRE(convert::find_inconsistencies(model).empty());
}
