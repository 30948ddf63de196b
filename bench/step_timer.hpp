// Times a per-step callable: warm-up, then repetitions of a batch of steps
// long enough to measure; reports the median and spread per step.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <vector>

namespace grurt::bench {

struct StepTiming {
  double median_ns = 0;
  double min_ns = 0;
  double max_ns = 0;
};

template <typename Step>
StepTiming time_steps(Step&& step, std::size_t steps_per_repetition, int repetitions) {
  for (std::size_t i = 0; i < steps_per_repetition / 4 + 16; ++i) step();  // warm-up: caches, branch predictors
  std::vector<double> per_step;
  for (int r = 0; r < repetitions; ++r) {
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < steps_per_repetition; ++i) step();
    const double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
    per_step.push_back(ns / static_cast<double>(steps_per_repetition));
  }
  std::sort(per_step.begin(), per_step.end());
  return {per_step[per_step.size() / 2], per_step.front(), per_step.back()};
}

// Enough steps for a repetition to take ~20 ms given a first estimate.
template <typename Step>
std::size_t calibrate_steps(Step&& step) {
  std::size_t steps = 64;
  while (true) {
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < steps; ++i) step();
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (ms > 5.0 || steps > (1u << 26)) return static_cast<std::size_t>(static_cast<double>(steps) * 20.0 / std::max(ms, 1e-3));
    steps *= 4;
  }
}

}  // namespace grurt::bench
