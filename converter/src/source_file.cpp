#include "grurt_convert/source_file.hpp"

#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/json_model_reader.hpp"
#include "grurt_convert/keras_reader.hpp"
#include "grurt_convert/npz_reader.hpp"
#include "grurt_convert/onnx_reader.hpp"
#include "grurt_convert/safetensors_reader.hpp"
#include "grurt_convert/torch_zip_reader.hpp"

namespace grurt::convert {

namespace {

// safetensors: an 8-byte little-endian header length, then a JSON object.
// JSON text read that way gives a length of at least 2^56 (its eighth byte is
// text), so any length below 2^48 is safetensors, a truncated one included
// (its reader then says what is wrong).
bool looks_like_safetensors(const std::uint8_t* bytes, std::size_t size) {
  if (size <= 8 || bytes[8] != '{') return false;
  std::uint64_t length = 0;
  for (int i = 7; i >= 0; --i) length = (length << 8) | bytes[i];
  return length < (std::uint64_t{1} << 48);
}

SourceFile read_torch(const std::uint8_t* bytes, std::size_t size) {
  SourceFile file{"torch.save zip", {}, std::nullopt, {}};
  std::string key;
  file.tensors = read_torch_zip(bytes, size, &file.order, &key);
  if (!key.empty()) file.format += ", checkpoint: state_dict under key '" + key + "'";
  return file;
}

SourceFile read_numpy(const std::uint8_t* bytes, std::size_t size) {
  SourceFile file{"NumPy .npz", {}, std::nullopt, {}};
  file.tensors = read_npz(bytes, size, &file.order);
  return file;
}

}  // namespace

SourceFormat parse_source_format(const std::string& name) {
  if (name == "pt") return SourceFormat::kTorch;
  if (name == "safetensors") return SourceFormat::kSafetensors;
  if (name == "onnx") return SourceFormat::kOnnx;
  if (name == "json") return SourceFormat::kJson;
  if (name == "keras") return SourceFormat::kKeras;
  if (name == "npz") return SourceFormat::kNpz;
  throw ConversionError("--format: unknown format '" + name + "'; expected pt, safetensors, onnx, json, keras or npz");
}

SourceFile read_source_file(const std::uint8_t* bytes, std::size_t size, SourceFormat format) {
  if (size == 0) throw ConversionError("the file is empty");
  switch (format) {
    case SourceFormat::kTorch: return read_torch(bytes, size);
    case SourceFormat::kSafetensors: return {"safetensors", read_safetensors(bytes, size), std::nullopt, {}};
    case SourceFormat::kOnnx: return read_onnx(bytes, size);
    case SourceFormat::kJson: return read_json_model(bytes, size);
    case SourceFormat::kKeras:
      return looks_like_zip(bytes, size) ? read_keras_zip(bytes, size) : read_keras_h5(bytes, size);
    case SourceFormat::kNpz: return read_numpy(bytes, size);
    case SourceFormat::kAuto: break;
  }
  // A zip is an .npz when its members are .npy arrays, a .keras file when it holds
  // config.json and model weights, else a torch.save file (<folder>/data.pkl).
  if (looks_like_npz(bytes, size)) return read_numpy(bytes, size);
  if (looks_like_keras_zip(bytes, size)) return read_keras_zip(bytes, size);
  if (looks_like_zip(bytes, size) || looks_like_pickle(bytes, size)) return read_torch(bytes, size);
  if (looks_like_safetensors(bytes, size)) return {"safetensors", read_safetensors(bytes, size), std::nullopt, {}};
  // After safetensors: a safetensors header length may begin with the byte '{'.
  if (looks_like_json(bytes, size)) return read_json_model(bytes, size);
  if (looks_like_hdf5(bytes, size)) return read_keras_h5(bytes, size);
  // ONNX has no magic bytes: a file is ONNX when it parses as a ModelProto with a graph.
  if (looks_like_onnx(bytes, size)) return read_onnx(bytes, size);
  throw ConversionError("unknown file format: neither a torch.save() zip archive (PyTorch >= 1.6), a NumPy .npz, a "
                        ".safetensors file, an ONNX model, a JSON model nor a Keras HDF5 file "
                        "(--format pt|safetensors|onnx|json|keras|npz names the format)");
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
