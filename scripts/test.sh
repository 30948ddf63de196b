#!/usr/bin/env bash
# Sets up (Debian packages), builds and runs every test. Exits non-zero on any failure.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/setup.sh"

grurt_install_packages "${GRURT_PACKAGES[@]}"
grurt_build
ctest --test-dir "$root/build" --output-on-failure -j "$(nproc)"
