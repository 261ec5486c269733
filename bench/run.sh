#!/usr/bin/env bash
# bench/run.sh - ecoreport side by side with the bare libcsv parse (the
# floor), pandas and mawk. Progress goes to stderr, the Markdown report to
# stdout and to build-bench/bench-results.md. See bench/README.md.
set -euo pipefail

usage() {
	echo "usage: bench/run.sh [--rows N] [--only inspect|aggregate] [--quick] [--long] [--rounds N]" >&2
	exit 64
}

rows="" only="" quick=0 long=0 rounds=5
while (($#)); do
	case $1 in
	--rows) [[ ${2-} =~ ^[1-9][0-9]*$ ]] || usage; rows=$2; shift ;;
	--only) [[ ${2-} == inspect || ${2-} == aggregate ]] || usage; only=$2; shift ;;
	--quick) quick=1 ;;
	--long) long=1 ;;
	--rounds) [[ ${2-} =~ ^[1-9][0-9]*$ ]] || usage; rounds=$2; shift ;;
	*) usage ;;
	esac
	shift
done
[[ -n $rows ]] || rows=$((quick ? 100000 : 1000000))

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
results=$build/bench-results.md
size() { stat -c %s "$1" | awk '{ printf "%.0f MB", $1 / 1e6 }'; }

# What the comparison needs (installed only when missing).
bench_install hyperfine jq time mawk python3-pandas
need_cmd hyperfine hyperfine
need_cmd jq jq
need_py pandas

# 1. Build (Release) the project's programs and the floor.
bench_build ecoreport gen-codecarbon
if [[ ! -x $build/csv_floor || $bench/csv_floor.c -nt $build/csv_floor ]]; then
	gcc -O2 -o "$build/csv_floor" "$bench/csv_floor.c" -lcsv
fi

# 2. Inputs: $scratch/codecarbon-N.csv, reused while the generator is unchanged.
mkdir -p "$scratch"
input() { # input N: prints the path of a log of N rows, generating it if needed
	local f=$scratch/codecarbon-$1.csv
	if [[ ! -s $f || $build/gen-codecarbon -nt $f ]]; then
		say "generating $f ($1 rows)"
		"$build/gen-codecarbon" --rows "$1" >"$f.tmp"
		mv "$f.tmp" "$f"
	fi
	echo "$f"
}
long_input() { # the 10x file, when there is room for it (12 GB free for 10 M rows)
	local n=$((rows * 10)) need_gb=$(((rows * 12 + 999999) / 1000000)) free_gb
	if [[ ! -s $scratch/codecarbon-$n.csv ]]; then
		free_gb=$(df -Pk "$scratch" | awk 'NR == 2 { print int($4 / 1048576) }')
		if ((free_gb < need_gb)); then
			say "--long skipped: $n rows need $need_gb GB free in $scratch, $free_gb GB available"
			return 1
		fi
	fi
	input "$n"
}
file=$(input "$rows")
longfile=""
if ((long)); then longfile=$(long_input) || true; fi

# 3. Measuring. add NAME CMD ARGS... queues a command; measure TAG runs the
# queue in rounds, each tool once a round, one after the other (a slow phase
# of the host then slows every tool of that round, not all runs of one
# tool), then each once more under /usr/bin/time (peak RSS, and the output,
# kept in $scratch/TAG-NAME.out), and prints the table: each tool's median
# time, and the median over the rounds of each round's ratios.
names=() cmds=()
add() { names+=("$1") cmds+=("$(quote "${@:2}")"); }
peak_rss() { # peak_rss OUTFILE CMD...: runs CMD once, prints its peak RSS in KiB
	/usr/bin/time -f %M -o "$scratch/rss" "${@:2}" >"$1"
	tail -n 1 "$scratch/rss"
}
measure() {
	local tag=$1 json=$build/bench-$1.json tsv=$build/bench-$1.tsv args=() i r rj rss
	rm -f "$scratch/$tag"-*.out "$build/bench-$tag".round-*.json
	cat "$file" >/dev/null # warm the page cache
	for i in "${!names[@]}"; do args+=(-n "${names[i]}" "${cmds[i]}"); done
	say "$tag: a warm-up round, then $rounds rounds"
	if ! hyperfine -N --runs 1 "${args[@]}" >/dev/null 2>"$scratch/warmup.err"; then
		cat "$scratch/warmup.err" >&2
		exit 1
	fi
	for ((r = 1; r <= rounds; r++)); do
		rj=$build/bench-$tag.round-$(printf %03d "$r").json
		hyperfine -N --runs 1 --export-json "$rj" "${args[@]}" >/dev/null
		say "  round $r: $(jq -r '[.results[] | "\(.command) \(.mean * 1000 | round / 1000) s"] | join(", ")' "$rj")"
	done
	# One line per round and tool: round, tool, seconds.
	jq -s -r 'to_entries[] | .key as $r | .value.results[] | [$r + 1, .command, .mean] | @tsv' \
		"$build/bench-$tag".round-*.json >"$json.tsv"
	jq -s '[.[].results[]]' "$build/bench-$tag".round-*.json >"$json"
	for i in "${!names[@]}"; do
		eval "rss=\$(peak_rss \"\$scratch/$tag-${names[i]%% *}.out\" ${cmds[i]})"
		printf '%s\t%s\n' "${names[i]}" "$rss"
	done >"$tsv.rss"
	# tool, median time, min, max, median ratio to the floor's time, median
	# ratio of pandas' time to it (both per round), peak RSS.
	awk -F'\t' "$AWK_MEDIAN"'
		FNR == NR { rss[$1] = $2; next }
		{ t[$1, $2] = $3; if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 } ; rounds[$1] = 1 }
		END {
			for (i = 1; i <= n; i++) {
				name = order[i]; times = ""; vsf = ""; vsp = ""; lo = 1e18; hi = 0
				for (r in rounds) {
					x = t[r, name]; times = times " " x
					if (x < lo) lo = x; if (x > hi) hi = x
					if ((r, "csv_floor") in t) vsf = vsf " " x / t[r, "csv_floor"]
					if ((r, "pandas") in t) vsp = vsp " " t[r, "pandas"] / x
				}
				printf "%s\t%.3f\t%.3f\t%.3f\t%s\t%s\t%s\n", name, median(times), lo, hi,
					vsf == "" ? "" : sprintf("%.2f", median(vsf)), vsp == "" ? "" : sprintf("%.1f", median(vsp)), rss[name]
			}
		}' "$tsv.rss" "$json.tsv" >"$tsv"
	rm -f "$tsv.rss" "$json.tsv"
	out "| tool | wall time (median; min-max) | peak RSS | time ÷ floor | pandas time ÷ time |" \
		"|---|--:|--:|--:|--:|"
	awk -F'\t' '{ printf "| %s | %.3f s (%.3f-%.3f) | %.1f MiB | %s | %s |\n", $1, $2, $3, $4, $7 / 1024, $5, $6 }' \
		"$tsv" | tee -a "$results"
	out "" "Commands (FILE = $file):" ""
	for i in "${!names[@]}"; do out "- ${names[i]}: \`${cmds[i]//"$file"/FILE}\`"; done
	out ""
	names=() cmds=()
}
goals() { # goals TAG: ecoreport's ratios against the goals of the issues
	awk -F'\t' '
		$1 == "ecoreport" {
			printf "ecoreport: time %.2fx the floor (goal <= 1.5x), speed-up over pandas %.1fx (goal >= 5x), peak RSS %.1f MiB (medians of the per-round ratios)\n",
				$5, $6, $7 / 1024
		}' "$build/bench-$1.tsv" | tee -a "$results"
}
long_rss() { # long_rss TAG CMD...: peak RSS of CMD with FILE the 10x file
	local rss
	[[ -n $longfile ]] || return 0
	say "$1 on the 10x file ($((rows * 10)) rows)"
	rss=$(peak_rss "$scratch/$1-long.out" "${@:2}")
	out "" "Peak RSS of \`ecoreport $1\`: $(awk -F'\t' '$1 == "ecoreport" { printf "%.1f", $7 / 1024 }' \
		"$build/bench-$1.tsv") MiB for $rows rows, $(awk "BEGIN { printf \"%.1f\", $rss / 1024 }") MiB for $((rows * 10)) rows ($(size "$longfile"))."
}

# 4. The report.
: >"$results"
out "# ecoreport benchmarks" "" \
	"- date: $(date -u '+%Y-%m-%d %H:%M UTC')" \
	"- machine: $(machine)" \
	"- versions: $("$er" --version), $(py_version pandas), libcsv $(deb_version libcsv3), $(tool_versions)" \
	"- input: synthetic CodeCarbon 3.x log, gen-codecarbon --rows $rows: $rows rows, 38 columns, $(size "$file") (page cache warm)" \
	"- each tool: a warm-up round, then $rounds rounds in which every tool runs once (hyperfine -N --runs 1, whole process), then one run under /usr/bin/time for the peak RSS; ratios are per round, then the median" ""

if [[ $only != aggregate ]]; then
	out "## inspect" ""
	add csv_floor "$build/csv_floor" "$file"
	add ecoreport "$er" inspect "$file"
	add pandas "$py" "$bench/pandas_inspect.py" "$file"
	measure inspect
	goals inspect
	long_rss inspect "$er" inspect "$longfile"
	out ""
fi

if [[ $only != inspect ]]; then
	out "## aggregate" ""
	if ! "$er" aggregate --help >/dev/null 2>&1; then
		out "aggregate: not built yet, skipped" ""
	else
		agg=(--format-in codecarbon --group-by 'quarter(timestamp),project_name'
			--agg 'energy_kwh=sum(energy_consumed)' --agg 'co2_kg=sum(emissions)' --to csv)
		add csv_floor "$build/csv_floor" "$file"
		add ecoreport "$er" aggregate "$file" "${agg[@]}"
		add pandas "$py" "$bench/pandas_aggregate.py" "$file"
		if command -v mawk >/dev/null; then
			add "mawk (naive, WRONG)" mawk -F, -f "$bench/quarterly.awk" "$file"
		else
			say "mawk is missing (apt-get install mawk): its line is skipped"
		fi
		measure aggregate
		goals aggregate
		out "Goal for peak RSS: under 64 MiB for 1 M and for 10 M rows." "" \
			"The mawk line is fast but WRONG in general: no quoted fields, no run_id" \
			"de-duplication of cumulative snapshot rows, columns by position. Total" \
			"energy_kwh over all groups in each tool's output:" ""
		for f in "$scratch"/aggregate-{ecoreport,pandas,mawk}.out; do
			[[ -s $f ]] || continue
			awk -F, -v tool="$(basename "$f" .out)" '
				NR == 1 { for (i = 1; i <= NF; i++) if ($i == "energy_kwh") c = i; next }
				c { s += $c }
				END { printf "- %s: %.6f kWh\n", substr(tool, 11), s }' "$f" | tee -a "$results"
		done
		long_rss aggregate "$er" aggregate "$longfile" "${agg[@]}"
		out ""
	fi
fi
say "report saved to $results"
