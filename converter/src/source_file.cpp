#include "grurt_convert/source_file.hpp"

#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/safetensors_reader.hpp"
#include "grurt_convert/torch_zip_reader.hpp"

namespace grurt::convert {

SourceFile read_source_file(const std::uint8_t* bytes, std::size_t size) {
  if (size == 0) throw ConversionError("the file is empty");
  if (looks_like_zip(bytes, size) || looks_like_pickle(bytes, size)) {
    SourceFile file{"torch.save zip", {}, std::nullopt, {}};
    file.tensors = read_torch_zip(bytes, size, &file.order);
    return file;
  }
  // safetensors: 8-byte header length, then a JSON object.
  if (size > 8 && bytes[8] == '{') return {"safetensors", read_safetensors(bytes, size), std::nullopt, {}};
  throw ConversionError("unknown file format: neither a torch.save() zip archive (PyTorch >= 1.6) nor a .safetensors "
                        "file");
}

SourceModel source_model(const SourceFile& file, const RecognitionOptions& options) {
  if (!file.declared) return recognize_layout(file.tensors, options, file.order);
  // Options that steer recognition would be silently ignored: say so instead.
  std::string ignored;
  if (!options.layout.empty()) ignored += " --layout";
  if (!options.prefix.empty()) ignored += " --prefix";
  if (options.head != "auto") ignored += " --head";
  if (options.head_reads_tanh) ignored += " --head-input";
  if (options.rnn_activation) ignored += " --rnn-nonlinearity";
  if (!options.chain.empty()) ignored += " --chain";
  if (!ignored.empty()) {
    throw ConversionError("this " + file.format + " file declares its architecture, so" + ignored +
                          " (which steer recognition from tensor names) do not apply; leave them out");
  }
  return *file.declared;
}

}  // namespace grurt::convert
