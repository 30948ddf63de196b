#include "tensor_shapes.hpp"

#include "grurt_convert/conversion_error.hpp"

namespace grurt::convert::layouts {

bool ends_with(const std::string& text, const std::string& tail) {
  return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

std::string dims(std::initializer_list<std::int64_t> values) {
  std::string text = "[";
  for (auto it = values.begin(); it != values.end(); ++it) text += (it == values.begin() ? "" : ", ") + std::to_string(*it);
  return text + "]";
}

const SourceTensor& TensorShapes::get(const std::string& name) const {
  const auto found = tensors_.find(name);
  if (found == tensors_.end()) throw ConversionError("tensor '" + name + "' is missing");
  if (!found->second.is_float) {
    throw ConversionError("tensor '" + name + "' has dtype " + found->second.dtype + "; weights must be floating point");
  }
  return found->second;
}

std::pair<std::uint32_t, std::uint32_t> TensorShapes::matrix(const std::string& name, const std::string& formula) const {
  const SourceTensor& t = get(name);
  if (t.shape.size() != 2 || t.shape[0] <= 0 || t.shape[1] <= 0) {
    throw ConversionError("tensor '" + name + "' has shape " + t.shape_text() + ", expected a matrix " + formula);
  }
  return {static_cast<std::uint32_t>(t.shape[0]), static_cast<std::uint32_t>(t.shape[1])};
}

void TensorShapes::expect(const std::string& name, const std::vector<std::int64_t>& shape,
                          const std::string& formula) const {
  std::string expected = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) expected += (i ? ", " : "") + std::to_string(shape[i]);
  expected = formula + " = " + expected + "]";
  if (!has(name)) throw ConversionError("tensor '" + name + "' is missing; expected " + expected);
  const SourceTensor& t = get(name);
  if (t.shape != shape) {
    throw ConversionError("tensor '" + name + "' has shape " + t.shape_text() + ", expected " + expected);
  }
}

std::optional<TensorSlice> TensorShapes::optional_vector(const std::string& name, std::uint32_t n, std::uint32_t row,
                                                         std::uint32_t rows, const std::string& formula) const {
  if (!has(name)) return std::nullopt;
  expect(name, {n}, formula);
  return TensorSlice{name, row, rows, 0, 1};
}

}  // namespace grurt::convert::layouts
