#!/usr/bin/env bash
# run_tsan.sh SRC BUILD: builds the unit tests of the threaded code with
# ThreadSanitizer and runs them:
# - the reader's: it parses on two threads and delivers on a third; the test
#   cuts its inputs into tiny segments, so every hand-over (tasks cancelled,
#   queues full, errors in guessed segments) happens many times;
# - the query's: a spilled run store is drained by the caller and a helper
#   thread, whose folds take turns under a lock.
# Exits 77 (skipped) when the compiler has no ThreadSanitizer runtime.
set -euo pipefail
src=$1 build=$2
out=$build/tsan
mkdir -p "$out"
cc=${CC:-cc}
build_one() { # build_one TEST SOURCES...
  local name=$1; shift
  if ! "$cc" -std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -fsanitize=thread -I"$src/src" \
      "$src/tests/unit/$name.c" "$@" -lcsv -lyaml -lm -pthread -o "$out/$name" 2> "$out/build.log"; then
    if grep -qi 'tsan' "$out/build.log"; then echo "no ThreadSanitizer runtime: skipped"; exit 77; fi
    cat "$out/build.log"; exit 1
  fi
}
build_one test_reader "$src"/src/common/*.c "$src"/src/ingest/*.c
build_one test_query "$src"/src/common/*.c "$src"/src/ingest/*.c "$src"/src/core/*.c
# halt_on_error: a race fails the test, not just a report in its output.
TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$out/test_reader"
TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$out/test_query"
