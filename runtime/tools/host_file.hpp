// The tools' one place for file I/O: whole files into 64-byte aligned memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace grurt::tools {

// A file's bytes in a 64-byte aligned heap block (what Model::load requires).
class FileBytes {
 public:
  const std::uint8_t* data() const { return data_.get(); }
  std::size_t size() const { return size_; }

  // Reads `path`; throws std::runtime_error naming the path and the reason.
  static FileBytes read(const std::string& path);

 private:
  struct AlignedFree {
    void operator()(std::uint8_t* p) const;
  };
  std::unique_ptr<std::uint8_t, AlignedFree> data_;
  std::size_t size_ = 0;
};

// Writes `size` bytes to `path` (replacing it); throws std::runtime_error on failure.
void write_file(const std::string& path, const void* data, std::size_t size);

}  // namespace grurt::tools
