#!/usr/bin/env bash
# Golden chart tests: for each case in charts/cases.txt, the scene dump must
# equal NAME.scene.txt exactly; for the cases in charts/png.txt the PNG must
# match NAME.png within a pixel tolerance (a diff image is written to the
# build tree on failure); every case also renders to SVG (well-formed XML)
# and PDF (pdftotext finds the title).
#   chart_golden.sh ECOREPORT PNGDIFF SRC OUTDIR [--update]
ECOREPORT=$1 PNGDIFF=$2 SRC=$3 OUT=$4 UPDATE=${5-}
set -u
pass=0 fail=0
mkdir -p "$OUT"
cd "$SRC" || exit 2
export SOURCE_DATE_EPOCH=1680825600 # 2023-04-07, the AI Index's publication day
while IFS='|' read -r name args; do
  name=$(echo "$name" | xargs)
  case $name in ''|'#'*) continue ;; esac
  eval "set -- $args"
  exp=tests/golden/charts/$name.scene.txt
  got=$OUT/$name.scene.txt
  if ! "$ECOREPORT" chart "$@" --dump scene > "$got" 2> "$OUT/$name.err"; then
    fail=$((fail + 1)); echo "FAIL $name: ecoreport failed: $(cat "$OUT/$name.err")"; continue
  fi
  if [ "$UPDATE" = --update ]; then cp "$got" "$exp"; fi
  if cmp -s "$exp" "$got"; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL $name: scene differs"; diff "$exp" "$got" | head -10 | sed 's/^/    /'
  fi
  "$ECOREPORT" chart "$@" -o "$OUT/$name.png" && "$ECOREPORT" chart "$@" -o "$OUT/$name.svg" &&
    "$ECOREPORT" chart "$@" -o "$OUT/$name.pdf" || { fail=$((fail + 1)); echo "FAIL $name: render"; continue; }
  if grep -qx "$name" tests/golden/charts/png.txt; then
    if [ "$UPDATE" = --update ]; then cp "$OUT/$name.png" "tests/golden/charts/$name.png"; fi
    if "$PNGDIFF" "tests/golden/charts/$name.png" "$OUT/$name.png" "$OUT/$name.diff.png" > "$OUT/$name.pngdiff"; then
      pass=$((pass + 1))
    else
      fail=$((fail + 1)); echo "FAIL $name: PNG differs: $(cat "$OUT/$name.pngdiff"); see $OUT/$name.diff.png"
    fi
  fi
  if command -v python3 >/dev/null; then
    if python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$OUT/$name.svg"; then
      pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $name: SVG is not well-formed"; fi
  fi
  if command -v pdftotext >/dev/null; then
    title=$(grep -m1 '^title ' "$exp" | sed 's/^title "//; s/"$//' | cut -c1-20)
    if pdftotext "$OUT/$name.pdf" - | tr '\n' ' ' | grep -qF "$title"; then
      pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $name: PDF text lacks \"$title\""; fi
  fi
  # Alt text next to the output.
  if [ -s "$OUT/$name.txt" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $name: no alt text"; fi
done < tests/golden/charts/cases.txt
echo "chart_golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
