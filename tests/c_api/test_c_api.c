/* The C API from C: load, init, step against a double-precision reference,
 * state read/write/reset, and every error a C caller can make.
 * usage: test_c_api MODEL.grurt (written by make_formula_model). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "formula_weights.h"
#include "grurt/grurt.h"

static int failures = 0;

#define CHECK(cond)                                                  \
  do {                                                               \
    if (!(cond)) {                                                   \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                    \
    }                                                                \
  } while (0)

static _Alignas(64) unsigned char model_bytes[64 * 1024];
static _Alignas(64) unsigned char arena[16 * 1024];

static double sigmoid(double v) { return 1.0 / (1.0 + exp(-v)); }

/* One step of GRU(3 -> 5, reset_after) + Dense(5 -> 2, tanh), from the formulas. */
static void reference_step(double h[FORMULA_H], const float x[FORMULA_I], double y[FORMULA_O]) {
  const int H = FORMULA_H, I = FORMULA_I;
  double next[FORMULA_H];
  for (int i = 0; i < H; ++i) {
    double g[3], rec[3];
    for (int gate = 0; gate < 3; ++gate) {
      const int row = gate * H + i;
      g[gate] = formula_weight(TENSOR_BW, row);
      rec[gate] = formula_weight(TENSOR_BR, row);
      for (int j = 0; j < I; ++j) g[gate] += formula_weight(TENSOR_W, row * I + j) * x[j];
      for (int j = 0; j < H; ++j) rec[gate] += formula_weight(TENSOR_R, row * H + j) * h[j];
    }
    const double r = sigmoid(g[0] + rec[0]);
    const double z = sigmoid(g[1] + rec[1]);
    const double n = tanh(g[2] + r * rec[2]);
    next[i] = (1.0 - z) * n + z * h[i];
  }
  memcpy(h, next, sizeof next);
  for (int o = 0; o < FORMULA_O; ++o) {
    double sum = formula_weight(TENSOR_DENSE_B, o);
    for (int j = 0; j < H; ++j) sum += formula_weight(TENSOR_DENSE_W, o * H + j) * h[j];
    y[o] = tanh(sum);
  }
}

static size_t read_model(const char* path) {
  FILE* f = fopen(path, "rb");
  if (f == NULL) return 0;
  const size_t size = fread(model_bytes, 1, sizeof model_bytes, f);
  fclose(f);
  return size;
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: test_c_api MODEL.grurt\n");
    return 2;
  }
  const size_t size = read_model(argv[1]);
  CHECK(size > 0);

  static grurt_model model; /* static: zero-initialised */
  static grurt_session session;
  float in[FORMULA_I] = {0}, out[FORMULA_O] = {0};

  /* Use before load/init is reported, not undefined. */
  CHECK(grurt_model_arena_bytes(&model) == 0);
  CHECK(grurt_session_step(&session, in, out) == GRURT_NOT_INITIALIZED);
  CHECK(strstr(grurt_session_error(&session), "not initialized") != NULL);
  {
    float state_before_init[1];
    CHECK(grurt_session_run(&session, in, out, 1) == GRURT_NOT_INITIALIZED);
    CHECK(grurt_session_reset(&session) == GRURT_NOT_INITIALIZED);
    CHECK(grurt_session_read_state(&session, state_before_init, 1) == GRURT_NOT_INITIALIZED);
    CHECK(grurt_session_write_state(&session, state_before_init, 1) == GRURT_NOT_INITIALIZED);
    CHECK(grurt_session_refuse_non_finite_inputs(&session, 1) == GRURT_NOT_INITIALIZED);
    CHECK(grurt_session_state_is_finite(&session) == 0);
    CHECK(grurt_model_input_size(&model) == 0 && grurt_model_state_size(&model) == 0);
  }
  CHECK(grurt_session_init(&session, &model, arena, sizeof arena) == GRURT_NOT_LOADED);

  /* Null arguments. */
  CHECK(grurt_model_load(NULL, model_bytes, size) == GRURT_NULL_ARGUMENT);
  CHECK(grurt_model_load(&model, NULL, size) == GRURT_NULL_ARGUMENT);
  CHECK(grurt_session_init(NULL, &model, arena, sizeof arena) == GRURT_NULL_ARGUMENT);
  CHECK(grurt_session_init(&session, NULL, arena, sizeof arena) == GRURT_NOT_LOADED);
  CHECK(grurt_session_step(NULL, in, out) == GRURT_NULL_ARGUMENT);
  CHECK(grurt_session_reset(NULL) == GRURT_NULL_ARGUMENT);
  CHECK(grurt_session_read_state(NULL, out, 1) == GRURT_NULL_ARGUMENT);
  CHECK(grurt_session_write_state(NULL, out, 1) == GRURT_NULL_ARGUMENT);
  CHECK(grurt_session_refuse_non_finite_inputs(NULL, 1) == GRURT_NULL_ARGUMENT);
  CHECK(grurt_session_state_is_finite(NULL) == 0);
  CHECK(strcmp(grurt_session_error(NULL), "session pointer is null") == 0);
  CHECK(grurt_model_input_size(NULL) == 0 && grurt_model_arena_bytes(NULL) == 0);
  CHECK(strcmp(grurt_model_error(NULL), "model pointer is null") == 0);

  /* Bad buffers. */
  CHECK(grurt_model_load(&model, model_bytes, 0) == GRURT_EMPTY_BUFFER);
  CHECK(grurt_model_load(&model, model_bytes + 1, size - 1) == GRURT_BAD_IDENTIFIER);
  CHECK(strstr(grurt_model_error(&model), "expected 'GRUT'") != NULL);
  CHECK(grurt_model_load(&model, model_bytes, size / 2) == GRURT_CORRUPT_FILE);

  /* A flipped bit in a weight: the structure is intact, the CRC-32C refuses
   * it; grurt_load_options.skip_checksum loads it (a caller that verified the
   * bytes otherwise). The weight is found by its value. */
  {
    const float first = (float)formula_weight(TENSOR_R, 1); /* nonzero, unlike W[0] = 0.5 sin(0) */
    size_t at = 0;
    while (at + sizeof first <= size && memcmp(model_bytes + at, &first, sizeof first) != 0) at += 4;
    CHECK(at + sizeof first <= size);
    model_bytes[at] ^= 1u;
    CHECK(grurt_model_load(&model, model_bytes, size) == GRURT_CORRUPT_FILE);
    CHECK(strstr(grurt_model_error(&model), "CRC-32C mismatch: the file stores 0x") != NULL);
    CHECK(grurt_model_load_with_options(&model, model_bytes, size, NULL) == GRURT_CORRUPT_FILE);
    grurt_load_options options = {0};
    CHECK(grurt_model_load_with_options(&model, model_bytes, size, &options) == GRURT_CORRUPT_FILE);
    options.skip_checksum = 1;
    CHECK(grurt_model_load_with_options(&model, model_bytes, size, &options) == GRURT_OK);
    model_bytes[at] ^= 1u;
    options.skip_checksum = 0;
    options.require_checksum = 1;
    CHECK(grurt_model_load_with_options(&model, model_bytes, size, &options) == GRURT_OK);
    CHECK(grurt_model_load_with_options(NULL, model_bytes, size, &options) == GRURT_NULL_ARGUMENT);
  }

  /* A good load. */
  CHECK(grurt_model_load(&model, model_bytes, size) == GRURT_OK);
  CHECK(strcmp(grurt_model_error(&model), "") == 0);
  CHECK(grurt_model_input_size(&model) == FORMULA_I);
  CHECK(grurt_model_output_size(&model) == FORMULA_O);
  CHECK(grurt_model_state_size(&model) == FORMULA_H);
  const size_t need = grurt_model_arena_bytes(&model);
  CHECK(need > 0 && need <= sizeof arena);

  /* Arena problems. */
  CHECK(grurt_session_init(&session, &model, arena, need - 1) == GRURT_ARENA_TOO_SMALL);
  CHECK(strstr(grurt_session_error(&session), "arena has") != NULL);
  CHECK(grurt_session_init(&session, &model, arena + 4, need) == GRURT_ARENA_MISALIGNED);
  CHECK(grurt_session_init(&session, &model, NULL, need) == GRURT_NULL_ARGUMENT);
  CHECK(grurt_session_init(&session, &model, arena, need) == GRURT_OK);

  /* Streaming against the reference. */
  double h[FORMULA_H] = {0}, expected[FORMULA_O];
  double worst = 0.0;
  for (int t = 0; t < 20; ++t) {
    for (int j = 0; j < FORMULA_I; ++j) in[j] = (float)cos(0.3 * t + j);
    CHECK(grurt_session_step(&session, in, out) == GRURT_OK);
    reference_step(h, in, expected);
    for (int o = 0; o < FORMULA_O; ++o) {
      const double d = fabs(out[o] - expected[o]);
      if (d > worst) worst = d;
    }
  }
  printf("C API: max |difference| against the double reference over 20 steps: %g\n", worst);
  CHECK(worst <= 1e-5);
  CHECK(grurt_session_step(&session, NULL, out) == GRURT_NULL_ARGUMENT);


  /* State: read equals the reference h; write and reset. */
  float state[FORMULA_H];
  CHECK(grurt_session_read_state(&session, state, FORMULA_H + 1) == GRURT_SIZE_MISMATCH);
  CHECK(grurt_session_read_state(&session, state, FORMULA_H) == GRURT_OK);
  for (int i = 0; i < FORMULA_H; ++i) CHECK(fabs(state[i] - h[i]) <= 1e-5);
  CHECK(grurt_session_reset(&session) == GRURT_OK);
  float zeros[FORMULA_H];
  CHECK(grurt_session_read_state(&session, zeros, FORMULA_H) == GRURT_OK);
  for (int i = 0; i < FORMULA_H; ++i) CHECK(zeros[i] == 0.0f);
  CHECK(grurt_session_write_state(&session, state, FORMULA_H) == GRURT_OK);
  CHECK(grurt_session_read_state(&session, zeros, FORMULA_H) == GRURT_OK);
  for (int i = 0; i < FORMULA_H; ++i) CHECK(zeros[i] == state[i]);

  /* run(): a block of steps gives what step() gives. */
  {
    float block_in[6 * FORMULA_I], block_out[6 * FORMULA_O], saved[FORMULA_H];
    for (int k = 0; k < 6 * FORMULA_I; ++k) block_in[k] = (float)sin(0.37 * k);
    CHECK(grurt_session_read_state(&session, saved, FORMULA_H) == GRURT_OK);
    CHECK(grurt_session_run(&session, block_in, block_out, 6) == GRURT_OK);
    CHECK(grurt_session_write_state(&session, saved, FORMULA_H) == GRURT_OK);
    for (int t = 0; t < 6; ++t) {
      CHECK(grurt_session_step(&session, block_in + t * FORMULA_I, out) == GRURT_OK);
      for (int o = 0; o < FORMULA_O; ++o) CHECK(out[o] == block_out[t * FORMULA_O + o]);
    }
    CHECK(grurt_session_run(NULL, block_in, block_out, 6) == GRURT_NULL_ARGUMENT);
  }

  /* Non-finite inputs: by default a NaN poisons the state until reset... */
  {
    float saved[FORMULA_H], now[FORMULA_H];
    const float finite_in[FORMULA_I] = {0.25f};
    CHECK(grurt_session_read_state(&session, saved, FORMULA_H) == GRURT_OK);
    CHECK(grurt_session_state_is_finite(&session) == 1);
    for (int j = 0; j < FORMULA_I; ++j) in[j] = (j == FORMULA_I - 1) ? NAN : 0.5f;
    CHECK(grurt_session_step(&session, in, out) == GRURT_OK);
    CHECK(grurt_session_state_is_finite(&session) == 0);
    CHECK(grurt_session_step(&session, finite_in, out) == GRURT_OK);
    CHECK(isnan(out[0]));
    CHECK(grurt_session_state_is_finite(&session) == 0); /* still poisoned */
    /* ...and is recovered by restoring a checkpoint (a NaN checkpoint is refused). */
    now[0] = INFINITY;
    for (int i = 1; i < FORMULA_H; ++i) now[i] = 0.0f;
    CHECK(grurt_session_write_state(&session, now, FORMULA_H) == GRURT_NON_FINITE_VALUE);
    CHECK(strstr(grurt_session_error(&session), "state value 0 is inf") != NULL);
    CHECK(grurt_session_write_state(&session, saved, FORMULA_H) == GRURT_OK);
    CHECK(grurt_session_state_is_finite(&session) == 1);
    /* With the check on, the NaN is refused and nothing changes. */
    CHECK(grurt_session_refuse_non_finite_inputs(&session, 1) == GRURT_OK);
    out[0] = 42.0f;
    CHECK(grurt_session_step(&session, in, out) == GRURT_NON_FINITE_VALUE);
    CHECK(strstr(grurt_session_error(&session), "is NaN") != NULL);
    CHECK(out[0] == 42.0f);
    CHECK(grurt_session_run(&session, in, out, 1) == GRURT_NON_FINITE_VALUE);
    CHECK(grurt_session_read_state(&session, now, FORMULA_H) == GRURT_OK);
    for (int i = 0; i < FORMULA_H; ++i) CHECK(now[i] == saved[i]);
    CHECK(grurt_session_step(&session, finite_in, out) == GRURT_OK);
    CHECK(!isnan(out[0]));
    CHECK(grurt_session_refuse_non_finite_inputs(&session, 0) == GRURT_OK);
  }

  /* A batch of 3 streams: each stream against the double reference, and bit
   * for bit against a session stepping the same inputs. */
  {
    enum { kStreams = 3 };
    static grurt_batch batch;
    static _Alignas(64) unsigned char batch_arena[32 * 1024];
    float batch_in[kStreams * FORMULA_I], batch_out[kStreams * FORMULA_O], batch_state[FORMULA_H];
    double hs[kStreams][FORMULA_H] = {{0}}, expect[FORMULA_O];
    const size_t batch_need = grurt_batch_arena_bytes(&model, kStreams);
    CHECK(batch_need > 0 && batch_need <= sizeof batch_arena);
    CHECK(grurt_batch_arena_bytes(&model, 0) == 0 && grurt_batch_arena_bytes(NULL, 2) == 0);
    CHECK(grurt_batch_step(&batch, batch_in, batch_out) == GRURT_NOT_INITIALIZED);
    CHECK(grurt_batch_init(&batch, &model, kStreams, batch_arena, batch_need - 1) == GRURT_ARENA_TOO_SMALL);
    CHECK(strstr(grurt_batch_error(&batch), "BatchSession::arena_bytes") != NULL);
    CHECK(grurt_batch_init(NULL, &model, kStreams, batch_arena, batch_need) == GRURT_NULL_ARGUMENT);
    CHECK(grurt_batch_init(&batch, NULL, kStreams, batch_arena, batch_need) == GRURT_NOT_LOADED);
    CHECK(grurt_batch_init(&batch, &model, kStreams, batch_arena, batch_need) == GRURT_OK);
    CHECK(grurt_session_reset(&session) == GRURT_OK);
    double worst_stream = 0.0;
    for (int t = 0; t < 10; ++t) {
      for (int k = 0; k < kStreams * FORMULA_I; ++k) batch_in[k] = (float)sin(0.21 * t + 0.9 * k);
      CHECK(grurt_batch_step(&batch, batch_in, batch_out) == GRURT_OK);
      CHECK(grurt_session_step(&session, batch_in + 2 * FORMULA_I, out) == GRURT_OK);
      for (int o = 0; o < FORMULA_O; ++o) CHECK(out[o] == batch_out[2 * FORMULA_O + o]);
      for (int s = 0; s < kStreams; ++s) {
        reference_step(hs[s], batch_in + s * FORMULA_I, expect);
        for (int o = 0; o < FORMULA_O; ++o) {
          const double d = fabs(batch_out[s * FORMULA_O + o] - expect[o]);
          if (d > worst_stream) worst_stream = d;
        }
      }
    }
    CHECK(worst_stream <= 1e-5);
    CHECK(grurt_batch_read_state(&batch, 1, batch_state, FORMULA_H) == GRURT_OK);
    for (int i = 0; i < FORMULA_H; ++i) CHECK(fabs(batch_state[i] - hs[1][i]) <= 1e-5);
    CHECK(grurt_batch_read_state(&batch, kStreams, batch_state, FORMULA_H) == GRURT_SIZE_MISMATCH);
    CHECK(strstr(grurt_batch_error(&batch), "stream 3 does not exist") != NULL);
    CHECK(grurt_batch_reset_stream(&batch, 1) == GRURT_OK);
    CHECK(grurt_batch_read_state(&batch, 1, batch_state, FORMULA_H) == GRURT_OK);
    for (int i = 0; i < FORMULA_H; ++i) CHECK(batch_state[i] == 0.0f);
    CHECK(grurt_batch_write_state(&batch, 0, batch_state, FORMULA_H + 1) == GRURT_SIZE_MISMATCH);
    CHECK(grurt_batch_write_state(&batch, 0, batch_state, FORMULA_H) == GRURT_OK);
    CHECK(grurt_batch_step(NULL, batch_in, batch_out) == GRURT_NULL_ARGUMENT);
    CHECK(strcmp(grurt_batch_error(NULL), "batch pointer is null") == 0);
  }

  CHECK(strcmp(grurt_status_name(GRURT_SHAPE_MISMATCH), "shape mismatch") == 0);
  CHECK(strcmp(grurt_status_name(GRURT_NON_FINITE_VALUE), "non-finite value") == 0);
  CHECK(strlen(grurt_version()) > 0);

  if (failures == 0) printf("C API test: all checks hold\n");
  return failures == 0 ? 0 : 1;
}
