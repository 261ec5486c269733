#!/usr/bin/env bash
# test.sh - Quick start 2: install what is missing, build with warnings as
# errors, run the whole suite; then again under AddressSanitizer+UBSan, and
# under valgrind's memcheck (every error or leak fails).
set -euo pipefail
. "$(dirname "$0")/scripts/setup.sh"
er_install_missing
cd "$ER_ROOT"
er_build build
(cd build && ctest --output-on-failure -j"$(nproc)")
er_build build-asan -DER_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
   ctest --output-on-failure -j"$(nproc)" -LE nosan)
er_build build-vg -DER_VALGRIND=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
(cd build-vg && ctest --output-on-failure -j"$(nproc)" -LE nosan --timeout 1500)
