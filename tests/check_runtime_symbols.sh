#!/usr/bin/env bash
# Fails if the runtime library's objects refer to the heap or to exception
# machinery: the runtime must run with no allocator and no exceptions.
# usage: check_runtime_symbols.sh LIBRARY [NM]
set -euo pipefail
library=$1
nm_tool=${2:-nm}
undefined=$("$nm_tool" --undefined-only "$library" | awk 'NF >= 2 {print $NF}' | sort -u)
if [ -z "$undefined" ]; then
  echo "no undefined symbols read from $library: is it the right file?" >&2
  exit 1
fi
# malloc family, C++ operator new/delete (_Znw*, _Zna*, _Zdl*, _Zda*),
# exception throwing/allocation, RTTI type-info of std classes, printf family.
forbidden='^(malloc|calloc|realloc|free|aligned_alloc|posix_memalign|memalign|_Znw.*|_Zna.*|_Zdl.*|_Zda.*|__cxa_throw|__cxa_allocate_exception|__cxa_begin_catch|__gxx_personality_v0|_Unwind_Resume|_ZTI.*|printf|fprintf|sprintf|snprintf|vsnprintf|puts|abort)$'
found=$(printf '%s\n' "$undefined" | grep -E "$forbidden" || true)
if [ -n "$found" ]; then
  echo "the runtime library refers to forbidden symbols:" >&2
  printf '  %s\n' $found >&2
  exit 1
fi
echo "runtime library is free of heap, exception and printf symbols ($(printf '%s\n' "$undefined" | wc -l) undefined symbols checked)"
