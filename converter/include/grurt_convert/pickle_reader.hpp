// A restricted unpickler for the data.pkl of a torch.save() archive.
//
// It interprets the pickle instead of executing it: it knows exactly the
// opcodes a state_dict pickle uses and exactly these globals, and refuses any
// other with an error that names it, so an untrusted file can never run code:
//   collections.OrderedDict
//   torch._utils._rebuild_tensor_v2, _rebuild_parameter, _rebuild_parameter_with_state
//   torch.<Type>Storage (Float, Half, BFloat16, Double, Long, Int, Short, Char, Byte, Bool)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace grurt::convert {

// One tensor of the state_dict, as the pickle describes it.
struct PickledTensor {
  std::string name;         // state_dict key; nested dicts are joined with '.'
  std::string storage_key;  // its storage is archive entry "<root>/data/<storage_key>"
  std::string dtype;        // "F32", "F16", "BF16", "F64", "I64", "I32", ...
  std::uint64_t storage_numel = 0;
  std::uint64_t offset = 0;  // in elements
  std::vector<std::int64_t> sizes;
  std::vector<std::int64_t> strides;
};

// Limits that keep a hostile pickle from exhausting memory.
constexpr std::size_t kMaxPickleStack = 1u << 20;
constexpr std::size_t kMaxPickleMemo = 1u << 20;
constexpr int kMaxDictNesting = 16;
// Dict entries visited while flattening nested dicts: one dict referenced many
// times at every level (memo references) would otherwise take exponential time.
constexpr std::size_t kMaxDictEntriesVisited = 1u << 20;

// The tensors of the pickled state_dict: the top-level dict's own tensors
// (nested dicts joined with '.'), or, for a checkpoint dict holding no tensor
// itself, those of the one entry that is a dict of tensors (its key goes to
// `state_dict_key` when given); several such entries are refused naming them.
// Throws ConversionError naming the opcode or global and its byte offset.
std::vector<PickledTensor> read_state_dict_pickle(const std::uint8_t* bytes, std::size_t size,
                                                  std::string* state_dict_key = nullptr);

}  // namespace grurt::convert
