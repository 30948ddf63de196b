// ONNX TensorProto (an initializer or a Constant node's value) to numbers:
// floats for weights, integers for the shapes and axes of pass-through ops.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "grurt_convert/tensor_map.hpp"

namespace grurt::convert::onnx_tensors {

struct Constant {
  SourceTensor tensor;              // float values when tensor.is_float
  std::vector<std::int64_t> ints;   // integer values otherwise (shapes, axes, indices)
  bool all_zero() const;
};

// Throws ConversionError naming `where` for external data (and its file),
// unsupported element types, and data whose length does not match the dims.
Constant decode(const onnx::TensorProto& proto, const std::string& where);

}  // namespace grurt::convert::onnx_tensors
