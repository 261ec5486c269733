#!/usr/bin/env bash
# CLI: `ecoreport render` and `check` on bad templates: the exact message
# (positioned in the template, or in the data file for data errors), exit
# 65, and no PDF written or replaced.
ECOREPORT=$1
SRC=$2
. "$(dirname "$0")/lib.sh"
mkdir data out
cp "$SRC/datasets/luccioni2022-llm-training.csv" data/models.csv
export ECOREPORT_THEMES="$SRC/templates/themes"

good() {
  cat <<'EOF'
---
title: T
data:
  models: data/models.csv
---

# One

Training GPT-3 emitted {{ max(models.co2_t) }} tonnes.

```chart
data: models
category: model
value: co2_t
title: Emissions
```
EOF
}
good > good.md
ok render-good "$ECOREPORT" render good.md -o out
ok render-wrote test -s out/good.pdf
cp out/good.pdf before.pdf
ok check-good "$ECOREPORT" check good.md
ok render-identical sh -c "'$ECOREPORT' render good.md -o out && cmp -s out/good.pdf before.pdf"

# Each bad template is the good one with one thing broken; the previous
# output must survive.
bad() { # NAME RC <<< message; the template is in bad.md
  local name=$1 rc=$2 want
  want=$(cat)
  check "$name" "$rc" "$ECOREPORT" render bad.md -o out <<< "$want"
  ok "$name-no-pdf" test ! -e out/bad.pdf
}

good | sed 's/^title: T$/title: [T/' > bad.md
bad malformed-yaml 65 <<'EOF'
ecoreport: bad.md:3:5: error: YAML: did not find expected ',' or ']' while parsing a flow sequence
EOF
good | sed 's/^title: Emissions$/titel: Emissions/' > bad.md
bad unknown-block-key 65 <<'EOF'
ecoreport: bad.md:15:1: error: unknown chart block key "titel" (type, data, category, value, color_by, sort, limit, log, title, subtitle, source, note, height, orientation, axis, labels)
EOF
good | sed 's/^data: models$/data: modles/' > bad.md
bad unknown-dataset 65 <<'EOF'
ecoreport: bad.md:12:7: error: unknown dataset "modles" (did you mean "models"?)
ecoreport: bad.md:11:1: error: in this chart block (Figure 1.1)
EOF
good | sed 's/^value: co2_t$/value: co2/' > bad.md
bad unknown-column 65 <<'EOF'
ecoreport: bad.md: error: value column "co2" not found (did you mean "co2_t"?)
ecoreport: bad.md:11:1: error: in this chart block (Figure 1.1)
EOF
good | sed 's|models: data/models.csv|models: data/nosuch.csv|' > bad.md
bad missing-data-file 66 <<'EOF'
ecoreport: ./data/nosuch.csv: error: cannot open: No such file or directory
EOF
good | sed 's/max(models.co2_t)/max(models.co2_t/' > bad.md
bad expression-error 65 <<'EOF'
ecoreport: bad.md:9:43: error: expected ')'
EOF
good | sed 's/{{ max(models.co2_t) }}/{{ max(models.co2_t)/' > bad.md
bad unclosed-braces 65 <<'EOF'
ecoreport: bad.md:9:24: error: "{{" is not closed with "}}"
EOF
printf -- '---\ntitle: T\n---\n\n# Empty\n\n# Full\n\nText.\n' > bad.md
bad empty-section 65 <<'EOF'
ecoreport: bad.md:5:1: error: section "Empty" is empty
EOF
printf 'model,co2_t\n' > data/empty.csv
good | sed 's|models: data/models.csv|models: data/empty.csv|' > bad.md
bad figure-without-data 65 <<'EOF'
ecoreport: bad.md: error: no rows to chart (the data is empty, or --where removed every row)
ecoreport: bad.md:11:1: error: in this chart block (Figure 1.1)
EOF
# cmark-gfm is quadratic on long paragraphs: 3,500 lines (more than 64 KiB)
# without a blank line are refused before parsing, where they start.
{ good; echo; for i in $(seq 3500); do echo 'a *b* c `d` [e](f)'; done; } > bad.md
bad paragraph-too-long 65 <<'EOF'
ecoreport: bad.md:18:1: error: more than 65536 bytes of text without a blank line, from here to line 3467: put blank lines between paragraphs
EOF
printf 'model,co2_t\nGPT-3,502,9\n' > data/ragged.csv
good | sed 's|models: data/models.csv|models: data/ragged.csv|' > bad.md
bad data-error-in-data-file 65 <<'EOF'
ecoreport: ./data/ragged.csv:2:11: error: row has 3 fields, the header has 2: extra field "9"
EOF
check check-writes-nothing 65 "$ECOREPORT" check bad.md <<'EOF'
ecoreport: ./data/ragged.csv:2:11: error: row has 3 fields, the header has 2: extra field "9"
EOF
ok previous-output-untouched cmp -s out/good.pdf before.pdf
check missing-template 66 "$ECOREPORT" render nosuch.md -o out <<'EOF'
ecoreport: nosuch.md: error: cannot open: No such file or directory
EOF
check missing-out-dir 73 "$ECOREPORT" render good.md -o nowhere <<'EOF'
ecoreport: nowhere: error: cannot create outputs: no such folder
EOF
check bad-set 64 "$ECOREPORT" render good.md --set novalue <<'EOF'
ecoreport: render: --set needs KEY=VALUE, not 'novalue'
Try 'ecoreport render --help' for more information.
EOF
ok set-overrides sh -c "'$ECOREPORT' render good.md -o out --set title=Other && pdfinfo out/good.pdf | grep -q 'Title: *Other'"
ok exports sh -c "'$ECOREPORT' render good.md -o out --png --svg && test -s out/good-fig1.png && test -s out/good-fig1.svg && test -s out/good-fig1.txt"
# A long text cell (here 400 bytes of Chinese) wraps in its column; it is
# never cut short.
long=$(python3 -c "print('排放' * 66 + '结束')")
printf 'model,note\nGPT-3,%s\n' "$long" > data/long.csv
printf -- '---\ntitle: T\ndata:\n  notes: data/long.csv\n---\n\n# One\n\n```table\ndata: notes\n```\n' > long.md
ok long-cell-whole sh -c "'$ECOREPORT' render long.md -o out && pdftotext out/long.pdf - | tr -d '\n' | grep -qF '$long'"
printf -- '---\ntitle: T\ndata:\n  notes: data/long.csv\n---\n\n# One\n\nNote: {{ first(notes.note) }}\n' > longexpr.md
ok long-expr-whole sh -c "'$ECOREPORT' render longexpr.md -o out && pdftotext out/longexpr.pdf - | tr -d '\n' | grep -qF '$long'"
# A line break in the template between ideographs is no space; between
# Korean words (which are spaced) and Latin ones it is.
printf -- '---\ntitle: T\n---\n\n# One\n\n中文\n文本，한국어\n단어 and\nmore.\n' > breaks.md
ok soft-breaks sh -c "'$ECOREPORT' render breaks.md -o out && pdftotext out/breaks.pdf - | grep -qF '中文文本，한국어 단어 and more.'"
# A character no installed font has fails the report before anything is
# written: in the template, at its line and column; from data, with its text.
good | sed 's|^Training GPT-3|Training \xee\x80\x80 GPT-3|; s|^title: Emissions|title: "Emissions \xf4\x8f\xbf\xbd"|' > pua.md
check missing-glyph 65 "$ECOREPORT" render pua.md -o out <<EOF
ecoreport: pua.md:9:10: error: no installed font can draw U+E000 in "Training $(printf '\356\200\200') GPT-3 emitted "; install a font that has it
ecoreport: pua.md:15:19: error: no installed font can draw U+10FFFD in "Emissions $(printf '\364\217\277\275')"; install a font that has it
EOF
printf 'model,co2_t\nGPT\356\200\200,1\n' > data/pua.csv
good | sed 's|models: data/models.csv|models: data/pua.csv|' > pua2.md
check missing-glyph-in-data 65 "$ECOREPORT" render pua2.md -o out <<EOF
ecoreport: pua2.md: error: no installed font can draw U+E000 in "GPT$(printf '\356\200\200')" (category); install a font that has it
EOF
ok missing-glyph-nothing-written sh -c 'test ! -e out/pua.pdf && test ! -e out/pua2.pdf'
ok no-debris sh -c '! ls -a out | grep -q ecoreport-'
# A report whose figures make 73 files (24 charts as PNG, SVG and alt
# text, and the PDF), written as one set while at most 32 files may be
# open: the temporaries must not all stay open until the set is committed.
{
  printf -- '---\ntitle: Many\ndata:\n  models: data/models.csv\n---\n\n# Figures\n'
  for i in $(seq 24); do
    printf '\n```chart\ndata: models\ncategory: model\nvalue: co2_t\ntitle: Emissions %d\n```\n' "$i"
  done
} > many.md
mkdir many
ok many-files-few-descriptors sh -c "ulimit -n 32 && '$ECOREPORT' render many.md -o many --png --svg 2>/dev/null && test \$(ls many | wc -l) -eq 73"
finish
