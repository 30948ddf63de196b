/* Instructions executed on the emulated core, measured with SysTick under
 * QEMU's -icount shift=0: every guest instruction then advances virtual time
 * by exactly 1 ns and SysTick counts virtual time, so SysTick ticks are
 * proportional to instructions (and repeatable run to run). The ratio is
 * calibrated on a loop of known length, whatever the board's clock. On real
 * hardware the same calls count clock ticks instead. */
#ifndef GRURT_FIRMWARE_INSTRUCTION_COUNT_H
#define GRURT_FIRMWARE_INSTRUCTION_COUNT_H

#include <stdint.h>

/* Starts SysTick from its largest count (2^24 - 1), on the processor clock. */
void ticks_start(void);
/* Ticks since ticks_start(); valid up to 2^24 - 1 ticks. */
uint32_t ticks_elapsed(void);
/* Instructions the calibration loop executes, and the ticks it takes. */
#define CALIBRATION_INSTRUCTIONS 2000000u
uint32_t calibration_ticks(void);
/* Instructions in `ticks`, from the calibration (0 when SysTick does not count). */
uint64_t instructions_in(uint32_t ticks, uint32_t calibration);

#endif
