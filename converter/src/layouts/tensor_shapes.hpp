// Shape checks for layout recognition, with messages that name the tensor,
// the expected formula and both shapes.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "grurt_convert/source_model.hpp"
#include "grurt_convert/tensor_map.hpp"

namespace grurt::convert::layouts {

bool ends_with(const std::string& text, const std::string& tail);

// "[3, 4]"
std::string dims(std::initializer_list<std::int64_t> values);

class TensorShapes {
 public:
  explicit TensorShapes(const TensorMap& tensors) : tensors_(tensors) {}

  bool has(const std::string& name) const { return tensors_.count(name) != 0; }

  // The tensor; missing or not floating point is an error.
  const SourceTensor& get(const std::string& name) const;

  // A 2-D tensor of any size; returns (rows, cols).
  std::pair<std::uint32_t, std::uint32_t> matrix(const std::string& name, const std::string& formula) const;

  // The tensor must exist with exactly this shape ("expected [3*H, H] = [9, 3]").
  void expect(const std::string& name, const std::vector<std::int64_t>& shape, const std::string& formula) const;

  // A bias that may be absent; when present it must be [n]; the slice takes rows [row, row + rows).
  std::optional<TensorSlice> optional_vector(const std::string& name, std::uint32_t n, std::uint32_t row,
                                             std::uint32_t rows, const std::string& formula) const;

 private:
  const TensorMap& tensors_;
};

}  // namespace grurt::convert::layouts
