// The C API: thin wrappers that place the C++ objects in the caller's storage.
#include "grurt/grurt.h"

#include <new>

#include "grurt/model.hpp"
#include "grurt/session.hpp"
#include "c_load_options.hpp"
#include "grurt/version.hpp"

namespace {

static_assert(sizeof(grurt::Model) <= sizeof(grurt_model), "grurt_model storage too small");
static_assert(sizeof(grurt::Session) <= sizeof(grurt_session), "grurt_session storage too small");
static_assert(alignof(grurt::Model) <= alignof(grurt_model), "grurt_model storage misaligned");
static_assert(alignof(grurt::Session) <= alignof(grurt_session), "grurt_session storage misaligned");

// Zero-filled storage is a valid "not loaded / not initialized" object: every
// member of Model and Session is null or zero by default.
const grurt::Model* as_model(const grurt_model* model) { return reinterpret_cast<const grurt::Model*>(model); }
grurt::Session* as_session(grurt_session* session) { return reinterpret_cast<grurt::Session*>(session); }
const grurt::Session* as_session(const grurt_session* session) {
  return reinterpret_cast<const grurt::Session*>(session);
}
grurt_status to_c(grurt::Status status) { return static_cast<grurt_status>(status); }

}  // namespace

extern "C" {

const char* grurt_version(void) { return grurt::kVersion; }

const char* grurt_status_name(grurt_status status) {
  return grurt::status_name(static_cast<grurt::Status>(status));
}

grurt_status grurt_model_load(grurt_model* model, const void* data, size_t size) {
  return grurt_model_load_with_options(model, data, size, nullptr);
}

grurt_status grurt_model_load_with_options(grurt_model* model, const void* data, size_t size,
                                           const grurt_load_options* options) {
  if (model == nullptr) return GRURT_NULL_ARGUMENT;
  return to_c((new (model) grurt::Model())->load(data, size, grurt::detail::to_load_options(options)));
}

const char* grurt_model_error(const grurt_model* model) {
  return model == nullptr ? "model pointer is null" : as_model(model)->error();
}

uint32_t grurt_model_input_size(const grurt_model* model) {
  return model == nullptr ? 0 : as_model(model)->input_size();
}

uint32_t grurt_model_output_size(const grurt_model* model) {
  return model == nullptr ? 0 : as_model(model)->output_size();
}

size_t grurt_model_arena_bytes(const grurt_model* model) {
  return model == nullptr ? 0 : as_model(model)->arena_bytes();
}

size_t grurt_model_state_size(const grurt_model* model) {
  return model == nullptr ? 0 : as_model(model)->state_size();
}

grurt_status grurt_session_init(grurt_session* session, const grurt_model* model, void* arena,
                                size_t arena_size) {
  if (session == nullptr) return GRURT_NULL_ARGUMENT;
  auto* placed = new (session) grurt::Session();
  if (model == nullptr) {
    static const grurt::Model kNoModel;
    return to_c(placed->init(kNoModel, arena, arena_size));
  }
  return to_c(placed->init(*as_model(model), arena, arena_size));
}

grurt_status grurt_session_step(grurt_session* session, const float* input, float* output) {
  return session == nullptr ? GRURT_NULL_ARGUMENT : to_c(as_session(session)->step(input, output));
}

grurt_status grurt_session_run(grurt_session* session, const float* inputs, float* outputs, size_t steps) {
  return session == nullptr ? GRURT_NULL_ARGUMENT : to_c(as_session(session)->run(inputs, outputs, steps));
}

grurt_status grurt_session_reset(grurt_session* session) {
  return session == nullptr ? GRURT_NULL_ARGUMENT : to_c(as_session(session)->reset());
}

grurt_status grurt_session_read_state(grurt_session* session, float* destination, size_t count) {
  return session == nullptr ? GRURT_NULL_ARGUMENT : to_c(as_session(session)->read_state(destination, count));
}

grurt_status grurt_session_write_state(grurt_session* session, const float* source, size_t count) {
  return session == nullptr ? GRURT_NULL_ARGUMENT : to_c(as_session(session)->write_state(source, count));
}

grurt_status grurt_session_refuse_non_finite_inputs(grurt_session* session, int refuse) {
  return session == nullptr ? GRURT_NULL_ARGUMENT : to_c(as_session(session)->refuse_non_finite_inputs(refuse != 0));
}

int grurt_session_state_is_finite(const grurt_session* session) {
  return session != nullptr && as_session(session)->state_is_finite() ? 1 : 0;
}

const char* grurt_session_error(const grurt_session* session) {
  return session == nullptr ? "session pointer is null" : as_session(session)->error();
}

}  // extern "C"
