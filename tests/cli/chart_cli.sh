#!/usr/bin/env bash
# CLI: `ecoreport chart`: outputs written atomically with alt text, identical
# bytes from identical inputs, and the exact message and exit code for each
# kind of bad input (no output file is left behind).
ECOREPORT=$1
SRC=$2
. "$(dirname "$0")/lib.sh"
cp "$SRC/datasets/ai-index-2023-co2-comparison.csv" cmp.csv
export SOURCE_DATE_EPOCH=1680825600

args=(cmp.csv --category label --value co2_t --color-by kind --sort desc --title "CO₂ – × é: emissions" --source "Luccioni et al., 2022")
for ext in png svg pdf; do
  ok "writes-$ext" "$ECOREPORT" chart "${args[@]}" -o "out.$ext"
  cp "out.$ext" "first.$ext"
  "$ECOREPORT" chart "${args[@]}" -o "out.$ext"
  ok "identical-$ext" cmp -s "out.$ext" "first.$ext"
done
ok alt-text grep -q '^Bar chart: CO₂ – × é: emissions\. It compares co2_t across 8 label\. Largest: GPT-3 (175B), 502; smallest: Air travel, 1 passenger, NY–SF, 0\.99\. Source: Luccioni et al\., 2022\.$' out.txt
ok png-density sh -c "python3 -c 'import sys; d=open(sys.argv[1],\"rb\").read(); i=d.index(b\"pHYs\"); sys.exit(0 if int.from_bytes(d[i+4:i+8],\"big\")==2835 else 1)' out.png"
"$ECOREPORT" chart "${args[@]}" --scale 2 -o big.png
ok png-scale-2 sh -c "python3 -c 'import sys; d=open(sys.argv[1],\"rb\").read(); sys.exit(0 if int.from_bytes(d[16:20],\"big\")==1440 else 1)' big.png"
ok svg-text-is-text grep -q '<text' out.svg
ok no-debris sh -c '! ls -a | grep -q ecoreport-'

check bad-extension 64 "$ECOREPORT" chart cmp.csv --category label --value co2_t -o out.gif <<'EOF'
ecoreport: chart: cannot tell the format of 'out.gif': use .png, .svg or .pdf
Try 'ecoreport chart --help' for more information.
EOF
check missing-folder 73 "$ECOREPORT" chart cmp.csv --category label --value co2_t -o nowhere/out.png <<'EOF'
ecoreport: nowhere/out.png: error: cannot create: No such file or directory
EOF
ok missing-folder-nothing-created test ! -e nowhere
check unknown-column 65 "$ECOREPORT" chart cmp.csv --category lable --value co2_t -o x.png <<'EOF'
ecoreport: cmp.csv: error: category column "lable" not found (did you mean "label"?)
EOF
check text-values 65 "$ECOREPORT" chart cmp.csv --category label --value kind -o x.png <<'EOF'
ecoreport: cmp.csv: error: value column "kind" holds text, not numbers (e.g. "Model")
EOF
printf 'a,b\n' > empty.csv
check no-rows 65 "$ECOREPORT" chart empty.csv --category a --value b -o x.png <<'EOF'
ecoreport: empty.csv: error: no rows to chart (the data is empty, or --where removed every row)
EOF
check where-removes-all 65 "$ECOREPORT" chart cmp.csv --category label --value co2_t --where 'co2_t > 1000' -o x.png <<'EOF'
ecoreport: cmp.csv: error: no rows to chart (the data is empty, or --where removed every row)
EOF
printf 'a,b\nx,\ny,NA\n' > missing.csv
check all-missing 65 "$ECOREPORT" chart missing.csv --category a --value b -o x.png <<'EOF'
ecoreport: missing.csv: error: value column "b" has no values (every cell is missing)
EOF
printf 'a,b\nx,-1\ny,3\n' > neg.csv
check log-negative 65 "$ECOREPORT" chart neg.csv --category a --value b --log -o x.png <<'EOF'
ecoreport: neg.csv: error: --log needs values above zero, but "x" has -1 in "b"
EOF
python3 -c "print('name,value'); [print('c%d,%d' % (i, i)) for i in range(10000)]" > many.csv
check too-many-categories 65 "$ECOREPORT" chart many.csv --category name --value value -o x.png <<'EOF'
ecoreport: many.csv: error: 10000 categories do not fit a chart 405 points high (at most 25); use --limit 25, or a taller --size
EOF
ok limit-makes-it-fit "$ECOREPORT" chart many.csv --category name --value value --sort desc --limit 25 -o many.png
# A chart so small that its titles leave no room at all (a negative room
# once came out as "at most 18446744073709551612").
check no-room-for-bars 65 "$ECOREPORT" chart cmp.csv --category label --value co2_t --size 300x97 \
  --title "A title long enough to wrap onto two lines in a small chart" --source "Someone" -o x.png <<'EOF'
ecoreport: cmp.csv: error: the chart is too short for its bars (97 points high); make it taller
EOF
check no-room-for-columns 65 "$ECOREPORT" chart cmp.csv --category label --value co2_t --vertical --size 60x300 -o x.png <<'EOF'
ecoreport: cmp.csv: error: the chart is too narrow for its columns (60 points wide); make it wider
EOF
ok no-room-no-file test ! -e x.png
# --label shows a category or colour value under another name (a
# translation); a label for a value the data lacks is a typo, with a hint.
ok label-renames sh -c "'$ECOREPORT' chart cmp.csv --category label --value co2_t --color-by kind --label 'Real life=现实生活' --label 'GPT-3 (175B)=GPT-3' --dump scene | grep -c -e '\"现实生活\"' -e '\"GPT-3\"' | grep -qx 2"
check label-typo 65 "$ECOREPORT" chart cmp.csv --category label --value co2_t --color-by kind --label 'Real lif=现实生活' -o x.png <<'EOF'
ecoreport: cmp.csv: error: a label is given for "Real lif", but no category or colour value is called that (did you mean "Real life"?)
EOF
check label-usage 64 "$ECOREPORT" chart cmp.csv --category label --value co2_t --label Model -o x.png <<'EOF'
ecoreport: chart: --label needs FROM=TO, not 'Model'
Try 'ecoreport chart --help' for more information.
EOF
check label-merges 65 "$ECOREPORT" chart cmp.csv --category label --value co2_t --color-by kind --label 'Model=M' --label 'Real life=M' -o x.png <<'EOF'
ecoreport: cmp.csv: error: "Model" and "Real life" are both labelled "M": the two would be shown as one
EOF
check label-takes-a-name 65 "$ECOREPORT" chart cmp.csv --category label --value co2_t --label 'OPT (175B)=Gopher (280B)' -o x.png <<'EOF'
ecoreport: cmp.csv: error: the label for "OPT (175B)" is "Gopher (280B)", the name of another value: the two would be shown as one
EOF
ok label-swap "$ECOREPORT" chart cmp.csv --category label --value co2_t --color-by kind --label 'Model=Real life' --label 'Real life=Model' -o swap.png
# Chinese labels fall back to WenQuanYi Micro Hei in every format; the SVG
# names the fallback family after the theme's.
printf 'model,co2_t\nGPT-3（OpenAI）,502\n高佛 Gopher,352\nBLOOM 模型,25\n' > zh.csv
zh=(zh.csv --category model --value co2_t --title "大型语言模型的二氧化碳排放（吨）" --source "Luccioni 等，2022")
for ext in png svg pdf; do
  ok "chinese-$ext" "$ECOREPORT" chart "${zh[@]}" -o "zh.$ext"
done
ok chinese-svg-fallback grep -qF 'font-family="Liberation Sans, WenQuanYi Micro Hei" font-size="10"' zh.svg
ok chinese-pdf-text sh -c 'pdftotext zh.pdf - | grep -qF "大型语言模型的二氧化碳排放（吨）"'
ok chinese-pdf-font sh -c 'pdffonts zh.pdf | grep -q WenQuanYiMicroHei'
# A character no installed font has (U+E000 and U+10FFFD, private use) is
# an error naming it and its text; nothing is written.
printf 'model,co2_t\nA\356\200\200,1\nB,2\n' > pua.csv
check missing-glyph 65 "$ECOREPORT" chart pua.csv --category model --value co2_t --title $'Total \U0010FFFD\uE000' -o pua.png <<EOF
ecoreport: pua.csv: error: no installed font can draw U+10FFFD, U+E000 in "Total $(printf '\364\217\277\275\356\200\200')" (title); install a font that has them
ecoreport: pua.csv: error: no installed font can draw U+E000 in "A$(printf '\356\200\200')" (category); install a font that has it
EOF
ok missing-glyph-nothing-written sh -c '! ls pua.* | grep -v csv'
# Text in a script the engine cannot shape is an error, not reversed letters.
check unshaped-script 65 "$ECOREPORT" chart zh.csv --category model --value co2_t --title 'Impact · تأثير' -o ar.png <<'EOF'
ecoreport: zh.csv: error: U+062A in "Impact · تأثير" (title) is in a script ecoreport cannot lay out yet (Arabic, Hebrew and the Indic scripts need shaping or right-to-left order); it would be drawn wrong
EOF
printf 'name: t\nfont: No Such Font\n' > nofont.yaml
check missing-font 65 "$ECOREPORT" chart cmp.csv --category label --value co2_t --theme ./nofont.yaml -o x.png <<'EOF'
ecoreport: error: font family "No Such Font" is not installed (on Debian: apt-get install a package that provides it; see fc-list)
EOF
printf 'name: t\ncolours: {}\n' > badtheme.yaml
check bad-theme-key 65 "$ECOREPORT" chart cmp.csv --category label --value co2_t --theme ./badtheme.yaml -o x.png <<'EOF'
ecoreport: ./badtheme.yaml:2:1: error: unknown theme key "colours" (name, font, sizes, colors, margin, gap, bar, credit, size)
EOF
check no-output 64 "$ECOREPORT" chart cmp.csv --category label --value co2_t <<'EOF'
ecoreport: chart: missing -o OUT.png|OUT.svg|OUT.pdf
Try 'ecoreport chart --help' for more information.
EOF
check bad-size 64 "$ECOREPORT" chart cmp.csv --category label --value co2_t --size 10x10 -o x.png <<'EOF'
ecoreport: chart: --size needs WIDTHxHEIGHT between 50 and 10000, not '10x10'
Try 'ecoreport chart --help' for more information.
EOF
ok no-partial-outputs test ! -e x.png
ok dump-scene sh -c "'$ECOREPORT' chart cmp.csv --category label --value co2_t --dump scene | grep -q '^rect bar '"
finish
