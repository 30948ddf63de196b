#!/usr/bin/env bash
# grurt as users embed it in an app (examples/app), each way checked by running
# the app on the demo model against PyTorch's outputs:
#   installed   cmake --install into a temporary prefix; the app finds it with
#               find_package(grurt) and, separately, with pkg-config; the installed
#               grurt-convert writes the model
#   subproject  the app builds grurt with add_subdirectory (grurt's tests and tools stay off)
#   shared      a -DBUILD_SHARED_LIBS=ON runtime, installed, linked by the app
# usage: test_package.sh MODE CMAKE SOURCE_DIR BUILD_DIR
set -euo pipefail
mode=$1 cmake=$2 source=$3 build=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
models=$source/examples/models
compare="$source/tests/convert/compare_csv.sh"
"$build/bin/grurt-convert" "$models/demo.pt" -o "$work/demo.grurt" --quiet

run_app() {  # run_app APP_BINARY [env...]: the app's outputs must match PyTorch's
  grep -v '^#' "$models/demo_input.csv" | "$@" "$work/demo.grurt" >"$work/out.csv"
  "$compare" "$work/out.csv" "$models/demo_expected.csv" 1e-5
}

case "$mode" in
  installed)
    "$cmake" --install "$build" --prefix "$work/prefix" >/dev/null
    for tool in grurt-convert grurt-run grurt-info grurt-bench; do
      "$work/prefix/bin/$tool" --version | grep -q "$tool " || { echo "installed $tool has no --version" >&2; exit 1; }
    done
    "$work/prefix/bin/grurt-convert" "$models/demo.pt" -o "$work/demo.grurt" --quiet
    "$cmake" -S "$source/examples/app" -B "$work/app" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
    "$cmake" --build "$work/app" >/dev/null
    run_app "$work/app/stream_app"
    echo "find_package(grurt): ok"
    flags=$(PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig:$work/prefix/${LIBDIR:-lib}/pkgconfig" \
      pkg-config --cflags --libs --static grurt)
    ${CXX:-c++} -std=c++17 "$source/examples/app/stream_app.cpp" $flags -o "$work/app_pkgconfig"
    run_app "$work/app_pkgconfig"
    echo "pkg-config grurt: ok ($flags)"
    ;;
  subproject)
    "$cmake" -S "$source/examples/app" -B "$work/app" -DGRURT_SOURCE_DIR="$source" >"$work/configure.log"
    "$cmake" --build "$work/app" -j 2 >/dev/null
    # A subproject builds the runtime only: no test, tool or converter targets.
    if [ -e "$work/app/grurt/bin/grurt-run" ] || [ -d "$work/app/grurt/tests" ]; then
      echo "add_subdirectory built grurt's tools or tests" >&2
      exit 1
    fi
    run_app "$work/app/stream_app"
    echo "add_subdirectory(grurt): ok"
    ;;
  shared)
    "$cmake" -S "$source" -B "$work/grurt" -DBUILD_SHARED_LIBS=ON -DGRURT_BUILD_TOOLS=OFF -DGRURT_BUILD_TESTS=OFF \
      -DGRURT_BUILD_EXAMPLES=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null
    "$cmake" --build "$work/grurt" -j 2 >/dev/null
    "$cmake" --install "$work/grurt" --prefix "$work/prefix" >/dev/null
    ls "$work"/prefix/lib*/libgrurt.so* >/dev/null
    "$cmake" -S "$source/examples/app" -B "$work/app" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
    "$cmake" --build "$work/app" >/dev/null
    run_app env LD_LIBRARY_PATH="$work/prefix/lib" "$work/app/stream_app"
    echo "shared libgrurt: ok"
    ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac
