// Fuzz target: .safetensors files, then the whole conversion of whatever reads.
#include <cstdint>

#include "convert_pipeline.hpp"
#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/safetensors_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    grurt::fuzz::convert_all(grurt::convert::read_safetensors(data, size));
  } catch (const grurt::convert::ConversionError&) {
  }
  return 0;
}
