#!/usr/bin/env bash
# grurt-convert --activations int16 and grurt-run --integer: the integer path
# against PyTorch on a trained GRU and LSTM (fixtures/int8/make_int8_fixtures.py)
# and the keyword-spotting-sized model (examples/models/make_kws_model.py), each no
# further from PyTorch's float outputs than PyTorch's own int8 model
# (quantize_dynamic); its report, grurt-info's view, the --int16 rows, and
# every refusal of the converter and of grurt-run.
# usage: test_integer_path.sh BIN_DIR FIXTURES_DIR (tests/fixtures) MODELS_DIR (examples/models)
set -uo pipefail
bin=$1 fixtures=$2 models=$3
source "$(dirname "$0")/refusal_checks.sh"

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# max |a - b| over every value of two CSV files of the same shape.
max_abs_difference() {
  paste -d, <(grep -v '^#' "$1") <(grep -v '^#' "$2") | awk -F, '
    { n = NF / 2; for (i = 1; i <= n; ++i) { d = $i - $(i + n); if (d < 0) d = -d; if (d > worst) worst = d } }
    END { printf "%.6g\n", worst }'
}

# against_torch NAME MODEL INPUT EXPECTED TORCH_ERROR_FILE
against_torch() {
  local name=$1 model=$2 input=$3 expected=$4 anchor=$5
  checks=$((checks + 1))
  if ! "$bin/grurt-convert" "$model" -o "$work/$name.grurt" --activations int16 --calibrate "$input" \
         --check-input "$input" >"$work/report" 2>&1 ||
     ! "$bin/grurt-run" "$work/$name.grurt" --integer --input "$input" --output "$work/$name.csv" 2>>"$work/report"; then
    fail "$name: $(cat "$work/report")"
    return
  fi
  grep -q "^int16    integer path (i8 weights, int16 activations): |grurt - source formulas| on the outputs, max" \
    "$work/report" || fail "$name: no integer path line in the report: $(cat "$work/report")"
  grep -q "^calibrate .* steps of $input: |input| up to" "$work/report" || fail "$name: no calibrate line"
  local grurt torch
  grurt=$(max_abs_difference "$work/$name.csv" "$expected")
  torch=$(cat "$anchor")
  echo "$name: max |output - PyTorch| grurt integer path $grurt, PyTorch dynamic int8 $torch"
  awk -v g="$grurt" -v t="$torch" 'BEGIN { exit !(g <= t) }' ||
    fail "$name: the integer path's error $grurt is above PyTorch's int8 $torch"
}

against_torch gru_trained "$fixtures/int8/gru_trained_i8_h32_fc1.pt" "$fixtures/int8/gru_trained_i8_h32_fc1.input.csv" \
  "$fixtures/int8/gru_trained_i8_h32_fc1.expected.csv" "$fixtures/int8/gru_trained_i8_h32_fc1.torch_dynamic_error.txt"
against_torch lstm_trained "$fixtures/int8/lstm_trained_i8_h32_fc1.pt" "$fixtures/int8/lstm_trained_i8_h32_fc1.input.csv" \
  "$fixtures/int8/lstm_trained_i8_h32_fc1.expected.csv" "$fixtures/int8/lstm_trained_i8_h32_fc1.torch_dynamic_error.txt"
against_torch kws "$models/kws.pt" "$models/kws_input.csv" "$models/kws_expected.csv" "$models/kws_torch_dynamic_error.txt"

# grurt-info names the scales; --int16 rows are the float rows at those scales.
checks=$((checks + 1))
info=$("$bin/grurt-info" "$work/kws.grurt")
grep -q "^integer path  input x = q \* [0-9.e-]*, output y = q \* [0-9.e-]* (q int16), state 64 int16, arena [0-9]* bytes" \
  <<<"$info" || fail "grurt-info: $info"
scale_in=$(sed -n 's/^integer path  input x = q \* \([^,]*\),.*/\1/p' <<<"$info")
scale_out=$(sed -n 's/.*output y = q \* \([^ ]*\) .*/\1/p' <<<"$info")
grep -v '^#' "$models/kws_input.csv" | awk -F, -v s="$scale_in" '{ for (i = 1; i <= NF; ++i) {
  q = $i / s; q = q < 0 ? -int(-q + 0.5) : int(q + 0.5); printf "%s%d", (i > 1 ? "," : ""), q } print "" }' \
  >"$work/kws_int16_in.csv"
if "$bin/grurt-run" "$work/kws.grurt" --integer --int16 -i "$work/kws_int16_in.csv" -o "$work/kws_int16_out.csv"; then
  awk -F, -v s="$scale_out" '{ for (i = 1; i <= NF; ++i) printf "%s%.9g", (i > 1 ? "," : ""), $i * s; print "" }' \
    "$work/kws_int16_out.csv" >"$work/kws_scaled.csv"
  difference=$(max_abs_difference "$work/kws_scaled.csv" "$work/kws.csv")
  awk -v d="$difference" 'BEGIN { exit !(d < 1e-6) }' || fail "--int16 outputs times the scale differ from --integer by $difference"
else
  fail "grurt-run --integer --int16 failed"
fi

# --emit-c tells the integer arena.
checks=$((checks + 1))
"$bin/grurt-convert" "$models/kws.pt" -o "$work/emit.grurt" --activations int16 --emit-c "$work/emitted" -q ||
  fail "--emit-c with --activations int16 failed"
grep -q "#define EMITTED_INTEGER_ARENA_BYTES [0-9]*u" "$work/emitted.h" || fail "no INTEGER_ARENA_BYTES in $(cat "$work/emitted.h")"

# The converter's refusals: what the integer path does not run, and options that contradict it.
fixtures=$fixtures  # refuse() reads FILE under $fixtures
refuse convert/rnn_tanh_i3_h8_fc2.pt \
  "--activations int16: layer 0 (rnn): the integer path runs GRU, LSTM and Dense layers only; nothing was written" \
  --activations int16
refuse int8/gru_trained_i8_h32_fc1.pt "--activations int16 runs int8 weights: leave out --weights f16" \
  --activations int16 --weights f16
refuse int8/gru_trained_i8_h32_fc1.pt "--calibrate sets the integer path's ranges: give it with --activations int16" \
  --calibrate "$fixtures/int8/gru_trained_i8_h32_fc1.input.csv"
refuse int8/gru_trained_i8_h32_fc1.pt "kws_input.csv: line 2: 40 values, but the model takes 8 inputs per step" --activations int16 --calibrate "$models/kws_input.csv"
refuse int8/gru_trained_i8_h32_fc1.pt "with int16 activations the outputs differ from the source formulas by up to" \
  --activations int16 --max-error 1e-9

# grurt-run's refusals.
run_refuses() {  # run_refuses EXPECTED_TEXT MODEL INPUT [options...]
  local text=$1 model=$2 input=$3; shift 3; checks=$((checks + 1))
  if "$bin/grurt-run" "$model" -i "$input" -o "$work/refused.csv" "$@" 2>"$work/stderr"; then
    fail "grurt-run $*: succeeded, expected '$text'"
  elif ! grep -qF -- "$text" "$work/stderr"; then
    fail "grurt-run $*: stderr lacks '$text': $(cat "$work/stderr")"
  fi
}
"$bin/grurt-convert" "$fixtures/int8/gru_trained_i8_h32_fc1.pt" -o "$work/float.grurt" --weights int8 -q
run_refuses "--int16 reads and writes the integer path's values: add --integer" "$work/kws.grurt" \
  "$work/kws_int16_in.csv" --int16
run_refuses "--integer: missing tensor: the model has no integer plan: convert it with grurt-convert --activations int16" \
  "$work/float.grurt" "$fixtures/int8/gru_trained_i8_h32_fc1.input.csv" --integer
printf '0.5%.0s,' {1..39} >"$work/fraction.csv"; echo 0.5 >>"$work/fraction.csv"
run_refuses "line 1: value 1 is 0.500000; --int16 rows hold integers in -32768..32767" "$work/kws.grurt" \
  "$work/fraction.csv" --integer --int16
printf 'nan%.0s,' {1..39} >"$work/nan.csv"; echo nan >>"$work/nan.csv"
run_refuses "the integer path takes no NaN" "$work/kws.grurt" "$work/nan.csv" --integer

echo "$checks checks, $failures failures"
[ "$failures" -eq 0 ]
