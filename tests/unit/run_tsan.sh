#!/usr/bin/env bash
# run_tsan.sh SRC BUILD: builds the reader's unit test with ThreadSanitizer
# and runs it. The reader parses on two threads and delivers on a third; the
# test cuts its inputs into tiny segments, so every hand-over (tasks
# cancelled, queues full, errors in guessed segments) happens many times.
# Exits 77 (skipped) when the compiler has no ThreadSanitizer runtime.
set -euo pipefail
src=$1 build=$2
out=$build/tsan
mkdir -p "$out"
cc=${CC:-cc}
if ! "$cc" -std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -fsanitize=thread -I"$src/src" \
    "$src/tests/unit/test_reader.c" "$src"/src/common/*.c "$src"/src/ingest/*.c \
    -lcsv -lyaml -lm -pthread -o "$out/test_reader" 2> "$out/build.log"; then
  if grep -qi 'tsan' "$out/build.log"; then echo "no ThreadSanitizer runtime: skipped"; exit 77; fi
  cat "$out/build.log"; exit 1
fi
# halt_on_error: a race fails the test, not just a report in its output.
TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$out/test_reader"
