// The kernels of the `helium` table (kernels_helium.cpp, built only for
// targets with MVE floats: Cortex-M55, M85); the table itself, the scalar one
// with these entries, is defined in kernels_scalar.cpp.
#pragma once

#include <cstdint>

#include "kernel_table.hpp"

namespace grurt {
namespace kernels {

// MatrixKernels entries for f32 weights (kernel_table.hpp); every row of every
// panel is computed, whatever `rows` asks.
void helium_gemv_f32(const void* w, const float* row_scales, std::uint32_t panels, std::uint32_t rows,
                     std::uint32_t cols, const float* x, const float* bias, float* y, void* work);
void helium_gemm_f32(const void* w, const float* row_scales, std::uint32_t panels, std::uint32_t cols,
                     const float* x, std::uint32_t x_stride, std::uint32_t steps, const float* bias, float* y,
                     std::uint32_t y_stride, void* work);

// MatrixKernels entries for int8 weights (Panel16x4), the same outputs as the
// scalar table's bit for bit.
void helium_gemv_i8(const void* w, const float* row_scales, std::uint32_t panels, std::uint32_t rows,
                    std::uint32_t cols, const float* x, const float* bias, float* y, void* work);
void helium_gemm_i8(const void* w, const float* row_scales, std::uint32_t panels, std::uint32_t cols, const float* x,
                    std::uint32_t x_stride, std::uint32_t steps, const float* bias, float* y, std::uint32_t y_stride,
                    void* work);

// The GRU update, reset after (KernelTable::gru_update_reset_after) with the
// default activations in vectors; the variants go to the scalar kernel.
void helium_gru_update_reset_after(const float* gx, const float* gh, std::uint32_t hp, std::uint32_t count,
                                   const GruActivations& a, float* h);
// The GRU's reset-before halves (KernelTable::gru_reset_hidden,
// gru_update_reset_before) and the LSTM update (lstm_update), likewise.
void helium_gru_reset_hidden(const float* gx, const float* gh, const float* h, std::uint32_t count,
                             const GruActivations& a, float* rh);
void helium_gru_update_reset_before(const float* gx, const float* gh, std::uint32_t hp, std::uint32_t count,
                                    const GruActivations& a, float* h);
void helium_lstm_update(const float* gx, const float* gh, const float* peephole, std::uint32_t hp, std::uint32_t count,
                        const GateActivations& a, float* c, float* h);

}  // namespace kernels
}  // namespace grurt
