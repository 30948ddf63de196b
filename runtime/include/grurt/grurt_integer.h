/* grurt C API for the integer path (grurt-convert --activations int16): the
 * IntegerModel/IntegerSession of grurt/integer_session.hpp for C firmware on
 * cores without an FPU. int16 inputs, outputs and state; no floating point in
 * any call; no function allocates.
 *
 *   alignas(64) static const unsigned char model_data[] = { ... };  // --emit-c
 *   static grurt_integer_model model;
 *   static grurt_integer_session session;
 *   alignas(64) static unsigned char arena[MODEL_INTEGER_ARENA_BYTES];
 *
 *   if (grurt_integer_model_load(&model, model_data, sizeof model_data) != GRURT_OK) ...
 *   if (grurt_integer_session_init(&session, &model, arena, sizeof arena) != GRURT_OK) ...
 *   grurt_integer_session_step(&session, input, output);  // int16_t, once per time step
 *
 * What the int16 values mean: input x = q * input scale, output y = q * output
 * scale (grurt-info prints both; a GRU's state is h in Q15, q / 32768). */
#ifndef GRURT_GRURT_INTEGER_H
#define GRURT_GRURT_INTEGER_H

#include <stddef.h>
#include <stdint.h>

#include "grurt/grurt.h" /* grurt_status, GRURT_ALIGNMENT */

#ifdef __cplusplus
extern "C" {
#endif

/* Opaque storage for a grurt::IntegerModel / grurt::IntegerSession (sizes
 * checked at compile time); zero-initialise (static storage does). */
typedef struct grurt_integer_model {
  uint64_t opaque[36];
} grurt_integer_model;

typedef struct grurt_integer_session {
  uint64_t opaque[36];
} grurt_integer_session;

/* Verifies `data` (64-byte aligned, kept alive) as a model with an integer plan,
 * its CRC-32C included as grurt_model_load does. */
grurt_status grurt_integer_model_load(grurt_integer_model* model, const void* data, size_t size);
/* The same with grurt_load_options (grurt.h; NULL: the defaults). */
grurt_status grurt_integer_model_load_with_options(grurt_integer_model* model, const void* data, size_t size,
                                                   const grurt_load_options* options);
/* Message of the last failed load ("" after success); never NULL. */
const char* grurt_integer_model_error(const grurt_integer_model* model);
/* Sizes of a loaded model (0 if model is NULL or not loaded). */
uint32_t grurt_integer_model_input_size(const grurt_integer_model* model);
uint32_t grurt_integer_model_output_size(const grurt_integer_model* model);
/* Exact arena bytes one session needs, and int16 values of state (each GRU's h). */
size_t grurt_integer_model_arena_bytes(const grurt_integer_model* model);
size_t grurt_integer_model_state_size(const grurt_integer_model* model);

/* Prepares a session in `arena` (64-byte aligned, >= the arena bytes) with zero state. */
grurt_status grurt_integer_session_init(grurt_integer_session* session, const grurt_integer_model* model,
                                        void* arena, size_t arena_size);
/* One time step: input[input_size] -> output[output_size] (may alias); -32768 is read as -32767. */
grurt_status grurt_integer_session_step(grurt_integer_session* session, const int16_t* input, int16_t* output);
grurt_status grurt_integer_session_reset(grurt_integer_session* session);
/* count must equal grurt_integer_model_state_size(). */
grurt_status grurt_integer_session_read_state(grurt_integer_session* session, int16_t* destination, size_t count);
grurt_status grurt_integer_session_write_state(grurt_integer_session* session, const int16_t* source, size_t count);
/* Message of the last failed session call; never NULL. */
const char* grurt_integer_session_error(const grurt_integer_session* session);

#ifdef __cplusplus
}
#endif

#endif /* GRURT_GRURT_INTEGER_H */
