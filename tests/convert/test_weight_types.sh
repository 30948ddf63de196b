#!/usr/bin/env bash
# grurt-convert --weights and --max-error: the f16 and int8 reports, grurt-info's
# view of such files, and every refusal (a weight f16 cannot hold, an error above
# --max-error, --max-error without a reduced type, a type it cannot write).
# usage: test_weight_types.sh BIN_DIR FIXTURES_DIR (tests/fixtures)
set -uo pipefail
bin=$1 fixtures=$2
source "$(dirname "$0")/refusal_checks.sh"

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

refuse f16/gru_beyond_f16.safetensors "--weights f16: layer 0 (gru): R row 3 column 1 is 70000: outside f16's range (|w| < 65520 rounds to a finite half); keep this model in f32 (--weights f32); nothing was written" --weights f16
refuse convert/gru_bare_i1_h5.pt "with f16 weights the outputs differ from the source formulas by up to" --weights f16 --max-error 1e-9
refuse convert/gru_bare_i1_h5.pt "more than --max-error 1e-09; nothing was written" --weights f16 --max-error 1e-9
refuse convert/gru_bare_i1_h5.pt "with i8 weights the outputs differ from the source formulas by up to" --weights int8 --max-error 1e-9
refuse convert/gru_bare_i1_h5.pt "more than --max-error 1e-09; nothing was written" --weights int8 --max-error 1e-9
refuse convert/gru_bare_i1_h5.pt "--max-error bounds the error of reduced weights: give it with --weights f16 or int8" --max-error 0.1

# A type it cannot write is a command-line error (exit 2), naming the ones it can.
checks=$((checks + 1))
"$bin/grurt-convert" "$fixtures/convert/gru_bare_i1_h5.pt" -o "$work/bf16.grurt" --weights bf16 2>"$work/stderr"
rc=$?
[ "$rc" -eq 2 ] || fail "--weights bf16: exit $rc, expected 2"
grep -qF -- "--weights: bf16 not in {f32,f16,int8}" "$work/stderr" || fail "--weights bf16: stderr: $(cat "$work/stderr")"
[ ! -e "$work/bf16.grurt" ] || fail "--weights bf16 wrote a file"

# The same file in f32 converts: only f16 cannot hold the weight.
checks=$((checks + 1))
"$bin/grurt-convert" "$fixtures/f16/gru_beyond_f16.safetensors" -o "$work/f32.grurt" -q || fail "the f32 conversion failed"

# convert_reduced WEIGHTS TYPE MAX_ERROR: converts gru_bare_i1_h5 to $work/WEIGHTS.grurt and
# expects the f32 proof, then the report line of the runtime's TYPE name in the log's column.
convert_reduced() {
  local weights=$1 type=$2 max_error=$3 label
  label=$(printf '%-9s' "$type")
  checks=$((checks + 1))
  "$bin/grurt-convert" "$fixtures/convert/gru_bare_i1_h5.pt" -o "$work/$weights.grurt" --weights "$weights" \
    --max-error "$max_error" >"$work/report" 2>&1 || fail "--weights $weights failed: $(cat "$work/report")"
  grep -qE "^${label}weights stored as $type: \|grurt - source formulas\| on the outputs, max [0-9.e-]+, mean [0-9.e-]+ over 64 random steps, each from the reference's state \(--max-error $max_error\)$" \
    "$work/report" || fail "the $weights report line: $(cat "$work/report")"
  grep -q "^check    max |grurt - source formulas| / scale" "$work/report" || fail "the f32 proof is missing: $(cat "$work/report")"
}

# Converted with f16 weights: the report line, then grurt-info's element type and bytes.
convert_reduced f16 f16 0.01
"$bin/grurt-info" "$work/f16.grurt" >"$work/info"
# GRU(1 -> 5): W 15 + R 75 values as f16 (180 bytes), biases 30 as f32 (120 bytes).
grep -qE "^  0 +gru +1 +5 +reset after +120 +f16 +300 +" "$work/info" || fail "grurt-info layer line: $(cat "$work/info")"
grep -qF "parameters    120 (300 bytes of weights: 480 bytes as f32, 180 saved)" "$work/info" ||
  fail "grurt-info total: $(cat "$work/info")"

# Converted with int8 weights: the report line in the same column, then grurt-info's element type.
convert_reduced int8 i8 0.1
"$bin/grurt-info" "$work/int8.grurt" >"$work/info" 2>&1 || fail "grurt-info on the int8 file: $(cat "$work/info")"
grep -qE "^  0 +gru +1 +5 +reset after +120 +i8 " "$work/info" || fail "grurt-info int8 layer line: $(cat "$work/info")"

# Any finite weight quantizes: zero rows, ties and a lone large value
# (fixtures/int8/make_int8_fixtures.py), and the weight f16 cannot hold.
for file in int8/gru_edges_i5_h6_fc3.safetensors f16/gru_beyond_f16.safetensors; do
  checks=$((checks + 1))
  name=$(basename "$file" .safetensors)
  "$bin/grurt-convert" "$fixtures/$file" -o "$work/$name.grurt" --weights int8 >"$work/report" 2>&1 ||
    fail "$file with --weights int8: $(cat "$work/report")"
  grep -q "^i8       weights stored as i8: " "$work/report" || fail "$file: no int8 report: $(cat "$work/report")"
done
checks=$((checks + 1))
"$bin/grurt-info" "$work/gru_edges_i5_h6_fc3.grurt" >"$work/info" 2>&1
grep -qE "^  0 +gru +5 +6 .* i8 " "$work/info" && grep -qE "^  1 +dense +6 +3 .* i8 " "$work/info" ||
  fail "grurt-info on the int8 edge cases: $(cat "$work/info")"

echo "weight types: $checks checks, $failures failed"
[ "$failures" -eq 0 ]
