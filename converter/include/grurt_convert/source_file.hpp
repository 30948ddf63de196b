// What a reader makes of a trained-model file: its tensors and, when the file
// records the architecture (an ONNX graph, a Keras model config), the model
// the reader already knows. Readers are picked from the file's first bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "grurt_convert/layout_recognition.hpp"
#include "grurt_convert/source_model.hpp"
#include "grurt_convert/tensor_map.hpp"

namespace grurt::convert {

struct SourceFile {
  std::string format;  // "torch.save zip", "safetensors", ...
  TensorMap tensors;
  // Set by a reader whose file declares the architecture; a state_dict does
  // not, so the torch and safetensors readers leave it empty.
  std::optional<SourceModel> declared;
  // Tensor names in the order the modules were declared, when the format keeps
  // it (a torch.save pickle keeps the state_dict's order); empty when it does
  // not (safetensors files list their keys sorted). Chaining modules uses it.
  std::vector<std::string> order;
};

// Which reader reads a file: picked from its content (kAuto), or stated by
// the user (grurt-convert --format) when the content is ambiguous or broken.
enum class SourceFormat { kAuto, kTorch, kSafetensors, kOnnx, kJson, kKeras, kNpz };

// "pt", "safetensors", "onnx", "json", "keras" or "npz"; throws ConversionError for anything else.
SourceFormat parse_source_format(const std::string& name);

// Throws ConversionError for an unknown, legacy or broken file.
SourceFile read_source_file(const std::uint8_t* bytes, std::size_t size, SourceFormat format = SourceFormat::kAuto);

// The model to convert: the declared one when the reader knows it (no
// recognition: names and shapes would only guess what the file says), else
// the layout recognised from the tensors' names and shapes.
SourceModel source_model(const SourceFile& file, const RecognitionOptions& options);

}  // namespace grurt::convert
