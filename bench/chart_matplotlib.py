#!/usr/bin/python3
"""bench/chart_matplotlib.py DATA.csv OUT.png - the AI Index comparison as a
matplotlib user would draw it: barh coloured by kind, bar_label values, a
title, a source line, 1200x675 pixels (12 x 6.75 in at 100 dpi). The backend
comes from MPLBACKEND (Agg in bench/chart.sh)."""
import csv
import sys

import matplotlib.pyplot as plt
from matplotlib.patches import Patch

data, out = sys.argv[1], sys.argv[2]
with open(data, newline="", encoding="utf-8") as f:
    rows = sorted(csv.DictReader(f), key=lambda r: float(r["co2_t"]), reverse=True)
labels = [r["label"] for r in rows]
values = [float(r["co2_t"]) for r in rows]
colors = {"Model": "#1f4e79", "Real life": "#e69f00"}

fig, ax = plt.subplots(figsize=(12, 6.75))
bars = ax.barh(labels, values, color=[colors[r["kind"]] for r in rows])
ax.invert_yaxis()
ax.bar_label(bars, fmt="%g", padding=3)
ax.set_xlabel("co2_t")
ax.set_title("CO2 Equivalent Emissions (Tonnes) by Selected Machine Learning Models\n"
             "and Real Life Examples, 2022", loc="left", fontweight="bold", fontsize=15)
ax.legend(handles=[Patch(color=c, label=k) for k, c in colors.items()], loc="lower right")
ax.spines[["top", "right"]].set_visible(False)
fig.text(0.01, 0.01, "Source: Luccioni et al., 2022; Strubell et al., 2019 | Chart: matplotlib",
         fontsize=8, color="#5f6368")
fig.tight_layout(rect=(0, 0.03, 1, 1))
fig.savefig(out, dpi=100)
