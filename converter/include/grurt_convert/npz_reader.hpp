// Reads a NumPy .npz file (numpy.savez / savez_compressed): a zip archive of
// one NAME.npy member per array. Each member is the .npy format: the magic
// "\x93NUMPY", a version (1.0, 2.0 or 3.0), a header length (2 bytes in 1.0,
// 4 after), a header that is a Python dict literal
//   {'descr': '<f4', 'fortran_order': False, 'shape': (48, 16), }
// and the data, row-major. The tensor is named NAME (the member without .npy).
//
// Float arrays ('<f2', '<f4', '<f8') become F16/F32/F64 tensors; integer and
// bool arrays are kept only to be named, like the other readers do. Refused,
// saying why: fortran_order True, object arrays (pickled Python objects, which
// are never unpickled), big-endian, structured and other dtypes, a header
// that is not such a dict, data whose size differs from what shape and dtype
// need, and members that are not .npy arrays. Zip limits (inflation budget)
// are the torch.save reader's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "grurt_convert/tensor_map.hpp"

namespace grurt::convert {

// Largest .npy header accepted (numpy itself refuses more than 10000 bytes by default).
constexpr std::uint64_t kMaxNpyHeader = 65536;

// Throws ConversionError naming the member and the problem. `order`, when
// given, receives the tensor names in the archive's order (numpy.savez keeps
// the order of its arguments: a state_dict's, the modules' declaration order).
TensorMap read_npz(const std::uint8_t* bytes, std::size_t size, std::vector<std::string>* order = nullptr);

// Reads one .npy array (the bytes of one member) as tensor `name`.
SourceTensor read_npy(const std::string& name, const std::uint8_t* bytes, std::size_t size);

// True when the bytes are a zip archive whose entries are .npy arrays and
// which holds no torch.save data.pkl: how the front door tells an .npz from a
// .pt. False for anything else, including unreadable zips.
bool looks_like_npz(const std::uint8_t* bytes, std::size_t size);

}  // namespace grurt::convert
