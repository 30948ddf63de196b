#include "semihost.h"

enum { kSysWrite0 = 0x04, kSysExit = 0x18 };
enum { kApplicationExit = 0x20026, kRunTimeError = 0x20023 };

static int semihost_call(int operation, const void* argument) {
  register int r0 __asm__("r0") = operation;
  register const void* r1 __asm__("r1") = argument;
  __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

void semihost_write(const char* text) { semihost_call(kSysWrite0, text); }

void semihost_exit(int success) {
  /* On 32-bit Arm the argument is the reason itself; QEMU maps ApplicationExit to 0. */
  semihost_call(kSysExit, (const void*)(success ? kApplicationExit : kRunTimeError));
  for (;;) {
  }
}
