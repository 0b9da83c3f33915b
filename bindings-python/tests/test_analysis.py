"""Analysis reports: profile, gap, what-if, year over year and uncertainty as DataFrames, HTML
and charts, with exact expected values on the 2023 ministry table and the example province."""

from __future__ import annotations

import decimal
import json
from typing import Any, Dict

import pandas as pd
import pytest

import par_index as pi

from conftest import REPO

D = decimal.Decimal
HEALTH = "Ministry of Health"


@pytest.fixture(scope="module")
def card() -> pi.Scorecard:
    return pi.presets.methodology("par2023-ministries").score(pi.presets.assessments("par2023-ministries"))


@pytest.fixture(scope="module")
def province() -> pi.Scorecard:
    return pi.presets.methodology("example-province").score(pi.presets.assessments("example-province"))


def _case(name: str) -> Dict[str, Any]:
    return json.loads((REPO / "conformance" / "cases" / f"{name}.json").read_text(encoding="utf-8"))["input"]  # type: ignore[no-any-return]


def _plt() -> Any:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


# -- profile -----------------------------------------------------------------------------------


def test_profile_table(card: pi.Scorecard) -> None:
    p = card.profile(HEALTH)
    assert isinstance(p, pi.Profile) and p.unit == HEALTH
    df = p.to_pandas()
    assert list(df.columns) == ["code", "label", "depth", "points", "max_points", "lost", "percent", "group_best",
                                "group_mean", "versus_mean", "group_mean_lost", "group_rank"]
    assert list(df["code"]) == ["appraisal", "survey"]
    assert list(df["lost"]) == [12.69, 7.51]
    assert list(df["points"]) == [55.81, 23.99]
    assert list(df["group_rank"]) == [13, 15]
    assert list(df["label"]) == ["Appraisal points", "Survey points"]
    assert df["lost"].dtype == "float64" and df["percent"].dtype == "float64"
    exact = p.to_pandas(exact=True)
    assert list(exact["lost"]) == [D("12.69"), D("7.51")]
    assert exact.loc[0, "percent"] == D("81.47445255474452554744525547")
    assert p.to_pandas(lang="vi").loc[1, "label"] == "Điểm điều tra xã hội học"


def test_profile_to_dict_is_the_core_result(card: pi.Scorecard) -> None:
    p = card.profile(HEALTH)
    assert p.to_dict() == json.loads(card._inner.profile_json(HEALTH))
    assert p.to_dict()["nodes"][0]["lost"] == "12.69"
    assert json.loads(p.to_json()) == p.to_dict()


def test_weaknesses_and_strengths(card: pi.Scorecard) -> None:
    p = card.profile(HEALTH)
    w = p.weaknesses(5)
    # survey trails the group mean by 5.37 pp, appraisal by 4.21 pp: survey first
    assert list(w["code"]) == ["survey", "appraisal"]
    assert round(w.loc[0, "versus_mean"], 2) == -5.37
    assert list(p.weaknesses(1)["code"]) == ["survey"]
    assert p.strengths().empty and list(p.strengths().columns) == list(w.columns)
    leader = card.profile("Ministry of Justice").strengths(exact=True)
    assert set(leader["code"]) <= {"appraisal", "survey"} and (leader["versus_mean"] > 0).all()


def test_profile_html_and_repr(card: pi.Scorecard) -> None:
    p = card.profile(HEALTH)
    html = p._repr_html_()
    assert "<table" in html and "12.69" in html and HEALTH in html
    assert repr(p).startswith("<Profile of Ministry of Health>")


def test_profile_plot(province: pi.Scorecard) -> None:
    plt = _plt()
    p = province.profile("so-tn-mt")
    ax = p.plot(n=4)
    leaves = p.to_pandas()
    leaves = leaves[leaves["depth"] == leaves["depth"].max()]
    assert len(ax.patches) == min(4, len(leaves))
    assert [b.get_width() for b in ax.patches] == list(leaves["lost"].head(4))
    plt.close(ax.figure)
    fig, own = plt.subplots()
    assert p.plot(ax=own) is own and len(own.patches) == min(10, len(leaves))
    plt.close(fig)


def test_unknown_unit(card: pi.Scorecard) -> None:
    with pytest.raises(pi.ParIndexError):
        card.profile("nobody")
    with pytest.raises(pi.ParIndexError):
        card.gap("nobody")


# -- gap ---------------------------------------------------------------------------------------


def test_gap(card: pi.Scorecard) -> None:
    g = card.gap(HEALTH)
    assert isinstance(g, pi.Gap)
    assert g.unit == HEALTH and g.tier == "C" and g.index == D("79.8")
    assert g.next_tier is not None and g.next_tier["tier"] == "B"
    assert g.next_tier["points_needed"] == D("0.2") and g.next_tier["index_needed"] == D("0.2")
    assert g.next_tier["min_index"] == D("80")
    assert g.next_rank is not None
    assert g.next_rank["unit"] == "Ministry of Planning and Investment" and g.next_rank["rank"] == 14
    assert g.next_rank["points_needed"] == D("0.27")
    h = g.headroom()
    assert list(h.columns) == ["code", "label", "available", "cumulative"]
    assert list(h["code"]) == ["appraisal", "survey"] and list(h["available"]) == [12.69, 7.51]
    assert list(g.headroom(exact=True)["cumulative"]) == [D("12.69"), D("20.2")]
    assert g.to_dict() == json.loads(card._inner.gap_json(HEALTH))
    assert "0.2" in g._repr_html_() and "Group B" not in repr(g) and "tier B needs 0.2 points" in repr(g)


def test_gap_of_the_leader(card: pi.Scorecard) -> None:
    g = card.gap("Ministry of Justice")
    assert g.next_rank is None


# -- what-if -----------------------------------------------------------------------------------


def test_what_if_moves_health_to_rank_6(card: pi.Scorecard) -> None:
    w = card.what_if([{"unit": HEALTH, "code": "survey", "value": 31}])
    assert isinstance(w, pi.WhatIf) and isinstance(w.scorecard, pi.Scorecard)
    mv = w.movements()
    assert list(mv.columns) == ["unit", "group", "index_before", "index_after", "rank_before", "rank_after",
                                "tier_before", "tier_after"]
    assert len(mv) == 17
    row = mv[mv["unit"] == HEALTH].iloc[0]
    assert (row["rank_before"], row["rank_after"]) == (15, 6)
    assert (row["tier_before"], row["tier_after"]) == ("C", "B")
    assert (row["index_before"], row["index_after"]) == (79.8, 86.81)
    assert w.movements(exact=True)[lambda d: d["unit"] == HEALTH].iloc[0]["index_after"] == D("86.81")
    new = w.scorecard.to_pandas()
    assert new[new["unit"] == HEALTH].iloc[0]["rank"] == 6
    # the original scorecard is unchanged
    assert card.to_pandas().set_index("unit").loc[HEALTH, "rank"] == 15
    d = w.to_dict()
    assert list(d) == ["scorecard", "movements"]
    assert d == json.loads(card._methodology._inner.what_if_json(  # type: ignore[union-attr]
        card._inner, json.dumps([{"unit": HEALTH, "code": "survey", "value": "31"}])))
    assert "<table" in w._repr_html_()


def test_what_if_no_change_is_the_identity(card: pi.Scorecard) -> None:
    w = card.what_if([])
    mv = w.movements()
    assert (mv["rank_before"] == mv["rank_after"]).all() and (mv["index_before"] == mv["index_after"]).all()
    assert w.scorecard.to_dict() == card.to_dict()


def test_what_if_from_a_dataframe(card: pi.Scorecard) -> None:
    w = card.what_if(pd.DataFrame({"unit": [HEALTH], "code": ["survey"], "value": [31.5]}))
    assert w.movements().set_index("unit").loc[HEALTH, "index_after"] == 87.31


def test_what_if_needs_the_methodology(card: pi.Scorecard) -> None:
    with pytest.raises(pi.InputError):
        pi.Scorecard(card._inner).what_if([])
    with pytest.raises(pi.InputError):
        card.what_if([{"unit": HEALTH, "code": "nope", "value": 1}])


# -- compare -----------------------------------------------------------------------------------


def _compare_case() -> pi.Comparison:
    i = _case("core-compare-versions")
    now = pi.Methodology.from_json(i["methodology"]).score(i["assessments"])
    before = pi.Methodology.from_json(i["previous_methodology"]).score(i["previous_assessments"])
    return now.compare(before, i["mapping"])


def test_compare_versions() -> None:
    c = _compare_case()
    assert isinstance(c, pi.Comparison)
    assert c.new_units == ["new"] and c.dropped_units == ["old"]
    assert c.unmapped_codes == [] and c.unmapped_previous_codes == []
    u = c.units()
    assert list(u.columns) == ["unit", "group", "index_before", "index_after", "index_change", "points_before",
                               "points_after", "points_change", "rank_before", "rank_after", "rank_change",
                               "tier_before", "tier_after", "tier_move"]
    moj = u.set_index("unit").loc["moj"]
    assert (moj["index_before"], moj["index_after"], moj["index_change"]) == (85.66, 89.96, 4.3)
    assert (moj["rank_before"], moj["rank_after"], moj["rank_change"]) == (2, 1, 1)
    assert c.units(exact=True).set_index("unit").loc["moh", "index_change"] == D("-8.2")
    shown = c.units(display=True).set_index("unit")
    assert shown.loc["moj", "index_change"] == "+4.30" and shown.loc["moh", "index_change"] == "-8.20"
    assert shown.loc["moj", "index_after"] == "89.96"
    n = c.nodes()
    assert list(n.columns) == ["unit", "code", "previous_code", "points_before", "points_after", "points_change",
                               "percent_before", "percent_after", "percent_change"]
    td = n[(n["unit"] == "moj") & (n["code"] == "appraisal")].iloc[0]
    assert td["previous_code"] == "TD" and td["points_change"] == pytest.approx(1.86)
    assert c.nodes(display=True).set_index(["unit", "code"]).loc[("moj", "appraisal"), "points_change"] == "+1.86"
    assert "new_units: new" in c._repr_html_()


def test_compare_with_itself(card: pi.Scorecard) -> None:
    c = card.compare(card)
    u = c.units()
    assert (u["index_change"] == 0).all() and (u["rank_change"] == 0).all() and (u["tier_move"] == 0).all()
    assert set(c.units(display=True)["index_change"]) == {"0.00"}
    assert c.to_dict() == json.loads(card._inner.compare_json(card._inner, {}))


def test_signed() -> None:
    assert pi.signed("4.3") == "+4.30" and pi.signed("-8.2") == "-8.20" and pi.signed("0") == "0.00"
    assert pi.signed(D("0.005")) == "+0.01" and pi.signed("-0.001") == "0.00" and pi.signed(None) == ""
    assert pi.signed(1.234, places=1) == "+1.2"


# -- uncertainty -------------------------------------------------------------------------------

ZERO = {"replications": 50, "seed": 1, "weights": {"distribution": {"type": "uniform", "relative": 0}}}
NOISE = {"replications": 200, "seed": 7, "weights": {"distribution": {"type": "uniform", "relative": 0.5}},
         "sensitivity": {"per_unit": True}}


def test_zero_perturbation_median_is_nominal(card: pi.Scorecard) -> None:
    u = card.uncertainty(ZERO)
    assert isinstance(u, pi.Uncertainty) and u.replications == 50 and u.seed == 1
    df = u.units()
    assert len(df) == 17
    assert (df["median_rank"] == df["nominal_rank"]).all()
    assert (df["rank_p05"] == df["nominal_rank"]).all() and (df["rank_p95"] == df["nominal_rank"]).all()
    assert u.mean_absolute_rank_shift == 0.0
    health = df.set_index("unit").loc[HEALTH]
    assert health["nominal_rank"] == 15 and health["nominal_tier"] == "C"
    assert health["P(C)"] == 1.0 and health["P(B)"] == 0.0
    assert health["mean_index"] == pytest.approx(79.8)
    assert u.units(exact=True).set_index("unit").loc[HEALTH, "nominal_index"] == D("79.8")
    for c in ("unit", "nominal_rank", "median_rank", "rank_p05", "rank_p95", "mean_index"):
        assert c in df.columns
    assert u.sensitivity().empty and list(u.sensitivity().columns) == ["factor", "first_order", "total"]
    counts = u.rank_counts()
    assert counts.loc[HEALTH, 15] == 50 and int(counts.sum(axis=1).min()) == 50


def test_uncertainty_matches_the_conformance_case() -> None:
    i = _case("mc-zero-perturbation")
    card = pi.Methodology.from_json(i["methodology"]).score(i["assessments"])
    u = card.uncertainty(i["spec"])
    df = u.units().set_index("unit")
    assert list(df["median_rank"]) == list(df["nominal_rank"])
    assert (df.loc["a", "mean_index"], df.loc["a", "P(A)"]) == (90.0, 1.0)
    assert u.factors == ["weights:level:1", "weights:level:2", "survey:2.1"]


def test_sensitivity(card: pi.Scorecard) -> None:
    u = card.uncertainty(NOISE)
    s = u.sensitivity()
    assert list(s["factor"]) == u.factors == ["weights:level:1"]
    assert s["first_order"].dtype == "float64" and s["total"].dtype == "float64"
    per = u.sensitivity(HEALTH)
    assert list(per["factor"]) == ["weights:level:1"]
    with pytest.raises(KeyError):
        u.sensitivity("nobody")
    # seeded: the same seed gives the same report
    assert card.uncertainty(NOISE).to_dict() == u.to_dict()
    df = u.units()
    assert ((df["rank_p05"] <= df["median_rank"]) & (df["median_rank"] <= df["rank_p95"])).all()
    tiers = [c for c in df.columns if c.startswith("P(")]
    assert tiers and (df[tiers].sum(axis=1).round(9) == 1.0).all()
    assert "<table" in u._repr_html_() and repr(u).startswith("<Uncertainty 200 replications")


def test_rank_interval_plot(card: pi.Scorecard) -> None:
    plt = _plt()
    u = card.uncertainty(NOISE)
    ax = u.plot()
    assert len(ax.patches) == 17
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == list(card.to_pandas().sort_values("rank", kind="stable")["unit"])
    plt.close(ax.figure)


def test_plot_without_matplotlib(card: pi.Scorecard, monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real = builtins.__import__

    def no_matplotlib(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("matplotlib"):
            raise ImportError("No module named 'matplotlib'")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    with pytest.raises(ImportError, match=r"pip install 'par-index\[plot\]'"):
        card.profile(HEALTH).plot()
    with pytest.raises(ImportError, match="matplotlib"):
        card.uncertainty(ZERO).plot()


def test_rank_interval_plot_keeps_groups_together(province: pi.Scorecard) -> None:
    plt = _plt()
    u = province.uncertainty({"replications": 20, "seed": 3,
                              "weights": {"distribution": {"type": "uniform", "relative": 0.2}}})
    ax = u.plot()
    assert len(ax.patches) == 4
    order = province.to_pandas()
    assert [t.get_text() for t in ax.get_yticklabels()] == list(order["unit"])
    plt.close(ax.figure)


PCI_LIKE = {"format": 1, "id": "pci-like", "title": {"vi": "Thử", "en": "Example"}, "source": "test",
            "max_points": "100", "criteria": [{"code": "all", "max_points": "100", "aggregation": "weighted_arithmetic",
                                               "children": [{"code": "a", "max_points": "10", "weight": "2"},
                                                            {"code": "b", "max_points": "5", "weight": "1"},
                                                            {"code": "c", "max_points": "20", "weight": "1"}]}]}


def test_what_if_on_weights_returns_the_reweighted_methodology() -> None:
    m = pi.Methodology.from_json(PCI_LIKE)
    card = m.score([{"unit": "u1", "a": 8, "b": 2.5, "c": 20}, {"unit": "u2", "a": 10, "b": 5, "c": 10}])
    w = card.what_if(weights={"c": 3})
    mv = w.movements(exact=True).set_index("unit")
    # (2 x 80 + 50 + 3 x 100) / 6 = 85 and (2 x 100 + 100 + 3 x 50) / 6 = 75: the ranks swap.
    assert (mv.loc["u1", "index_after"], mv.loc["u2", "index_after"]) == (D("85"), D("75"))
    assert (mv.loc["u1", "rank_before"], mv.loc["u1", "rank_after"]) == (2, 1)
    assert w.methodology is not None and w.methodology.to_dict()["criteria"][0]["children"][2]["weight"] == "3"
    # Values and weights together, from data frames; a later what-if keeps the new weights.
    both = card.what_if(pd.DataFrame({"unit": ["u2"], "code": ["b"], "value": [1]}),
                        weights=pd.DataFrame({"code": ["c"], "weight": [3]}))
    assert both.movements(exact=True).set_index("unit").loc["u2", "index_after"] == D(370) / D(6)
    again = w.scorecard.what_if([{"unit": "u2", "code": "b", "value": 1}])
    assert again.scorecard.to_dict() == both.scorecard.to_dict()
    with pytest.raises(pi.InputError) as e:
        card.what_if(weights={"zz": 1})
    assert (e.value.code, e.value.path) == ("unknown_code", "weights[0].code")
    with pytest.raises(pi.MethodologyError) as e2:
        card.what_if(weights={"a": 0, "b": 0, "c": 0})
    assert e2.value.code == "invalid_rule"
