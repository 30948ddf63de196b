// What this machine allows a recurrent step (GRU, LSTM) at batch 1, measured
// here with the vector width of the kernels being timed: the time to read the
// weights once at their footprint's bandwidth, and the time for the FLOPs at
// peak FMA throughput. A step cannot beat the larger of the two.
#pragma once

#include <cstddef>

#include "grurt/isa.hpp"

namespace grurt::bench {

// Name of the SIMD code the measurements for kernels of `isa` use: "avx512"
// for the AVX-512 ISAs (on a CPU that has it), "avx2" for the other x86 ones,
// "scalar" in builds without AVX2 (then the bound is only indicative).
const char* bound_isa(Isa isa = best_isa());

// Read bandwidth (GB/s) streaming a buffer of `bytes` repeatedly (stays in the
// cache level that size fits in, as the weights of a step do).
double read_bandwidth_gbs(std::size_t bytes, Isa isa = best_isa());

// Peak single-core single-precision FMA throughput (GFLOP/s, 2 FLOPs per FMA lane).
double peak_gflops(Isa isa = best_isa());

// The bound for one step reading `weight_bytes` of weights `passes` times and
// doing `flops` (2 per weight and column, one FMA): the bandwidth is measured
// at the weights' footprint, `peak_gflops` is peak_gflops(isa) measured once
// by the caller.
double step_bound_ns(double weight_bytes, double flops, double peak_gflops, Isa isa = best_isa(),
                     double passes = 1.0);

}  // namespace grurt::bench
