#!/usr/bin/env bash
# CLI: languages. `--lang` on render, check and chart, `lang:` in the front
# matter and in batch jobs: numbers and the product's own words in the
# language (checked in the PDF's text and the chart's scene), and the exact
# message and exit code for an unknown language or a broken language file.
# Usage: lang_cli.sh ECOREPORT SOURCE_DIR
ECOREPORT=$1
SRC=$2
. "$(dirname "$0")/lib.sh"
command -v pdftotext >/dev/null || { echo "pdftotext not found: skipped"; exit 77; }
export ECOREPORT_THEMES="$SRC/templates/themes"
export ECOREPORT_LOCALES="$SRC/templates/locales"
NNBSP=$'\xe2\x80\xaf' NBSP=$'\xc2\xa0' # U+202F, U+00A0 in UTF-8
mkdir out
cat > e.csv <<'EOF'
model,energy_mwh
GPT-3,1287.5
Gopher,1066
OPT,324
EOF

tpl() { # LANG-LINE: a template with a table, a chart and {{ }}
  cat <<EOF
---
title: T
date: 2023-04-07
$1
data:
  m: e.csv
---

# One

GPT-3 used {{ max(m.energy_mwh) }} MWh.

\`\`\`table
data: m
title: Energy
source: Luccioni et al.
format: {energy_mwh: "#,##0.0"}
highlight: {energy_mwh: "1,287.5"}
\`\`\`

\`\`\`chart
data: m
category: model
value: energy_mwh
title: Energy by model
source: Luccioni et al.
\`\`\`
EOF
}
pdftext() { pdftotext -layout "$1" - | tr -s ' ' ' '; }
has() { # NAME FILE TEXT...: the file holds every text
  local name=$1 file=$2 t; shift 2
  for t in "$@"; do
    if grep -qF -- "$t" "$file"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $name: no '$t'"; fi
  done
}

# German from the command line.
tpl "" > t.md
ok render-de "$ECOREPORT" render t.md -o out --lang de
pdftext out/t.pdf > de.txt
has render-de de.txt "Abbildung 1.1" "Tabelle 1.1" "1.287,5" "GPT-3 used 1.287,5 MWh." \
  "Quelle: Luccioni et al." "Grafik: ecoreport" "Seite 1 von 1" "7. April 2023"
ok render-de-no-english sh -c "! grep -qE 'Figure|Source:|Page 1 of|1,287' de.txt"

# Without a language: English, as before.
ok render-en "$ECOREPORT" render t.md -o out --name en
pdftext out/en.pdf > en.txt
has render-en en.txt "Figure 1.1" "Table 1.1" "1,287.5" "Source: Luccioni et al." "Page 1 of 1" \
  "2023-04-07"
# --lang en is the same document.
ok render-lang-en "$ECOREPORT" render t.md -o out --name en2 --lang en
ok render-lang-en-same cmp -s out/en.pdf out/en2.pdf

# The front matter's lang:, and --lang over it.
tpl "lang: fr" > fr.md
ok render-fr "$ECOREPORT" render fr.md -o out
pdftext out/fr.pdf > fr.txt
# pdftotext prints the digit separator U+202F as a plain space; the scene
# dumps below check the character itself.
has render-fr fr.txt "Figure 1.1" "Tableau 1.1" "1 287,5" "Page 1 sur 1" "7 avril 2023"
ok render-fr-over "$ECOREPORT" render fr.md -o out --name over --lang=de
pdftext out/over.pdf > over.txt
has render-lang-overrides over.txt "Abbildung 1.1" "1.287,5"
ok check-de "$ECOREPORT" check fr.md --lang de

# Unknown languages: on the command line a usage error (64), in a template
# a data error at its place (65); both name the choices.
check render-unknown 64 "$ECOREPORT" render t.md -o out --lang xx <<'EOF'
ecoreport: render: --lang must be one of de, en, fr, ja, zh, not 'xx'
Try 'ecoreport render --help' for more information.
EOF
check check-unknown 64 "$ECOREPORT" check t.md --lang ../de <<'EOF'
ecoreport: check: --lang must be one of de, en, fr, ja, zh, not '../de'
Try 'ecoreport check --help' for more information.
EOF
check render-no-value 64 "$ECOREPORT" render t.md -o out --lang <<'EOF'
ecoreport: render: option '--lang' needs a value
Try 'ecoreport render --help' for more information.
EOF
check chart-unknown 64 "$ECOREPORT" chart e.csv --category model --value energy_mwh --lang xx \
  -o out/c.png <<'EOF'
ecoreport: chart: --lang must be one of de, en, fr, ja, zh, not 'xx'
Try 'ecoreport chart --help' for more information.
EOF
ok chart-unknown-nothing test ! -e out/c.png
tpl "lang: klingon" > bad.md
check template-unknown 65 "$ECOREPORT" render bad.md -o out <<'EOF'
ecoreport: bad.md:4:7: error: unknown language "klingon" (available: de, en, fr, ja, zh)
EOF
ok template-unknown-no-pdf test ! -e out/bad.pdf
tpl "lang: [de]" > bad.md
check template-not-text 65 "$ECOREPORT" render bad.md -o out <<'EOF'
ecoreport: bad.md:4:7: error: lang: expected a language code such as de
EOF

# A broken language file: its own position, exit 65.
mkdir loc
sed 's/^figure:/figur:/' "$SRC/templates/locales/de.yaml" > loc/de.yaml
check broken-file 65 env ECOREPORT_LOCALES=loc "$ECOREPORT" render t.md -o out --lang de <<'EOF'
ecoreport: loc/de.yaml:8:1: error: unknown key "figur" (did you mean "figure"?)
EOF
grep -v '^notes:' "$SRC/templates/locales/de.yaml" > loc/de.yaml
check missing-key 65 env ECOREPORT_LOCALES=loc "$ECOREPORT" render t.md -o out --lang de <<'EOF'
ecoreport: loc/de.yaml:2:1: error: missing key "notes" (in English: "Notes")
EOF
# Only English is there without the folder, built in.
check no-folder 64 env ECOREPORT_LOCALES=nowhere "$ECOREPORT" render t.md -o out --lang de <<'EOF'
ecoreport: render: --lang must be one of en, not 'de'
Try 'ecoreport render --help' for more information.
EOF
ok no-folder-en env ECOREPORT_LOCALES=nowhere "$ECOREPORT" render t.md -o out --name nf
ok no-folder-en-same cmp -s out/en.pdf out/nf.pdf

# Charts: ticks, value labels, the source line.
"$ECOREPORT" chart e.csv --category model --value energy_mwh --source IEA --lang de --dump scene \
  > scene.txt
has chart-de scene.txt '"Quelle: IEA | Grafik: ecoreport"' '"1.287,5"' '"1.000"'
"$ECOREPORT" chart e.csv --category model --value energy_mwh --source IEA --lang zh --dump scene \
  > scene.txt
has chart-zh scene.txt '"来源：IEA | 图表：ecoreport"' '"1,287.5"'
"$ECOREPORT" chart e.csv --category model --value energy_mwh --source IEA --lang fr --dump scene \
  > scene.txt
has chart-fr scene.txt "\"Source${NBSP}: IEA | Graphique${NBSP}: ecoreport\"" "\"1${NNBSP}287,5\"" \
  "\"1${NNBSP}000\""

# Batch: lang: in a job and in defaults becomes --lang.
cat > m.yaml <<'EOF'
output: bout
defaults: {lang: fr}
reports:
  - template: t.md
    name: de
    lang: de
  - template: t.md
    name: fr
charts:
  - data: e.csv
    category: model
    value: energy_mwh
    source: IEA
    lang: de
    output: c.svg
EOF
mkdir bout
ok batch "$ECOREPORT" batch m.yaml
pdftext bout/de.pdf > b-de.txt
pdftext bout/fr.pdf > b-fr.txt
has batch-de b-de.txt "Abbildung 1.1" "1.287,5"
has batch-fr b-fr.txt "Tableau 1.1" "1 287,5"
has batch-chart bout/c.svg "Quelle: IEA"
finish
