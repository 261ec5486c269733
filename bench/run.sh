#!/usr/bin/env bash
# bench/run.sh - ecoreport side by side with the bare libcsv parse (the
# floor), pandas and mawk. Progress goes to stderr, the Markdown report to
# stdout and to build-bench/bench-results.md. See bench/README.md.
set -euo pipefail

usage() {
	echo "usage: bench/run.sh [--rows N] [--only inspect|aggregate] [--quick] [--long]" >&2
	exit 64
}

rows="" only="" quick=0 long=0
while (($#)); do
	case $1 in
	--rows) [[ ${2-} =~ ^[1-9][0-9]*$ ]] || usage; rows=$2; shift ;;
	--only) [[ ${2-} == inspect || ${2-} == aggregate ]] || usage; only=$2; shift ;;
	--quick) quick=1 ;;
	--long) long=1 ;;
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
# queue under hyperfine (wall time) and once more under /usr/bin/time (peak
# RSS, and the output, kept in $scratch/TAG-NAME.out), then prints the table.
names=() cmds=()
add() { names+=("$1") cmds+=("$(quote "${@:2}")"); }
peak_rss() { # peak_rss OUTFILE CMD...: runs CMD once, prints its peak RSS in KiB
	/usr/bin/time -f %M -o "$scratch/rss" "${@:2}" >"$1"
	tail -n 1 "$scratch/rss"
}
measure() {
	local tag=$1 json=$build/bench-$1.json tsv=$build/bench-$1.tsv args=() i rss
	rm -f "$scratch/$tag"-*.out
	cat "$file" >/dev/null # warm the page cache
	for i in "${!names[@]}"; do args+=(-n "${names[i]}" "${cmds[i]}"); done
	hyperfine -N --warmup 1 --runs 5 --export-json "$json" "${args[@]}" >&2
	jq -r '.results[] | [.command, .mean, .stddev] | @tsv' "$json" >"$tsv.tmp"
	for i in "${!names[@]}"; do
		eval "rss=\$(peak_rss \"\$scratch/$tag-${names[i]%% *}.out\" ${cmds[i]})"
		echo "$rss"
	done | paste "$tsv.tmp" - >"$tsv"
	rm -f "$tsv.tmp"
	out "| tool | wall time (mean ± σ) | peak RSS | time ÷ floor | pandas time ÷ time |" \
		"|---|--:|--:|--:|--:|"
	awk -F'\t' '
		{ name[NR] = $1; mean[NR] = $2; sd[NR] = $3; rss[NR] = $4 }
		$1 == "csv_floor" { floor = $2 }
		$1 == "pandas" { pandas = $2 }
		END {
			for (i = 1; i <= NR; i++)
				printf "| %s | %.3f s ± %.3f | %.1f MiB | %.2f | %.1f |\n", name[i],
					mean[i], sd[i], rss[i] / 1024, mean[i] / floor, pandas / mean[i]
		}' "$tsv" | tee -a "$results"
	out "" "Commands (FILE = $file):" ""
	for i in "${!names[@]}"; do out "- ${names[i]}: \`${cmds[i]//"$file"/FILE}\`"; done
	out ""
	names=() cmds=()
}
goals() { # goals TAG: ecoreport's ratios against the goals of the issues
	awk -F'\t' '
		$1 == "csv_floor" { floor = $2 }
		$1 == "pandas" { pandas = $2 }
		$1 == "ecoreport" { er = $2; rss = $4 }
		END {
			printf "ecoreport: time %.2fx the floor (goal <= 1.5x), speed-up over pandas %.1fx (goal >= 5x), peak RSS %.1f MiB\n",
				er / floor, pandas / er, rss / 1024
		}' "$build/bench-$1.tsv" | tee -a "$results"
}
long_rss() { # long_rss TAG CMD...: peak RSS of CMD with FILE the 10x file
	local rss
	[[ -n $longfile ]] || return 0
	say "$1 on the 10x file ($((rows * 10)) rows)"
	rss=$(peak_rss "$scratch/$1-long.out" "${@:2}")
	out "" "Peak RSS of \`ecoreport $1\`: $(awk -F'\t' '$1 == "ecoreport" { printf "%.1f", $4 / 1024 }' \
		"$build/bench-$1.tsv") MiB for $rows rows, $(awk "BEGIN { printf \"%.1f\", $rss / 1024 }") MiB for $((rows * 10)) rows ($(size "$longfile"))."
}

# 4. The report.
: >"$results"
out "# ecoreport benchmarks" "" \
	"- date: $(date -u '+%Y-%m-%d %H:%M UTC')" \
	"- machine: $(machine)" \
	"- versions: $("$er" --version), $(py_version pandas), libcsv $(deb_version libcsv3), $(tool_versions)" \
	"- input: synthetic CodeCarbon 3.x log, gen-codecarbon --rows $rows: $rows rows, 38 columns, $(size "$file") (page cache warm)" \
	"- each tool: hyperfine --warmup 1 --runs 5 (whole process), then one run under /usr/bin/time for the peak RSS" ""

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
