#include "grurt/crc32c.hpp"

namespace grurt {
namespace {

constexpr std::uint32_t kReflectedPolynomial = 0x82F63B78u;

// The table for one byte: entry b is the CRC register after shifting byte b
// through 8 bits. Built by the compiler, so it lives in read-only memory
// (flash on a microcontroller) and no code runs to fill it.
struct Table {
  std::uint32_t entry[256];
};

constexpr Table make_table() {
  Table table{};
  for (std::uint32_t b = 0; b < 256; ++b) {
    std::uint32_t r = b;
    for (int bit = 0; bit < 8; ++bit) r = (r >> 1) ^ ((r & 1u) ? kReflectedPolynomial : 0u);
    table.entry[b] = r;
  }
  return table;
}

constexpr Table kTable = make_table();
static_assert(kTable.entry[1] == 0xF26B8303u, "CRC-32C table entry 1");
static_assert(kTable.entry[128] == kReflectedPolynomial, "CRC-32C table entry 128");

}  // namespace

std::uint32_t crc32c(const void* data, std::size_t size, std::uint32_t crc) noexcept {
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  std::uint32_t r = ~crc;
  for (std::size_t i = 0; i < size; ++i) r = (r >> 8) ^ kTable.entry[(r ^ bytes[i]) & 0xFFu];
  return ~r;
}

}  // namespace grurt
