#!/bin/bash
# batch_cli.sh - `ecoreport batch` and the crash safety of every command:
# manifest errors with their positions, incremental reruns, failures that do
# not stop other jobs, timeouts, shards, the lock, and the fault cases
# (kill -9 between the temporary write and the rename, disk full,
# unwritable folder, stale lock, damaged record).
# Usage: batch_cli.sh ECOREPORT SOURCE_DIR
ECOREPORT=$1
SRC=$2
. "$SRC/tests/cli/lib.sh"
DATA=$SRC/datasets/luccioni2022-llm-training.csv

# Waits (up to 20 s) until a file matching the glob exists; prints it.
wait_for() {
  local i f
  for i in $(seq 200); do
    for f in $1; do
      [ -e "$f" ] && { echo "$f"; return 0; }
    done
    sleep 0.1
  done
  return 1
}

# The PID inside a temporary's name ".NAME.ecoreport-PID.HOST-XXXXXX".
tmp_pid() { local b=${1##*.ecoreport-}; b=${b%-*}; echo "${b%%.*}"; }

# stopped GLOB: waits for a temporary matching GLOB, then for its writer to
# have stopped itself before its renames (the test hook); prints the PID.
stopped() {
  local f pid i
  f=$(wait_for "$1") || return 1
  pid=$(tmp_pid "$f")
  for i in $(seq 300); do
    case $(ps -o stat= -p "$pid" 2>/dev/null) in T*) echo "$pid"; return 0 ;; esac
    sleep 0.1
  done
  return 1
}

cp "$DATA" models.csv
cat > m.yaml <<'EOF'
output: out
defaults: {png: true}
reports:
  - template: q.md
    name: quarter
charts:
  - data: models.csv
    category: model
    value: co2_t
    title: CO2 by model
    output: models.png
  - data: models.csv
    category: model
    value: energy_mwh
    output: energy.svg
EOF
cat > q.md <<'EOF'
---
title: A small report
date: 2025-10-01
data:
  models: models.csv
---
# Models

```chart
data: models
category: model
value: co2_t
title: CO2 by model
```
EOF

# ---- usage ------------------------------------------------------------------
ok help sh -c "'$ECOREPORT' batch --help | grep -q -- '--shard I/N'"
check usage-missing 64 "$ECOREPORT" batch <<'EOF'
ecoreport: batch: missing MANIFEST.yaml
Try 'ecoreport batch --help' for more information.
EOF
check usage-jobs 64 "$ECOREPORT" batch m.yaml --jobs 0 <<'EOF'
ecoreport: batch: --jobs takes 1 to 256, not '0'
Try 'ecoreport batch --help' for more information.
EOF
for s in 0/2 3/2 x 1/ /2 -1/2; do
  check "usage-shard-$s" 64 "$ECOREPORT" batch m.yaml --shard "$s" <<EOF
ecoreport: batch: --shard takes I/N with 1 <= I <= N (e.g. 2/4), not '$s'
Try 'ecoreport batch --help' for more information.
EOF
done
check usage-quiet-verbose 64 "$ECOREPORT" batch m.yaml --quiet --verbose <<'EOF'
ecoreport: batch: --quiet and --verbose do not go together
Try 'ecoreport batch --help' for more information.
EOF
check usage-unknown 64 "$ECOREPORT" batch m.yaml --fast <<'EOF'
ecoreport: batch: unknown option '--fast'
Try 'ecoreport batch --help' for more information.
EOF

# ---- manifest errors: exit 65, the position and a suggestion ----------------
bad() { printf '%s\n' "$2" > "bad-$1.yaml"; }
bad topkey 'outptu: out
charts: []'
check manifest-top-key 65 "$ECOREPORT" batch bad-topkey.yaml <<'EOF'
ecoreport: bad-topkey.yaml:1:1: error: unknown key 'outptu' in the manifest (did you mean 'output'?)
EOF
bad chartkey 'charts:
  - data: models.csv
    catgory: model
    output: x.png'
check manifest-chart-key 65 "$ECOREPORT" batch bad-chartkey.yaml <<'EOF'
ecoreport: bad-chartkey.yaml:3:5: error: unknown key 'catgory' in a chart (did you mean 'category'?)
EOF
bad nooutput 'charts:
  - data: models.csv
    category: model'
check manifest-chart-output 65 "$ECOREPORT" batch bad-nooutput.yaml <<'EOF'
ecoreport: bad-nooutput.yaml:2:5: error: a chart needs 'output' (a file name ending .png, .svg or .pdf)
EOF
bad notemplate 'reports:
  - name: q'
check manifest-report-template 65 "$ECOREPORT" batch bad-notemplate.yaml <<'EOF'
ecoreport: bad-notemplate.yaml:2:5: error: a report needs 'template' (the template's path)
EOF
bad bool 'reports:
  - template: q.md
    png: maybe'
check manifest-bool 65 "$ECOREPORT" batch bad-bool.yaml <<'EOF'
ecoreport: bad-bool.yaml:3:10: error: 'png' is true or false
EOF
bad dup 'charts:
  - {data: a.csv, category: c, value: v, output: x.png}
  - {data: b.csv, category: c, value: v, output: x.png}'
check manifest-duplicate 65 "$ECOREPORT" batch bad-dup.yaml <<'EOF'
ecoreport: bad-dup.yaml:3:5: error: job 'x.png' writes the same output as the job at line 2
EOF
bad clash 'reports:
  - {template: q.md, name: q}
charts:
  - {data: b.csv, category: c, value: v, output: q-fig1.png}'
check manifest-clash 65 "$ECOREPORT" batch bad-clash.yaml <<'EOF'
ecoreport: bad-clash.yaml:4:5: error: job 'q-fig1.png' writes the same output as the job at line 2
EOF
bad slash 'charts:
  - {data: a.csv, category: c, value: v, output: ../x.png}'
check manifest-slash 65 "$ECOREPORT" batch bad-slash.yaml <<'EOF'
ecoreport: bad-slash.yaml:2:50: error: output '../x.png' must be a plain file name (no '/', not starting with '.')
EOF
bad stem 'reports:
  - template: .hidden.md'
check manifest-stem 65 "$ECOREPORT" batch bad-stem.yaml <<'EOF'
ecoreport: bad-stem.yaml:2:15: error: template '.hidden.md' does not give a usable output name: add 'name'
EOF
bad alt 'charts:
  - {data: a.csv, category: c, value: v, output: x.png}
  - {data: a.csv, category: c, value: v, output: x.svg}'
check manifest-alt-text-clash 65 "$ECOREPORT" batch bad-alt.yaml <<'EOF'
ecoreport: bad-alt.yaml:3:5: error: job 'x.svg' writes the same output as the job at line 2
EOF
# Several clashes: the one reported pairs the earliest job that clashes
# with any (report a) with the earliest of its partners (a-fig2.svg: its
# files would be among report a's figures), not b.pdf, which clashes with
# report b further down.
bad clashes 'reports:
  - {template: q.md, name: a}
  - {template: q.md, name: b}
charts:
  - {data: a.csv, category: c, value: v, output: c.png}
  - {data: a.csv, category: c, value: v, output: b.pdf}
  - {data: a.csv, category: c, value: v, output: a-fig2.svg}
  - {data: a.csv, category: c, value: v, output: c.svg}'
check manifest-first-clash 65 "$ECOREPORT" batch bad-clashes.yaml <<'EOF'
ecoreport: bad-clashes.yaml:7:5: error: job 'a-fig2.svg' writes the same output as the job at line 2
EOF
bad ext 'charts:
  - {data: a.csv, category: c, value: v, output: x.txt}'
check manifest-output-ext 65 "$ECOREPORT" batch bad-ext.yaml <<'EOF'
ecoreport: bad-ext.yaml:2:50: error: output 'x.txt' must end in .png, .svg or .pdf
EOF
bad nojobs 'output: out'
check manifest-no-jobs 65 "$ECOREPORT" batch bad-nojobs.yaml <<'EOF'
ecoreport: bad-nojobs.yaml:1:1: error: the manifest lists no jobs (add 'reports:' or 'charts:')
EOF
bad defaults 'defaults: {data: x.csv}
charts: []'
check manifest-defaults 65 "$ECOREPORT" batch bad-defaults.yaml <<'EOF'
ecoreport: bad-defaults.yaml:1:12: error: 'data' belongs to each job, not to 'defaults'
EOF
bad list 'charts: {data: x.csv}'
check manifest-list 65 "$ECOREPORT" batch bad-list.yaml <<'EOF'
ecoreport: bad-list.yaml:1:9: error: 'charts' is a list of jobs (each line starting with '- ')
EOF
ok manifest-errors-write-nothing test ! -e out

# ---- a run, then an unchanged rerun -----------------------------------------
check run-cold 0 "$ECOREPORT" batch m.yaml --log run.log </dev/null
ok outputs-written test -s out/quarter.pdf -a -s out/quarter-fig1.png -a -s out/models.png \
  -a -s out/energy.svg -a -s out/models.txt
ok records-written test -s out/.ecoreport/jobs/quarter.rec -a -s out/.ecoreport/jobs/models.png.rec
ok log-lines sh -c "grep -c ' ok [0-9.]*s\$' run.log | grep -qx 3"
cp -p out/models.png models.before
stamp=$(stat -c %Y.%y out/quarter.pdf)
check_out rerun-dry "$ECOREPORT" batch m.yaml --dry-run <<'EOF'
up to date quarter
up to date models.png
up to date energy.svg
EOF
check run-unchanged 0 "$ECOREPORT" batch m.yaml --log run.log </dev/null
ok unchanged-untouched test "$(stat -c %Y.%y out/quarter.pdf)" = "$stamp"
ok log-up-to-date sh -c "grep -c ' up-to-date ' run.log | grep -qx 3"

# A changed input reruns only the jobs that read it.
sed 's/^model,/model,/' q.md > q2.md && printf '\nMore text.\n' >> q2.md && mv q2.md q.md
check_out rerun-after-edit "$ECOREPORT" batch m.yaml --dry-run <<'EOF'
would render quarter (input changed: q.md)
up to date models.png
up to date energy.svg
EOF
check_out force "$ECOREPORT" batch m.yaml --dry-run --force <<'EOF'
would render quarter (forced)
would render models.png (forced)
would render energy.svg (forced)
EOF
check run-after-edit 0 "$ECOREPORT" batch m.yaml </dev/null
ok other-outputs-untouched cmp -s out/models.png models.before

# A damaged record costs a rebuild, never a wrong skip.
printf 'x' >> out/.ecoreport/jobs/models.png.rec
check_out damaged-record "$ECOREPORT" batch m.yaml --dry-run <<'EOF'
up to date quarter
would render models.png (record damaged)
up to date energy.svg
EOF
rm out/energy.svg
check_out deleted-output "$ECOREPORT" batch m.yaml --dry-run <<'EOF'
up to date quarter
would render models.png (record damaged)
would render energy.svg (output missing: energy.svg)
EOF
check run-repairs 0 "$ECOREPORT" batch m.yaml </dev/null
ok repaired test -s out/energy.svg

# ---- a failing job does not stop the others ---------------------------------
cat > f.yaml <<'EOF'
output: fout
charts:
  - {data: models.csv, category: model, value: nosuch, output: bad.png}
  - {data: models.csv, category: model, value: co2_t, output: good.png}
EOF
check one-fails 65 "$ECOREPORT" batch f.yaml --jobs 2 </dev/null <<EOF
ecoreport: batch: 1 of 2 jobs failed:
  bad.png (f.yaml:3): exit 65
    ecoreport: $PWD/models.csv: error: value column "nosuch" not found
EOF
ok other-job-done test -s fout/good.png
ok failed-job-no-record test ! -e fout/.ecoreport/jobs/bad.png.rec

# A job that never ends is killed at the time limit.
mkfifo hang.csv
cat > t.yaml <<'EOF'
output: tout
charts:
  - {data: hang.csv, category: model, value: co2_t, output: hang.png}
  - {data: models.csv, category: model, value: co2_t, output: fine.png}
EOF
# The other job must finish within the limit: under valgrind (the
# ecoreport-vg wrapper), with the rest of the suite running beside it, a
# chart can take more than a second.
limit=1
case $ECOREPORT in *-vg) limit=15 ;; esac
check timeout 70 "$ECOREPORT" batch t.yaml --timeout "$limit" </dev/null <<EOF
ecoreport: batch: 1 of 2 jobs failed:
  hang.png (t.yaml:3): exit 70
    killed after the $limit s time limit
EOF
ok timeout-others-done test -s tout/fine.png
ok timeout-no-record test ! -e tout/.ecoreport/jobs/hang.png.rec

# ---- shards: deterministic shares whose union is the whole --------------------
{
  echo "output: sout"
  echo "charts:"
  for i in 1 2 3 4 5; do
    echo "  - {data: models.csv, category: model, value: co2_t, title: Chart $i, output: c$i.svg}"
  done
} > s.yaml
check_out shard-1 "$ECOREPORT" batch s.yaml --shard 1/2 --dry-run <<'EOF'
would render c1.svg (never built)
would render c3.svg (never built)
would render c5.svg (never built)
EOF
check shard-2-run 0 "$ECOREPORT" batch s.yaml --shard 2/2 </dev/null
ok shard-2-only sh -c 'ls sout | tr "\n" " " | grep -qx "c2.svg c2.txt c4.svg c4.txt "'
check shard-1-run 0 "$ECOREPORT" batch s.yaml --shard 1/2 </dev/null
check_out shards-union "$ECOREPORT" batch s.yaml --dry-run <<'EOF'
up to date c1.svg
up to date c2.svg
up to date c3.svg
up to date c4.svg
up to date c5.svg
EOF

# ---- kill -9 between the temporary write and the rename ----------------------
"$ECOREPORT" chart models.csv --category model --value co2_t -o k.png
cp k.png k.before
ECOREPORT_TEST_STOP_BEFORE_RENAME=1 "$ECOREPORT" chart models.csv --category model \
  --value energy_mwh -o k.png &
tmp=$(wait_for '.k.png.ecoreport-*')
ok killed-temp-seen test -n "$tmp"
kill -9 "$(stopped '.k.png.ecoreport-*')"; wait 2>/dev/null
ok killed-output-untouched cmp -s k.png k.before
ok killed-debris-left test -e "$tmp"
"$ECOREPORT" chart models.csv --category model --value energy_mwh -o k.png
ok debris-swept-next-run test ! -e "$tmp"
ok next-run-wrote sh -c '! cmp -s k.png k.before'

# The same inside batch: the killed worker is a crash, its outputs untouched.
cp out/quarter.pdf quarter.before
ECOREPORT_TEST_STOP_BEFORE_RENAME=1 "$ECOREPORT" batch m.yaml --force --jobs 1 \
  >/dev/null 2>crash.err </dev/null &
bpid=$!
tmp=$(wait_for 'out/.quarter.pdf.ecoreport-*')
qpid=$(stopped 'out/.quarter.pdf.ecoreport-*')
# ---- the lock: a second run exits 75 naming the holder ----------------------
check locked 75 "$ECOREPORT" batch m.yaml </dev/null <<EOF
ecoreport: batch: $PWD/out: another run (PID $bpid) holds the lock; try later, or use --wait
EOF
kill -9 "$qpid"
# The run goes on: the next jobs stop too; let them through.
kill -CONT "$(stopped 'out/.models.png.ecoreport-*')"
kill -CONT "$(stopped 'out/.energy.svg.ecoreport-*')"
wait $bpid; rc=$?
ok crash-exit-70 test "$rc" = 70
ok crash-reported grep -q '^  quarter (m.yaml:4): exit 70$' crash.err
ok crash-signal grep -q 'crashed (signal 9, Killed)' crash.err
ok crash-debris-swept test ! -e "$tmp"
ok crash-pdf-untouched cmp -s out/quarter.pdf quarter.before
ok crash-no-record test ! -e out/.ecoreport/jobs/quarter.rec

# --wait: the second run waits for the first instead of failing.
ECOREPORT_TEST_STOP_BEFORE_RENAME=1 "$ECOREPORT" batch m.yaml --force --jobs 1 \
  >/dev/null 2>&1 </dev/null &
bpid=$!
tmp=$(wait_for 'out/.quarter.pdf.ecoreport-*')
"$ECOREPORT" batch m.yaml --wait </dev/null >/dev/null 2>wait.err &
wpid=$!
sleep 0.3
ok waiting-run-waits kill -0 $wpid
for f in quarter.pdf models.png energy.svg; do
  pid=$(stopped "out/.$f.ecoreport-*") && kill -CONT "$pid"
done
wait $bpid; rc1=$?
wait $wpid; rc2=$?
ok wait-both-ok test "$rc1:$rc2" = "0:0"

# A share never runs beside a whole run (it would render the same jobs).
ECOREPORT_TEST_STOP_BEFORE_RENAME=1 "$ECOREPORT" batch m.yaml --force --jobs 1 \
  >/dev/null 2>&1 </dev/null &
bpid=$!
wpid=$(stopped 'out/.quarter.pdf.ecoreport-*')
check share-beside-whole 75 "$ECOREPORT" batch m.yaml --shard 1/2 </dev/null <<EOF
ecoreport: batch: $PWD/out: another run (PID $bpid) holds the lock; try later, or use --wait
EOF
# A scheduler killed with -9 takes its workers with it: no orphan keeps the
# lock, and the next run goes ahead.
kill -9 $bpid; wait $bpid 2>/dev/null
for i in $(seq 50); do kill -0 "$wpid" 2>/dev/null || break; sleep 0.1; done
ok worker-died-with-scheduler sh -c "! kill -0 $wpid 2>/dev/null"
check after-killed-scheduler 0 "$ECOREPORT" batch m.yaml </dev/null

# An input that changes while its job runs leaves no record: the output may
# hold its old bytes, so the next run renders it again.
ECOREPORT_TEST_STOP_BEFORE_RENAME=1 "$ECOREPORT" batch m.yaml --force --jobs 1 \
  >/dev/null 2>&1 </dev/null &
bpid=$!
pid=$(stopped 'out/.quarter.pdf.ecoreport-*')
printf '\nEdited while rendering.\n' >> q.md
kill -CONT "$pid"
for f in models.png energy.svg; do
  pid=$(stopped "out/.$f.ecoreport-*") && kill -CONT "$pid"
done
wait $bpid
check_out changed-while-running "$ECOREPORT" batch m.yaml --dry-run <<'EOF'
would render quarter (never built)
up to date models.png
up to date energy.svg
EOF
check rerun-after-change 0 "$ECOREPORT" batch m.yaml </dev/null

# Another machine's temporary in a shared folder is not ours to remove.
touch out/.models.png.ecoreport-999999.00000000-abcdef
check foreign-temp 0 "$ECOREPORT" batch m.yaml --force </dev/null
ok foreign-temp-kept test -e out/.models.png.ecoreport-999999.00000000-abcdef
rm out/.models.png.ecoreport-999999.00000000-abcdef

# A closed stderr does not kill the scheduler halfway.
"$ECOREPORT" batch s.yaml --force --verbose --jobs 1 2>&1 </dev/null | head -n 1 >/dev/null
ok closed-stderr-exit-0 test "${PIPESTATUS[0]}" = 0
check_out closed-stderr "$ECOREPORT" batch s.yaml --dry-run <<'EOF'
up to date c1.svg
up to date c2.svg
up to date c3.svg
up to date c4.svg
up to date c5.svg
EOF

# A stale lock (its holder dead) is simply taken over.
echo 999999 > out/.ecoreport/lock
check stale-lock 0 "$ECOREPORT" batch m.yaml </dev/null

# ---- output folders that cannot be written ----------------------------------
printf 'output: /proc/ecoreport-no\ncharts:\n  - {data: models.csv, category: model, value: co2_t, output: x.png}\n' > p.yaml
check unwritable-batch 73 "$ECOREPORT" batch p.yaml </dev/null <<'EOF'
ecoreport: /proc/ecoreport-no: error: cannot create the output folder: No such file or directory
EOF
check unwritable-chart 73 "$ECOREPORT" chart models.csv --category model --value co2_t \
  -o /proc/ecoreport-no/x.png <<'EOF'
ecoreport: /proc/ecoreport-no/x.png: error: cannot create: No such file or directory
EOF

# ---- resource limits: refused with a message before memory runs out ---------
check limit-rows 65 "$ECOREPORT" chart models.csv --category model --value co2_t --max-rows 2 \
  -o lim.png <<EOF
ecoreport: models.csv:4:1: error: more than 2 rows to hold in memory (the limit): group or filter the data (--group-by, --where), or raise it with --max-rows
EOF
check limit-groups 65 "$ECOREPORT" aggregate models.csv --group-by model --agg 'n=count()' \
  --max-rows 3 <<EOF
ecoreport: models.csv:5:1: error: more than 3 groups to hold in memory (the limit): group or filter the data (--group-by, --where), or raise it with --max-rows
EOF
check limit-record 65 "$ECOREPORT" inspect models.csv --max-field-bytes 40 <<EOF
ecoreport: models.csv:1:1: error: record longer than the 40 byte limit (is a closing quote missing?)
EOF
check limit-columns 65 "$ECOREPORT" inspect models.csv --max-columns 3 <<EOF
ecoreport: models.csv:1:1: error: record has more than 3 fields (the column limit)
EOF
{ printf -- '---\ntitle: Long\ndate: 2025-01-01\n---\n'
  for i in $(seq 120); do printf 'Paragraph %d of a report that needs a second page.\n\n' "$i"; done
} > long.md
check limit-pages 65 "$ECOREPORT" render long.md -o . --max-pages 1 <<EOF
ecoreport: long.md: error: the report needs more pages than the limit of 1 (raise it with --max-pages)
EOF
ok limits-write-nothing test ! -e lim.png -a ! -e long.pdf

# ---- disk full: the previous output stays byte-identical --------------------
cp k.png k.before
check disk-full 74 bash -c "ulimit -f 8; trap '' XFSZ; exec '$ECOREPORT' chart models.csv \
  --category model --value co2_t --title 'A new title' -o k.png" <<'EOF'
ecoreport: k.png: error: cannot write: File too large
EOF
ok disk-full-untouched cmp -s k.png k.before
ok disk-full-no-debris sh -c '! ls -a | grep -q "^\.k\.png\.ecoreport-"'

finish
