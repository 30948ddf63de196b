/* The two semihosting calls the firmware needs: print a string on the host
 * (QEMU's -semihosting) and stop with success or failure. No stdio, so
 * nothing in the firmware can call malloc. */
#ifndef GRURT_FIRMWARE_SEMIHOST_H
#define GRURT_FIRMWARE_SEMIHOST_H

void semihost_write(const char* text);
/* QEMU exits with status 0 for success, 1 otherwise. */
void semihost_exit(int success) __attribute__((noreturn));

#endif
