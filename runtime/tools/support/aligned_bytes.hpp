// The one aligned byte buffer of the tools, benchmarks and tests.
//
// Why 64 bytes: Model::load reads a model in place and refuses a buffer that
// does not start at a multiple of grurt::kModelAlignment (64), because its
// weight arrays are laid out 64-byte aligned inside the file for aligned vector
// loads; a Session's arena has the same requirement. std::vector and new[]
// only promise alignof(std::max_align_t) (16 on x86-64), so every model, arena
// or weight block a host program hands to the runtime goes through this type.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "grurt/model.hpp"

namespace grurt::tools {

class AlignedBytes {
 public:
  static constexpr std::size_t kAlignment = kModelAlignment;

  // No buffer: data() is null, size() is 0.
  AlignedBytes() = default;
  // `size` zero bytes. Exactly `size`: no slack after the end, so
  // AddressSanitizer reports a read one byte past it (the fuzz targets rely on
  // this). A size of 0 still gives a real, unique, aligned pointer.
  explicit AlignedBytes(std::size_t size);
  // A copy of `size` bytes at `data` (which may be null when size is 0).
  AlignedBytes(const void* data, std::size_t size);
  explicit AlignedBytes(const std::vector<std::uint8_t>& bytes) : AlignedBytes(bytes.data(), bytes.size()) {}

  std::uint8_t* data() { return data_.get(); }
  const std::uint8_t* data() const { return data_.get(); }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  struct Free {
    void operator()(std::uint8_t* p) const;
  };
  std::unique_ptr<std::uint8_t[], Free> data_;
  std::size_t size_ = 0;
};

}  // namespace grurt::tools
