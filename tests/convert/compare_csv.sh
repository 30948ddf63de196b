#!/usr/bin/env bash
# Compares two CSV files of floats value by value, relative to the expected
# value's magnitude: |actual - expected| / max(1, |expected|) (absolute below 1;
# above 1 float32's own rounding grows with the value: outputs around 36 are
# 1e-5 from float64 whoever computes them in float32).
# usage: compare_csv.sh ACTUAL EXPECTED TOLERANCE   (prints the max scaled difference; fails above TOLERANCE)
set -euo pipefail
actual=$1 expected=$2 tolerance=$3
if [ "$(grep -vc '^#' "$actual")" -ne "$(grep -vc '^#' "$expected")" ]; then
  echo "line counts differ: $actual has $(grep -vc '^#' "$actual"), $expected has $(grep -vc '^#' "$expected")" >&2
  exit 1
fi
paste -d, <(grep -v '^#' "$actual") <(grep -v '^#' "$expected") | awk -F, -v tol="$tolerance" '
  { if (NF % 2) { printf "line %d: different value counts\n", NR > "/dev/stderr"; bad = 1; exit }
    n = NF / 2
    for (i = 1; i <= n; ++i) { d = $i - $(i + n); if (d < 0) d = -d; m = $(i + n); if (m < 0) m = -m; if (m > 1) d /= m; if (d > worst) { worst = d; where = NR } } }
  END { if (bad) exit 1
        printf "max |difference| / max(1, |expected|) %.3g (line %d), tolerance %g\n", worst, where, tol
        exit !(worst <= tol) }'
