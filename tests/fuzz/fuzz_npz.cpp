// Fuzz target: NumPy .npz archives, then the whole conversion of whatever
// reads. A zip's CRCs stop most mutations of its members before the .npy
// parser sees them, so an input that is not a zip is read as one bare .npy
// member: the header parser and size checks get the mutations directly.
#include <cstdint>

#include "convert_pipeline.hpp"
#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/npz_reader.hpp"
#include "grurt_convert/torch_zip_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace grurt::convert;
  try {
    if (looks_like_zip(data, size)) {
      grurt::fuzz::convert_all(read_npz(data, size));
    } else {
      TensorMap one;
      one.emplace("rnn.weight_ih", read_npy("rnn.weight_ih", data, size));
      grurt::fuzz::convert_all(one);
    }
  } catch (const ConversionError&) {
  }
  return 0;
}
