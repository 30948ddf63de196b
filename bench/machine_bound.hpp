// What this machine allows a GRU step at batch 1, measured here: the time to
// read the weights once at their footprint's bandwidth, and the time for the
// FLOPs at peak FMA throughput. A step cannot beat the larger of the two.
#pragma once

#include <cstddef>

namespace grurt::bench {

// Read bandwidth (GB/s) streaming a buffer of `bytes` repeatedly (stays in the
// cache level that size fits in, as the weights of a step do).
double read_bandwidth_gbs(std::size_t bytes);

// Peak single-core single-precision FMA throughput (GFLOP/s, 2 FLOPs per FMA lane).
double peak_gflops();

// Name of the SIMD code the two measurements use ("avx2", "scalar").
const char* bound_isa();

}  // namespace grurt::bench
