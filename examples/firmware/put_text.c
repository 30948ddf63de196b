#include "put_text.h"

#include "semihost.h"

char* put(char* at, const char* text) {
  while (*text) *at++ = *text++;
  return at;
}

char* put_uint(char* at, uint32_t value) {
  char digits[10];
  int count = 0;
  do {
    digits[count++] = (char)('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (count > 0) *at++ = digits[--count];
  return at;
}

char* put_int(char* at, int32_t value) {
  if (value < 0) *at++ = '-';
  return put_uint(at, value < 0 ? 0u - (uint32_t)value : (uint32_t)value);
}

void report_instructions_per_step(uint64_t instructions, uint32_t steps) {
  char line[128];
  char* at = put(line, "firmware: ");
  if (instructions == 0) {
    at = put(at, "SysTick does not count here: instructions per step() unknown\n");
  } else {
    at = put_uint(at, (uint32_t)((instructions + steps / 2) / steps));
    at = put(put_uint(put(at, " instructions per step() (mean of "), steps),
             " steps; exact under qemu -icount shift=0)\n");
  }
  *at = '\0';
  semihost_write(line);
}

int report_failure(const char* what, const char* detail) {
  char line[256];
  char* at = put(put(put(line, "firmware: "), what), ": ");
  *put(put(at, detail), "\n") = '\0';
  semihost_write(line);
  return 1;
}
