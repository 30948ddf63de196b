// --emit-c: a model as C source for firmware, so it links into flash.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace grurt {
class Model;
}

namespace grurt::convert {

// The C identifier made from the last path component of `base_path`
// ("out/my-model" -> "my_model").
std::string c_identifier(const std::string& base_path);

// Text of BASE.h: sizes and the arena size as macros, the array's declaration.
// With a model that has an integer plan, `integer_arena_bytes` (non-zero)
// adds its IntegerSession's arena size.
std::string c_header_text(const std::string& id, const Model& model, std::size_t bytes,
                          std::size_t integer_arena_bytes = 0);
// Text of BASE.c: `_Alignas(64) const unsigned char ID[N] = {...}` and its size.
std::string c_source_text(const std::string& identifier, const std::vector<std::uint8_t>& bytes);

}  // namespace grurt::convert
