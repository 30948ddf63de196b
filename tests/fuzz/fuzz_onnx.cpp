// Fuzz target: ONNX models, parsed with the ONNX project's protobuf classes,
// walked into a declared model, then converted. Any bytes must give a model or
// a ConversionError.
#include <cstdint>

#include "convert_pipeline.hpp"
#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/onnx_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const grurt::convert::SourceFile file = grurt::convert::read_onnx(data, size);
    if (file.declared) grurt::fuzz::convert_source(*file.declared, file.tensors);
  } catch (const grurt::convert::ConversionError&) {
  }
  return 0;
}
