# %% [markdown]
# # PAR Index 2023 of ministries, and a SIPAS survey, with `par_index`
#
# Scores the published 2023 table of the 17 ministries (QĐ 876/QĐ-BNV methodology) exactly,
# shows the ranked table and a chart with the tier thresholds, explains one ministry's score,
# finds its weaknesses, its gap to the next group and how certain the ranks are,
# then aggregates a generated satisfaction survey (SIPAS) with confidence intervals.

# %%
import numpy as np
import pandas as pd

import par_index as pi

print(pi.presets.names())
m = pi.presets.methodology("par2023-ministries")
m

# %% [markdown]
# ## Score the 2023 ministry table
# The inputs are the published appraisal and survey points; the library recomputes totals,
# indices, groups (A/B/C) and ranks with exact decimals.

# %%
published = pi.presets.par2023_ministries_table()
long = pd.concat([
    pd.DataFrame({"unit": published["unit_en"], "group": "ministry", "code": "appraisal", "value": published["appraisal"]}),
    pd.DataFrame({"unit": published["unit_en"], "group": "ministry", "code": "survey", "value": published["survey"]}),
])
card = m.score(long)
table = card.to_pandas()
print(table[["rank", "unit", "points", "index", "tier"]].to_string(index=False))
card

# %%
same_order = table["unit"].tolist() == published["unit_en"].tolist()
print("ranking equals the published order:", "yes" if same_order else "no")
print("ministries at or above 80 %:", int((table["index"] >= 80).sum()), "of", len(table))
print("official display of the leader:", card.to_pandas(display=True).loc[0, "index"])

# %% [markdown]
# ## Chart: ranking with the tier thresholds

# %%
ax = card.plot()
ax.figure.tight_layout()

# %% [markdown]
# ## Why does a ministry have its score? The audit trail

# %%
audit = card.explain("Ministry of Health")
print(audit)
audit.to_pandas()[["code", "points", "max_points", "percent", "how"]]

# %% [markdown]
# ## Where does the Ministry of Health lose points, and what would lift it?
# Its profile against the other ministries (points lost, most first), the gap to group B, and
# a what-if: with 31 survey points it would move from rank 15 to rank 6.

# %%
profile = card.profile("Ministry of Health")
gap = card.gap("Ministry of Health")
print("points to group B:", gap.next_tier["points_needed"], "| to overtake", gap.next_rank["unit"] + ":",
      gap.next_rank["points_needed"])
moves = card.what_if([{"unit": "Ministry of Health", "code": "survey", "value": 31}]).movements()
print(moves[moves["unit"] == "Ministry of Health"].to_string(index=False))
ax = profile.plot()
ax.figure.tight_layout()
profile

# %% [markdown]
# ## How certain are the ranks? Weights moved by up to 25 % (Monte Carlo, seeded)

# %%
uncertainty = card.uncertainty({"replications": 2000, "seed": 2023, "sensitivity": {},
                                "weights": {"distribution": {"type": "uniform", "relative": 0.25}}})
ax = uncertainty.plot()
ax.figure.tight_layout()
uncertainty.units()[["unit", "nominal_rank", "median_rank", "rank_p05", "rank_p95", "P(A)", "P(B)", "P(C)"]]

# %% [markdown]
# ## A generated SIPAS survey
# 3,000 respondents in 6 departments answer 5 items on the 1-5 scale (some leave items blank);
# items belong to two elements. Shares satisfied (4 or 5) get Wilson intervals.

# %%
rng = np.random.default_rng(2023)
n = 3000
units = [f"Sở {k}" for k in "ABCDEF"]
responses = pd.DataFrame({"unit": rng.choice(units, n), "weight": rng.uniform(0.5, 1.5, n).round(2)})
for i, q in enumerate(["q1", "q2", "q3", "q4", "q5"]):
    answers = pd.array(rng.choice([1, 2, 3, 4, 5], n, p=[0.05, 0.1, 0.2, 0.4, 0.25]), dtype="Int64")
    answers[rng.random(n) < 0.03] = pd.NA
    responses[q] = answers

design = pi.SurveyDesign.from_json({
    "format": 1,
    "elements": [
        {"code": "access", "label": {"vi": "Tiếp cận dịch vụ", "en": "Access to the service"}},
        {"code": "result", "label": {"vi": "Kết quả giải quyết", "en": "Results"}},
    ],
    "items": [
        {"code": "q1", "element": "access"}, {"code": "q2", "element": "access"}, {"code": "q3", "element": "access"},
        {"code": "q4", "element": "result"}, {"code": "q5", "element": "result"},
    ],
})
res = pi.sipas(responses, design, unit="unit", ci="wilson", level=0.95)
print(res.overall().to_string(index=False))
res

# %%
res.items().head(10)

# %%
res.elements()

# %% [markdown]
# Weighted, with the design-based logit interval (R survey's `svyciprop`):

# %%
weighted = pi.sipas(responses, design, weight="weight", ci="logit")
weighted.items()[["unit", "item", "share", "ci_low", "ci_high", "n_eff"]].head()

# %%
ax = res.plot(unit="Sở A")
ax.figure.tight_layout()
print("done: scored", len(card), "ministries and aggregated", n, "survey responses")
