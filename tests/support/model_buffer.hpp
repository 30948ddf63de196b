// Model bytes and arenas in 64-byte aligned memory, as the runtime requires:
// the tools library's AlignedBytes (runtime/tools/support/aligned_bytes.hpp says why).
#pragma once

#include "aligned_bytes.hpp"
#include "grurt/grurt.hpp"

namespace grurt::test {

using tools::AlignedBytes;

// A loaded model with its bytes and an initialised session with its arena.
struct Loaded {
  AlignedBytes bytes;
  Model model;
  AlignedBytes arena;
  Session session;
};

}  // namespace grurt::test
