#include "json_tensors.hpp"

#include <cmath>

#include "grurt_convert/conversion_error.hpp"

namespace grurt::convert::json_tensors {
namespace {

[[noreturn]] void fail(const std::string& where, const std::string& why) { throw ConversionError(where + ": " + why); }

// Appends the leaves of `value`, whose expected shape from axis `axis` on is
// `shape` (found from the first element at each depth).
void flatten(const Json& value, const std::vector<std::int64_t>& shape, std::size_t axis, const std::string& path,
             std::vector<float>& out) {
  if (axis == shape.size()) {
    if (!value.is_number()) fail(path, std::string("is ") + value.type_name() + ", expected a number");
    const double v = value.get<double>();
    if (!std::isfinite(v) || std::abs(v) > 3.4028234663852886e38) fail(path, "is not a finite float32 number");
    out.push_back(static_cast<float>(v));
    return;
  }
  if (!value.is_array() || value.size() != static_cast<std::size_t>(shape[axis])) {
    fail(path, value.is_array() ? "has " + std::to_string(value.size()) + " elements where its siblings have " +
                                      std::to_string(shape[axis]) + " (the nesting is ragged)"
                                : std::string("is ") + value.type_name() + " where a list is expected");
  }
  for (std::size_t i = 0; i < value.size(); ++i) flatten(value[i], shape, axis + 1, path + "[" + std::to_string(i) + "]", out);
}

}  // namespace

bool is_numeric(const Json& value) {
  const Json* v = &value;
  for (std::size_t depth = 0; v->is_array() && depth <= kMaxAxes; ++depth) {
    if (v->empty()) return false;
    v = &(*v)[0];
  }
  return v->is_number();
}

SourceTensor read(const Json& value, const std::string& where) {
  SourceTensor tensor;
  tensor.dtype = "JSON";
  std::size_t count = 1;
  for (const Json* v = &value; v->is_array(); v = &(*v)[0]) {
    if (tensor.shape.size() == kMaxAxes) fail(where, "is nested deeper than " + std::to_string(kMaxAxes) + " lists");
    if (v->empty()) fail(where, "holds an empty list");
    tensor.shape.push_back(static_cast<std::int64_t>(v->size()));
    count *= v->size();
    if (count > kMaxElements) fail(where, "has more than " + std::to_string(kMaxElements) + " numbers");
  }
  tensor.values.reserve(count);
  flatten(value, tensor.shape, 0, where, tensor.values);
  return tensor;
}

}  // namespace grurt::convert::json_tensors
