#!/usr/bin/env bash
# grurt's int8 weights against PyTorch's own int8 anchor: a trained GRU and LSTM
# (fixtures/int8/make_int8_fixtures.py), converted with --weights int8 and
# streamed over 200 steps, must stay as close to PyTorch's float32 outputs as
# torch.ao.quantization.quantize_dynamic's model does (its max |error| is
# NAME.torch_dynamic_error.txt). Prints both errors per model.
# usage: test_int8_vs_torch_dynamic.sh BIN_DIR INT8_FIXTURES_DIR
set -uo pipefail
bin=$1 fixtures=$2
source "$(dirname "$0")/refusal_checks.sh"  # $work, removed at exit; the failure count

# max |a - b| over every value of two CSV files of the same shape.
max_abs_difference() {
  paste -d, <(grep -v '^#' "$1") <(grep -v '^#' "$2") | awk -F, '
    { n = NF / 2; for (i = 1; i <= n; ++i) { d = $i - $(i + n); if (d < 0) d = -d; if (d > worst) worst = d } }
    END { printf "%.6g\n", worst }'
}

for name in gru_trained_i8_h32_fc1 lstm_trained_i8_h32_fc1; do
  if ! "$bin/grurt-convert" "$fixtures/$name.pt" -o "$work/$name.grurt" --weights int8 \
         --check-input "$fixtures/$name.input.csv" >"$work/report" 2>&1 ||
     ! "$bin/grurt-run" "$work/$name.grurt" --input "$fixtures/$name.input.csv" --output "$work/$name.csv" \
         2>>"$work/report"; then
    echo "FAIL $name: $(cat "$work/report")" >&2
    failures=$((failures + 1))
    continue
  fi
  if [ "$(grep -vc '^#' "$work/$name.csv")" -ne "$(grep -vc '^#' "$fixtures/$name.expected.csv")" ]; then
    echo "FAIL $name: grurt-run wrote a different number of steps" >&2
    failures=$((failures + 1))
    continue
  fi
  grep "^i8 " "$work/report"
  grurt=$(max_abs_difference "$work/$name.csv" "$fixtures/$name.expected.csv")
  torch=$(cat "$fixtures/$name.torch_dynamic_error.txt")
  echo "$name: max |output - PyTorch f32| grurt int8 $grurt, PyTorch dynamic int8 $torch"
  if ! awk -v g="$grurt" -v t="$torch" 'BEGIN { exit !(g <= t) }'; then
    echo "FAIL $name: grurt's int8 error $grurt is above PyTorch's $torch" >&2
    failures=$((failures + 1))
  fi
done
[ "$failures" -eq 0 ]
