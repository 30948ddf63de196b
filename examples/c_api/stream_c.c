/* A C program that streams one input value per line of standard input through
 * a .grurt model with the C API, printing one output line per step.
 * Everything is static: no heap in the runtime, no malloc here.
 *
 *   build/bin/grurt-convert examples/models/demo.pt -o build/demo.grurt
 *   build/bin/stream_c build/demo.grurt < examples/models/demo_input.csv
 */
#include <stdio.h>
#include <stdlib.h>

#include "grurt/grurt.h"

enum { kMaxModelBytes = 1 << 20, kArenaBytes = 64 * 1024, kMaxWidth = 256 };

static _Alignas(GRURT_ALIGNMENT) unsigned char model_bytes[kMaxModelBytes];
static _Alignas(GRURT_ALIGNMENT) unsigned char arena[kArenaBytes];
static grurt_model model;
static grurt_session session;

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: stream_c MODEL.grurt < INPUT (one step per line, values separated by commas)\n");
    return 2;
  }
  FILE* file = fopen(argv[1], "rb");
  if (file == NULL) {
    fprintf(stderr, "stream_c: cannot open %s\n", argv[1]);
    return 1;
  }
  const size_t size = fread(model_bytes, 1, sizeof model_bytes, file);
  fclose(file);

  if (grurt_model_load(&model, model_bytes, size) != GRURT_OK) {
    fprintf(stderr, "stream_c: %s\n", grurt_model_error(&model));
    return 1;
  }
  if (grurt_model_input_size(&model) > kMaxWidth || grurt_model_output_size(&model) > kMaxWidth) {
    fprintf(stderr, "stream_c: this example handles at most %d inputs and outputs\n", kMaxWidth);
    return 1;
  }
  if (grurt_session_init(&session, &model, arena, sizeof arena) != GRURT_OK) {
    fprintf(stderr, "stream_c: %s\n", grurt_session_error(&session));
    return 1;
  }

  float input[kMaxWidth], output[kMaxWidth];
  const unsigned inputs = grurt_model_input_size(&model), outputs = grurt_model_output_size(&model);
  char line[4096];
  while (fgets(line, sizeof line, stdin) != NULL) {
    if (line[0] == '#' || line[0] == '\n') continue;
    char* cursor = line;
    for (unsigned i = 0; i < inputs; ++i) {
      input[i] = strtof(cursor, &cursor);
      if (*cursor == ',') ++cursor;
    }
    if (grurt_session_step(&session, input, output) != GRURT_OK) {
      fprintf(stderr, "stream_c: %s\n", grurt_session_error(&session));
      return 1;
    }
    for (unsigned o = 0; o < outputs; ++o) printf(o ? ",%.9g" : "%.9g", output[o]);
    printf("\n");
  }
  return 0;
}
