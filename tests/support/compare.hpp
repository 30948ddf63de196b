// Element-wise comparison that names the first offending index.
#pragma once

#include <catch2/catch.hpp>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

namespace grurt::test {

// Largest |actual - expected|; NaN anywhere counts as infinite.
template <typename A, typename E>
double max_abs_difference(const std::vector<A>& actual, const std::vector<E>& expected, std::size_t* where) {
  REQUIRE(actual.size() == expected.size());
  double worst = 0.0;
  *where = 0;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    double d = std::fabs(static_cast<double>(actual[i]) - static_cast<double>(expected[i]));
    if (std::isnan(d)) d = INFINITY;
    if (d > worst) {
      worst = d;
      *where = i;
    }
  }
  return worst;
}

template <typename A, typename E>
void require_close(const std::vector<A>& actual, const std::vector<E>& expected, double tolerance,
                   const std::string& context) {
  std::size_t where = 0;
  const double worst = max_abs_difference(actual, expected, &where);
  INFO(context << ": max |difference| " << worst << " at index " << where << " (actual "
               << (actual.empty() ? 0.0 : static_cast<double>(actual[where])) << ", expected "
               << (expected.empty() ? 0.0 : static_cast<double>(expected[where])) << "), tolerance " << tolerance);
  REQUIRE(worst <= tolerance);
}

}  // namespace grurt::test
