/* Bare-metal firmware for the integer path (grurt-convert --activations int16),
 * through the integer C API (grurt/grurt_integer.h): streams int16 inputs
 * through the model of the folder on the include path (gru_int16/: compiled in
 * with --emit-c; kws_int16/: model.S), one grurt_integer_session_step() per
 * time step, with one static arena sized by the model; prints the outputs over
 * semihosting and succeeds only if all equal, bit for bit, what grurt-run
 * --integer --int16 computed on the host. No float anywhere: on a Cortex-M3
 * the linked firmware has no floating-point routine (check_firmware.sh --no-float). */
#include <stdint.h>

#include "demo_model.h"
#include "demo_reference.h"
#include "grurt/grurt_integer.h"
#include "instruction_count.h"
#include "put_text.h"
#include "semihost.h"

static _Alignas(GRURT_ALIGNMENT) unsigned char arena[DEMO_MODEL_INTEGER_ARENA_BYTES];
static grurt_integer_model model;
static grurt_integer_session session;

/* Instructions one step executes on this core: the mean over
 * DEMO_REFERENCE_TIMED_STEPS steps (the loop and call included), counted under
 * QEMU's -icount (SysTick holds 2^24 ticks: fewer steps for a larger model). */
static void time_steps(void) {
  int16_t output[DEMO_MODEL_OUTPUT_SIZE];
  const uint32_t calibration = calibration_ticks();
  grurt_integer_session_reset(&session);
  ticks_start();
  for (int t = 0; t < DEMO_REFERENCE_TIMED_STEPS; ++t) {
    grurt_integer_session_step(&session, &demo_reference_inputs[(t % DEMO_REFERENCE_STEPS) * DEMO_MODEL_INPUT_SIZE],
                               output);
  }
  report_instructions_per_step(instructions_in(ticks_elapsed(), calibration), DEMO_REFERENCE_TIMED_STEPS);
}

int main(void) {
  if (grurt_integer_model_load(&model, demo_model, demo_model_size) != GRURT_OK) {
    return report_failure("load", grurt_integer_model_error(&model));
  }
  if (grurt_integer_session_init(&session, &model, arena, sizeof arena) != GRURT_OK) {
    return report_failure("init", grurt_integer_session_error(&session));
  }
  int mismatches = 0;
  for (int t = 0; t < DEMO_REFERENCE_STEPS; ++t) {
    int16_t output[DEMO_MODEL_OUTPUT_SIZE];
    if (grurt_integer_session_step(&session, &demo_reference_inputs[t * DEMO_MODEL_INPUT_SIZE], output) != GRURT_OK) {
      return report_failure("step", grurt_integer_session_error(&session));
    }
    char line[160];
    char* at = put_uint(put(line, "step "), (uint32_t)t);
    for (int o = 0; o < (int)DEMO_MODEL_OUTPUT_SIZE && o < 4; ++o) at = put_int(put(at, o ? ", " : ": "), output[o]);
    for (int o = 0; o < (int)DEMO_MODEL_OUTPUT_SIZE; ++o) {
      const int16_t expected = demo_reference_outputs[t * DEMO_MODEL_OUTPUT_SIZE + o];
      if (output[o] != expected) {
        at = put_int(put(put_int(put(put_uint(put(at, " (output "), (uint32_t)o), " is "), output[o]), ", expected "),
                     expected);
        at = put(at, ")");
        ++mismatches;
        break;
      }
    }
    *put(at, "\n") = '\0';
    semihost_write(line);
  }
  if (mismatches == 0) time_steps();
  char summary[96];
  *put(put(put_uint(put(summary, "firmware: "), (uint32_t)DEMO_REFERENCE_STEPS), " steps, "),
       mismatches == 0 ? "all match the host reference bit for bit\n" : "MISMATCHES against the host reference\n") =
      '\0';
  semihost_write(summary);
  return mismatches == 0 ? 0 : 1;
}
