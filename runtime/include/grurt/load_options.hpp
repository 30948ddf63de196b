// How Model::load and IntegerModel::load treat a file's integrity field (the
// CRC-32C a .grurt file carries over its own bytes, schema/grurt.fbs), and
// what they found in it.
#pragma once

#include <cstdint>

namespace grurt {

struct LoadOptions {
  // Compute the buffer's CRC-32C and refuse (Status::kCorruptFile) a file
  // whose stored value differs. Off only for callers who verified the same
  // bytes another way (a signature or hash checked by their updater), or to
  // look inside a damaged file; a file without the field loads either way.
  bool verify_checksum = true;
  // Refuse (Status::kCorruptFile) a file without the field. Files of
  // grurt-convert 0.1.0 have none, so it is off by default; a device that
  // only receives newer files turns it on, so a damaged file cannot pass as
  // an old one (a flipped bit in the root table's vtable can hide the field).
  bool require_checksum = false;
};

// What load() found: kept after a refusal too, so a tool can say which values
// disagreed.
struct Integrity {
  bool present = false;        // false: the file has no checksum (written by grurt-convert 0.1.0)
  bool checked = false;        // load() computed the CRC (LoadOptions::verify_checksum)
  std::uint32_t stored = 0;    // the file's value, when present
  std::uint32_t computed = 0;  // the buffer's CRC by the file's rule, when present and checked
};

}  // namespace grurt
