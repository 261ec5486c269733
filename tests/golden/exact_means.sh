#!/usr/bin/env bash
# Golden test: mean() over 4,000 random groups of doubles (everyday values,
# any exponent, subnormals, values near the largest double, classic cases
# such as 0.1 + 0.2 + 0.3) equals the exactly rounded mean computed with
# Python's fractions (mean_reference.py), to the last digit.
ECOREPORT=$1
SRC=$2
PY=$(command -v python3)
. "$(dirname "$0")/../cli/lib.sh"
"$PY" "$SRC/tests/golden/mean_reference.py" data means.csv
"$PY" "$SRC/tests/golden/mean_reference.py" want > want.csv
"$ECOREPORT" aggregate means.csv --group-by g --agg 'm=mean(v)' --agg 'n=count()' --to csv > got.csv
ok exact-means cmp -s want.csv got.csv
[ "$fail" = 0 ] || diff want.csv got.csv | head -20
finish
