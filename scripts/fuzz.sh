#!/usr/bin/env bash
# Fuzzes every parser: scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Builds the libFuzzer targets of tests/fuzz/ with clang-14 under AddressSanitizer
# and UndefinedBehaviorSanitizer (build-fuzz/), then runs each TARGET (default:
# all of model csv pickle torch_zip safetensors mapping onnx json_model keras_h5 keras_config npz) for SECONDS (default 60),
# GRURT_FUZZ_JOBS at a time (default: the number of cores). Each starts from the
# committed seeds (tests/fuzz/corpus/) and past findings (tests/fuzz/regressions/)
# and grows its own corpus in build-fuzz/corpus/, kept between runs. Executions
# per target add up in build-fuzz/executions.tsv.
#
# GRURT_FUZZ_BUILD=DIR uses DIR instead of build-fuzz/: a build already
# configured with -DGRURT_FUZZ=ON (scripts/test.sh passes its sanitizer build,
# which holds the tests and the fuzz targets, so they are compiled once).
#
# A finding (crash, sanitizer report, leak, timeout > 10 s, or > 2 GB of memory)
# stops that target, leaves the input in build-fuzz/findings/TARGET/ and makes
# the script exit 1. Reproduce with: build-fuzz/bin/fuzz_TARGET FILE. Once
# fixed, commit the input to tests/fuzz/regressions/TARGET/: the test suite
# replays it from then on.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/setup.sh"

seconds=${1:-60}
shift || true
targets=("$@")
[ "${#targets[@]}" -eq 0 ] && targets=(model csv pickle torch_zip safetensors mapping onnx json_model keras_h5 keras_config npz)
jobs=${GRURT_FUZZ_JOBS:-$(nproc)}

grurt_install_packages "${GRURT_PACKAGES[@]}" "${GRURT_FUZZ_PACKAGES[@]}"
build=${GRURT_FUZZ_BUILD:-$root/build-fuzz}
if [ -n "${GRURT_FUZZ_BUILD:-}" ]; then
  if ! grep -q '^GRURT_FUZZ:BOOL=ON$' "$build/CMakeCache.txt" 2>/dev/null; then
    echo "fuzz.sh: GRURT_FUZZ_BUILD=$build is not a build configured with -DGRURT_FUZZ=ON" >&2
    exit 2
  fi
else
  CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DGRURT_FUZZ=ON -DGRURT_SANITIZE=address,undefined -DGRURT_BUILD_TOOLS=ON -DGRURT_BUILD_TESTS=OFF \
    -DGRURT_BUILD_EXAMPLES=OFF >/dev/null
fi
cmake --build "$build" -j "$(nproc)" --target $(printf 'fuzz_%s ' "${targets[@]}")

# Runs one target; prints "TARGET EXECUTIONS STATUS".
fuzz_one() {
  local name=$1 seconds=$2 root=$3 build=$4
  local corpus=$build/corpus/$name findings=$build/findings/$name log=$build/logs/$name.log
  mkdir -p "$corpus" "$findings" "$build/logs"
  local inputs=("$corpus" "$root/tests/fuzz/corpus/$name")
  [ -d "$root/tests/fuzz/regressions/$name" ] && inputs+=("$root/tests/fuzz/regressions/$name")
  local dict=()
  case $name in
    pickle | torch_zip) dict=(-dict="$root/tests/fuzz/pickle.dict") ;;
    safetensors | mapping | json_model | keras_config) dict=(-dict="$root/tests/fuzz/json.dict") ;;
    onnx) dict=(-dict="$root/tests/fuzz/onnx.dict") ;;
    npz) dict=(-dict="$root/tests/fuzz/npz.dict") ;;
  esac
  case $name in  # the converter's hostile test files are seeds too
    torch_zip | safetensors) inputs+=("$root/tests/fixtures/convert/refuse") ;;
    onnx) inputs+=("$root/tests/fixtures/onnx/refuse") ;;
    json_model) inputs+=("$root/tests/fixtures/json/refuse") ;;
    keras_h5) inputs+=("$root/tests/fixtures/keras/refuse") ;;
    npz) inputs+=("$root/tests/fixtures/npz/refuse") ;;
  esac
  local status=ok
  # detect_leaks stays on: the converter must not leak on any input either.
  ASAN_OPTIONS=abort_on_error=0:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$build/bin/fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$findings/" "${dict[@]}" "${inputs[@]}" >"$log" 2>&1 || status=FINDING
  local executions
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  echo "$name ${executions:-0} $status"
}
export -f fuzz_one

echo "fuzzing ${targets[*]} for ${seconds} s each, $jobs at a time (logs in $build/logs/)"
results=$(printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c "fuzz_one {} $seconds '$root' '$build'")

touch "$build/executions.tsv"
failed=0
printf '%-12s %14s %16s  %s\n' target executions "total (all runs)" result
while read -r name executions status; do
  printf '%s\t%s\n' "$name" "$executions" >>"$build/executions.tsv"
  total=$(awk -F'\t' -v n="$name" '$1 == n { s += $2 } END { printf "%d", s }' "$build/executions.tsv")
  printf '%-12s %14s %16s  %s\n' "$name" "$executions" "$total" "$status"
  if [ "$status" != ok ]; then
    failed=1
    echo "  finding: $(ls "$build/findings/$name" | tail -n 1) (log: $build/logs/$name.log)"
    grep -m 3 -E "ERROR|SUMMARY|runtime error" "$build/logs/$name.log" | sed 's/^/  /' || true
  fi
done <<<"$(sort <<<"$results")"
exit "$failed"
