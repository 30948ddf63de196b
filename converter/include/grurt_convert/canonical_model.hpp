// The canonical model: what every reader produces and the writer consumes.
// Plain row-major float weights, GRU gate rows in the order r, z, n, and the
// update h' = z * h + (1 - z) * n (see schema/grurt.fbs for the formulas).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "grurt/model.hpp"

namespace grurt::convert {

struct GruSpec {
  std::uint32_t input_size = 0;   // I
  std::uint32_t hidden_size = 0;  // H
  bool reset_after = true;
  std::vector<float> w;       // [3H][I]
  std::vector<float> r;       // [3H][H]
  std::vector<float> bias_w;  // [3H] or empty (zeros)
  std::vector<float> bias_r;  // [3H] or empty (zeros)
  // Variants (schema GruLayer): n's tanh may be relu; r and z's sigmoid may be
  // clip(hard_sigmoid_slope * x + hard_sigmoid_offset, 0, 1).
  Activation candidate_activation = Activation::kTanh;
  GateActivation gate_activation = GateActivation::kSigmoid;
  float hard_sigmoid_slope = 0.2f;
  float hard_sigmoid_offset = 0.5f;
  std::vector<float> initial_state;  // h [H] at init and reset, or empty (zeros)
};

// h' = activation(W x + bW + R h + bR), activation tanh or relu.
struct RnnSpec {
  std::uint32_t input_size = 0;   // I
  std::uint32_t hidden_size = 0;  // H
  Activation activation = Activation::kTanh;
  std::vector<float> w;       // [H][I]
  std::vector<float> r;       // [H][H]
  std::vector<float> bias_w;  // [H] or empty (zeros)
  std::vector<float> bias_r;  // [H] or empty (zeros)
  std::vector<float> initial_state;  // h [H] at init and reset, or empty (zeros)
};

// Gates i, f, g, o in four row blocks of H (schema/grurt.fbs LstmLayer has
// the formulas); h has P = projection_size values (H when 0), c has H.
struct LstmSpec {
  std::uint32_t input_size = 0;       // I
  std::uint32_t hidden_size = 0;      // H
  std::uint32_t projection_size = 0;  // P, 0: none
  std::vector<float> w;           // [4H][I]
  std::vector<float> r;           // [4H][P or H]
  std::vector<float> bias_w;      // [4H] or empty (zeros)
  std::vector<float> bias_r;      // [4H] or empty (zeros)
  std::vector<float> peephole;    // [3H] p_i, p_f, p_o, or empty (none)
  std::vector<float> projection;  // [P][H], empty exactly when projection_size == 0
  std::vector<float> initial_state;  // h [P or H] then c [H] at init and reset, or empty (zeros)
  // i, f and o's sigmoid may be clip(hard_sigmoid_slope * x + hard_sigmoid_offset, 0, 1).
  GateActivation gate_activation = GateActivation::kSigmoid;
  float hard_sigmoid_slope = 0.2f;
  float hard_sigmoid_offset = 0.5f;

  // What h holds and the next layer reads: P, or H without a projection.
  std::uint32_t output_size() const { return projection_size != 0 ? projection_size : hidden_size; }
};

struct DenseSpec {
  std::uint32_t input_size = 0;   // I
  std::uint32_t output_size = 0;  // O
  Activation activation = Activation::kIdentity;
  std::vector<float> weight;  // [O][I]
  std::vector<float> bias;    // [O] or empty (zeros)
};

struct ActivationSpec {
  std::uint32_t size = 0;
  Activation activation = Activation::kIdentity;
};

struct LayerSpec {
  std::string name;  // optional, stored in the file
  std::variant<GruSpec, DenseSpec, ActivationSpec, RnnSpec, LstmSpec> layer;
};

struct Metadata {
  std::string producer;
  std::string source;
  std::string description;
};

// A model-level skip connection (schema/grurt.fbs, table Skip): after the last
// layer, output[j] += source[first_channel + j] for j < output size, the source
// being the model input (the amp models' y = Linear(h) + x[0]) or layer `layer`'s output.
struct SkipSpec {
  bool from_input = true;
  std::uint32_t layer = 0;  // from_input == false: the (earlier than last) layer read
  std::uint32_t first_channel = 0;
};

// The integer path's plan (schema IntegerPlan; grurt-convert --activations
// int16, made by integer_plan.hpp): per layer and product, per stored row.
struct IntegerRowsSpec {
  std::vector<std::int32_t> bias;        // the bias in units of (row scale x input scale)
  std::vector<std::int32_t> multiplier;  // 2^30 .. 2^31 - 1
  std::vector<std::uint8_t> shift;       // 0 .. 30
};
struct IntegerLayerSpec {
  IntegerRowsSpec input;      // W x (GRU), weight x (Dense)
  IntegerRowsSpec recurrent;  // R h (GRU only)
};
struct IntegerPlanSpec {
  float input_scale = 1.0f;
  float output_scale = 1.0f;
  std::vector<IntegerLayerSpec> layers;  // one per model layer
};

struct CanonicalModel {
  std::uint32_t input_size = 0;
  std::vector<LayerSpec> layers;
  Metadata metadata;
  std::optional<SkipSpec> skip;  // none: the output is the last layer's
  // How weight matrices are stored: kF32, kF16 (IEEE half, rounded to
  // nearest even) or kI8 (symmetric per-row scales, int8_quantization.hpp);
  // biases and states stay f32. grurt-convert --weights.
  ElementType weight_type = ElementType::kF32;
  // Set (with kI8 weights): the file also carries the integer path's plan.
  std::optional<IntegerPlanSpec> integer;

  // Width of the last layer's output (input_size when there are no layers).
  std::uint32_t output_size() const;
};

}  // namespace grurt::convert
