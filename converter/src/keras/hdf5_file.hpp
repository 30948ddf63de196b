// The only place the converter touches the HDF5 library (Debian's
// libhdf5-dev): an HDF5 file image opened read-only from memory, and the
// few reads a Keras model needs (string attributes, float datasets). Sizes
// and ranks are checked before the library reads data, and HDF5's own error
// printing is off: every failure becomes a ConversionError naming the path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "grurt_convert/tensor_map.hpp"

namespace grurt::convert::hdf5 {

// HDF5's 8-byte signature at the start of the file (a user block may move it;
// Keras files have none).
bool has_signature(const std::uint8_t* bytes, std::size_t size);

class File {
 public:
  File(const std::uint8_t* bytes, std::size_t size);
  ~File();
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  bool has_attribute(const std::string& object, const std::string& name) const;
  // A string attribute (fixed or variable length).
  std::string string_attribute(const std::string& object, const std::string& name) const;
  // A one-dimensional attribute of strings (Keras's layer_names, weight_names).
  std::vector<std::string> string_list_attribute(const std::string& object, const std::string& name) const;
  bool has_dataset(const std::string& path) const;
  // Paths of every dataset under the group `under` (absolute, in HDF5's visiting order).
  std::vector<std::string> dataset_paths(const std::string& under) const;
  // A floating-point dataset as float32 values, shape kept.
  SourceTensor float_dataset(const std::string& path) const;

 private:
  std::int64_t id_ = -1;
};

}  // namespace grurt::convert::hdf5
