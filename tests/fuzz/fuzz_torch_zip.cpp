// Fuzz target: torch.save zip archives, then the whole conversion of whatever
// reads (recognition, canonical model, writer, conversion check, runtime load).
#include <cstdint>

#include "convert_pipeline.hpp"
#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/torch_zip_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    grurt::fuzz::convert_all(grurt::convert::read_torch_zip(data, size));
  } catch (const grurt::convert::ConversionError&) {
  }
  return 0;
}
