// Fuzz target: the restricted unpickler (data.pkl of a torch.save archive).
// Any bytes must give tensors or a ConversionError; nothing else may escape.
#include <cstdint>

#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/pickle_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    (void)grurt::convert::read_state_dict_pickle(data, size);
  } catch (const grurt::convert::ConversionError&) {
  }
  return 0;
}
