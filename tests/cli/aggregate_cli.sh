#!/usr/bin/env bash
# CLI: `ecoreport aggregate`: results, round trip, and the exact message and
# exit code for each kind of bad input.
ECOREPORT=$1
SRC=$2
. "$(dirname "$0")/lib.sh"
cp "$SRC/datasets/luccioni2022-llm-training.csv" models.csv
cp "$SRC/datasets/sample-codecarbon-emissions.csv" cc.csv

check_out totals "$ECOREPORT" aggregate models.csv --agg 'co2=sum(co2_t)' --agg 'n=count()' --to csv <<'EOF'
co2,n
949,4
EOF
check_out grouped-sorted "$ECOREPORT" aggregate models.csv --group-by params --agg 'co2=sum(co2_t)' --sort=-co2 --limit 2 --to csv <<'EOF'
params,co2
175,572
280,352
EOF
check_out where-derive "$ECOREPORT" aggregate models.csv --where "model != 'OPT'" --derive 'per_mwh=co2_t/energy_mwh' --agg 'x=round(max(per_mwh), 4)' --to csv <<'EOF'
x
0.3901
EOF
check_out quarters "$ECOREPORT" aggregate cc.csv --group-by 'quarter(timestamp)' --agg 'co2_kg=sum(emissions)' --to csv <<'EOF'
quarter(timestamp),co2_kg
2024-Q4,40.59186202928548
2025-Q1,39.5655070854493
2025-Q2,31.43463829807273
2025-Q3,25.94453902833853
2025-Q4,39.447040828842795
EOF
check_out fiscal "$ECOREPORT" aggregate cc.csv --fiscal-year-start 4 --group-by 'fq=quarter(timestamp)' --agg 'n=count()' --to csv <<'EOF'
fq,n
FY2025-Q3,88
FY2025-Q4,89
FY2026-Q1,97
FY2026-Q2,81
FY2026-Q3,126
EOF
check_out json "$ECOREPORT" aggregate models.csv --agg 'e=sum(energy_mwh)' --to json <<'EOF'
{"columns":[{"name":"e","type":"number","unit":null}],"rows_read":4,"rows_skipped":0,"rows_filtered":0,"rows_superseded":0,"rows":[[3110]]}
EOF
# Snapshots are reduced before --where: r1's Q1 row is superseded by its Q2
# row, which the filter drops (filtered: that row and the two without run).
printf '%s\n' timestamp,project_name,run_id,duration,emissions,energy_consumed \
  2025-03-31T23:00:00,p,r1,10,1,10 2025-03-31T23:10:00,q,r2,5,0.5,5 \
  2025-04-01T00:10:00,p,r1,20,2,20 2025-04-01T00:20:00,p,,1,0.25,1 \
  2025-04-01T00:30:00,p,,1,0.25,1 > snap.csv
check_out where-snapshots "$ECOREPORT" aggregate snap.csv --where "quarter(timestamp) = '2025-Q1'" --agg 'e=sum(energy_consumed)' --to json <<'EOF'
{"columns":[{"name":"e","type":"number","unit":"kWh"}],"rows_read":5,"rows_skipped":0,"rows_filtered":3,"rows_superseded":1,"rows":[[5]]}
EOF
check_out where-snapshots-listing "$ECOREPORT" aggregate snap.csv --where "quarter(timestamp) = '2025-Q1'" --to csv <<'EOF'
timestamp,project_name,run_id,duration,emissions,energy_consumed
2025-03-31T23:10:00,q,r2,5,0.5,5
EOF
# No row passes: sums are still numbers, in the column's unit.
check_out no-rows-types "$ECOREPORT" aggregate cc.csv --where "project_name = 'none'" --agg 'e=sum(energy_consumed)' --agg 'f=first(project_name)' --agg 'n=count()' --to json <<'EOF'
{"columns":[{"name":"e","type":"number","unit":"kWh"},{"name":"f","type":"text","unit":null},{"name":"n","type":"number","unit":null}],"rows_read":600,"rows_skipped":0,"rows_filtered":481,"rows_superseded":119,"rows":[[null,null,0]]}
EOF
# Round trip: the CSV output reads back with the same values.
"$ECOREPORT" aggregate cc.csv --group-by 'q=quarter(timestamp),project_name' --agg 'e=sum(energy_consumed)' --agg 'c=mean(emissions)' --to csv > round1.csv
"$ECOREPORT" aggregate round1.csv --group-by 'q,project_name' --agg 'e=sum(e)' --agg 'c=sum(c)' --to csv > round2.csv
ok round-trip cmp -s round1.csv round2.csv
ok round-trip-nonempty test "$(wc -l < round1.csv)" -gt 20

# Bad input: expressions, names, options, data.
check unclosed-call 65 "$ECOREPORT" aggregate cc.csv --agg 'x=sum(energy' <<'EOF'
ecoreport: --agg 'x=sum(energy': error: expected ')' at column 13
EOF
check unknown-column 65 "$ECOREPORT" aggregate cc.csv --agg 'x=sum(energy_consumd)' <<'EOF'
ecoreport: --agg 'x=sum(energy_consumd)': error: unknown column "energy_consumd" (did you mean "energy_consumed"?) at column 7
EOF
check suggest-prefix 65 "$ECOREPORT" aggregate cc.csv --agg 'x=sum(energy)' <<'EOF'
ecoreport: --agg 'x=sum(energy)': error: unknown column "energy" (did you mean "energy_consumed"?) at column 7
EOF
printf '%s\n' 'energy (MWh),g (gCO2eq/kWh)' 1,2 > units.csv
check suggest-unit 65 "$ECOREPORT" aggregate units.csv --agg 'x=sum(g)' <<'EOF'
ecoreport: --agg 'x=sum(g)': error: unknown column "g" (did you mean "g (gCO2eq/kWh)"?) at column 7
EOF
# A name that gives a unit must be right: its CSV reads back in that unit.
check named-unit-wrong 65 "$ECOREPORT" aggregate cc.csv --agg '"co2 (t)"=sum(emissions)' <<'EOF'
ecoreport: --agg '"co2 (t)"=sum(emissions)': error: "co2 (t)" says t, but its values are in kg (convert them with to(..., 't')) at column 11
EOF
check_out named-unit-right "$ECOREPORT" aggregate cc.csv --agg "\"co2 (t)\"=round(sum(to(emissions, 't')), 4)" --agg '"co2 (kg)"=round(sum(emissions), 1)' --to text <<'EOF'
co2 (t)  co2 (kg)
  0.177       177
EOF
printf '%s\n' v 1e308 2 > huge.csv
check overflow 65 "$ECOREPORT" aggregate huge.csv --derive 'y=v*10' --to csv <<'EOF'
ecoreport: --derive 'y=v*10': error: the result overflows (beyond 1.8e308) on the row of line 2 at column 3
EOF
check overflow-after-rows 65 "$ECOREPORT" aggregate huge.csv --agg 's=sum(v) * 1e10' <<'EOF'
ecoreport: --agg 's=sum(v) * 1e10': error: the result overflows (beyond 1.8e308) at column 3
EOF
check unit-mismatch 65 "$ECOREPORT" aggregate cc.csv --agg 'x=sum(energy_consumed + emissions)' <<'EOF'
ecoreport: --agg 'x=sum(energy_consumed + emissions)': error: cannot add "kWh" and "kg" at column 7
EOF
check no-name 65 "$ECOREPORT" aggregate cc.csv --agg 'sum(emissions)' <<'EOF'
ecoreport: --agg 'sum(emissions)': error: expected NAME=FUNC(EXPR), e.g. co2_kg=sum(emissions)
EOF
# An unclosed last key is an error, not a key dropped.
check unclosed-key 65 "$ECOREPORT" aggregate cc.csv --group-by 'quarter(timestamp' --agg 'n=count()' <<'EOF'
ecoreport: --group-by 'quarter(timestamp': error: expected ')' at column 18
EOF
check unclosed-key-string 65 "$ECOREPORT" aggregate cc.csv --group-by "project_name,'abc" --agg 'n=count()' <<'EOF'
ecoreport: --group-by 'project_name,'abc': error: string is not closed at column 14
EOF
check duplicate-agg 65 "$ECOREPORT" aggregate cc.csv --agg 'n=count()' --agg 'n=sum(emissions)' <<'EOF'
ecoreport: --agg 'n=sum(emissions)': error: a result column is already named "n" at column 3
EOF
check agg-named-as-key 65 "$ECOREPORT" aggregate cc.csv --group-by project_name --agg 'project_name=count()' <<'EOF'
ecoreport: --agg 'project_name=count()': error: a result column is already named "project_name" at column 14
EOF
check empty-sort 65 "$ECOREPORT" aggregate cc.csv --group-by project_name --agg 'n=count()' --sort '-n,' <<'EOF'
ecoreport: --sort: error: no result column ""
EOF
check_out sort-key-with-comma "$ECOREPORT" aggregate cc.csv --group-by 'round(duration / 1000, 0)' --agg 'n=count()' --sort '-round(duration / 1000, 0)' --limit 2 --to csv <<'EOF'
"round(duration / 1000, 0)",n
50,1
46,2
EOF
printf '%s\n' "project name,owner's,n" "a,x,1" "b,y,2" > names.csv
check_out sort-quoted-key "$ECOREPORT" aggregate names.csv --group-by '"project name"' --agg "o=first(\"owner's\")" --sort '-"project name",o' --to csv <<'EOF'
"""project name""",o
b,y
a,x
EOF
check bad-where 65 "$ECOREPORT" aggregate cc.csv --where 'project_name = ' --agg 'n=count()' <<'EOF'
ecoreport: --where 'project_name = ': error: expected a value but the expression ends at column 15
EOF
check bad-sort 65 "$ECOREPORT" aggregate cc.csv --group-by project_name --agg 'n=count()' --sort nn <<'EOF'
ecoreport: --sort: error: no result column "nn" (did you mean "n"?)
EOF
check bad-timezone 64 "$ECOREPORT" aggregate cc.csv --timezone Mars/Olympus --agg 'n=count()' <<'EOF'
ecoreport: aggregate: unknown time zone 'Mars/Olympus' (try UTC, +02:00 or Europe/Berlin)
Try 'ecoreport aggregate --help' for more information.
EOF
check bad-fiscal 64 "$ECOREPORT" aggregate cc.csv --fiscal-year-start 13 <<'EOF'
ecoreport: aggregate: --fiscal-year-start needs a month 1-12, not '13'
Try 'ecoreport aggregate --help' for more information.
EOF
check bad-limit 64 "$ECOREPORT" aggregate cc.csv --limit -1 <<'EOF'
ecoreport: aggregate: --limit needs a whole number >= 0, not '-1'
Try 'ecoreport aggregate --help' for more information.
EOF
printf 'model,co2_t\nGPT-3,502\nGopher,n/a t\nOPT,70\n' > text.csv
check text-in-numbers 65 "$ECOREPORT" aggregate text.csv --agg 's=sum(co2_t)' <<'EOF'
ecoreport: text.csv:3:8: error: column "co2_t": expected a number, got "n/a t"
EOF
check text-in-numbers-skip 0 "$ECOREPORT" aggregate text.csv --bad-rows skip --agg 's=sum(co2_t)' <<'EOF'
ecoreport: text.csv:3:8: warning: column "co2_t": expected a number, got "n/a t" (row skipped)
ecoreport: text.csv: warning: skipped 1 bad row (first at line 3)
EOF
printf 'model,co2_t\nGPT-3,502\nGopher,NA\n' > missing.csv
check missing-reported 0 "$ECOREPORT" aggregate missing.csv --agg 's=sum(co2_t)' <<'EOF'
ecoreport: missing.csv: warning: s: 1 missing value of co2_t skipped
EOF
check missing-input 66 "$ECOREPORT" aggregate nosuch.csv --agg 'n=count()' <<'EOF'
ecoreport: nosuch.csv: error: cannot open: No such file or directory
EOF
check agg-no-file 64 "$ECOREPORT" aggregate --agg 'n=count()' <<'EOF'
ecoreport: aggregate: missing DATA.csv
Try 'ecoreport aggregate --help' for more information.
EOF
finish
