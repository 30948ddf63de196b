#!/usr/bin/env bash
# examples/firmware/{gru,lstm}/demo_model.{h,c} and demo_reference.h are
# generated on the host (regenerate.sh) and committed; fail when they differ
# from a fresh run.
# usage: test_firmware_sources.sh SOURCE_DIR BIN_DIR
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$1/examples/firmware/regenerate.sh" "$2" "$work"
for folder in gru lstm gru_int8; do
  for file in demo_model.h demo_model.c demo_reference.h; do
    cmp -s "$work/$folder/$file" "$1/examples/firmware/$folder/$file" ||
      { echo "examples/firmware/$folder/$file is stale: run examples/firmware/regenerate.sh build/bin" >&2; exit 1; }
  done
done
echo "firmware sources are current"
