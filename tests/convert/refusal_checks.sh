# Sourced by the refusal tests: `refuse FILE EXPECTED_TEXT [options...]` runs
# grurt-convert on $fixtures/FILE and counts a failure unless it exits 1 with
# EXPECTED_TEXT on stderr and writes no output. Needs $bin and $fixtures.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
checks=0 failures=0

refuse() {  # refuse FILE EXPECTED_TEXT [options...]
  local file=$1 text=$2; shift 2; checks=$((checks + 1))
  "$bin/grurt-convert" "$fixtures/$file" -o "$work/out.grurt" "$@" >"$work/stdout" 2>"$work/stderr"
  local rc=$?
  if [ "$rc" -ne 1 ]; then echo "FAIL $file: exit $rc, expected 1" >&2; failures=$((failures + 1)); fi
  if ! grep -qF -- "$text" "$work/stderr"; then
    echo "FAIL $file: stderr lacks '$text': $(cat "$work/stderr")" >&2; failures=$((failures + 1))
  fi
  if [ -e "$work/out.grurt" ]; then echo "FAIL $file: an output file was written" >&2; failures=$((failures + 1)); rm -f "$work/out.grurt"; fi
}
