#!/usr/bin/env bash
# setup.sh - install the Debian packages ecoreport needs (only those missing),
# then configure and build it. Sourced by demo.sh and test.sh.
#   BUILD_DIR (default build), BUILD_TYPE (default RelWithDebInfo), CMAKE_ARGS.
set -euo pipefail

ER_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Build and run-time libraries, fonts, and the tools the tests and benchmarks use.
ER_PACKAGES=(
  build-essential cmake ninja-build pkgconf git
  libcsv-dev libhpdf-dev libcairo2-dev libfreetype-dev libfontconfig-dev libpng-dev
  libunibreak-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libyaml-dev
  fonts-liberation2 fonts-dejavu-core fonts-wqy-microhei
  poppler-utils qpdf clang libclang-rt-14-dev valgrind python3
)

er_install_missing() {
  local missing=() p
  for p in "${ER_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "setup: installing ${missing[*]}" >&2
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

er_build() {
  local dir=${1:-${BUILD_DIR:-build}}; shift || true
  cmake -S "$ER_ROOT" -B "$ER_ROOT/$dir" -G Ninja \
    -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" -DER_WERROR=ON "$@" >/dev/null
  cmake --build "$ER_ROOT/$dir" -j"$(nproc)"
}
