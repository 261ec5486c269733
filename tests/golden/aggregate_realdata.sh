#!/usr/bin/env bash
# Golden test: quarterly x project totals over every real CodeCarbon log in
# shared/realdata (and the bundled synthetic one), against an independent
# Python computation (codecarbon_reference.py). Exact to the last digit.
ECOREPORT=$1
REAL=$2
SRC=$3
[ -d "$REAL" ] || { echo "realdata folder $REAL not found: skipped"; exit 77; }
PY=$(command -v python3)
. "$(dirname "$0")/../cli/lib.sh"
for f in "$REAL"/codecarbon-v*.csv "$SRC/datasets/sample-codecarbon-emissions.csv"; do
  name=$(basename "$f" .csv)
  want=$("$PY" "$SRC/tests/golden/codecarbon_reference.py" "$f")
  got=$("$ECOREPORT" aggregate "$f" --format-in codecarbon --bad-rows skip --to csv \
        --group-by 'q=quarter(timestamp),project_name' \
        --agg 'energy_kwh=sum(energy_consumed)' --agg 'co2_kg=sum(emissions)' 2>/dev/null)
  if [ "$got" = "$want" ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $name"
    diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | head -20 | sed 's/^/    /'
  fi
done
finish
