// Reads the tensors of a torch.save() file (PyTorch >= 1.6 zip format):
// "<root>/data.pkl" (read by the restricted unpickler) and one uncompressed
// entry "<root>/data/<key>" per storage. Any root folder name is accepted.
// Legacy (pre-1.6) files and TorchScript archives are refused with a re-save hint.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "grurt_convert/tensor_map.hpp"

namespace grurt::convert {

// Throws ConversionError saying what the file is and what to do. `order`, when
// given, receives the tensor names in the pickle's order: the state_dict's
// order, which is the order the modules were declared in. A checkpoint dict
// with the state_dict under a key ('state_dict', 'model_state_dict', ...) is
// read as that state_dict; `state_dict_key`, when given, receives the key
// (empty for a plain state_dict).
TensorMap read_torch_zip(const std::uint8_t* bytes, std::size_t size, std::vector<std::string>* order = nullptr,
                         std::string* state_dict_key = nullptr);

// True when the bytes start like a zip archive ("PK\3\4").
bool looks_like_zip(const std::uint8_t* bytes, std::size_t size);
// True when the bytes start like a bare pickle (legacy torch.save: 0x80 protocol byte).
bool looks_like_pickle(const std::uint8_t* bytes, std::size_t size);

}  // namespace grurt::convert
