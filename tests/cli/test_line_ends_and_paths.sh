#!/usr/bin/env bash
# grurt-run's files as Windows writes and names them. CSV input and state files
# with CRLF line ends give the same outputs, byte for byte, as with LF; outputs
# are written with LF on every system (files and standard output alike), and
# match a double-precision reference of the formula model (tests/c_api/
# formula_weights.h, computed again here in awk). Run natively and, in the
# Windows build, under Wine (RUNNER), where it also names every file by
# Windows paths: Z:\... (Wine's drive for /), Z:/..., and a relative path with
# backslashes; grurt-info and grurt-bench (beside GRURT_RUN) read the model too.
# usage: test_line_ends_and_paths.sh GRURT_RUN FORMULA_MODEL [RUNNER...]
set -uo pipefail
grurt_run=$1 model=$2
shift 2
runner=("$@")
compare_csv=$(cd "$(dirname "$0")/../convert" && pwd)/compare_csv.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
checks=0 failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
run() { "${runner[@]}" "$grurt_run" "$@"; }
# same NAME FILE EXPECTED: the two files must be equal byte for byte.
same() { checks=$((checks + 1)); cmp -s "$2" "$3" || fail "$1: $2 differs from $3"; }
no_cr() { checks=$((checks + 1)); ! grep -q $'\r' "$2" || fail "$1: $2 has CR line ends; grurt-run writes LF"; }
to_crlf() { sed 's/$/\r/' "$1" >"$2"; }

# 40 steps of 3 inputs, with a comment and a blank line.
awk 'BEGIN { print "# x0,x1,x2"; for (t = 0; t < 40; ++t) { if (t == 20) print "";
  printf "%.6f,%.6f,%.6f\n", sin(0.3 * t), cos(0.17 * t) - 0.2, 0.8 * sin(0.05 * t * t) } }' >"$work/in.csv"
# GRU(3 -> 5, reset after) then Dense(5 -> 2, tanh); weight k of tensor t is 0.5 sin(0.7 k + t).
awk -F, 'function w(t, k) { return 0.5 * sin(0.7 * k + t) }
  function sigmoid(v) { return 1 / (1 + exp(-v)) }
  function tanh(v) { return 1 - 2 / (exp(2 * v) + 1) }
  BEGIN { H = 5; I = 3; O = 2; for (i = 0; i < H; ++i) h[i] = 0 }
  /^#/ || NF == 0 { next }
  { for (i = 0; i < H; ++i) {
      for (g = 0; g < 3; ++g) {
        row = g * H + i; x[g] = w(2, row); r[g] = w(3, row)
        for (j = 0; j < I; ++j) x[g] += w(0, row * I + j) * $(j + 1)
        for (j = 0; j < H; ++j) r[g] += w(1, row * H + j) * h[j]
      }
      z = sigmoid(x[1] + r[1])
      next_h[i] = (1 - z) * tanh(x[2] + sigmoid(x[0] + r[0]) * r[2]) + z * h[i]
    }
    for (i = 0; i < H; ++i) h[i] = next_h[i]
    for (o = 0; o < O; ++o) { y = w(5, o); for (j = 0; j < H; ++j) y += w(4, o * H + j) * h[j]
      printf "%s%.12g", (o ? "," : ""), tanh(y) }
    print "" }' "$work/in.csv" >"$work/expected.csv"
to_crlf "$work/in.csv" "$work/in_crlf.csv"

# A path as the program will see it: Windows programs get Wine's Z:\ spelling.
windows=0
case $grurt_run in *.exe) windows=1 ;; esac
native_path() { if [ "$windows" = 1 ]; then printf 'Z:%s' "${1//\//\\}"; else printf '%s' "$1"; fi; }

checks=$((checks + 1))
run --version >"$work/version" 2>&1 && grep -q '^grurt-run ' "$work/version" || fail "--version: $(cat "$work/version")"

# LF input: against the reference, and written with LF.
run "$(native_path "$model")" -i "$(native_path "$work/in.csv")" -o "$(native_path "$work/out.csv")" ||
  fail "LF input: exit $?"
checks=$((checks + 1))
"$compare_csv" "$work/out.csv" "$work/expected.csv" 1e-5 || fail "LF input: outputs differ from the double reference"
no_cr "LF input" "$work/out.csv"

# CRLF input, from a file and from standard input; standard output is LF too.
run "$(native_path "$model")" -i "$(native_path "$work/in_crlf.csv")" -o "$(native_path "$work/out_crlf.csv")" ||
  fail "CRLF input: exit $?"
same "CRLF input" "$work/out_crlf.csv" "$work/out.csv"
run "$(native_path "$model")" <"$work/in_crlf.csv" >"$work/stdout.csv" || fail "CRLF on standard input: exit $?"
same "CRLF on standard input, standard output" "$work/stdout.csv" "$work/out.csv"

# A CRLF line's error names the value without its CR.
printf '0.1,0.2,0.3\r\n0.1,x1,0.3\r\n' >"$work/bad.csv"
checks=$((checks + 1))
run "$(native_path "$model")" -i "$(native_path "$work/bad.csv")" >/dev/null 2>"$work/err"
grep -qF "line 2, value 2: 'x1' is not a number" "$work/err" || fail "CRLF error message: $(cat "$work/err")"

# State files: saved with LF; read back with CRLF, the two halves give one run's outputs.
sed -n '1,11p' "$work/in.csv" >"$work/first.csv"
sed -n '12,$p' "$work/in.csv" >"$work/second.csv"
run "$(native_path "$model")" -i "$(native_path "$work/first.csv")" -o "$(native_path "$work/halves.csv")" \
  --final-state "$(native_path "$work/state.txt")" || fail "first half: exit $?"
no_cr "state file" "$work/state.txt"
to_crlf "$work/state.txt" "$work/state_crlf.txt"
run "$(native_path "$model")" -i "$(native_path "$work/second.csv")" --initial-state "$(native_path "$work/state_crlf.txt")" \
  >>"$work/halves.csv" || fail "second half from a CRLF state file: exit $?"
same "halves through a CRLF state file" "$work/halves.csv" "$work/out.csv"
{ sed -n '1,2p' "$work/state_crlf.txt"; printf 'abc\r\n'; } >"$work/bad_state.txt"
checks=$((checks + 1))
run "$(native_path "$model")" -i "$(native_path "$work/second.csv")" --initial-state "$(native_path "$work/bad_state.txt")" \
  >/dev/null 2>"$work/err"
grep -qF "line 3: 'abc' is not one number" "$work/err" || fail "CRLF state file error message: $(cat "$work/err")"

# grurt-info and grurt-bench read the model through the same file reader.
suffix=${grurt_run##*grurt-run}
checks=$((checks + 1))
"${runner[@]}" "$(dirname "$grurt_run")/grurt-info$suffix" "$(native_path "$model")" >"$work/info" 2>&1 &&
  grep -q '^input size    3$' "$work/info" || fail "grurt-info: $(cat "$work/info")"
checks=$((checks + 1))
"${runner[@]}" "$(dirname "$grurt_run")/grurt-bench$suffix" "$(native_path "$model")" --steps 50 --repetitions 2 \
  --isa scalar >"$work/bench" 2>&1 && tail -n 1 "$work/bench" | grep -Eq '^median_ns_per_step=[0-9.]+$' ||
  fail "grurt-bench: $(cat "$work/bench")"

if [ "$windows" = 1 ]; then
  # Z:/ with forward slashes, and a path relative to the working directory with backslashes.
  mkdir "$work/sub dir"
  cp "$model" "$work/sub dir/model.grurt"
  run "Z:$model" -i "Z:$work/in_crlf.csv" -o "Z:$work/out_slashes.csv" || fail "Z:/ paths: exit $?"
  same "Z:/ paths" "$work/out_slashes.csv" "$work/out.csv"
  (cd "$work" && run 'sub dir\model.grurt' -i 'in_crlf.csv' -o 'sub dir\out.csv') || fail "relative backslash paths: exit $?"
  same "relative backslash paths" "$work/sub dir/out.csv" "$work/out.csv"
  checks=$((checks + 1))
  run "$(native_path "$work/missing.grurt")" >/dev/null 2>"$work/err"
  grep -qF "cannot open '$(native_path "$work/missing.grurt")'" "$work/err" || fail "missing file message: $(cat "$work/err")"
fi

echo "$checks checks, $failures failures"
[ "$failures" -eq 0 ]
