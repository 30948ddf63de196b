// grurt::OwnedSession: a Session that allocates its own arena, once, for
// desktop and app code that has a heap. Header-only on purpose: the runtime
// library itself never allocates (firmware uses Session with a static arena).
#pragma once

#include <cstddef>
#include <new>

#include "grurt/session.hpp"

namespace grurt {

class OwnedSession {
 public:
  OwnedSession() = default;
  OwnedSession(const OwnedSession&) = delete;
  OwnedSession& operator=(const OwnedSession&) = delete;
  ~OwnedSession() { release(); }

  // Allocates exactly model.arena_bytes() (64-byte aligned) and initialises the
  // session. An allocation failure is reported as kArenaTooSmall, never thrown.
  Status init(const Model& model, Isa isa = Isa::kAuto) noexcept {
    release();
    if (!model.loaded()) return session_.init(model, nullptr, 0, isa);  // reports kNotLoaded
    arena_ = ::operator new(model.arena_bytes(), std::align_val_t{kModelAlignment}, std::nothrow);
    return session_.init(model, arena_, arena_ == nullptr ? 0 : model.arena_bytes(), isa);
  }

  Session& session() noexcept { return session_; }
  Status step(const float* input, float* output) noexcept { return session_.step(input, output); }
  Status reset() noexcept { return session_.reset(); }
  const char* error() const noexcept { return session_.error(); }

 private:
  void release() noexcept {
    if (arena_ != nullptr) ::operator delete(arena_, std::align_val_t{kModelAlignment}, std::nothrow);
    arena_ = nullptr;
    session_ = Session{};
  }

  Session session_;
  void* arena_ = nullptr;
};

}  // namespace grurt
