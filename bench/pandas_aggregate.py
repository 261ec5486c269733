"""pandas' counterpart of

    ecoreport aggregate FILE --format-in codecarbon \
        --group-by 'quarter(timestamp),project_name' \
        --agg 'energy_kwh=sum(energy_consumed)' --agg 'co2_kg=sum(emissions)' --to csv

CodeCarbon writes cumulative snapshot rows: only the last row of each run_id
counts. Writes CSV to stdout, quarters labelled like ecoreport (2025-Q1).
"""
import sys

import pandas as pd

df = pd.read_csv(sys.argv[1])
df = df.drop_duplicates("run_id", keep="last")
quarter = pd.to_datetime(df["timestamp"]).dt.to_period("Q").rename("quarter(timestamp)")
out = (
    df.groupby([quarter, "project_name"])
    .agg(energy_kwh=("energy_consumed", "sum"), co2_kg=("emissions", "sum"))
    .reset_index()
)
out["quarter(timestamp)"] = out["quarter(timestamp)"].dt.strftime("%Y-Q%q")
out.to_csv(sys.stdout, index=False)
