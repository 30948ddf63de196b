/* Minimal Cortex-M startup for QEMU's MPS2/MPS3 boards: vector table, then
 * enable the FPU (if any), copy .data, zero .bss, run main, report its status. */
#include <stdint.h>

#include "semihost.h"

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;
int main(void);

void Reset_Handler(void) __attribute__((naked, noreturn));
void Reset_Handler(void) {
  /* FPU first (CPACR CP10/CP11 full access), before the compiler may use it;
   * a core without one (Cortex-M3) goes straight on. */
  __asm__ volatile(
#if defined(__ARM_FP)
      "ldr r0, =0xE000ED88\n"
      "ldr r1, [r0]\n"
      "orr r1, r1, #(0xF << 20)\n"
      "str r1, [r0]\n"
      "dsb\n"
      "isb\n"
#endif
      "b reset_continue\n");
}

void reset_continue(void) __attribute__((noreturn, used));
void reset_continue(void) {
  uint32_t* source = &_sidata;
  for (uint32_t* target = &_sdata; target < &_edata;) *target++ = *source++;
  for (uint32_t* target = &_sbss; target < &_ebss;) *target++ = 0;
  semihost_exit(main() == 0);
}

/* Any fault ends the run as a failure instead of hanging QEMU. */
static void Fault_Handler(void) {
  semihost_write("firmware: fault\n");
  semihost_exit(0);
}

__attribute__((section(".isr_vector"), used)) static const void* const vectors[16] = {
    &_estack, Reset_Handler, Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler, 0, 0, 0, 0,
    Fault_Handler, Fault_Handler, 0, Fault_Handler, Fault_Handler};
