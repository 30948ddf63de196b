#include "random_cell.hpp"

#include <cmath>
#include <random>
#include <stdexcept>

#include "grurt_convert/model_writer.hpp"

namespace grurt::bench {
namespace {

std::vector<float> random_floats(std::mt19937& rng, std::size_t n, float scale) {
  std::uniform_real_distribution<float> uniform(-scale, scale);
  std::vector<float> v(n);
  for (float& x : v) x = uniform(rng);
  return v;
}

grurt::convert::LayerSpec layer_spec(const CellWeights& weights) {
  if (weights.kind == CellKind::kGru) {
    grurt::convert::GruSpec gru;
    gru.input_size = weights.input_size;
    gru.hidden_size = weights.hidden_size;
    gru.w = weights.w;
    gru.r = weights.r;
    gru.bias_w = weights.bias_w;
    gru.bias_r = weights.bias_r;
    return {"gru", gru};
  }
  grurt::convert::LstmSpec lstm;  // no peephole, no projection: PyTorch's LSTMCell
  lstm.input_size = weights.input_size;
  lstm.hidden_size = weights.hidden_size;
  lstm.w = weights.w;
  lstm.r = weights.r;
  lstm.bias_w = weights.bias_w;
  lstm.bias_r = weights.bias_r;
  return {"lstm", lstm};
}

}  // namespace

const char* cell_kind_name(CellKind kind) { return kind == CellKind::kGru ? "gru" : "lstm"; }

std::uint32_t gate_count(CellKind kind) { return kind == CellKind::kGru ? 3u : 4u; }

const std::vector<CellSize>& standard_sizes(CellKind kind) {
  static const std::vector<CellSize> gru = {{1, 8}, {1, 32}, {16, 64}, {64, 128}, {128, 256}, {256, 512}};
  static const std::vector<CellSize> lstm = {{1, 8}, {1, 32}, {16, 64}, {64, 128}, {128, 256}};
  return kind == CellKind::kGru ? gru : lstm;
}

CellWeights random_cell_weights(CellKind kind, std::uint32_t input_size, std::uint32_t hidden_size) {
  std::mt19937 rng(input_size * 1000 + hidden_size);
  const float scale = 1.0f / std::sqrt(static_cast<float>(hidden_size));
  const std::size_t rows = std::size_t{gate_count(kind)} * hidden_size;
  CellWeights weights;
  weights.kind = kind;
  weights.input_size = input_size;
  weights.hidden_size = hidden_size;
  weights.w = random_floats(rng, rows * input_size, scale);
  weights.r = random_floats(rng, rows * hidden_size, scale);
  weights.bias_w = random_floats(rng, rows, scale);
  weights.bias_r = random_floats(rng, rows, scale);
  return weights;
}

namespace {

void load_spec(const grurt::convert::CanonicalModel& spec, const char* what, CellModel& loaded) {
  loaded.bytes = grurt::tools::AlignedBytes(grurt::convert::write_model(spec));
  if (loaded.model.load(loaded.bytes.data(), loaded.bytes.size()) != grurt::Status::kOk) {
    throw std::runtime_error(std::string("grurt: ") + what + " model: " + loaded.model.error());
  }
}

}  // namespace

void load_cell_model(const CellWeights& weights, grurt::ElementType type, CellModel& loaded) {
  grurt::convert::CanonicalModel spec;
  spec.input_size = weights.input_size;
  spec.weight_type = type;
  spec.layers = {layer_spec(weights)};
  load_spec(spec, cell_kind_name(weights.kind), loaded);
}

AmpWeights random_amp_weights() {
  AmpWeights amp;
  amp.first = random_cell_weights(CellKind::kGru, 1, 64);
  amp.second = random_cell_weights(CellKind::kGru, 64, 64);
  std::mt19937 rng(4242);
  amp.dense_w = random_floats(rng, 64, 0.125f);
  amp.dense_b = 0.01f;
  return amp;
}

void load_amp_model(const AmpWeights& weights, CellModel& loaded) {
  grurt::convert::CanonicalModel spec;
  spec.input_size = 1;
  grurt::convert::DenseSpec dense;
  dense.input_size = 64;
  dense.output_size = 1;
  dense.weight = weights.dense_w;
  dense.bias = {weights.dense_b};
  dense.activation = grurt::Activation::kIdentity;
  spec.layers = {layer_spec(weights.first), layer_spec(weights.second), {"dense", dense}};
  load_spec(spec, "amp", loaded);
}

}  // namespace grurt::bench
