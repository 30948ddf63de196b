#include "instruction_count.h"

#define SYST_CSR (*(volatile uint32_t*)0xE000E010u) /* control and status */
#define SYST_RVR (*(volatile uint32_t*)0xE000E014u) /* reload value */
#define SYST_CVR (*(volatile uint32_t*)0xE000E018u) /* current value (counts down) */
#define SYST_MAX 0x00FFFFFFu

void ticks_start(void) {
  SYST_CSR = 0;
  SYST_RVR = SYST_MAX;
  SYST_CVR = 0;            /* any write clears it; it reloads on the next tick */
  SYST_CSR = (1u << 2) | 1u; /* CLKSOURCE = processor clock, ENABLE, no interrupt */
}

uint32_t ticks_elapsed(void) { return SYST_MAX - SYST_CVR; }

/* Exactly two instructions (subs, bne) per iteration. */
static void counted_loop(uint32_t iterations) {
  __asm volatile("1: subs %0, %0, #1\n\tbne 1b" : "+r"(iterations) : : "cc");
}

uint32_t calibration_ticks(void) {
  ticks_start();
  counted_loop(CALIBRATION_INSTRUCTIONS / 2);
  return ticks_elapsed();
}

uint64_t instructions_in(uint32_t ticks, uint32_t calibration) {
  if (calibration == 0) return 0;
  return ((uint64_t)ticks * CALIBRATION_INSTRUCTIONS + calibration / 2) / calibration;
}
