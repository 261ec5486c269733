#!/usr/bin/env bash
# demo.sh - Quick start 1: install what is missing, build, and render the
# bundled datasets' outputs into output/.
set -euo pipefail
. "$(dirname "$0")/scripts/setup.sh"
er_install_missing
er_build build
cd "$ER_ROOT"
mkdir -p output
for f in datasets/*.csv; do
  name=$(basename "$f" .csv)
  ./build/ecoreport inspect "$f" > "output/$name.inspect.txt"
  echo "wrote output/$name.inspect.txt"
done
