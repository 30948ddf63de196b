/* grurt C API: the same Model/Session runtime for C firmware and other languages.
 *
 * No function allocates: the caller owns the model buffer, the model and
 * session objects (plain structs, e.g. static) and the arena. Every function
 * that can fail returns a grurt_status; grurt_model_error() and
 * grurt_session_error() then hold a message saying what and where.
 *
 *   alignas(64) static const unsigned char model_data[] = { ... };
 *   static grurt_model model;
 *   static grurt_session session;
 *   alignas(64) static unsigned char arena[4096];
 *
 *   if (grurt_model_load(&model, model_data, sizeof model_data) != GRURT_OK) puts(grurt_model_error(&model));
 *   if (grurt_session_init(&session, &model, arena, sizeof arena) != GRURT_OK) puts(grurt_session_error(&session));
 *   grurt_session_step(&session, input, output);  // once per time step
 */
#ifndef GRURT_GRURT_H
#define GRURT_GRURT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Values equal grurt::Status in status.hpp. */
typedef enum grurt_status {
  GRURT_OK = 0,
  GRURT_NULL_ARGUMENT = 1,
  GRURT_EMPTY_BUFFER = 2,
  GRURT_TRUNCATED = 3,
  GRURT_BAD_IDENTIFIER = 4,
  GRURT_CORRUPT_FILE = 5,
  GRURT_UNSUPPORTED_VERSION = 6,
  GRURT_MISALIGNED_BUFFER = 7,
  GRURT_INVALID_MODEL = 8,
  GRURT_UNSUPPORTED_LAYER = 9,
  GRURT_UNSUPPORTED_TENSOR = 10,
  GRURT_MISSING_TENSOR = 11,
  GRURT_SHAPE_MISMATCH = 12,
  GRURT_DIMENSION_MISMATCH = 13,
  GRURT_ARENA_TOO_SMALL = 14,
  GRURT_ARENA_MISALIGNED = 15,
  GRURT_NOT_LOADED = 16,
  GRURT_NOT_INITIALIZED = 17,
  GRURT_SIZE_MISMATCH = 18,
  GRURT_ISA_UNAVAILABLE = 19,
  GRURT_NON_FINITE_VALUE = 20
} grurt_status;

/* Alignment required of the model buffer and of the arena. */
#define GRURT_ALIGNMENT 64

/* Opaque storage for a grurt::Model / grurt::Session. Sizes are checked
 * against the C++ classes at compile time; zero-initialise (static storage
 * does) so that use before load/init is reported instead of undefined. */
typedef struct grurt_model {
  uint64_t opaque[48];
} grurt_model;

typedef struct grurt_session {
  uint64_t opaque[48];
} grurt_session;

typedef struct grurt_batch {
  uint64_t opaque[48];
} grurt_batch;

/* "0.1.0" */
const char* grurt_version(void);
/* Short readable name of a status, e.g. "shape mismatch". */
const char* grurt_status_name(grurt_status status);

/* Verifies `data` (size bytes: the file's exact length; 64-byte aligned, kept
 * alive by the caller) as a .grurt model, its CRC-32C included when the file
 * has one (a mismatch is GRURT_CORRUPT_FILE; files of grurt-convert 0.1.0 have
 * none and load). */
grurt_status grurt_model_load(grurt_model* model, const void* data, size_t size);

/* What grurt_model_load_with_options does with the file's CRC-32C; all zero
 * (or a NULL pointer) is grurt_model_load's behaviour (grurt::LoadOptions). */
typedef struct grurt_load_options {
  /* Nonzero: do not compute it (the caller verified the same bytes another
   * way, e.g. a signature checked by its updater). */
  int skip_checksum;
  /* Nonzero: refuse a file without one (GRURT_CORRUPT_FILE), for a device
   * that only receives files written by a converter that stores it. */
  int require_checksum;
} grurt_load_options;
grurt_status grurt_model_load_with_options(grurt_model* model, const void* data, size_t size,
                                           const grurt_load_options* options);
/* Message of the last failed load ("" after success); never NULL. */
const char* grurt_model_error(const grurt_model* model);
/* Sizes of a loaded model (0 if model is NULL or not loaded). */
uint32_t grurt_model_input_size(const grurt_model* model);
uint32_t grurt_model_output_size(const grurt_model* model);
/* Exact arena bytes one session needs. */
size_t grurt_model_arena_bytes(const grurt_model* model);
/* Floats of recurrent state: every recurrent layer's, in layer order (GRU, RNN: h;
 * LSTM: h then c). */
size_t grurt_model_state_size(const grurt_model* model);

/* Prepares a session in `arena` (64-byte aligned, >= grurt_model_arena_bytes)
 * with zero state. The model must outlive the session. */
grurt_status grurt_session_init(grurt_session* session, const grurt_model* model, void* arena,
                                size_t arena_size);
/* One time step: input[input_size] -> output[output_size]; state carries over. */
grurt_status grurt_session_step(grurt_session* session, const float* input, float* output);
/* `steps` time steps at once: inputs[steps][input_size] -> outputs[steps][output_size];
 * the same results as calling grurt_session_step for each, faster for audio blocks. */
grurt_status grurt_session_run(grurt_session* session, const float* inputs, float* outputs, size_t steps);
/* Returns the state to its start: the initial state stored in the model, zeros where it has none. */
grurt_status grurt_session_reset(grurt_session* session);
/* Copies the state out / in; count must equal grurt_model_state_size().
 * write_state refuses NaN and infinity (GRURT_NON_FINITE_VALUE). */
grurt_status grurt_session_read_state(grurt_session* session, float* destination, size_t count);
grurt_status grurt_session_write_state(grurt_session* session, const float* source, size_t count);
/* Non-finite values (NaN, infinity). By default inputs are not checked and a
 * NaN input poisons the state until reset or write_state. With refuse != 0
 * (after init, which turns it off) step and run return GRURT_NON_FINITE_VALUE
 * for an input holding NaN or infinity and leave state and outputs untouched. */
grurt_status grurt_session_refuse_non_finite_inputs(grurt_session* session, int refuse);
/* 1 when the session is initialised and its state holds no NaN or infinity,
 * else 0; a poisoned state is recovered with reset or write_state. */
int grurt_session_state_is_finite(const grurt_session* session);
/* Message of the last failed session call; never NULL. */
const char* grurt_session_error(const grurt_session* session);

/* Many streams of one model stepped together (grurt::BatchSession): each
 * weight is read once for up to 8 streams (1 on microcontrollers); each stream's outputs and state
 * are bit for bit what a session stepping it alone gives.
 * Exact arena bytes for `streams` streams (0: model not loaded, streams 0 or
 * above 65536, or too large for size_t). */
size_t grurt_batch_arena_bytes(const grurt_model* model, uint32_t streams);
grurt_status grurt_batch_init(grurt_batch* batch, const grurt_model* model, uint32_t streams, void* arena,
                              size_t arena_size);
/* One step of every stream: inputs[streams][input_size] -> outputs[streams][output_size]. */
grurt_status grurt_batch_step(grurt_batch* batch, const float* inputs, float* outputs);
/* One stream's state back to the model's initial state. */
grurt_status grurt_batch_reset_stream(grurt_batch* batch, uint32_t stream);
/* One stream's state out / in, as grurt_session_read_state / write_state. */
grurt_status grurt_batch_read_state(grurt_batch* batch, uint32_t stream, float* destination, size_t count);
grurt_status grurt_batch_write_state(grurt_batch* batch, uint32_t stream, const float* source, size_t count);
/* Message of the last failed batch call; never NULL. */
const char* grurt_batch_error(const grurt_batch* batch);

#ifdef __cplusplus
}
#endif

#endif /* GRURT_GRURT_H */
