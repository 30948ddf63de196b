#include "put_text.h"

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
