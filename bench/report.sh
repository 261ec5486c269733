#!/usr/bin/env bash
# bench/report.sh - issue 5's report benchmark: templates/ai-index-environment.md
# rendered to PDF by `ecoreport render`, whole process, side by side with
# matplotlib's PdfPages making the same text, tables and charts
# (bench/report_matplotlib.py). Both PDFs' sizes, pages and fonts (pdffonts)
# are checked. Progress goes to stderr, the Markdown report to stdout and to
# build-bench/bench-report.md. The PDFs are kept as
# build-bench/report-TOOL.pdf, their first pages as report-TOOL-p1.png.
# See bench/README.md.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runs_option 15 report.sh "$@"
results=$build/bench-report.md
json=$build/bench-report.json
tsv=$build/bench-report.tsv
template=$root/templates/ai-index-environment.md
outdir=$scratch/report-ecoreport # ecoreport render -o DIR writes DIR/ai-index-environment.pdf
er_pdf=$outdir/ai-index-environment.pdf
mpl_pdf=$build/report-matplotlib.pdf
goal_ratio=20 goal_bytes=200000 # at least 20x faster than matplotlib; under 200 KB

# What the comparison needs (installed only when missing).
bench_install python3-matplotlib hyperfine jq time poppler-utils
need_cmd hyperfine hyperfine
need_cmd jq jq
need_cmd pdffonts poppler-utils
need_py matplotlib

# 1. Build (Release) ecoreport.
bench_build ecoreport
"$er" render --help >/dev/null 2>&1 || die "render: not built yet (ecoreport render --help fails)"

# matplotlib's Agg backend; its font cache kept between runs, as a user's
# ~/.cache/matplotlib would be (the warm-up runs build it).
mkdir -p "$scratch/matplotlib" "$outdir"
export MPLBACKEND=Agg MPLCONFIGDIR=$scratch/matplotlib

# 2. Both tools, whole process, under hyperfine.
names=(ecoreport matplotlib)
pdfs=("$er_pdf" "$mpl_pdf")
cmds=(
	"$(quote "$er" render "$template" -o "$outdir")"
	"$(quote "$py" "$bench/report_matplotlib.py" "$root/datasets" "$mpl_pdf")"
)
shows=( # the same commands as a person would type them, for the report
	"build-bench/ecoreport render templates/ai-index-environment.md -o OUTDIR"
	"MPLBACKEND=Agg /usr/bin/python3 bench/report_matplotlib.py datasets OUT.pdf"
)
args=()
for i in "${!names[@]}"; do args+=(-n "${names[i]}" "${cmds[i]}"); done
load=$(cut -d' ' -f1-3 /proc/loadavg)
say "timing both tools ($runs runs each)"
hyperfine -N --warmup 2 --runs "$runs" --export-json "$json" "${args[@]}" >&2

# 3. Peak RSS (one more run of each under /usr/bin/time), then what each wrote:
# size, pages, and the fonts as pdffonts lists them.
fonts() { # fonts PDF: "yes|no<TAB>N fonts: name (type), ..." from pdffonts
	pdffonts "$1" | awk '
		NR == 2 { # the dashes line gives the columns: name type encoding emb sub uni ...
			n = 0; p = 1
			while (match(substr($0, p), /-+/)) {
				start[++n] = p + RSTART - 1; len[n] = RLENGTH; p = start[n] + RLENGTH
			}
			next
		}
		NR > 2 {
			name = substr($0, start[1], len[1]); type = substr($0, start[2], len[2])
			emb = substr($0, start[4], len[4])
			gsub(/ +$/, "", name); gsub(/ +$/, "", type); gsub(/ /, "", emb)
			count++; if (emb != "yes") bad++
			list = list (count > 1 ? ", " : "") name " (" type (emb == "yes" ? "" : ", NOT embedded") ")"
		}
		END { printf "%s\t%d fonts: %s\n", (count && !bad ? "yes" : "no"), count, list }'
}
jq -r '.results[] | [.command, .mean, .stddev, .user, .system] | @tsv' "$json" >"$tsv.tmp"
for i in "${!names[@]}"; do
	eval "/usr/bin/time -f %M -o \"\$scratch/rss\" ${cmds[i]}"
	pdf=${pdfs[i]}
	pages=$(pdfinfo "$pdf" | sed -n 's/^Pages: *//p')
	printf '%s\t%s\t%s\t%s\n' "$(tail -n 1 "$scratch/rss")" "$(stat -c %s "$pdf")" "$pages" "$(fonts "$pdf")"
done | paste "$tsv.tmp" - >"$tsv"
rm -f "$tsv.tmp"
cp "$er_pdf" "$build/report-ecoreport.pdf"
for t in ecoreport matplotlib; do # the first pages, for a person to compare
	pdftoppm -r 50 -png -f 1 -l 1 -singlefile "$build/report-$t.pdf" "$build/report-$t-p1"
done

# 4. The report.
: >"$results"
out "# ecoreport report benchmark" "" \
	"- date: $(date -u '+%Y-%m-%d %H:%M UTC')" \
	"- machine: $(machine); load average before: $load" \
	"- versions: $("$er" --version), $(py_version matplotlib), libharu $(deb_version libhpdf-2.3.0), poppler-utils $(deb_version poppler-utils), $(tool_versions)" \
	"- input: templates/ai-index-environment.md over five datasets/*.csv (2 tables, 3 bar charts, about 540 words of text)" \
	"- each tool: hyperfine -N --warmup 2 --runs $runs (whole process, one A4 PDF per run), then one run under /usr/bin/time for the peak RSS" "" \
	"| tool | wall time (mean ± σ) | CPU (user + sys) | peak RSS | PDF | pages | fonts embedded | time ÷ ecoreport's |" \
	"|---|--:|--:|--:|--:|--:|---|--:|"
awk -F'\t' '
	{ name[NR] = $1; mean[NR] = $2; sd[NR] = $3; cpu[NR] = $4 + $5; rss[NR] = $6; bytes[NR] = $7; pages[NR] = $8; emb[NR] = $9 }
	$1 == "ecoreport" { er = $2 }
	END {
		for (i = 1; i <= NR; i++)
			printf "| %s | %.1f ms ± %.1f | %.1f ms | %.1f MiB | %d bytes (%.1f KB) | %d | %s | %.1f |\n", name[i],
				mean[i] * 1e3, sd[i] * 1e3, cpu[i] * 1e3, rss[i] / 1024, bytes[i], bytes[i] / 1000, pages[i], emb[i], mean[i] / er
	}' "$tsv" | tee -a "$results"
out "" "Fonts (pdffonts):" ""
awk -F'\t' '{ printf "- %s: %s\n", $1, $10 }' "$tsv" | tee -a "$results"
out "" "Commands (OUTDIR/ai-index-environment.pdf is copied to build-bench/report-ecoreport.pdf; OUT.pdf = build-bench/report-matplotlib.pdf):" ""
for i in "${!names[@]}"; do out "- ${names[i]}: \`${shows[i]}\`"; done
out ""
awk -F'\t' -v goal="$goal_ratio" -v max="$goal_bytes" '
	$1 == "ecoreport" { er = $2; er_cpu = $4 + $5; bytes = $7; emb = $9 }
	$1 == "matplotlib" { mpl = $2; mpl_cpu = $4 + $5 }
	END {
		printf "- matplotlib ÷ ecoreport: %.1fx in wall time (goal >= %dx): %s; %.1fx in CPU time\n", mpl / er, goal,
			(mpl / er >= goal ? "**met**" : "**not met**"), mpl_cpu / er_cpu
		printf "- ecoreport PDF: %d bytes (goal < %d KB): %s\n", bytes, max / 1000, (bytes < max ? "**met**" : "**not met**")
		printf "- ecoreport fonts all embedded: %s\n", (emb == "yes" ? "**met**" : "**not met**")
	}' "$tsv" | tee -a "$results"
out "" "The PDFs: build-bench/report-ecoreport.pdf and report-matplotlib.pdf; their first pages at 50 dpi: report-ecoreport-p1.png and report-matplotlib-p1.png."
say "report saved to $results"
