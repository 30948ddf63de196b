// Fuzz target: Keras files (.h5, and .keras zips), opened by the HDF5 library
// from memory, their config and weights read into a declared model, then converted. Any
// bytes must give a model or a ConversionError (a crash inside HDF5 itself is
// reported in the README and contained where the converter can check sizes).
#include <cstdint>

#include "convert_pipeline.hpp"
#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/source_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    using grurt::convert::SourceFormat;
    const grurt::convert::SourceFile file = grurt::convert::read_source_file(data, size, SourceFormat::kKeras);
    if (file.declared) grurt::fuzz::convert_source(*file.declared, file.tensors);
  } catch (const grurt::convert::ConversionError&) {
  }
  return 0;
}
