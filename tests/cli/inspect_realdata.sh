#!/usr/bin/env bash
# `ecoreport inspect` over every third-party file in shared/realdata, checking
# the row counts SOURCES.md states and each file's known quirks.
ECOREPORT=$1
REAL=$2
[ -d "$REAL" ] || { echo "realdata folder $REAL not found: skipped"; exit 77; }
. "$(dirname "$0")/lib.sh"

# rows FILE EXPECTED-ROWS-LINE [options]
rows() {
  local f=$1 want=$2; shift 2
  local got
  got=$("$ECOREPORT" inspect "$@" "$REAL/$f" 2>/dev/null | sed -n 's/^rows *//p')
  if [ "$got" = "$want" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL rows $f: got '$got', want '$want'"; fi
}
# has FILE REGEX [options]: a line of the text output matches
has() {
  local f=$1 re=$2; shift 2
  if "$ECOREPORT" inspect "$@" "$REAL/$f" 2>/dev/null | grep -Eq "$re"; then pass=$((pass + 1));
  else fail=$((fail + 1)); echo "FAIL $f: no line matching /$re/"; fi
}

rows codecarbon-v1-bigscience-carbon-per-token.csv 8
rows codecarbon-v2.2-fnndsc-pypx-repack.csv 2
rows codecarbon-v2.4-official-example.csv 28
rows codecarbon-v2.4-bert-pruning-v100.csv 18
rows codecarbon-v2.7-eo-college-cubes.csv 8
rows codecarbon-v3.2-green-ml-bench.csv 502
rows codecarbon-v3-current-schema-test-row.csv 1
rows codecarbon-cloud-region-impact.csv 40
rows mlco2-impact-cloud-regions.csv 82
rows green-algorithms-carbon-intensity.csv 130
rows owid-eu-carbon-intensity-electricity.csv 630
rows epoch-notable-ai-models.csv 924
# The ragged A10G row: refused in strict mode, skipped on request.
rows mlco2-impact-gpus.csv "47 (1 skipped)" --bad-rows skip
check gpus-strict 65 "$ECOREPORT" inspect "$REAL/mlco2-impact-gpus.csv" <<EOF
ecoreport: $REAL/mlco2-impact-gpus.csv:6:73: error: row has 8 fields, the header has 9 (column "source" is missing)
EOF
# The corrupt CodeCarbon 2.0 log: 645 fragment rows from concurrent writers.
rows codecarbon-v2.0-bigscience-distil-wikitext.csv "3021 (645 skipped)" --bad-rows skip
check v2.0-strict 65 "$ECOREPORT" inspect "$REAL/codecarbon-v2.0-bigscience-distil-wikitext.csv" <<EOF
ecoreport: $REAL/codecarbon-v2.0-bigscience-distil-wikitext.csv:84:1: error: not a CodeCarbon measurement: run_id and measurements are empty (a fragment left by concurrent writers?)
EOF

# Schema generations recognised by header names.
has codecarbon-v1-bigscience-carbon-per-token.csv '^format +CodeCarbon log \(schema 1\.x\)'
has codecarbon-v2.0-bigscience-distil-wikitext.csv '^format +CodeCarbon log \(schema 2\.0-2\.1\)' --bad-rows skip
has codecarbon-v2.2-fnndsc-pypx-repack.csv '^format +CodeCarbon log \(schema 2\.2\)'
has codecarbon-v2.4-official-example.csv '^format +CodeCarbon log \(schema 2\.3-2\.6\)'
has codecarbon-v2.7-eo-college-cubes.csv '^format +CodeCarbon log \(schema 2\.7-3\.0\)'
has codecarbon-v3.2-green-ml-bench.csv '^format +CodeCarbon log \(schema 3\.2\+\)'
# g/s in 2.0-2.1, kg/s later; columns found by name even when moved (3.2).
has codecarbon-v2.0-bigscience-distil-wikitext.csv '^ +6 +emissions_rate +number +g/s ' --bad-rows skip
has codecarbon-v2.4-official-example.csv '^ +6 +emissions_rate +number +kg/s '
has codecarbon-v3.2-green-ml-bench.csv '^ +14 +energy_consumed +number +kWh '
has codecarbon-v3.2-green-ml-bench.csv '^ +38 +cloud_region +text '
has codecarbon-v2.4-official-example.csv '^ +1 +timestamp +datetime +0 +2024-05-31T10:39:13 \.\. '
# BOM dropped from the first name; CRLF and quoted commas; units row above the header.
has codecarbon-cloud-region-impact.csv '^ +1 +provider +text '
has mlco2-impact-cloud-regions.csv '^ +12 +PUE source +text '
has green-algorithms-carbon-intensity.csv '^ +5 +carbonIntensity +number +gCO2e/kWh +0 +0\.11 \.\. 1120$'
has owid-eu-carbon-intensity-electricity.csv '^ +4 +Carbon intensity of electricity \(gCO2/kWh\) +number +gCO2/kWh '
has mlco2-impact-gpus.csv '^ +5 +TFLOPS16 +number ' --bad-rows skip
has epoch-notable-ai-models.csv '^ +7 +Publication date +datetime +1 '
has epoch-notable-ai-models.csv '^columns +42$'
# JSON output parses and agrees.
ok json-valid sh -c "'$ECOREPORT' inspect --to json '$REAL/epoch-notable-ai-models.csv' | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"rows\"]==924 and len(d[\"columns\"])==42'"

finish
