# The CLI tests' shared checks, sourced by test_cli.sh, test_audio.sh and test_lv2_plugin.sh: a work
# folder removed at exit, counters, and the checks that run a command.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
checks=0 failures=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
# expect_ok NAME COMMAND...: the command must exit 0.
expect_ok() { local name=$1; shift; checks=$((checks + 1)); "$@" >"$work/out" 2>"$work/err" || fail "$name: exit $? ($(cat "$work/err"))"; }
# expect_error NAME CODE TEXT COMMAND...: exit CODE and TEXT in stderr.
expect_error() {
  local name=$1 code=$2 text=$3; shift 3; checks=$((checks + 1))
  "$@" >"$work/out" 2>"$work/err"; local got=$?
  [ "$got" -eq "$code" ] || fail "$name: exit $got, expected $code"
  grep -qF -- "$text" "$work/err" || fail "$name: stderr lacks '$text': $(cat "$work/err")"
}
contains() { checks=$((checks + 1)); grep -qF -- "$2" "$work/out" || fail "$1: output lacks '$2': $(head -c 600 "$work/out")"; }
# close_to NAME ACTUAL EXPECTED TOLERANCE: compare_csv.sh, counted.
close_to() {
  checks=$((checks + 1))
  "$(dirname "${BASH_SOURCE[0]}")/../convert/compare_csv.sh" "$2" "$3" "$4" >"$work/compare" 2>&1 ||
    fail "$1: $(cat "$work/compare")"
}
