// What a written model stores, read back from its bytes: the first layer's
// table, and whether a table stores a field at all (FlatBuffers leaves out
// fields equal to their defaults, which keeps old files and new ones alike).
#pragma once

#include <cstdint>
#include <vector>

#include "grurt/grurt_generated.h"

namespace grurt::test {

// Layer 0's table as `Table` (fb::GruLayer, fb::LstmLayer, ...); the model must have one.
template <class Table>
const Table& first_layer_table(const std::vector<std::uint8_t>& bytes) {
  return *fb::GetModel(bytes.data())->layers()->Get(0)->kind_as<Table>();
}

// A generated table privately is a flatbuffers::Table.
template <class Table>
bool stored(const Table& table, flatbuffers::voffset_t field) {
  return reinterpret_cast<const flatbuffers::Table*>(&table)->CheckField(field);
}

}  // namespace grurt::test
