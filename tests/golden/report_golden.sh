#!/usr/bin/env bash
# Golden report tests, for each bundled template (and each test template in
# tests/golden/templates: a mixed Chinese/English table): the PDF renders twice to
# identical bytes; its page count, extracted text and outline match the
# goldens; qpdf finds no error; every font is embedded; page 1 rasterised
# matches its golden PNG within a pixel tolerance.
#   report_golden.sh ECOREPORT PNGDIFF SRC OUTDIR [--update]
ECOREPORT=$1 PNGDIFF=$2 SRC=$3 OUT=$4 UPDATE=${5-}
set -u
pass=0 fail=0
res() { if [ "$1" = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $2"; fi; }
for tool in pdftotext pdfinfo pdffonts pdftoppm qpdf; do
  command -v $tool >/dev/null || { echo "$tool not found: skipped"; exit 77; }
done
mkdir -p "$OUT/a" "$OUT/b"
G=$SRC/tests/golden/reports
for tpl in "$SRC"/templates/*.md "$SRC"/tests/golden/templates/*.md; do
  name=$(basename "$tpl" .md)
  "$ECOREPORT" render "$tpl" -o "$OUT/a" && "$ECOREPORT" render "$tpl" -o "$OUT/b"
  res $? "$name: render"
  pdf=$OUT/a/$name.pdf
  cmp -s "$pdf" "$OUT/b/$name.pdf"; res $? "$name: two renders differ"
  pdfinfo "$pdf" | sed -n 's/^Pages: *//p' > "$OUT/$name.pages"
  pdftotext -layout "$pdf" - | sed 's/[[:space:]]\+/ /g; s/ $//' | grep -v '^$' > "$OUT/$name.txt"
  qpdf --json "$pdf" 2>/dev/null | python3 -c '
import json, sys
def walk(items, depth):
    for o in items:
        print("  " * depth + o["title"])
        walk(o.get("kids", []), depth + 1)
walk(json.load(sys.stdin).get("outlines", []), 0)' > "$OUT/$name.outline"
  pdftoppm -r 40 -f 1 -l 1 -png "$pdf" "$OUT/$name-page" && mv "$OUT/$name-page"-1.png "$OUT/$name-page1.png"
  if [ "$UPDATE" = --update ]; then
    cp "$OUT/$name.pages" "$OUT/$name.txt" "$OUT/$name.outline" "$OUT/$name-page1.png" "$G/"
  fi
  for k in pages txt outline; do
    cmp -s "$G/$name.$k" "$OUT/$name.$k"; r=$?
    res $r "$name: $k differs"
    [ $r = 0 ] || diff "$G/$name.$k" "$OUT/$name.$k" | head -8 | sed 's/^/    /'
  done
  qpdf --check "$pdf" > /dev/null 2>&1; res $? "$name: qpdf --check"
  pdffonts "$pdf" | awk 'NR > 2 && $(NF-4) != "yes" { bad = 1 } END { exit bad }'; res $? "$name: a font is not embedded"
  "$PNGDIFF" "$G/$name-page1.png" "$OUT/$name-page1.png" "$OUT/$name-page1.diff.png" > /dev/null
  res $? "$name: page 1 differs from its golden PNG (see $OUT/$name-page1.diff.png)"
done
size=$(stat -c %s "$OUT/a/ai-index-environment.pdf")
[ "$size" -lt 204800 ]; res $? "ai-index-environment.pdf is $size bytes, over 200 KB"
echo "report_golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
