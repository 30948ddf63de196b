// Fuzz target: JSON model files (RTNeural, AIDA-X, CoreAudioML, a state_dict
// as JSON), parsed, told apart, read into a declared model or tensors, then
// converted. Any bytes must give a model or a ConversionError.
#include <cstdint>

#include "convert_pipeline.hpp"
#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/json_model_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const grurt::convert::SourceFile file = grurt::convert::read_json_model(data, size);
    if (file.declared) grurt::fuzz::convert_source(*file.declared, file.tensors);
    else grurt::fuzz::convert_all(file.tensors);
  } catch (const grurt::convert::ConversionError&) {
  }
  return 0;
}
