#!/usr/bin/env bash
# Run-time x86 ISA detection against the Linux kernel's own view of the CPU:
# the flags of /proc/cpuinfo (which the kernel clears for state the OS does not
# save) say which kernel tables must be available; the test binary's "CPU
# features come from the OS at run time" case checks isa_available() against
# that list. Run natively and, in the Windows build, under Wine, where the
# detection is the Windows build's own.
# usage: check_isas_match_cpuinfo.sh [RUNNER...] TEST_BINARY "CASE" -w NoTests
# (the command runs as given, with GRURT_EXPECT_X86_ISAS set; the binary and its
# filter stay visible to check_catch_entries.cmake like any other entry's)
set -euo pipefail
flags=" $(grep -m 1 '^flags' /proc/cpuinfo | cut -d: -f2) "
has() { [[ $flags == *" $1 "* ]]; }
isas=scalar
if has avx2 && has fma && has f16c; then
  isas+=" avx2"
  if has avx_vnni; then isas+=" avx_vnni"; fi
fi
if has avx512f; then
  isas+=" avx512"
  if has avx512bw && has avx512_vnni; then isas+=" avx512_vnni"; fi
fi
echo "/proc/cpuinfo: $isas"
GRURT_EXPECT_X86_ISAS=$isas exec "$@"
