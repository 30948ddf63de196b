#include "grurt/crc32c.hpp"

namespace grurt {
namespace {

constexpr std::uint32_t kReflectedPolynomial = 0x82F63B78u;

// Four bits at a time: entry n is the CRC register after shifting nibble n
// through 4 bits. 64 bytes instead of the usual 256-entry byte table's 1 KB,
// because the integer path's whole runtime must fit a small flash budget
// (examples/firmware/check_firmware.sh); the check runs once per load, where
// twice the table lookups cost little (the Cortex-M4 build's loop is 11
// instructions a byte, a byte table's would be 8). Built by the compiler, so
// it lives in read-only memory (flash) and no code runs to fill it.
struct Table {
  std::uint32_t entry[16];
};

constexpr Table make_table() {
  Table table{};
  for (std::uint32_t n = 0; n < 16; ++n) {
    std::uint32_t r = n;
    for (int bit = 0; bit < 4; ++bit) r = (r >> 1) ^ ((r & 1u) ? kReflectedPolynomial : 0u);
    table.entry[n] = r;
  }
  return table;
}

constexpr Table kTable = make_table();
static_assert(kTable.entry[8] == kReflectedPolynomial, "CRC-32C nibble table entry 8");

}  // namespace

std::uint32_t crc32c(const void* data, std::size_t size, std::uint32_t crc) noexcept {
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  std::uint32_t r = ~crc;
  for (std::size_t i = 0; i < size; ++i) {
    r ^= bytes[i];
    r = (r >> 4) ^ kTable.entry[r & 0xFu];
    r = (r >> 4) ^ kTable.entry[r & 0xFu];
  }
  return ~r;
}

}  // namespace grurt
