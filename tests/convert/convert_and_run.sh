#!/usr/bin/env bash
# End to end: grurt-convert a PyTorch fixture, stream its input with grurt-run,
# compare with PyTorch's outputs to 1e-5 (GRURT_COMPARE_TOLERANCE changes it:
# f16 weights are compared within a bound of their own).
# usage: convert_and_run.sh BIN_DIR WEIGHTS INPUT.csv EXPECTED.csv [grurt-convert options...]
set -euo pipefail
bin=$1 weights=$2 input=$3 expected=$4
shift 4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin/grurt-convert" "$weights" -o "$work/model.grurt" "$@"
"$bin/grurt-run" "$work/model.grurt" --input "$input" --output "$work/out.csv"
"$(dirname "$0")/compare_csv.sh" "$work/out.csv" "$expected" "${GRURT_COMPARE_TOLERANCE:-1e-5}"
