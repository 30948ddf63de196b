/* Streams stdin (one step per line, comma-separated) through the model that
 * grurt-convert --emit-c wrote as emitted_model.h/.c, with a static arena of
 * EMITTED_MODEL_ARENA_BYTES: what a firmware does, minus the board. */
#include <stdio.h>
#include <stdlib.h>

#include "emitted_model.h"
#include "grurt/grurt.h"

static _Alignas(GRURT_ALIGNMENT) unsigned char arena[EMITTED_MODEL_ARENA_BYTES];
static grurt_model model;
static grurt_session session;

int main(void) {
  if (grurt_model_load(&model, emitted_model, emitted_model_size) != GRURT_OK) {
    fprintf(stderr, "load: %s\n", grurt_model_error(&model));
    return 1;
  }
  if (grurt_model_arena_bytes(&model) != EMITTED_MODEL_ARENA_BYTES ||
      grurt_model_input_size(&model) != EMITTED_MODEL_INPUT_SIZE ||
      grurt_model_output_size(&model) != EMITTED_MODEL_OUTPUT_SIZE ||
      grurt_model_state_size(&model) != EMITTED_MODEL_STATE_SIZE || emitted_model_size != EMITTED_MODEL_MODEL_BYTES) {
    fprintf(stderr, "the emitted macros disagree with the loaded model\n");
    return 1;
  }
  if (grurt_session_init(&session, &model, arena, sizeof arena) != GRURT_OK) {
    fprintf(stderr, "init: %s\n", grurt_session_error(&session));
    return 1;
  }
  float input[EMITTED_MODEL_INPUT_SIZE], output[EMITTED_MODEL_OUTPUT_SIZE];
  char line[4096];
  while (fgets(line, sizeof line, stdin) != NULL) {
    char* cursor = line;
    for (unsigned i = 0; i < EMITTED_MODEL_INPUT_SIZE; ++i) {
      input[i] = strtof(cursor, &cursor);
      if (*cursor == ',') ++cursor;
    }
    if (grurt_session_step(&session, input, output) != GRURT_OK) return 1;
    for (unsigned o = 0; o < EMITTED_MODEL_OUTPUT_SIZE; ++o) printf(o ? ",%.9g" : "%.9g", output[o]);
    printf("\n");
  }
  return 0;
}
