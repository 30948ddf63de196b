#include "weight_bytes.hpp"

#include <initializer_list>

namespace grurt::tools {

WeightBytes weight_bytes(const LayerView& layer) {
  WeightBytes bytes;
  std::uint64_t matrix_values = 0;
  for (const WeightView* matrix : {&layer.weight, &layer.recurrent, &layer.projection}) {
    if (!*matrix) continue;
    const std::uint64_t values = std::uint64_t{matrix->rows} * matrix->cols;
    matrix_values += values;
    std::uint64_t matrix_bytes = values * element_bytes(matrix->type);
    if (matrix->type == ElementType::kI8) matrix_bytes += std::uint64_t{matrix->rows} * sizeof(float);  // row scales
    bytes.stored += matrix_bytes;
    if (matrix == &layer.weight) bytes.input_matrices += matrix_bytes;
    bytes.matrix_type = element_type_name(matrix->type);
  }
  bytes.stored += (layer.parameters - matrix_values) * sizeof(float);
  bytes.as_f32 = layer.parameters * sizeof(float);
  return bytes;
}

WeightBytes weight_bytes(const Model& model) {
  WeightBytes total;
  for (std::uint32_t i = 0; i < model.num_layers(); ++i) {
    const WeightBytes layer = weight_bytes(model.layer(i));
    total.stored += layer.stored;
    total.as_f32 += layer.as_f32;
    total.input_matrices += layer.input_matrices;
    if (layer.matrix_type[0] != '-') total.matrix_type = layer.matrix_type;
  }
  return total;
}

}  // namespace grurt::tools
