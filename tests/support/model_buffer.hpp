// A .grurt buffer copied into 64-byte aligned memory, as the runtime requires.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <vector>

#include "grurt/grurt.hpp"

namespace grurt::test {

class AlignedBytes {
 public:
  AlignedBytes() = default;
  explicit AlignedBytes(const std::vector<std::uint8_t>& bytes, std::size_t shift = 0)
      : storage_(new (std::align_val_t{64}) std::uint8_t[bytes.size() + 64]), size_(bytes.size()) {
    // `shift` > 0 places the data off the 64-byte boundary, for alignment tests.
    data_ = storage_.get() + shift;
    if (!bytes.empty()) std::memcpy(data_, bytes.data(), bytes.size());
  }
  std::uint8_t* data() { return data_; }
  const std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  struct Free {
    void operator()(std::uint8_t* p) const { ::operator delete[](p, std::align_val_t{64}); }
  };
  std::unique_ptr<std::uint8_t[], Free> storage_;
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

// A loaded model with its bytes and an initialised session with its arena.
struct Loaded {
  AlignedBytes bytes;
  Model model;
  AlignedBytes arena;
  Session session;
};

}  // namespace grurt::test
