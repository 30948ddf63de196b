#include "aligned_bytes.hpp"

#include <cstring>
#include <new>

namespace grurt::tools {

namespace {
constexpr std::align_val_t kAlign{AlignedBytes::kAlignment};
}  // namespace

AlignedBytes::AlignedBytes(std::size_t size)
    : data_(static_cast<std::uint8_t*>(::operator new[](size, kAlign))), size_(size) {
  if (size != 0) std::memset(data_.get(), 0, size);
}

AlignedBytes::AlignedBytes(const void* data, std::size_t size)
    : data_(static_cast<std::uint8_t*>(::operator new[](size, kAlign))), size_(size) {
  if (size != 0) std::memcpy(data_.get(), data, size);
}

void AlignedBytes::Free::operator()(std::uint8_t* p) const { ::operator delete[](p, kAlign); }

}  // namespace grurt::tools
