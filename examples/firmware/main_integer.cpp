/* Bare-metal firmware for the integer path (grurt-convert --activations int16):
 * streams int16 inputs through the model compiled in with --emit-c, one
 * IntegerSession::step() per sample, with one static arena sized by the model;
 * prints every output over semihosting and succeeds only if all equal, bit for
 * bit, what grurt-run --integer --int16 computed on the host. No float in
 * sight: on a Cortex-M3 the linked firmware has no floating-point routine
 * (check_firmware.sh --no-float). The model is the demo_model.h of the folder
 * on the include path (gru_int16/, CMakeLists.txt). */
#include <stdint.h>

#include "demo_model.h"
#include "demo_reference.h"
#include "grurt/integer_session.hpp"
extern "C" {
#include "instruction_count.h"
#include "put_text.h"
#include "semihost.h"
}

/* C linkage: check_firmware.sh finds the arena by its name. */
extern "C" {
alignas(64) unsigned char arena[DEMO_MODEL_INTEGER_ARENA_BYTES];
}

namespace {

grurt::IntegerModel model;
grurt::IntegerSession session;

char* put_int(char* at, int32_t value) {
  if (value < 0) *at++ = '-';
  return put_uint(at, value < 0 ? static_cast<uint32_t>(-value) : static_cast<uint32_t>(value));
}

int fail(const char* what, const char* detail) {
  char line[256];
  char* at = put(put(put(line, "firmware: "), what), ": ");
  *put(put(at, detail), "\n") = '\0';
  semihost_write(line);
  return 1;
}

/* Instructions one step() executes on this core: the mean over kTimedSteps
 * steps (the loop and call included), counted under QEMU's -icount. */
void report_instructions_per_step() {
  constexpr int kTimedSteps = DEMO_REFERENCE_TIMED_STEPS;
  int16_t output[DEMO_MODEL_OUTPUT_SIZE];
  const uint32_t calibration = calibration_ticks();
  session.reset();
  ticks_start();
  for (int t = 0; t < kTimedSteps; ++t) {
    session.step(&demo_reference_inputs[(t % DEMO_REFERENCE_STEPS) * DEMO_MODEL_INPUT_SIZE], output);
  }
  const uint64_t instructions = instructions_in(ticks_elapsed(), calibration);
  char line[128];
  char* at = put(line, "firmware: ");
  if (instructions == 0) {
    at = put(at, "SysTick does not count here: instructions per step() unknown\n");
  } else {
    at = put_uint(at, static_cast<uint32_t>((instructions + kTimedSteps / 2) / kTimedSteps));
    at = put(put_uint(put(at, " instructions per step() (mean of "), kTimedSteps),
             " steps; exact under qemu -icount shift=0)\n");
  }
  *at = '\0';
  semihost_write(line);
}

}  // namespace

int main() {
  if (model.load(demo_model, demo_model_size) != grurt::Status::kOk) return fail("load", model.error());
  if (session.init(model, arena, sizeof arena) != grurt::Status::kOk) return fail("init", session.error());
  int mismatches = 0;
  for (int t = 0; t < DEMO_REFERENCE_STEPS; ++t) {
    int16_t output[DEMO_MODEL_OUTPUT_SIZE];
    if (session.step(&demo_reference_inputs[t * DEMO_MODEL_INPUT_SIZE], output) != grurt::Status::kOk) {
      return fail("step", session.error());
    }
    char line[160];
    char* at = put_uint(put(line, "step "), static_cast<uint32_t>(t));
    for (int o = 0; o < DEMO_MODEL_OUTPUT_SIZE && o < 4; ++o) at = put_int(put(at, o ? ", " : ": "), output[o]);
    for (int o = 0; o < DEMO_MODEL_OUTPUT_SIZE; ++o) {
      const int16_t expected = demo_reference_outputs[t * DEMO_MODEL_OUTPUT_SIZE + o];
      if (output[o] != expected) {
        at = put_int(put(put_int(put(put_uint(put(at, " (output "), static_cast<uint32_t>(o)), " is "), output[o]),
                         ", expected "),
                     expected);
        at = put(at, ")");
        ++mismatches;
        break;
      }
    }
    *put(at, "\n") = '\0';
    semihost_write(line);
  }
  if (mismatches == 0) report_instructions_per_step();
  char summary[96];
  *put(put(put_uint(put(summary, "firmware: "), static_cast<uint32_t>(DEMO_REFERENCE_STEPS)), " steps, "),
       mismatches == 0 ? "all match the host reference bit for bit\n" : "MISMATCHES against the host reference\n") =
      '\0';
  semihost_write(summary);
  return mismatches == 0 ? 0 : 1;
}
