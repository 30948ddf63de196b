// What this machine allows a recurrent step (GRU, LSTM) at batch 1, measured
// here: the time to read the weights once at their footprint's bandwidth, and
// the time for the FLOPs at peak FMA throughput. A step cannot beat the larger
// of the two.
#pragma once

#include <cstddef>

namespace grurt::bench {

// Read bandwidth (GB/s) streaming a buffer of `bytes` repeatedly (stays in the
// cache level that size fits in, as the weights of a step do).
double read_bandwidth_gbs(std::size_t bytes);

// Peak single-core single-precision FMA throughput (GFLOP/s, 2 FLOPs per FMA lane).
double peak_gflops();

// The bound for one step reading `weight_bytes` of f32 weights and doing
// `flops` (2 per weight, one FMA): the bandwidth is measured at that footprint,
// `peak_gflops` is peak_gflops() measured once by the caller.
double step_bound_ns(double weight_bytes, double flops, double peak_gflops);

// Name of the SIMD code the two measurements use ("avx2", "scalar").
const char* bound_isa();

}  // namespace grurt::bench
