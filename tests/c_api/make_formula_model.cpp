// Writes the C API test's model (see formula_weights.h) to the path in argv[1].
#include <cstdio>
#include <string>
#include <vector>

#include "formula_weights.h"
#include "grurt_convert/model_writer.hpp"

namespace {

std::vector<float> formula_tensor(int tensor, int count) {
  std::vector<float> values(count);
  for (int k = 0; k < count; ++k) values[k] = static_cast<float>(formula_weight(tensor, k));
  return values;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_formula_model OUT.grurt\n");
    return 2;
  }
  using namespace grurt::convert;
  GruSpec gru;
  gru.input_size = FORMULA_I;
  gru.hidden_size = FORMULA_H;
  gru.w = formula_tensor(TENSOR_W, 3 * FORMULA_H * FORMULA_I);
  gru.r = formula_tensor(TENSOR_R, 3 * FORMULA_H * FORMULA_H);
  gru.bias_w = formula_tensor(TENSOR_BW, 3 * FORMULA_H);
  gru.bias_r = formula_tensor(TENSOR_BR, 3 * FORMULA_H);
  DenseSpec dense;
  dense.input_size = FORMULA_H;
  dense.output_size = FORMULA_O;
  dense.activation = grurt::Activation::kTanh;
  dense.weight = formula_tensor(TENSOR_DENSE_W, FORMULA_O * FORMULA_H);
  dense.bias = formula_tensor(TENSOR_DENSE_B, FORMULA_O);
  CanonicalModel model;
  model.input_size = FORMULA_I;
  model.layers = {{"gru", gru}, {"head", dense}};
  const std::vector<std::uint8_t> bytes = write_model(model);
  std::FILE* out = std::fopen(argv[1], "wb");
  if (out == nullptr || std::fwrite(bytes.data(), 1, bytes.size(), out) != bytes.size() || std::fclose(out) != 0) {
    std::fprintf(stderr, "make_formula_model: cannot write %s\n", argv[1]);
    return 1;
  }
  return 0;
}
