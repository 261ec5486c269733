#!/usr/bin/env bash
# bench/batch_manifest.sh ROOT - prints the benchmark manifest: 200 different
# charts (four bundled datasets, titles numbered, sizes and sort orders
# varied, a third each PNG, SVG and PDF) and 20 quarterly reports (the bundled
# template for five quarters, four names each, PNG figures). Paths are
# absolute, so the manifest can live anywhere.
set -euo pipefail
root=$1
d=$root/datasets
echo "output: out"
echo "reports:"
for i in $(seq 1 20); do
	q=$(((i - 1) % 5))
	case $q in
	0) quarter=2024-Q4 ;; 1) quarter=2025-Q1 ;; 2) quarter=2025-Q2 ;; 3) quarter=2025-Q3 ;; *) quarter=2025-Q4 ;;
	esac
	printf '  - {template: %s, name: team-%02d-%s, png: true, set: {quarter: %s}}\n' \
		"$root/templates/quarterly-sustainability.md" "$i" "$quarter" "$quarter"
done
echo "charts:"
exts=(png svg pdf)
sorts=(desc asc none)
for i in $(seq 1 200); do
	ext=${exts[$((i % 3))]}
	sort=${sorts[$((i / 3 % 3))]}
	case $((i % 4)) in
	0) spec="data: $d/luccioni2022-llm-training.csv, category: model, value: co2_t" ;;
	1) spec="data: $d/ai-index-2023-co2-comparison.csv, category: label, value: co2_t, color-by: kind" ;;
	2) spec="data: $d/patterson2021-nlp-models.csv, category: model, value: \"gross_tco2e,net_tco2e\"" ;;
	*) spec="data: $d/luccioni2022-llm-training.csv, category: model, value: energy_mwh" ;;
	esac
	printf '  - {%s, sort: %s, size: %dx405, title: "Chart %03d of the benchmark", source: "bundled datasets", output: chart-%03d.%s}\n' \
		"$spec" "$sort" $((640 + (i % 5) * 40)) "$i" "$i" "$ext"
done
