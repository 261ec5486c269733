#!/usr/bin/env bash
# demo.sh - Quick start 1: install what is missing, build, and render the
# bundled reports, charts and dataset summaries into output/.
set -euo pipefail
. "$(dirname "$0")/scripts/setup.sh"
er_install_missing
er_build build
cd "$ER_ROOT"
E=./build/ecoreport
mkdir -p output
# What is in each dataset.
for f in datasets/*.csv; do
  name=$(basename "$f" .csv)
  "$E" inspect "$f" > "output/$name.inspect.txt"
done
# The AI Index comparison chart, in all three formats (alt text next to each).
for ext in png svg pdf; do
  "$E" chart datasets/ai-index-2023-co2-comparison.csv --category label --value co2_t \
    --color-by kind --sort desc --figure "Figure 2.8.2" \
    --title "CO2 Equivalent Emissions (Tonnes) by Selected Machine Learning Models and Real Life Examples, 2022" \
    --note "Real-life values are US short tons (Strubell et al.'s pounds / 2000), as the AI Index printed them" \
    --source "Luccioni et al., 2022; Strubell et al., 2019" -o "output/ai-index-co2-comparison.$ext"
done
"$E" chart datasets/luccioni2022-llm-training.csv --category model --value co2_t --sort desc \
  --title "CO2 Equivalent Emissions (Tonnes) by Select Large Language Models, 2022" \
  --source "Luccioni et al., 2022" -o output/llm-training-co2.png
"$E" chart datasets/luccioni2022-llm-training.csv --category model --value co2_t --sort desc \
  --title "部分大型语言模型训练的二氧化碳当量排放（吨），2022 年" \
  --source "Luccioni 等，2022" --lang zh -o output/llm-training-co2.zh.png
"$E" chart datasets/luccioni2022-bloom-lifecycle.csv --type stacked --category model --value co2_t \
  --color-by component --horizontal --size 720x220 \
  --title "BLOOM's Carbon Footprint by Life-Cycle Stage (Tonnes CO2eq)" \
  --source "Luccioni et al., 2022" -o output/bloom-lifecycle.png
"$E" chart datasets/patterson2021-nlp-models.csv --category model --value gross_tco2e,net_tco2e \
  --title "Gross and Net tCO2e of Training Large NLP Models" --source "Patterson et al., 2021" \
  -o output/patterson-co2.png
# Quarterly totals of the synthetic CodeCarbon log, and their chart.
"$E" aggregate datasets/sample-codecarbon-emissions.csv \
  --group-by 'quarter=quarter(timestamp)' --agg 'energy_kwh=round(sum(energy_consumed), 1)' \
  --agg 'co2_kg=round(sum(emissions), 2)' --agg 'runs=count()' --to csv > output/quarterly.csv
"$E" chart output/quarterly.csv --category quarter --value co2_kg \
  --title "CO2 Emissions per Quarter (kg), All Projects" \
  --subtitle "Synthetic CodeCarbon log; the last snapshot of each run counts" \
  --source "ecoreport sample data" -o output/quarterly-co2.png
# The bundled reports, with their figures as PNG and SVG: the environment
# section in English and in Chinese, and the quarterly report.
"$E" render templates/ai-index-environment.md -o output --png --svg
"$E" render templates/ai-index-environment.zh.md -o output --png --svg
"$E" render templates/quarterly-sustainability.md -o output --png --set quarter=2025-Q3
# Everything the bundled manifest lists (a report per quarter, article
# charts), as cron would run it: only what changed since the last run.
"$E" batch templates/batch.yaml --verbose
echo "demo: output/ holds $(ls output | wc -l) files"
