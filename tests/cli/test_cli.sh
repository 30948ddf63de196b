#!/usr/bin/env bash
# The command-line tools as a user runs them: versions, help, the CSV contract,
# error messages, and the demo model's outputs against PyTorch's.
# usage: test_cli.sh BIN_DIR FORMULA_MODEL EXAMPLE_MODELS_DIR VERSION
set -uo pipefail
bin=$1 formula_model=$2 models=$3 version=$4
source "$(dirname "$0")/checks.sh"

for tool in grurt-run grurt-info grurt-convert grurt-bench; do
  expect_ok "$tool --version" "$bin/$tool" --version
  contains "$tool --version" "$tool $version"
  expect_ok "$tool --help" "$bin/$tool" --help
  contains "$tool --help" "Usage"
  expect_error "$tool without arguments" 2 "is required" "$bin/$tool"
  [ "$tool" = grurt-convert ] || [ "$tool" = grurt-bench ] && continue
  expect_error "$tool on a missing file" 1 "cannot open '$work/none.grurt'" "$bin/$tool" "$work/none.grurt"
done
expect_error "grurt-convert on a missing file" 1 "cannot open '$work/none.pt'" "$bin/grurt-convert" "$work/none.pt" -o "$work/x.grurt"
expect_error "grurt-convert without -o" 2 "--output is required" "$bin/grurt-convert" "$models/demo.pt"
expect_ok "grurt-run --help" "$bin/grurt-run" --help
contains "grurt-run --help" "%.9g"

# The demo: the trained demo.pt, converted, must reproduce PyTorch's outputs to 1e-5.
demo=$work/demo.grurt
expect_ok "convert demo.pt" "$bin/grurt-convert" "$models/demo.pt" -o "$demo" --description "sine predictor"
contains "convert demo.pt" "layout   gru under prefix 'gru.', Linear head 'head.'"
expect_ok "demo from files" "$bin/grurt-run" "$demo" --input "$models/demo_input.csv" --output "$work/demo_out.csv"
checks=$((checks + 1))
"$(dirname "$0")/../convert/compare_csv.sh" "$work/demo_out.csv" "$models/demo_expected.csv" 1e-5 ||
  fail "demo: grurt-run differs from PyTorch"
# The firmware's second demo, an LSTM trained on the same task (demo_lstm.pt), likewise.
expect_ok "convert demo_lstm.pt" "$bin/grurt-convert" "$models/demo_lstm.pt" -o "$work/demo_lstm.grurt"
expect_ok "demo_lstm from files" "$bin/grurt-run" "$work/demo_lstm.grurt" --input "$models/demo_input.csv" \
  --output "$work/demo_lstm_out.csv"
checks=$((checks + 1))
"$(dirname "$0")/../convert/compare_csv.sh" "$work/demo_lstm_out.csv" "$models/demo_lstm_expected.csv" 1e-5 ||
  fail "demo_lstm: grurt-run differs from PyTorch"

# grurt-bench prints its table and the machine-readable last line (times are not asserted).
expect_ok "grurt-bench demo" "$bin/grurt-bench" "$demo" --steps 200 --repetitions 3 --isa scalar
contains "grurt-bench demo" "isa scalar, step()"
contains "grurt-bench demo" "| ns "
checks=$((checks + 1))
tail -n 1 "$work/out" | grep -Eq '^median_ns_per_step=[0-9]+(\.[0-9]+)?$' || fail "grurt-bench: last line is not median_ns_per_step=<number>"
expect_ok "grurt-bench run() blocks" "$bin/grurt-bench" "$demo" --steps 50 --repetitions 3 --block 16
contains "grurt-bench run() blocks" "run() blocks of 16 steps"
expect_ok "grurt-bench streams" "$bin/grurt-bench" "$demo" --steps 50 --repetitions 3 --streams 5
contains "grurt-bench streams" "BatchSession::step() of 5 streams"
contains "grurt-bench streams" "5 Sessions stepped one after another"
tail -n 1 "$work/out" | grep -Eq '^median_ns_per_step=[0-9]+(\.[0-9]+)?$' || fail "grurt-bench --streams: last line is not median_ns_per_step=<number>"
expect_error "grurt-bench streams and block" 2 "excludes" "$bin/grurt-bench" "$demo" --streams 2 --block 4
expect_error "grurt-bench unknown isa" 1 "unknown ISA 'mmx'" "$bin/grurt-bench" "$demo" --isa mmx
# Without a model file: one-layer models with random weights, one table row each.
expect_ok "grurt-bench --kind lstm" "$bin/grurt-bench" --kind lstm --size 1x8 --steps 200 --repetitions 3 --isa scalar
contains "grurt-bench --kind lstm" "| lstm | 1 | 8 | "
expect_ok "grurt-bench --weights all" "$bin/grurt-bench" --kind gru --size 4x16 --weights all --steps 100 --repetitions 3
contains "grurt-bench --weights all" "| gru | 4 | 16 | f32 | 4 KB | "
contains "grurt-bench --weights all" "| gru | 4 | 16 | f16 | 2 KB | "
expect_error "grurt-bench --weights without --kind" 2 "--weights requires --kind" "$bin/grurt-bench" "$demo" --weights f16
expect_error "grurt-bench model and --kind" 2 "excludes" "$bin/grurt-bench" "$demo" --kind gru
expect_error "grurt-bench bad --size" 1 "size '8' is not IxH" "$bin/grurt-bench" --kind gru --size 8
expect_error "grurt-bench huge --size" 1 "size '-1x8' is not IxH with I and H in 1..4096" "$bin/grurt-bench" --kind gru --size -1x8

# Standard input and output ('-', the default) give the same bytes.
checks=$((checks + 1))
"$bin/grurt-run" "$demo" <"$models/demo_input.csv" >"$work/stdio_out.csv" || fail "demo via stdin"
cmp -s "$work/demo_out.csv" "$work/stdio_out.csv" || fail "stdin/stdout output differs from file output"
checks=$((checks + 1))
"$bin/grurt-run" "$demo" -i - -o - <"$models/demo_input.csv" | cmp -s - "$work/demo_out.csv" || fail "'-' paths differ"

# The C example streams the same numbers through the C API.
checks=$((checks + 1))
"$bin/stream_c" "$demo" <"$models/demo_input.csv" | cmp -s - "$work/demo_out.csv" || fail "stream_c differs from grurt-run"

# grurt-run's input and output files go through the same reader and writer.
mkdir "$work/a_directory"
expect_error "grurt-run -i a directory" 1 "grurt-run: error: cannot read '$work/a_directory': it is a directory, not a file" \
  "$bin/grurt-run" "$demo" -i "$work/a_directory"
expect_error "grurt-run -i a missing file" 1 "grurt-run: error: cannot open '$work/missing.csv': No such file or directory" \
  "$bin/grurt-run" "$demo" -i "$work/missing.csv"
expect_error "grurt-run -o a directory" 1 "grurt-run: error: cannot create '$work/a_directory': Is a directory" \
  "$bin/grurt-run" "$demo" -i "$models/demo_input.csv" -o "$work/a_directory"
: >"$work/no_rows.csv"
expect_ok "grurt-run on an empty CSV" "$bin/grurt-run" "$demo" -i "$work/no_rows.csv"
checks=$((checks + 1))
[ ! -s "$work/out" ] || fail "grurt-run on an empty CSV: expected no output lines: $(head -c 200 "$work/out")"

# CSV errors name the line.
printf '# comment\n0.5\n0.1,0.2\n' >"$work/count.csv"
expect_error "wrong value count" 1 "count.csv: line 3: 2 values, but the model takes 1 inputs per step" \
  "$bin/grurt-run" "$demo" -i "$work/count.csv" -o "$work/ignored.csv"
printf '0.5\n\n  x1\n' >"$work/nan.csv"
expect_error "not a number" 1 "line 3, value 1: 'x1' is not a number" "$bin/grurt-run" "$demo" -i "$work/nan.csv"
checks=$((checks + 1))
[ "$(wc -l <"$work/out")" -eq 1 ] || fail "rows before the bad line should have been written"

# NaN inputs: streamed by default (every later output NaN), refused on request.
printf '0.5\nnan\n0.25\n' >"$work/nan_input.csv"
expect_ok "NaN input streamed" "$bin/grurt-run" "$demo" -i "$work/nan_input.csv"
checks=$((checks + 1))
[ "$(sed -n 1p "$work/out")" != nan ] && [ "$(sed -n 2p "$work/out")" = nan ] && [ "$(sed -n 3p "$work/out")" = nan ] ||
  fail "NaN input: expected a number, then nan on every later line: $(cat "$work/out")"
expect_error "NaN input refused" 1 "nan_input.csv: line 2: input 0 of step 0 is NaN; refused" \
  "$bin/grurt-run" "$demo" -i "$work/nan_input.csv" --refuse-non-finite
checks=$((checks + 1))
[ "$(wc -l <"$work/out")" -eq 1 ] || fail "--refuse-non-finite: the line before the NaN should have been written"

# A file in the row-major layout grurt 0.1.0 could write: refused, never misread.
row_major=$(dirname "$0")/../fuzz/regressions/model/row_major_from_0.1.0.grurt
for tool in grurt-info grurt-run; do
  expect_error "$tool row-major 0.1.0 file" 1 \
    "tensor W is row-major (layout 0); this runtime reads panel16 (layout 1) only: convert the model again with grurt-convert" \
    "$bin/$tool" "$row_major"
done

# Files that cannot be models or weights: the tools' one file reader
# (runtime/tools/support/host_file.cpp) names the path and what is wrong,
# exit 1, before allocating anything (a directory used to end in std::bad_alloc).
# refuse_file NAME PATH TEXT_FOR_A_MODEL TEXT_FOR_WEIGHTS: each tool on PATH.
refuse_file() {
  local name=$1 path=$2 model_text=$3 weights_text=$4 tool
  for tool in grurt-info grurt-run grurt-bench; do
    expect_error "$tool on $name" 1 "$tool: error: $model_text" "$bin/$tool" "$path"
  done
  rm -f "$work/refused.grurt"
  expect_error "grurt-convert on $name" 1 "grurt-convert: error: $weights_text" \
    "$bin/grurt-convert" "$path" -o "$work/refused.grurt"
  checks=$((checks + 1))
  [ ! -e "$work/refused.grurt" ] || fail "grurt-convert on $name: an output file was written"
}
refuse_file "a directory" "$work/a_directory" "cannot read '$work/a_directory': it is a directory, not a file" \
  "cannot read '$work/a_directory': it is a directory, not a file"
refuse_file "a missing file" "$work/missing.bin" "cannot open '$work/missing.bin': No such file or directory" \
  "cannot open '$work/missing.bin': No such file or directory"
: >"$work/empty.bin"
refuse_file "an empty file" "$work/empty.bin" "cannot read '$work/empty.bin': the file is empty (0 bytes)" \
  "cannot read '$work/empty.bin': the file is empty (0 bytes)"
mkfifo "$work/a_fifo"
refuse_file "a named pipe" "$work/a_fifo" "cannot read '$work/a_fifo': not a regular file" \
  "cannot read '$work/a_fifo': not a regular file"
# 3 GiB, sparse: no disk space used, deleted right after.
truncate -s 3G "$work/huge.bin"
refuse_file "a 3 GiB file" "$work/huge.bin" \
  "cannot read '$work/huge.bin': 3221225472 bytes is more than a .grurt model may have (at most 2147483646 bytes: FlatBuffers' limit" \
  "cannot read '$work/huge.bin': 3221225472 bytes is more than a weights file may have (at most 2147483646 bytes:"
rm -f "$work/huge.bin"
# Unreadable: root (as in CI containers) reads a chmod 000 file anyway, so
# that one check is skipped there, visibly, rather than asserting something false.
cp "$demo" "$work/unreadable.grurt"
chmod 000 "$work/unreadable.grurt"
if cat "$work/unreadable.grurt" >/dev/null 2>&1; then
  echo "SKIP: unreadable file: chmod 000 does not stop this user ($(id -un)) from reading; not checked"
else
  refuse_file "an unreadable file" "$work/unreadable.grurt" "cannot open '$work/unreadable.grurt': Permission denied" \
    "cannot open '$work/unreadable.grurt': Permission denied"
fi
chmod 600 "$work/unreadable.grurt"

# Models that are not models.
printf '\024\000\000\000NOPE, a text file and not a model' >"$work/not_a_model.grurt"
expect_error "wrong identifier" 1 "bad identifier: file identifier is 'NOPE' at byte 4, expected 'GRUT'" \
  "$bin/grurt-run" "$work/not_a_model.grurt"
head -c 100 "$demo" >"$work/cut.grurt"
expect_error "truncated model" 1 "corrupt file: FlatBuffers verification failed for the 100-byte buffer" \
  "$bin/grurt-info" "$work/cut.grurt"
: >"$work/empty.grurt"
expect_error "empty model" 1 "cannot read '$work/empty.grurt': the file is empty (0 bytes)" "$bin/grurt-info" "$work/empty.grurt"

# grurt-info on the demo: 48*1 + 48*16 + 48 + 48 = 912 GRU and 16 + 1 = 17 head parameters.
expect_ok "grurt-info demo" "$bin/grurt-info" "$demo"
for text in "input size    1" "output size   1" "layers        2" "reset after" "912" "17" \
  "parameters    929 (3716 bytes of weights)" "state         16 floats" "arena bytes" "sine predictor" \
  "producer      grurt-convert $version" "source        $models/demo.pt"; do
  contains "grurt-info demo" "$text"
done
expect_ok "grurt-info formula model" "$bin/grurt-info" "$formula_model"
contains "grurt-info formula model" "tanh"

# State files: a stream split in two runs, the second started from the first's
# --final-state, gives the outputs of one run bit for bit (%.9g round-trips a float).
head -n 21 "$models/demo_input.csv" >"$work/first_half.csv"
tail -n +22 "$models/demo_input.csv" >"$work/second_half.csv"
expect_ok "first half, --final-state" "$bin/grurt-run" "$demo" -i "$work/first_half.csv" -o "$work/halves.csv" \
  --final-state "$work/middle.state"
checks=$((checks + 1))
[ "$(grep -vc '^#' "$work/middle.state")" -eq 16 ] || fail "--final-state: expected 16 lines: $(cat "$work/middle.state")"
expect_ok "second half, --initial-state" "$bin/grurt-run" "$demo" -i "$work/second_half.csv" -o "$work/second.csv" \
  --initial-state "$work/middle.state"
checks=$((checks + 1))
cat "$work/second.csv" >>"$work/halves.csv"
cmp -s "$work/halves.csv" "$work/demo_out.csv" || fail "a stream split in two runs differs from one run"
checks=$((checks + 1))
"$bin/grurt-run" "$demo" -i "$work/second_half.csv" | cmp -s - "$work/second.csv" &&
  fail "the second half from zero gives the same outputs: the initial state was not used"
# Wrong counts and non-finite values are refused, naming the file and the line.
head -n 15 "$work/middle.state" >"$work/short.state"
expect_error "state file too short" 1 "'$work/short.state' has 15 values; this model's state has 16 floats" \
  "$bin/grurt-run" "$demo" -i "$work/second_half.csv" --initial-state "$work/short.state"
{ cat "$work/middle.state"; echo 0.5; } >"$work/long.state"
expect_error "state file too long" 1 "'$work/long.state' line 17: more than 16 values" \
  "$bin/grurt-run" "$demo" -i "$work/second_half.csv" --initial-state "$work/long.state"
sed '3s/.*/nan/' "$work/middle.state" >"$work/nan.state"
expect_error "NaN in a state file" 1 "'$work/nan.state' line 3: 'nan' is not finite" \
  "$bin/grurt-run" "$demo" -i "$work/second_half.csv" --initial-state "$work/nan.state"
sed '2s/.*/-inf/' "$work/middle.state" >"$work/inf.state"
expect_error "inf in a state file" 1 "'$work/inf.state' line 2: '-inf' is not finite" \
  "$bin/grurt-run" "$demo" -i "$work/second_half.csv" --initial-state "$work/inf.state"
sed '4s/.*/0.5,0.25/' "$work/middle.state" >"$work/two.state"
expect_error "two values on a state line" 1 "'$work/two.state' line 4: '0.5,0.25' is not one number" \
  "$bin/grurt-run" "$demo" -i "$work/second_half.csv" --initial-state "$work/two.state"
expect_error "missing state file" 1 "cannot open '$work/none.state'" \
  "$bin/grurt-run" "$demo" -i "$work/second_half.csv" --initial-state "$work/none.state"
checks=$((checks + 1))
[ ! -s "$work/out" ] || fail "a refused state file must stop before any output: $(head -c 200 "$work/out")"

# PyTorch's nn.GRU streamed from a non-zero h0 (fixtures/state/make_state_fixture.py):
# outputs and the final state h_n to 1e-5.
state_fixtures=$(dirname "$0")/../fixtures/state
expect_ok "convert gru_h0" "$bin/grurt-convert" "$state_fixtures/gru_h0.pt" -o "$work/gru_h0.grurt"
expect_ok "gru_h0 from PyTorch's h0" "$bin/grurt-run" "$work/gru_h0.grurt" -i "$state_fixtures/gru_h0.input.csv" \
  -o "$work/gru_h0.csv" --initial-state "$state_fixtures/gru_h0.h0.txt" --final-state "$work/gru_h0.hn.txt"
checks=$((checks + 1))
"$(dirname "$0")/../convert/compare_csv.sh" "$work/gru_h0.csv" "$state_fixtures/gru_h0.expected.csv" 1e-5 ||
  fail "gru_h0: outputs from h0 differ from PyTorch"
checks=$((checks + 1))
"$(dirname "$0")/../convert/compare_csv.sh" "$work/gru_h0.hn.txt" "$state_fixtures/gru_h0.hn.txt" 1e-5 ||
  fail "gru_h0: final state differs from PyTorch's h_n"

# The amp models' skip (fixtures/convert/make_skip_fixture.py; its streaming to
# 1e-5 is the convert_amp_skip_* tests): said in the report and by grurt-info, and
# needed: without --skip the same file converts and misses PyTorch's outputs.
amp=$(dirname "$0")/../fixtures/convert/amp_skip_i1_h12
expect_ok "convert amp --skip input" "$bin/grurt-convert" "$amp.pt" -o "$work/amp.grurt" --skip input
contains "convert amp --skip input" "skip     output[j] += input[j + 0], j = 0..0 (stated by --skip input: a state_dict does not record a skip)"
expect_ok "grurt-info amp" "$bin/grurt-info" "$work/amp.grurt"
contains "grurt-info amp" "skip          output[j] += input[0 + j]"
expect_ok "convert amp without --skip" "$bin/grurt-convert" "$amp.pt" -o "$work/amp_no_skip.grurt"
checks=$((checks + 1))
grep -q "^skip" "$work/out" && fail "a conversion without --skip reports a skip"
expect_ok "amp without skip streams" "$bin/grurt-run" "$work/amp_no_skip.grurt" -i "$amp.input.csv" -o "$work/amp_no_skip.csv"
checks=$((checks + 1))
"$(dirname "$0")/../convert/compare_csv.sh" "$work/amp_no_skip.csv" "$amp.expected.csv" 1e-5 >/dev/null 2>&1 &&
  fail "amp without --skip matches PyTorch: the fixture does not exercise the skip"
expect_error "--skip input with fewer inputs than outputs" 1 \
  "--skip input adds input channel j to output j, but the model has 3 inputs and 5 outputs" \
  "$bin/grurt-convert" "$(dirname "$0")/../fixtures/convert/concat_i3_h12_fc5.pt" -o "$work/no.grurt" --skip input
checks=$((checks + 1))
[ ! -e "$work/no.grurt" ] || fail "a refused --skip wrote a file"
expect_error "--skip with an unknown value" 2 "--skip" \
  "$bin/grurt-convert" "$amp.pt" -o "$work/no.grurt" --skip layer

echo "cli: $checks checks, $failures failed"
[ "$failures" -eq 0 ]
