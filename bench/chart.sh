#!/usr/bin/env bash
# bench/chart.sh - issue 4's chart benchmark: the 8-bar AI Index comparison
# as a 1200x675 PNG drawn by ecoreport, gnuplot (pngcairo) and matplotlib
# (Agg), whole process, side by side; then 1,000 different charts drawn by
# one process through the library (bench/chart_loop.c). Progress goes to
# stderr, the Markdown report to stdout and to build-bench/bench-chart.md.
# The three PNGs are kept as build-bench/chart-TOOL.png. See bench/README.md.
set -euo pipefail

usage() {
	echo "usage: bench/chart.sh [--runs N] [--rounds N] [--charts N]" >&2
	exit 64
}

runs=10 rounds=5 charts=1000
while (($#)); do
	case $1 in
	--runs) [[ ${2-} =~ ^[1-9][0-9]*$ ]] || usage; runs=$2; shift ;;
	--charts) [[ ${2-} =~ ^[1-9][0-9]*$ ]] || usage; charts=$2; shift ;;
	--rounds) [[ ${2-} =~ ^[1-9][0-9]*$ ]] || usage; rounds=$2; shift ;;
	*) usage ;;
	esac
	shift
done

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
results=$build/bench-chart.md
json=$build/bench-chart.json
tsv=$build/bench-chart.tsv
data=$root/datasets/ai-index-2023-co2-comparison.csv
title="CO2 Equivalent Emissions (Tonnes) by Selected Machine Learning Models and Real Life Examples, 2022"
source="Luccioni et al., 2022; Strubell et al., 2019"

# What the comparison needs (installed only when missing).
bench_install gnuplot-nox python3-matplotlib hyperfine jq time
need_cmd gnuplot gnuplot-nox
need_cmd hyperfine hyperfine
need_cmd jq jq
need_py matplotlib

# 1. Build (Release) ecoreport and the library loop.
bench_build ecoreport chart_loop

# matplotlib's Agg backend; its font cache kept between runs, as a user's
# ~/.cache/matplotlib would be (the warm-up runs build it).
mkdir -p "$scratch/matplotlib"
export MPLBACKEND=Agg MPLCONFIGDIR=$scratch/matplotlib
# ecoreport's font cache likewise (~/.cache/ecoreport/fonts.cache for a
# user), next to it: the warm-up runs fill it, chart_loop reads it.
export ECOREPORT_FONT_CACHE=$scratch/ecoreport-fonts.cache

# 2. The three tools on the same data, whole process, under hyperfine.
names=(ecoreport gnuplot matplotlib)
cmds=(
	"$(quote "$er" chart "$data" --category label --value co2_t --color-by kind --sort desc \
		--title "$title" --source "$source" --size 1200x675 -o "$build/chart-ecoreport.png")"
	"$(quote gnuplot -e "data='$data'; out='$build/chart-gnuplot.png'" "$bench/chart.gp")"
	"$(quote "$py" "$bench/chart_matplotlib.py" "$data" "$build/chart-matplotlib.png")"
)
shows=( # the same commands as a person would type them, for the report
	"build-bench/ecoreport chart DATA --category label --value co2_t --color-by kind --sort desc --title '$title' --source '$source' --size 1200x675 -o OUT"
	"gnuplot -e \"data='DATA'; out='OUT'\" bench/chart.gp"
	"MPLBACKEND=Agg /usr/bin/python3 bench/chart_matplotlib.py DATA OUT"
)
args=()
for i in "${!names[@]}"; do args+=(-n "${names[i]}" "${cmds[i]}"); done
load=$(cut -d' ' -f1-3 /proc/loadavg)
# In rounds: every tool's runs of a round follow one another, so a slow
# phase of the host (they last seconds) slows all three tools of a round
# rather than all the runs of one; ratios are taken per round, then the
# median.
say "timing the three tools: $rounds rounds of $runs runs each"
rm -f "$build"/bench-chart.round-*.json
for ((r = 1; r <= rounds; r++)); do
	rj=$build/bench-chart.round-$(printf %03d "$r").json
	hyperfine -N --warmup 2 --runs "$runs" --export-json "$rj" "${args[@]}" >/dev/null
	say "  round $r: $(jq -r '[.results[] | "\(.command) \(.mean * 1e5 | round / 100) ms"] | join(", ")' "$rj")"
done
jq -s '[.[].results[]]' "$build"/bench-chart.round-*.json >"$json"

# Peak RSS: one more run of each under /usr/bin/time; and what each wrote.
png_size() { # png_size FILE: "WxH" from the IHDR chunk, or "not a PNG"
	local sig
	sig=$(od -An -tx1 -N8 "$1" | tr -d ' \n')
	if [[ $sig != 89504e470d0a1a0a ]]; then
		echo "not a PNG"
		return
	fi
	od -An -tu1 -j16 -N8 "$1" |
		awk '{ printf "%dx%d", (($1 * 256 + $2) * 256 + $3) * 256 + $4, (($5 * 256 + $6) * 256 + $7) * 256 + $8 }'
}
# tool, median of its round means, min and max round mean, median over the
# rounds of (its mean / ecoreport's mean).
jq -s -r 'to_entries[] | .key as $r | .value.results[] | [$r + 1, .command, .mean] | @tsv' \
	"$build"/bench-chart.round-*.json | awk -F'\t' "$AWK_MEDIAN"'
	{ t[$1, $2] = $3; if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 }; rounds[$1] = 1 }
	END {
		for (i = 1; i <= n; i++) {
			name = order[i]; times = ""; ratio = ""; lo = 1e18; hi = 0
			for (r in rounds) {
				x = t[r, name]; times = times " " x; ratio = ratio " " x / t[r, "ecoreport"]
				if (x < lo) lo = x; if (x > hi) hi = x
			}
			printf "%s\t%.6f\t%.6f\t%.6f\t%.2f\n", name, median(times), lo, hi, median(ratio)
		}
	}' >"$tsv.tmp"
for i in "${!names[@]}"; do
	eval "/usr/bin/time -f %M -o \"\$scratch/rss\" ${cmds[i]}"
	png=$build/chart-${names[i]}.png
	printf '%s\t%s\t%s\n' "$(tail -n 1 "$scratch/rss")" "$(stat -c %s "$png")" "$(png_size "$png")"
done | paste "$tsv.tmp" - >"$tsv"
rm -f "$tsv.tmp"

# 3. One process, many different charts, through the library.
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c 0); fi
say "chart_loop: $charts charts (PNG) in one process${pin:+, pinned to CPU 0}"
loop=$("${pin[@]}" "$build/chart_loop" "$charts" --save "$build/chart-loop.png")
say "chart_loop: $charts charts (SVG) in one process"
loop_svg=$("${pin[@]}" "$build/chart_loop" "$charts" --svg)

# 4. The report.
: >"$results"
out "# ecoreport chart benchmark" "" \
	"- date: $(date -u '+%Y-%m-%d %H:%M UTC')" \
	"- machine: $(machine); load average before: $load" \
	"- versions: $("$er" --version), $(gnuplot --version), $(py_version matplotlib), cairo $(deb_version libcairo2), $(tool_versions)" \
	"- input: datasets/ai-index-2023-co2-comparison.csv (8 bars, label and co2_t, coloured by kind)" \
	"- each tool: $rounds rounds of hyperfine -N --warmup 2 --runs $runs for the three tools (whole process, one 1200x675 PNG per run); time: the median of a tool's round means (min-max); ratio: the median of the per-round ratios; then one run under /usr/bin/time for the peak RSS" "" \
	"## One chart per process" "" \
	"| tool | wall time per chart (median; min-max) | peak RSS | PNG | time ÷ ecoreport's |" \
	"|---|--:|--:|--:|--:|"
awk -F'\t' '{
	printf "| %s | %.2f ms (%.2f-%.2f) | %.1f MiB | %s, %d bytes | %.1f |\n", $1, $2 * 1e3, $3 * 1e3,
		$4 * 1e3, $6 / 1024, $8, $7, $5
}' "$tsv" | tee -a "$results"
out "" "Commands (DATA = datasets/ai-index-2023-co2-comparison.csv; OUT = build-bench/chart-TOOL.png):" ""
for i in "${!names[@]}"; do out "- ${names[i]}: \`${shows[i]}\`"; done
out ""
awk -F'\t' '
	$1 == "gnuplot" { gp = $5 }
	$1 == "matplotlib" { mpl = $5 }
	END {
		printf "- gnuplot ÷ ecoreport: %.1fx (goal >= 8x): %s\n", gp, (gp >= 8 ? "**met**" : "**not met**")
		printf "- matplotlib ÷ ecoreport: %.1fx (goal >= 80x): %s\n", mpl, (mpl >= 80 ? "**met**" : "**not met**")
	}' "$tsv" | tee -a "$results"
rate=$(sed -n 's/.*: \([0-9.]*\) charts\/s.*/\1/p' <<<"$loop" | tail -n 1)
out "" "## Many charts in one process (bench/chart_loop.c${pin:+, taskset -c 0})" "" \
	"PNG, \`chart_loop $charts\`:" "" "\`\`\`" "$loop" "\`\`\`" "" \
	"SVG, \`chart_loop $charts --svg\`:" "" "\`\`\`" "$loop_svg" "\`\`\`" ""
awk -v r="$rate" 'BEGIN { printf "- %s PNG charts/s (goal >= 500 on one core): %s\n", r, (r >= 500 ? "**met**" : "**not met**") }' |
	tee -a "$results"
out "" "The PNGs: build-bench/chart-ecoreport.png, chart-gnuplot.png, chart-matplotlib.png, and the loop's last chart chart-loop.png."
say "report saved to $results"
