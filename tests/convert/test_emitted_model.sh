#!/usr/bin/env bash
# The --emit-c model, compiled into a C program, reproduces PyTorch's outputs.
# usage: test_emitted_model.sh PROGRAM INPUT.csv EXPECTED.csv
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$1" <"$2" >"$work/out.csv"
"$(dirname "$0")/compare_csv.sh" "$work/out.csv" "$3" 1e-5
