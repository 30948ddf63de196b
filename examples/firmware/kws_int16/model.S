/* The model file (model.grurt, written by regenerate.sh) as the array
 * demo_model, 64-byte aligned as IntegerModel::load requires, and its size
 * demo_model_size: what grurt-convert --emit-c would write as C text. */
  .section .rodata.demo_model, "a"
  .balign 64
  .global demo_model
  .type demo_model, %object
demo_model:
  .incbin "model.grurt"
demo_model_end:
  .size demo_model, demo_model_end - demo_model

  .balign 4
  .global demo_model_size
  .type demo_model_size, %object
demo_model_size:
  .word demo_model_end - demo_model
  .size demo_model_size, 4
