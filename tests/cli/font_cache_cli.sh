#!/usr/bin/env bash
# CLI: the font cache never changes what comes out. Each chart is drawn
# without a cache, then with a fresh cache file (cold: fontconfig answers
# and the file is written), then again (warm: the file answers); the bytes
# of PNG and SVG, the stderr and the exit code must be the same all three
# times. The labels reach every kind of answer: Latin families, Chinese
# through the fallback chain (WenQuanYi), a private-use code point only
# fonts outside the chain have (U+F004: fontconfig's code point search, a
# cached "char" answer), and one no font has (U+E000: a cached "none" and
# its error).
# Usage: font_cache_cli.sh ECOREPORT SOURCE_DIR
ECOREPORT=$1
SRC=$2
. "$(dirname "$0")/lib.sh"
export SOURCE_DATE_EPOCH=1680825600
# A home of the test's own: no user font configuration, and the cache's
# default place is not the real ~/.cache.
mkdir home
export HOME=$PWD/home XDG_CONFIG_HOME=$PWD/home/.config XDG_DATA_HOME=$PWD/home/.local/share \
  XDG_CACHE_HOME=$PWD/home/.cache
printf 'label,v\n人工智能,3\n\xef\x80\x84 heart,2\nplain,1\n' > zh.csv
printf 'label,v\n\xee\x80\x80x,3\nplain,1\n' > none.csv

# draw NAME CACHE ARGS...: stderr to NAME.err, exit code to NAME.rc
draw() {
  local name=$1 cache=$2; shift 2
  local rc=0
  ECOREPORT_FONT_CACHE=$cache "$ECOREPORT" chart "$@" 2> "$name.err" || rc=$?
  echo "$rc" > "$name.rc"
}

# same NAME CSV OUT-EXT ARGS...: off, cold and warm agree
same() {
  local name=$1 csv=$2 ext=$3; shift 3
  local cache=$PWD/$name.cache run
  rm -f "$cache"
  for run in off cold warm; do
    local c=$cache
    [ "$run" = off ] && c=off
    draw "$name-$run" "$c" "$csv" --category label --value v "$@" -o "$name-$run.$ext"
  done
  ok "$name-cache-written" test -s "$cache"
  for run in cold warm; do
    ok "$name-$run-rc" cmp -s "$name-off.rc" "$name-$run.rc"
    ok "$name-$run-stderr" cmp -s "$name-off.err" "$name-$run.err"
    if [ -e "$name-off.$ext" ]; then
      ok "$name-$run-bytes" cmp -s "$name-off.$ext" "$name-$run.$ext"
    else
      ok "$name-$run-no-output" test ! -e "$name-$run.$ext"
    fi
  done
}

same zh-png zh.csv png --lang zh --title "人工智能的碳排放" --source "Luccioni et al."
same zh-svg zh.csv svg --lang zh --title "人工智能的碳排放" --source "Luccioni et al."
same en-png zh.csv png --title "CO₂ – × é" --source "Luccioni et al."
same none-png none.csv png
ok zh-png-drawn test "$(cat zh-png-off.rc)" = 0
ok none-png-refused test "$(cat none-png-off.rc)" = 65
ok none-png-says-why grep -q 'no installed font can draw U+E000' none-png-off.err
# The warm run learned nothing: it leaves the file as the cold run wrote it.
cp zh-png.cache before.cache
draw zh-png-again "$PWD/zh-png.cache" zh.csv --category label --value v --lang zh -o again.png
ok warm-no-rewrite cmp -s before.cache zh-png.cache
finish
