/* Weights given by a closed formula, shared by the program that writes the C
 * API test's model and by the C test's own reference: value k of tensor t is
 * 0.5 * sin(0.7 * k + t). Only the formula is shared, never runtime code. */
#ifndef GRURT_TESTS_FORMULA_WEIGHTS_H
#define GRURT_TESTS_FORMULA_WEIGHTS_H

#include <math.h>

/* The C API test model: GRU(3 -> 5, reset_after) then Dense(5 -> 2, tanh). */
enum { FORMULA_I = 3, FORMULA_H = 5, FORMULA_O = 2 };
enum { TENSOR_W = 0, TENSOR_R = 1, TENSOR_BW = 2, TENSOR_BR = 3, TENSOR_DENSE_W = 4, TENSOR_DENSE_B = 5 };

static inline double formula_weight(int tensor, int k) { return 0.5 * sin(0.7 * k + tensor); }

#endif
