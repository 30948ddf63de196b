#!/usr/bin/env bash
# The grurt-amp LV2 plugin in real LV2 host tools (lilv): lv2ls finds the
# bundle, lv2info reads its metadata, and lv2apply runs it on a WAV file. Its
# output must match PyTorch's outputs for the same samples (1e-5) and grurt-run
# on the same file sample for sample, with and without the gain controls.
# Real hosts run the buffer size they chose: lv2_run_blocks (a minimal host)
# runs it in blocks of several sizes, which must all give lv2apply's output.
# usage: test_lv2_plugin.sh BIN_DIR LV2_DIR AUDIO_FIXTURES_DIR AUDIO_TO_CSV LV2_RUN_BLOCKS
set -uo pipefail
bin=$1 lv2_dir=$2 audio=$3 audio_to_csv=$4 run_blocks=$5
compare_csv="$(dirname "$0")/../convert/compare_csv.sh"
uri=urn:grurt:lv2:amp
bundle=$lv2_dir/grurt-amp.lv2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
checks=0 failures=0
export LV2_PATH=$lv2_dir:/usr/lib/lv2  # the bundle, and the LV2 specifications (plugin classes, units)

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
# expect_ok NAME COMMAND...: the command must exit 0.
expect_ok() { local name=$1; shift; checks=$((checks + 1)); "$@" >"$work/out" 2>"$work/err" || fail "$name: exit $? ($(cat "$work/err"))"; }
contains() { checks=$((checks + 1)); grep -qF -- "$2" "$work/out" || fail "$1: output lacks '$2': $(head -c 600 "$work/out")"; }
# same_csv NAME A B TOLERANCE: the two CSV files agree value by value.
same_csv() { checks=$((checks + 1)); "$compare_csv" "$2" "$3" "$4" >"$work/cmp" 2>&1 || fail "$1: $(tail -n 3 "$work/cmp")"; }
# samples FILE.wav OUT.csv: the file's samples as CSV (header line dropped).
samples() { "$audio_to_csv" "$1" | grep -v '^#' >"$2"; }

expect_ok "lv2ls" lv2ls
contains "lv2ls lists the plugin" "$uri"
expect_ok "lv2info" lv2info "$uri"
for text in "Name:              grurt amp" "Class:             Simulator Plugin" "hardRTCapable" \
  "Symbol:      in" "Symbol:      out" "Symbol:      gain_in" "Symbol:      gain_out" "Minimum:     -24" \
  "Maximum:     24" "Default:     0"; do
  contains "lv2info: $text" "$text"
done

# lv2apply runs the plugin one frame per call and writes its output in the
# input's format: a float WAV keeps every bit of the model's outputs.
input=$audio/sine_float.wav
expect_ok "lv2apply" lv2apply -i "$input" -o "$work/plugin.wav" "$uri"
samples "$work/plugin.wav" "$work/plugin.csv"
grep -v '^#' "$audio/sine_float.expected.csv" >"$work/expected.csv"
same_csv "plugin against PyTorch" "$work/plugin.csv" "$work/expected.csv" 1e-5
expect_ok "grurt-run on the same file" "$bin/grurt-run" "$bundle/model.grurt" --input "$input" \
  --output "$work/run.wav" --format float
samples "$work/run.wav" "$work/run.csv"
checks=$((checks + 1))
cmp -s "$work/plugin.csv" "$work/run.csv" || fail "plugin and grurt-run differ: $(diff "$work/plugin.csv" "$work/run.csv" | head -n 4)"

for block in 1 7 256 300 4096; do
  checks=$((checks + 1))
  "$run_blocks" "$bundle/grurt_amp.so" "$bundle/" "$input" "$block" >"$work/blocks.csv" 2>"$work/err" ||
    fail "lv2_run_blocks $block: $(cat "$work/err")"
  cmp -s "$work/blocks.csv" "$work/plugin.csv" || fail "blocks of $block differ from lv2apply's output"
done

# The gain controls, in dB as grurt-run's --gain-in/--gain-out.
expect_ok "lv2apply with gains" lv2apply -i "$input" -o "$work/plugin_gains.wav" -c gain_in 6 -c gain_out -3 "$uri"
samples "$work/plugin_gains.wav" "$work/plugin_gains.csv"
grep -v '^#' "$audio/sine_float.gains.expected.csv" >"$work/expected_gains.csv"
same_csv "plugin with gains against PyTorch" "$work/plugin_gains.csv" "$work/expected_gains.csv" 1e-5
expect_ok "grurt-run with gains" "$bin/grurt-run" "$bundle/model.grurt" --input "$input" \
  --output "$work/run_gains.wav" --format float --gain-in 6 --gain-out -3
samples "$work/run_gains.wav" "$work/run_gains.csv"
same_csv "plugin with gains against grurt-run" "$work/plugin_gains.csv" "$work/run_gains.csv" 1e-7

# A bundle whose model is missing, or is not mono: the host cannot instantiate
# the plugin, and the plugin says why on stderr.
mkdir -p "$work/lv2/grurt-amp.lv2"
cp "$bundle/"*.ttl "$bundle/"*.so "$work/lv2/grurt-amp.lv2/"
checks=$((checks + 1))
LV2_PATH=$work/lv2 lv2apply -i "$input" -o "$work/none.wav" "$uri" >"$work/out" 2>"$work/err" &&
  fail "lv2apply ran the plugin without a model"
grep -qF "model.grurt: cannot be opened" "$work/err" || fail "missing model: stderr lacks the reason: $(cat "$work/err")"
expect_ok "convert a 2-input model" "$bin/grurt-convert" "$audio/two_in.pt" -o "$work/lv2/grurt-amp.lv2/model.grurt"
checks=$((checks + 1))
LV2_PATH=$work/lv2 lv2apply -i "$input" -o "$work/two.wav" "$uri" >"$work/out" 2>"$work/err" &&
  fail "lv2apply ran the plugin with a 2-input model"
grep -qF "has 2 inputs and 1 outputs; this plugin is mono in, mono out" "$work/err" ||
  fail "2-input model: stderr lacks the reason: $(cat "$work/err")"

echo "$checks checks, $failures failures"
[ "$failures" -eq 0 ]
