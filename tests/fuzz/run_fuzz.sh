#!/usr/bin/env bash
# run_fuzz.sh SRC BUILD TARGET SECONDS: builds one libFuzzer target with clang
# (ASan+UBSan) from the sources it needs and runs it for SECONDS on its corpus.
# Exits 77 (skipped) when clang or its fuzzer runtime is missing.
set -euo pipefail
src=$1 build=$2 target=$3 seconds=$4
command -v clang >/dev/null || { echo "clang not found: skipped"; exit 77; }
out=$build/fuzz
mkdir -p "$out/corpus-$target"
case $target in
  fuzz_csv) files=("$src"/src/common/*.c "$src"/src/ingest/*.c); libs=(-lcsv -lyaml -lm -pthread) ;;
  fuzz_template) files=("$src"/src/common/*.c "$src"/src/report/template*.c); libs=(-lcmark-gfm -lcmark-gfm-extensions -lyaml -lm -pthread) ;;
  fuzz_manifest) files=("$src"/src/common/*.c "$src"/src/batch/manifest.c); libs=(-lyaml -lm -pthread) ;;
  fuzz_locale) files=("$src"/src/common/*.c); libs=(-lyaml -lm -pthread) ;;
  fuzz_font_cache) files=("$src"/src/common/*.c "$src"/src/text/font_cache.c); libs=(-lfontconfig -lyaml -lm -pthread) ;;
  fuzz_plain_line) files=("$src"/src/common/*.c "$src"/src/ingest/plain_line.c); libs=(-lcsv -lyaml -lm -pthread) ;;
  fuzz_expr) files=("$src"/src/common/*.c "$src"/src/ingest/*.c "$src"/src/core/*.c); libs=(-lcsv -lyaml -lm -pthread) ;;
  *) echo "unknown target $target"; exit 2 ;;
esac
if ! clang -std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=all -I"$src/src" "$src/tests/fuzz/$target.c" "${files[@]}" "${libs[@]}" \
    -o "$out/$target" 2> "$out/$target.build.log"; then
  if grep -q 'fuzzer' "$out/$target.build.log"; then echo "no libFuzzer runtime: skipped"; exit 77; fi
  cat "$out/$target.build.log"; exit 1
fi
# New inputs go to the build tree; the seed corpus in the repository stays as it is.
# libFuzzer's own error code is 77, which ctest would read as "skipped": a
# crash must fail the test. Crash inputs land in the build tree.
"$out/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -error_exitcode=1 -timeout_exitcode=1 -artifact_prefix="$out/$target-" \
  "$out/corpus-$target" "$src/tests/fuzz/corpus/${target#fuzz_}" 2>&1 | tail -n 40
