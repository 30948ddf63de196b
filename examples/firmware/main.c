/* Bare-metal firmware: streams a fixed input through a demo model compiled
 * in with grurt-convert --emit-c, one step() per sample, with one static arena
 * sized by the model; prints every output over semihosting and succeeds only if
 * all match the reference computed on the host by grurt-run. The model is the
 * demo_model.h of the folder on the include path (gru/ or lstm/, CMakeLists.txt). */
#include <math.h>
#include <stdint.h>

#include "demo_model.h"
#include "demo_reference.h"
#include "grurt/grurt.h"
#include "instruction_count.h"
#include "put_text.h"
#include "semihost.h"

static _Alignas(GRURT_ALIGNMENT) unsigned char arena[DEMO_MODEL_ARENA_BYTES];
static grurt_model model;
static grurt_session session;

/* Fixed point with 7 decimals: enough to see agreement to 1e-5. */
static char* put_float(char* at, float value) {
  if (value < 0) {
    *at++ = '-';
    value = -value;
  }
  const uint32_t whole = (uint32_t)value;
  uint32_t fraction = (uint32_t)((value - (float)whole) * 1e7f + 0.5f);
  at = put_uint(at, whole);
  *at++ = '.';
  for (uint32_t scale = 1000000; scale > 0; scale /= 10) {
    *at++ = (char)('0' + (fraction / scale) % 10);
  }
  return at;
}

/* Instructions one step() executes on this core: the mean over kTimedSteps
 * steps (the loop and call included), counted under QEMU's -icount. */
static void time_steps(void) {
  enum { kTimedSteps = 1000 };
  float output[DEMO_MODEL_OUTPUT_SIZE];
  const uint32_t calibration = calibration_ticks();
  grurt_session_reset(&session);
  ticks_start();
  for (int t = 0; t < kTimedSteps; ++t) {
    grurt_session_step(&session, &demo_reference_inputs[(t % DEMO_REFERENCE_STEPS) * DEMO_MODEL_INPUT_SIZE], output);
  }
  report_instructions_per_step(instructions_in(ticks_elapsed(), calibration), kTimedSteps);
}

int main(void) {
  if (grurt_model_load(&model, demo_model, demo_model_size) != GRURT_OK) {
    return report_failure("load", grurt_model_error(&model));
  }
  if (grurt_session_init(&session, &model, arena, sizeof arena) != GRURT_OK) {
    return report_failure("init", grurt_session_error(&session));
  }
  int mismatches = 0;
  for (int t = 0; t < DEMO_REFERENCE_STEPS; ++t) {
    float output[DEMO_MODEL_OUTPUT_SIZE];
    if (grurt_session_step(&session, &demo_reference_inputs[t * DEMO_MODEL_INPUT_SIZE], output) != GRURT_OK) {
      return report_failure("step", grurt_session_error(&session));
    }
    char line[96];
    char* at = put_uint(put(line, "step "), (uint32_t)t);
    for (int o = 0; o < DEMO_MODEL_OUTPUT_SIZE; ++o) {
      const float expected = demo_reference_outputs[t * DEMO_MODEL_OUTPUT_SIZE + o];
      at = put_float(put(at, o ? ", " : ": "), output[o]);
      if (!(fabsf(output[o] - expected) <= 1e-5f)) {
        at = put_float(put(at, " (expected "), expected);
        at = put(at, ")");
        ++mismatches;
      }
    }
    *put(at, "\n") = '\0';
    semihost_write(line);
  }
  if (mismatches == 0) time_steps();
  char summary[80];
  *put(put(put_uint(put(summary, "firmware: "), (uint32_t)DEMO_REFERENCE_STEPS), " steps, "),
       mismatches == 0 ? "all match the host reference\n" : "MISMATCHES against the host reference\n") = '\0';
  semihost_write(summary);
  return mismatches == 0 ? 0 : 1;
}
