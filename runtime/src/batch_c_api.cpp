// The C API of grurt::BatchSession (grurt.h): thin wrappers as in c_api.cpp.
#include <new>

#include "grurt/batch_session.hpp"
#include "grurt/grurt.h"
#include "grurt/model.hpp"

namespace {

static_assert(sizeof(grurt::BatchSession) <= sizeof(grurt_batch), "grurt_batch storage too small");
static_assert(alignof(grurt::BatchSession) <= alignof(grurt_batch), "grurt_batch storage misaligned");

grurt::BatchSession* as_batch(grurt_batch* batch) { return reinterpret_cast<grurt::BatchSession*>(batch); }
const grurt::Model& as_model(const grurt_model* model) {
  static const grurt::Model kNoModel;
  return model == nullptr ? kNoModel : *reinterpret_cast<const grurt::Model*>(model);
}
grurt_status to_c(grurt::Status status) { return static_cast<grurt_status>(status); }

}  // namespace

extern "C" {

size_t grurt_batch_arena_bytes(const grurt_model* model, uint32_t streams) {
  return grurt::BatchSession::arena_bytes(as_model(model), streams);
}

grurt_status grurt_batch_init(grurt_batch* batch, const grurt_model* model, uint32_t streams, void* arena,
                              size_t arena_size) {
  if (batch == nullptr) return GRURT_NULL_ARGUMENT;
  return to_c((new (batch) grurt::BatchSession())->init(as_model(model), streams, arena, arena_size));
}

grurt_status grurt_batch_step(grurt_batch* batch, const float* inputs, float* outputs) {
  return batch == nullptr ? GRURT_NULL_ARGUMENT : to_c(as_batch(batch)->step(inputs, outputs));
}

grurt_status grurt_batch_reset_stream(grurt_batch* batch, uint32_t stream) {
  return batch == nullptr ? GRURT_NULL_ARGUMENT : to_c(as_batch(batch)->reset(stream));
}

grurt_status grurt_batch_read_state(grurt_batch* batch, uint32_t stream, float* destination, size_t count) {
  return batch == nullptr ? GRURT_NULL_ARGUMENT : to_c(as_batch(batch)->read_state(stream, destination, count));
}

grurt_status grurt_batch_write_state(grurt_batch* batch, uint32_t stream, const float* source, size_t count) {
  return batch == nullptr ? GRURT_NULL_ARGUMENT : to_c(as_batch(batch)->write_state(stream, source, count));
}

const char* grurt_batch_error(const grurt_batch* batch) {
  return batch == nullptr ? "batch pointer is null" : reinterpret_cast<const grurt::BatchSession*>(batch)->error();
}

}  // extern "C"
