#!/usr/bin/env python3
"""Independent reference for `ecoreport aggregate` over CodeCarbon logs.

Computes quarterly x project totals of energy_consumed and emissions the
way the product contract defines them, with nothing shared with the C code:
  - columns found by header name;
  - bad rows skipped: wrong field count, run_id and all measurements empty
    (fragments of concurrent writers), unparseable timestamp, non-numeric
    duration/emissions/energy_consumed;
  - cumulative snapshot rows: only the last row of each run_id counts
    (rows without a run_id count each);
  - missing values (empty, NA, N/A, NaN, null, None, -) are skipped;
  - sums are exactly rounded (math.fsum);
  - groups in order of their first counted row.
Prints CSV like `ecoreport aggregate --to csv`.
"""
import csv
import math
import sys
from datetime import datetime

MISSING = {"", "na", "n/a", "nan", "null", "none", "-"}


def missing(s):
    return s.strip().lower() in MISSING


def number(s):
    try:
        return float(s)
    except ValueError:
        return None


def fmt(x):
    r = repr(float(x))
    return r[:-2] if r.endswith(".0") else r


def main(path, fiscal_start=1):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header = [h.strip() for h in rows[0]]
    col = {name: i for i, name in enumerate(header)}
    run = col["run_id"] if "run_id" in col else col["experiment_id"]
    ts, dur, em, en, proj = (col["timestamp"], col["duration"], col["emissions"],
                             col["energy_consumed"], col["project_name"])
    good = []
    for line_no, r in enumerate(rows[1:], start=2):
        if len(r) != len(header):
            continue
        if all(missing(r[i]) for i in (run, dur, em, en)):
            continue
        try:
            t = datetime.fromisoformat(r[ts].strip())
        except ValueError:
            continue
        if any(not missing(r[i]) and number(r[i].strip()) is None for i in (dur, em, en)):
            continue
        good.append((r, t))
    last = {}
    for i, (r, _) in enumerate(good):
        key = r[run].strip()
        last[key if not missing(key) else ("row", i)] = i
    keep = sorted(last.values())
    groups = {}
    for i in keep:
        r, t = good[i]
        q = "%04d-Q%d" % (t.year, (t.month - 1) // 3 + 1)
        g = groups.setdefault((q, r[proj].strip()), ([], []))
        if not missing(r[en]):
            g[0].append(float(r[en]))
        if not missing(r[em]):
            g[1].append(float(r[em]))
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["q", "project_name", "energy_kwh", "co2_kg"])
    for (q, p), (e, c) in groups.items():
        out.writerow([q, p, fmt(math.fsum(e)), fmt(math.fsum(c))])


if __name__ == "__main__":
    main(sys.argv[1])
