// The integer path's C API (grurt/grurt_integer.h): thin wrappers that place
// the C++ objects in the caller's storage. A file of its own, so a firmware on
// the integer path links neither the float C API nor the float runtime.
#include <new>

#include "c_load_options.hpp"
#include "grurt/grurt_integer.h"
#include "grurt/integer_session.hpp"

namespace {

static_assert(sizeof(grurt::IntegerModel) <= sizeof(grurt_integer_model), "grurt_integer_model storage too small");
static_assert(sizeof(grurt::IntegerSession) <= sizeof(grurt_integer_session),
              "grurt_integer_session storage too small");
static_assert(alignof(grurt::IntegerModel) <= alignof(grurt_integer_model), "grurt_integer_model misaligned");
static_assert(alignof(grurt::IntegerSession) <= alignof(grurt_integer_session), "grurt_integer_session misaligned");

// Zero-filled storage is a valid "not loaded / not initialized" object.
const grurt::IntegerModel* as_model(const grurt_integer_model* model) {
  return reinterpret_cast<const grurt::IntegerModel*>(model);
}
grurt::IntegerSession* as_session(grurt_integer_session* session) {
  return reinterpret_cast<grurt::IntegerSession*>(session);
}
grurt_status to_c(grurt::Status status) { return static_cast<grurt_status>(status); }

}  // namespace

extern "C" {

grurt_status grurt_integer_model_load(grurt_integer_model* model, const void* data, size_t size) {
  return grurt_integer_model_load_with_options(model, data, size, nullptr);
}

grurt_status grurt_integer_model_load_with_options(grurt_integer_model* model, const void* data, size_t size,
                                                   const grurt_load_options* options) {
  if (model == nullptr) return GRURT_NULL_ARGUMENT;
  return to_c((new (model) grurt::IntegerModel())->load(data, size, grurt::detail::to_load_options(options)));
}

const char* grurt_integer_model_error(const grurt_integer_model* model) {
  return model == nullptr ? "model pointer is null" : as_model(model)->error();
}

uint32_t grurt_integer_model_input_size(const grurt_integer_model* model) {
  return model == nullptr ? 0 : as_model(model)->input_size();
}

uint32_t grurt_integer_model_output_size(const grurt_integer_model* model) {
  return model == nullptr ? 0 : as_model(model)->output_size();
}

size_t grurt_integer_model_arena_bytes(const grurt_integer_model* model) {
  return model == nullptr ? 0 : as_model(model)->arena_bytes();
}

size_t grurt_integer_model_state_size(const grurt_integer_model* model) {
  return model == nullptr ? 0 : as_model(model)->state_size();
}

grurt_status grurt_integer_session_init(grurt_integer_session* session, const grurt_integer_model* model,
                                        void* arena, size_t arena_size) {
  if (session == nullptr || model == nullptr) return GRURT_NULL_ARGUMENT;
  return to_c((new (session) grurt::IntegerSession())->init(*as_model(model), arena, arena_size));
}

grurt_status grurt_integer_session_step(grurt_integer_session* session, const int16_t* input, int16_t* output) {
  return session == nullptr ? GRURT_NULL_ARGUMENT : to_c(as_session(session)->step(input, output));
}

grurt_status grurt_integer_session_reset(grurt_integer_session* session) {
  return session == nullptr ? GRURT_NULL_ARGUMENT : to_c(as_session(session)->reset());
}

grurt_status grurt_integer_session_read_state(grurt_integer_session* session, int16_t* destination, size_t count) {
  return session == nullptr ? GRURT_NULL_ARGUMENT : to_c(as_session(session)->read_state(destination, count));
}

grurt_status grurt_integer_session_write_state(grurt_integer_session* session, const int16_t* source, size_t count) {
  return session == nullptr ? GRURT_NULL_ARGUMENT : to_c(as_session(session)->write_state(source, count));
}

const char* grurt_integer_session_error(const grurt_integer_session* session) {
  return session == nullptr ? "session pointer is null"
                            : reinterpret_cast<const grurt::IntegerSession*>(session)->error();
}

}  // extern "C"
