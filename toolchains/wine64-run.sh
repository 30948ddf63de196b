#!/usr/bin/env bash
# CMAKE_CROSSCOMPILING_EMULATOR of toolchains/x86_64-w64-mingw32.cmake: runs a
# Windows program under Wine (Debian's wine64, no X needed) in the build's own
# prefix. usage: wine64-run.sh PREFIX PROGRAM.exe [ARGS...]
# Every call (ctest's parallel jobs, the build's test discovery) passes one
# lock, under which the first creates the prefix (6-20 s) and whoever finds no
# wineserver starts one that stays 60 s after its last program, with Wine's
# session services (wineboot, ~4 s): so a suite pays that start-up once, not
# per test, and nothing is left running a minute after the last test. Both are
# started with their output to /dev/null: a server holding a test's output pipe
# would make ctest wait for the server to exit.
set -euo pipefail
export WINEPREFIX=$1 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="  # no Mono or Gecko installer
shift
wine=/usr/lib/wine
mkdir -p "$(dirname "$WINEPREFIX")"
(
  flock 9
  # wineserver -pN exits at once, non-zero, when a server runs already.
  # (9>&-: what they leave running must not hold the lock.)
  if "$wine/wineserver" -p60 </dev/null >/dev/null 2>&1 9>&-; then
    "$wine/wine64" wineboot </dev/null >/dev/null 2>&1 9>&-  # creates the prefix the first time
  fi
) 9>"$WINEPREFIX.lock"
exec "$wine/wine64" "$@"
