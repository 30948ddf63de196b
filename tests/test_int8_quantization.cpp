// int8 weight matrices (grurt-convert --weights int8), the converter's side:
// the per-row quantization against numpy, the Panel16x4 packing against the
// schema's formula, the round trip bound, and what the writer puts in a file.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>

#include "grurt/grurt_generated.h"
#include "grurt_convert/int8_quantization.hpp"
#include "grurt_convert/model_writer.hpp"
#include "support/random_models.hpp"

using namespace grurt;
using namespace grurt::test;
using convert::QuantizedMatrix;
using convert::QuantizedRows;

namespace {

std::uint32_t float_bits(float value) {
  std::uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

float float_from_hex(const std::string& hex) {
  const auto bits = static_cast<std::uint32_t>(std::stoul(hex, nullptr, 16));
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

// One matrix of quantized_rows.csv: the float32 weights and numpy's scales and q.
struct ExpectedMatrix {
  std::uint32_t cols = 0;
  std::vector<float> weights;
  std::vector<float> scales;
  std::vector<int> q;
};

// Lines "matrix,row,scale bits,w bits...,q..." in row order (make_int8_fixtures.py).
std::map<std::string, ExpectedMatrix> read_expected_rows() {
  std::ifstream in(std::string(GRURT_INT8_FIXTURES) + "/quantized_rows.csv");
  REQUIRE(in);
  std::map<std::string, ExpectedMatrix> matrices;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields;
    std::stringstream stream(line);
    for (std::string field; std::getline(stream, field, ',');) fields.push_back(field);
    REQUIRE(fields.size() >= 5);
    REQUIRE(fields.size() % 2 == 1);
    ExpectedMatrix& m = matrices[fields[0]];
    const auto cols = static_cast<std::uint32_t>((fields.size() - 3) / 2);
    REQUIRE((m.cols == 0 || m.cols == cols));
    m.cols = cols;
    REQUIRE(std::stoul(fields[1]) == m.scales.size());  // rows in order
    m.scales.push_back(float_from_hex(fields[2]));
    for (std::uint32_t k = 0; k < cols; ++k) m.weights.push_back(float_from_hex(fields[3 + k]));
    for (std::uint32_t k = 0; k < cols; ++k) m.q.push_back(std::stoi(fields[3 + cols + k]));
  }
  return matrices;
}

std::uint32_t round_up(std::uint32_t n, std::uint32_t to) { return (n + to - 1) / to * to; }

// Distinct q per (row, column), all in -127..127, and distinct scales per row.
QuantizedRows numbered_rows(std::uint32_t rows, std::uint32_t cols) {
  QuantizedRows out;
  for (std::uint32_t i = 0; i < rows; ++i) {
    out.scales.push_back(0.5f + static_cast<float>(i));
    for (std::uint32_t k = 0; k < cols; ++k) {
      out.q.push_back(static_cast<std::int8_t>(static_cast<int>((i * cols + k) % 254) - 126));
    }
  }
  return out;
}

}  // namespace

TEST_CASE("quantize_rows gives numpy's scales and q bit for bit", "[int8]") {
  const auto matrices = read_expected_rows();
  REQUIRE(matrices.size() == 4);  // the GRU's W and R, the head's weight, the extreme rows
  for (const auto& [name, expected] : matrices) {
    const auto rows = static_cast<std::uint32_t>(expected.scales.size());
    const QuantizedRows got = convert::quantize_rows(expected.weights, rows, expected.cols);
    REQUIRE(got.scales.size() == rows);
    REQUIRE(got.q.size() == expected.q.size());
    for (std::uint32_t i = 0; i < rows; ++i) {
      INFO(name << " row " << i);
      REQUIRE(float_bits(got.scales[i]) == float_bits(expected.scales[i]));
      for (std::uint32_t k = 0; k < expected.cols; ++k) {
        INFO("column " << k << ", w " << expected.weights[i * expected.cols + k]);
        REQUIRE(int{got.q[i * expected.cols + k]} == expected.q[i * expected.cols + k]);
      }
    }
  }
}

TEST_CASE("Quantized rows dequantize to within half a scale, with positive scales and no -128", "[int8]") {
  std::mt19937 rng(8);
  for (const float magnitude : {1e-37f, 1e-30f, 1e-6f, 0.05f, 1.0f, 300.0f, 1e30f}) {
    const std::uint32_t rows = 37, cols = 13;
    std::vector<float> w = random_values(rng, std::size_t{rows} * cols, magnitude);
    for (std::uint32_t k = 0; k < cols; ++k) w[5 * cols + k] = 0.0f;  // a zero row
    const QuantizedRows q = convert::quantize_rows(w, rows, cols);
    for (std::uint32_t i = 0; i < rows; ++i) {
      const double scale = q.scales[i];
      REQUIRE(std::isfinite(scale));
      REQUIRE(scale > 0);
      for (std::uint32_t k = 0; k < cols; ++k) {
        const std::size_t at = std::size_t{i} * cols + k;
        INFO("magnitude " << magnitude << " row " << i << " column " << k << " w " << w[at] << " q " << int{q.q[at]}
                          << " scale " << scale);
        REQUIRE(q.q[at] >= -127);
        REQUIRE(std::fabs(w[at] - q.q[at] * scale) <= scale / 2);
      }
    }
  }
}

TEST_CASE("pack_panel16x4 puts row p*16+j and column k of each block at the schema's byte", "[int8]") {
  struct Shape {
    std::uint32_t rows, cols, blocks;
  };
  // Rows not a multiple of 16, columns not a multiple of 4, one column, 3 and 4 blocks.
  for (const Shape s : {Shape{1, 1, 1}, Shape{5, 3, 1}, Shape{16, 4, 1}, Shape{17, 6, 1}, Shape{18, 5, 3},
                        Shape{96, 8, 3}, Shape{20, 1, 4}, Shape{28, 7, 4}, Shape{130, 33, 1}}) {
    const QuantizedRows rows = numbered_rows(s.rows, s.cols);
    const QuantizedMatrix m = convert::pack_panel16x4(rows, s.rows, s.cols, s.blocks);
    const std::uint32_t block_rows = s.rows / s.blocks, panels = round_up(block_rows, 16) / 16;
    const std::uint32_t c4 = round_up(s.cols, 4), stored_rows = s.blocks * panels * 16;
    INFO(s.rows << " x " << s.cols << " in " << s.blocks << " blocks");
    REQUIRE(m.packed.size() == std::size_t{stored_rows} * c4);
    REQUIRE(m.row_scales.size() == stored_rows);
    std::vector<bool> written(m.packed.size(), false);
    for (std::uint32_t b = 0; b < s.blocks; ++b) {
      const std::size_t block_start = std::size_t{b} * panels * 16 * c4;
      for (std::uint32_t r = 0; r < block_rows; ++r) {
        const std::uint32_t p = r / 16, j = r % 16, i = b * block_rows + r;
        REQUIRE(m.row_scales[(b * panels + p) * 16 + j] == rows.scales[i]);
        for (std::uint32_t k = 0; k < s.cols; ++k) {
          const std::size_t at = block_start + (std::size_t{p} * c4 + k / 4 * 4) * 16 + j * 4 + k % 4;
          INFO("row " << i << " column " << k << " byte " << at);
          REQUIRE(m.packed[at] == rows.q[std::size_t{i} * s.cols + k]);
          written[at] = true;
        }
      }
      for (std::uint32_t r = block_rows; r < panels * 16; ++r) {
        REQUIRE(m.row_scales[b * panels * 16 + r] == 1.0f);  // a padding row
      }
    }
    for (std::size_t at = 0; at < m.packed.size(); ++at) {
      if (!written[at]) REQUIRE(m.packed[at] == 0);  // padding rows and columns
    }
  }
}

TEST_CASE("An int8 model stores its weight matrices as i8 Panel16x4 with row scales, the rest as f32",
          "[int8][writer]") {
  std::mt19937 rng(9);
  const std::uint32_t I = 5, H = 18, P = 7;
  LstmOptions projected;
  projected.projection = P;
  projected.peephole = true;
  CanonicalModel model = stacked_model(I, {{"gru", random_gru(rng, I, H, true)},
                                           {"lstm", random_lstm(rng, H, 6, projected)},
                                           {"fc", random_dense(rng, P, 3, Activation::kIdentity)}});
  model.weight_type = ElementType::kI8;
  const auto bytes = convert::write_model(model);
  AlignedBytes aligned(bytes);
  const fb::Model* file = fb::GetModel(aligned.data());
  flatbuffers::Verifier verifier(aligned.data(), aligned.size());
  REQUIRE(fb::VerifyModelBuffer(verifier));

  std::size_t matrices = 0;
  auto check_matrix = [&](const fb::Tensor* t, const std::vector<float>& w, std::uint32_t rows, std::uint32_t cols,
                          std::uint32_t blocks) {
    INFO("matrix " << matrices << ": " << rows << " x " << cols);
    REQUIRE(t->element_type() == fb::ElementType::I8);
    REQUIRE(t->layout() == fb::WeightLayout::Panel16x4);
    REQUIRE(t->rows() == rows);  // unpadded, as for f32
    REQUIRE(t->cols() == cols);
    REQUIRE(t->row_blocks() == blocks);
    REQUIRE((t->data()->data() - aligned.data()) % 64 == 0);
    const QuantizedMatrix q = convert::pack_panel16x4(convert::quantize_rows(w, rows, cols), rows, cols, blocks);
    REQUIRE(t->data()->size() == q.packed.size());
    REQUIRE(std::memcmp(t->data()->data(), q.packed.data(), q.packed.size()) == 0);
    REQUIRE(t->row_scales() != nullptr);
    REQUIRE(std::vector<float>(t->row_scales()->begin(), t->row_scales()->end()) == q.row_scales);
    ++matrices;
  };
  auto check_vector = [](const fb::Tensor* t) {
    REQUIRE(t->element_type() == fb::ElementType::F32);
    REQUIRE(t->row_scales() == nullptr);
  };
  const auto& gru = std::get<GruSpec>(model.layers[0].layer);
  const auto* gru_file = file->layers()->Get(0)->kind_as_GruLayer();
  check_matrix(gru_file->w(), gru.w, 3 * H, I, 3);
  check_matrix(gru_file->r(), gru.r, 3 * H, H, 3);
  check_vector(gru_file->bias_w());
  check_vector(gru_file->bias_r());
  const auto& lstm = std::get<LstmSpec>(model.layers[1].layer);
  const auto* lstm_file = file->layers()->Get(1)->kind_as_LstmLayer();
  check_matrix(lstm_file->w(), lstm.w, 4 * 6, H, 4);
  check_matrix(lstm_file->r(), lstm.r, 4 * 6, P, 4);
  check_matrix(lstm_file->projection(), lstm.projection, P, 6, 1);
  check_vector(lstm_file->bias_w());
  check_vector(lstm_file->peephole());
  const auto& fc = std::get<DenseSpec>(model.layers[2].layer);
  const auto* fc_file = file->layers()->Get(2)->kind_as_DenseLayer();
  check_matrix(fc_file->weight(), fc.weight, 3, P, 1);
  check_vector(fc_file->bias());
  REQUIRE(matrices == 6);
}
