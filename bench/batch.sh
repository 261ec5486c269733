#!/usr/bin/env bash
# bench/batch.sh - issue 6's batch benchmark: a manifest of 200 charts and 20
# quarterly reports (bench/batch_manifest.sh writes it), rendered by
# `ecoreport batch` cold with --jobs 1 and --jobs 2, then rerun unchanged
# (every job up to date: the incremental check alone). Reports jobs per
# second, the parallel speed-up and the unchanged rerun's time. Progress
# goes to stderr, the Markdown report to stdout and build-bench/bench-batch.md.
# See bench/README.md.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runs_option 3 batch.sh "$@"
results=$build/bench-batch.md
json=$build/bench-batch.json
dir=$scratch/batch
manifest=$dir/manifest.yaml
goal_rerun_ms=100

bench_install hyperfine jq time
need_cmd hyperfine hyperfine
need_cmd jq jq
bench_build ecoreport
mkdir -p "$dir"
bash "$bench/batch_manifest.sh" "$root" > "$manifest"
njobs=$(grep -c '^  - ' "$manifest")
say "manifest: $njobs jobs in $manifest"

# Cold runs: the output folder removed before each (--prepare), so every
# job renders; --force would keep the folder but is the same work.
cold() { # cold JOBS: mean seconds of a cold run
	hyperfine -N --runs "$runs" --prepare "rm -rf $dir/out" \
		--export-json "$json" "$(quote "$er" batch "$manifest" --quiet --jobs "$1")" >&2
	jq '.results[0].mean' "$json"
}
say "cold, --jobs 1"
t1=$(cold 1)
say "cold, --jobs 2"
t2=$(cold 2)
# Leave a complete output folder, then time the unchanged rerun.
"$er" batch "$manifest" --quiet --jobs 2
say "unchanged rerun"
hyperfine -N --warmup 3 --runs 30 --export-json "$json" \
	"$(quote "$er" batch "$manifest" --quiet)" >&2
tr=$(jq '.results[0].mean' "$json")
trsd=$(jq '.results[0].stddev' "$json")
ok=$("$er" batch "$manifest" --dry-run | grep -c '^up to date' || true)

rm -f "$results"
out "# ecoreport batch benchmark" "" \
	"- date: $(date -u '+%Y-%m-%d %H:%M UTC')" \
	"- machine: $(machine)" \
	"- versions: $("$er" --version), $(tool_versions)" \
	"- manifest: $njobs jobs (200 charts as PNG, SVG and PDF from the bundled datasets; 20 quarterly reports with PNG figures), written by bench/batch_manifest.sh" \
	"- cold: hyperfine --runs $runs with the output folder removed before each run; unchanged: 30 runs after a complete one" \
	"" \
	"| run | wall time | jobs per second |" \
	"|---|--:|--:|" \
	"| cold, --jobs 1 | $(printf '%.3f' "$t1") s | $(awk -v n="$njobs" -v t="$t1" 'BEGIN { printf "%.0f", n / t }') |" \
	"| cold, --jobs 2 | $(printf '%.3f' "$t2") s | $(awk -v n="$njobs" -v t="$t2" 'BEGIN { printf "%.0f", n / t }') |" \
	"| unchanged rerun ($ok of $njobs up to date) | $(awk -v t="$tr" -v s="$trsd" 'BEGIN { printf "%.1f ms ± %.1f", t * 1000, s * 1000 }') | |" \
	"" \
	"Parallel speed-up (--jobs 2 over --jobs 1): $(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.2fx", a / b }')." \
	"Unchanged rerun: $(awk -v t="$tr" -v g="$goal_rerun_ms" 'BEGIN { printf "%.1f ms (goal: under %d ms: %s)", t * 1000, g, t * 1000 < g ? "met" : "NOT met" }')."
say "report saved to $results"
