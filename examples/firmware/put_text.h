/* Building a line of text in a caller's buffer, for semihost_write: no stdio,
 * so nothing in the firmware can call malloc. Each returns the new end. */
#ifndef GRURT_FIRMWARE_PUT_TEXT_H
#define GRURT_FIRMWARE_PUT_TEXT_H

#include <stdint.h>

char* put(char* at, const char* text);
char* put_uint(char* at, uint32_t value);
char* put_int(char* at, int32_t value);
/* Prints "firmware: WHAT: DETAIL" over semihosting; returns 1, main's failure status. */
int report_failure(const char* what, const char* detail);
/* Prints the mean instructions per step of `steps` timed steps (0 instructions:
 * SysTick does not count on this board), the line run_firmware.sh reads. */
void report_instructions_per_step(uint64_t instructions, uint32_t steps);

#endif
