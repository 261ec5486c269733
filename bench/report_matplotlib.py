#!/usr/bin/python3
"""bench/report_matplotlib.py DATASETS_DIR OUT.pdf - templates/ai-index-environment.md
as a matplotlib user would make it: one PDF written with PdfPages, A4 pages.

- the title, subtitle, author and date, then the report's text (headings and
  paragraphs, wrapped with textwrap and placed with fig.text, flowing onto a
  second page when the first is full);
- the two tables (ax.table) with the same columns, headers, number formats,
  BLOOM's row in bold, titles and source lines;
- the three charts: the AI Index comparison (barh coloured by kind,
  bar_label values, a legend), BLOOM's life cycle (one stacked bar, segment
  values and the total), Patterson et al.'s gross and net emissions (grouped
  barh); titles, notes and source lines.

The CSV files are read with the csv module; the numbers in the text are
computed from them as the template's {{ }} expressions are. The backend
comes from MPLBACKEND (Agg in bench/report.sh). Deliberately not tuned: the
ordinary pyplot API, matplotlib's default fonts and PDF settings (DejaVu
Sans, embedded as Type 3 subsets)."""
import csv
import os
import sys
import textwrap

import matplotlib.pyplot as plt
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

data_dir, out = sys.argv[1], sys.argv[2]
A4 = (8.27, 11.69)
BLUE, ORANGE, SKY = "#1f4e79", "#e69f00", "#56b4e9"
GREY = "#5f6368"
TITLE = "The Environmental Impact of AI"


def read(name):
    with open(os.path.join(data_dir, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def num(s):
    return float(s.rstrip("B"))  # "175B" in the params column


models = read("luccioni2022-llm-training.csv")
comparison = read("ai-index-2023-co2-comparison.csv")
lifecycle = read("luccioni2022-bloom-lifecycle.csv")
patterson = read("patterson2021-nlp-models.csv")
strubell = read("strubell2019-comparators.csv")

co2 = [num(r["co2_t"]) for r in models]
grid = [num(r["grid_gco2_per_kwh"]) for r in models]
life = [num(r["co2_t"]) for r in lifecycle]

# The report's text, with the numbers the template computes.
text = [
    ("h1", "Environment"),
    ("p", "Training a large language model draws power for weeks on thousands of "
     "accelerators. How much carbon that releases depends on three things: the energy "
     "the training run used, how efficiently the data centre turned power into "
     "computation (its PUE), and how carbon-intensive the electricity grid was. "
     f"Luccioni et al. (2022) put four models of similar size side by side. Training "
     f"GPT-3 emitted {max(co2):g} tonnes of CO2-equivalent, about "
     f"{round(max(co2) / min(co2), 1):g} times as much as BLOOM, whose training "
     f"emitted {min(co2):g} tonnes.¹"),
    ("h2", "Environmental Impact of Select Large Language Models"),
    ("p", "The table reproduces Luccioni et al.'s comparison (Table 1). Grid intensity "
     "matters as much as model size: BLOOM was trained in France, on a grid of "
     f"{min(grid):g} gCO2eq/kWh, while GPT-3's grid emitted {max(grid):g} gCO2eq/kWh."),
    ("p", "Some of these numbers are inferred rather than measured, and the \"power "
     "consumption\" column mixes bases: GPT-3's 1,287 MWh already includes the data "
     "centre's PUE, while BLOOM's 433 MWh counts only the GPUs' dynamic power. OPT's "
     "70 t cannot be reproduced from its own row (324 MWh x 231 g = 74.8 t)."),
    ("h2", "Model Emissions Against Everyday Examples"),
    ("p", "How large are these numbers? The AI Index compared them with the emissions "
     "of everyday activities from Strubell et al. (2019): one passenger flying from "
     "New York to San Francisco, an average human life for a year, an American life "
     "for a year, and a car over its lifetime including fuel (Figure 1)."),
    ("p", "Strubell et al. gave their comparators in pounds. The widely repeated values "
     "0.99, 5.51, 18.08 and 63 are those pounds divided by 2,000: US short tons, "
     "labelled as tonnes. Converted properly, the four comparators are 0.90, 5.00, "
     "16.40 and 57.15 metric tonnes (Table 2)."),
    ("h2", "BLOOM's Life Cycle"),
    ("p", "Training is not the whole story. Luccioni et al. also counted the emissions "
     "of manufacturing the hardware and of the machines idling between jobs: together "
     f"they double BLOOM's footprint, from the {max(life):g} tonnes of dynamic power "
     f"consumption to about {round(sum(life), 1):g} tonnes (Figure 2)."),
    ("h2", "A Second Estimate: Patterson et al."),
    ("p", "Patterson et al. (2021) estimated the training emissions of six language "
     "models at Google and OpenAI. Where their data centres bought carbon-free "
     "energy, net emissions fall below gross emissions (Figure 3)."),
    ("quote", "GPT-3's 552.1 t in Patterson et al. includes the PUE of 1.1; Luccioni "
     "et al.'s 502 t is the same figure with the PUE divided back out."),
    ("h2", "Using AI to Save Energy"),
    ("p", "AI can also reduce emissions. DeepMind's reinforcement-learning agent "
     "BCOOLER controlled the cooling of commercial buildings; Luo et al. (2022) report "
     "energy savings of about 9% and 13% at two live sites, and the AI Index quotes "
     "12.7% at the end of a three-month experiment."),
    ("h1", "Methodology"),
    ("li", "Sources. Every figure comes from the published papers, as recorded in "
     "datasets/README.md with its table and caveats: Luccioni et al. 2022, Patterson "
     "et al. 2021, Strubell et al. 2019."),
    ("li", "Units. Emissions in metric tonnes of CO2-equivalent unless marked as US "
     "short tons; energy in MWh."),
    ("li", "Inferred values. Luccioni et al. italicise values they inferred; the "
     "dataset lists them per row in its inferred column."),
    ("note", "¹ The four rows use different system boundaries: GPT-3's energy includes "
     "the data centre's PUE, BLOOM's counts only the GPUs' dynamic power."),
]
# style: font size (pt), weight, wrap width (characters), indent (in), space before (pt)
styles = {
    "h1": (16, "bold", 60, 0, 14), "h2": (12, "bold", 80, 0, 10),
    "p": (10, "normal", 98, 0, 5), "quote": (10, "normal", 92, 0.25, 6),
    "li": (10, "normal", 94, 0.2, 4), "note": (8, "normal", 120, 0, 14),
}
LEFT, RIGHT, TOP, BOTTOM = 0.75, 0.75, 0.8, 0.8  # margins, inches
PT = 1 / (A4[1] * 72)  # one point as a fraction of the page height


def page():
    return plt.figure(figsize=A4)


def footer(fig, n):
    fig.text(LEFT / A4[0], 0.4 / A4[1], TITLE, fontsize=7, color=GREY)
    fig.text(1 - RIGHT / A4[0], 0.4 / A4[1], f"Page {n}", fontsize=7, color=GREY, ha="right")


def heading(fig, ax, title):
    """A bold title at the page's left margin, just above the axes."""
    box = ax.get_position()
    fig.text(LEFT / A4[0], box.y1 + 0.012, title, fontsize=12, fontweight="bold", va="bottom",
             linespacing=1.3)


def below(fig, ax, s, gap=0.045):
    """A source or note line at the page's left margin, under the axes."""
    fig.text(LEFT / A4[0], ax.get_position().y0 - gap, s, fontsize=7, color=GREY, va="top")


def table(fig, rect, title, head, widths, body, source, bold):
    ax = fig.add_axes(rect)
    ax.axis("off")
    t = ax.table(cellText=body, colLabels=head, colWidths=widths, cellLoc="right", bbox=[0, 0, 1, 1])
    t.auto_set_font_size(False)
    t.set_fontsize(8)
    for (r, c), cell in t.get_celld().items():
        cell.set_edgecolor("#dddddd")
        if c == 0:
            cell.set_text_props(ha="left")
        if r == 0:
            cell.set_facecolor(BLUE)
            cell.set_text_props(color="white", fontweight="bold")
            cell.set_height(cell.get_height() * (1 + max(h.count("\n") for h in head) * 0.6))
        elif bold[r - 1]:
            cell.set_facecolor("#eef2f7")
            cell.set_text_props(fontweight="bold")
    heading(fig, ax, title)
    below(fig, ax, source, 0.008)



with PdfPages(out, metadata={"Title": TITLE, "Author": "Sustainability Office",
                             "Subject": "Energy and emissions of training large language models",
                             "Keywords": "AI, energy, CO2, large language models, AI Index"}) as pdf:
    pageno = 1

    # Page 1 (and 2): the title and the text.
    fig = page()
    x0 = LEFT / A4[0]
    y = 1 - TOP / A4[1]
    fig.text(x0, y, TITLE, fontsize=22, fontweight="bold", va="top")
    y -= 34 * PT
    fig.text(x0, y, textwrap.fill("Energy and emissions of training large language models, "
                                  "after the AI Index Report 2023 (section 2.8)", 70),
             fontsize=13, color=GREY, va="top", linespacing=1.3)
    y -= 2 * 13 * 1.3 * PT + 10 * PT
    fig.text(x0, y, "Sustainability Office · 2023-04-07", fontsize=9, color=GREY, va="top")
    y -= 20 * PT
    fig.add_artist(Line2D([x0, 1 - RIGHT / A4[0]], [y, y], color=BLUE, linewidth=1))
    for kind, s in text:
        size, weight, width, indent, before = styles[kind]
        lines = textwrap.wrap(s, width)
        height = len(lines) * size * 1.35 * PT
        keep = (5 + 3 * 10 * 1.35) * PT if kind in ("h1", "h2") else 0  # a heading keeps 3 lines with it
        if y - before * PT - height - keep < BOTTOM / A4[1]:
            footer(fig, pageno)
            pdf.savefig(fig)
            plt.close(fig)
            pageno += 1
            fig = page()
            y = 1 - TOP / A4[1]
        y -= before * PT
        x = x0 + indent / A4[0]
        if kind == "li":
            fig.text(x - 0.15 / A4[0], y, "•", fontsize=size, va="top")
        if kind == "quote":
            fig.add_artist(Line2D([x - 0.1 / A4[0]] * 2, [y, y - height], color="#cccccc", linewidth=3))
        fig.text(x, y, "\n".join(lines), fontsize=size, fontweight=weight, va="top",
                 linespacing=1.35, color=GREY if kind == "note" else "black")
        y -= height
    footer(fig, pageno)
    pdf.savefig(fig)
    plt.close(fig)


    # Page 3: Table 1, Figure 1 (the comparison), Table 2.
    pageno += 1
    fig = page()
    table(fig, [LEFT / A4[0], 0.77, 1 - (LEFT + RIGHT) / A4[0], 0.14],
          "Table 1. Environmental Impact of Select Large Language Models",
          ["Model", "Parameters\n(B)", "Datacenter\nPUE", "Grid intensity\n(gCO2eq/kWh)",
           "Power\nconsumption\n(MWh)", "CO2eq\nemissions (t)", "CO2eq x\nPUE (t)"],
          [0.09, 0.14, 0.13, 0.17, 0.17, 0.16, 0.14],
          [[r["model"], f"{num(r['params']):g}", f"{num(r['pue']):.2f}",
            f"{num(r['grid_gco2_per_kwh']):g}", f"{num(r['energy_mwh']):,.0f}",
            f"{num(r['co2_t']):,.0f}", f"{num(r['co2_pue_t']):,g}"] for r in models],
          "Source: Luccioni et al., 2022 (Table 4); values the paper italicises are inferred",
          [r["model"] == "BLOOM" for r in models])

    ax = fig.add_axes([0.36, 0.38, 0.55, 0.27])
    rows = sorted(comparison, key=lambda r: num(r["co2_t"]), reverse=True)
    colors = {"Model": BLUE, "Real life": ORANGE}
    bars = ax.barh([r["label"] for r in rows], [num(r["co2_t"]) for r in rows],
                   color=[colors[r["kind"]] for r in rows])
    ax.invert_yaxis()
    ax.bar_label(bars, fmt="%g", padding=3, fontsize=8)
    ax.set_xlabel("CO2eq (tonnes)", fontsize=8)
    ax.tick_params(labelsize=8)
    ax.legend(handles=[Patch(color=c, label=k) for k, c in colors.items()], loc="lower right",
              fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#e5e5e5")
    ax.set_axisbelow(True)
    heading(fig, ax, "Figure 1. CO2 Equivalent Emissions (Tonnes) by Selected Machine Learning\n"
            "Models and Real Life Examples, 2022")
    below(fig, ax, "\n".join(textwrap.wrap(
        "Note: The real-life values are US short tons (Strubell et al.'s pounds / 2000), as the "
        "AI Index printed them; in metric tonnes they are about 9% lower.", 130))
        + "\nSource: Luccioni et al., 2022; Strubell et al., 2019 | Chart: matplotlib")

    table(fig, [LEFT / A4[0], 0.12, 1 - (LEFT + RIGHT) / A4[0], 0.13],
          "Table 2. Everyday Comparators in Pounds, Short Tons and Metric Tonnes",
          ["Consumption", "CO2e (lbs)", "CO2e (US short tons)", "CO2e (t)"], [0.4, 0.18, 0.24, 0.18],
          [[r["consumption"], f"{num(r['co2e_lbs']):,.0f}", f"{num(r['co2e_short_tons']):.2f}",
            f"{num(r['co2e_tonnes']):.2f}"] for r in strubell],
          "Source: Strubell et al., 2019 (Table 1); conversions by the author",
          [False] * len(strubell))
    footer(fig, pageno)
    pdf.savefig(fig)
    plt.close(fig)

    # Page 4: Figure 2 (BLOOM's life cycle, one stacked bar) and Figure 3 (Patterson).
    pageno += 1
    fig = page()
    ax = fig.add_axes([0.36, 0.78, 0.55, 0.08])
    left = 0
    for r, c in zip(lifecycle, [BLUE, ORANGE, SKY]):
        v = num(r["co2_t"])
        seg = ax.barh(["BLOOM"], [v], left=left, color=c, label=r["component"])
        ax.bar_label(seg, fmt="%g", label_type="center", fontsize=8,
                     color="white" if c == BLUE else "black")
        left += v
    ax.text(left + 0.6, 0, f"{left:g}", va="center", fontweight="bold", fontsize=8)
    ax.set_xlim(0, 60)
    ax.tick_params(labelsize=8)
    ax.legend(loc="lower left", bbox_to_anchor=(-0.49, 1.02), ncol=3, frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    heading(fig, ax, "Figure 2. BLOOM's Carbon Footprint by Life-Cycle Stage (Tonnes CO2eq)\n")
    below(fig, ax, "Source: Luccioni et al., 2022 (Table 3) | Chart: matplotlib", 0.03)

    ax = fig.add_axes([0.36, 0.35, 0.55, 0.3])
    y = list(range(len(patterson)))
    h = 0.38
    gross = ax.barh([i - h / 2 for i in y], [num(r["gross_tco2e"]) for r in patterson], h,
                    color=BLUE, label="Gross tCO2e")
    net = ax.barh([i + h / 2 for i in y], [num(r["net_tco2e"]) for r in patterson], h,
                  color=ORANGE, label="Net tCO2e")
    ax.bar_label(gross, fmt="%g", padding=3, fontsize=7)
    ax.bar_label(net, fmt="%g", padding=3, fontsize=7)
    ax.set_yticks(y, [r["model"] for r in patterson])
    ax.invert_yaxis()
    ax.set_xlabel("tCO2e", fontsize=8)
    ax.tick_params(labelsize=8)
    ax.legend(loc="upper right", fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#e5e5e5")
    ax.set_axisbelow(True)
    heading(fig, ax, "Figure 3. Gross and Net tCO2e of Training Large NLP Models")
    below(fig, ax, "Source: Patterson et al., 2021 (Table 4) | Chart: matplotlib")
    footer(fig, pageno)
    pdf.savefig(fig)
    plt.close(fig)
