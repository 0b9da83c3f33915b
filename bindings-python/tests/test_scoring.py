"""Methodologies, presets, every assessment input form, tables, audit, display and charts."""

from __future__ import annotations

import decimal
import json
from pathlib import Path

import pandas as pd
import pytest

import par_index as pi

MIN = "par2023-ministries"


@pytest.fixture(scope="module")
def m() -> pi.Methodology:
    return pi.presets.methodology(MIN)


@pytest.fixture(scope="module")
def card(m: pi.Methodology) -> pi.Scorecard:
    return m.score(pi.presets.assessments(MIN))


def test_presets() -> None:
    assert MIN in pi.presets.names()
    assert "example-province" in pi.presets.names()
    assert pi.presets.tier_scheme_names()
    t = pi.presets.par2023_ministries_table()
    assert len(t) == 17 and t.loc[0, "unit_en"] == "Ministry of Justice"
    assert isinstance(pi.presets.par2023_ministries_table(exact=True).loc[0, "index"], decimal.Decimal)
    assert pi.presets.par2023_ministries_csv().startswith("rank,")
    assert len(pi.presets.assessments(MIN)) == 17
    assert pi.presets.assessments(MIN).units()[0] == "Ministry of Justice"


def test_methodology_from_json_forms(m: pi.Methodology, tmp_path: Path) -> None:
    text = m.to_json()
    p = tmp_path / "m.json"
    p.write_text(text, encoding="utf-8")
    for source in (text, p, str(p), json.loads(text), text.encode()):
        m2 = pi.Methodology.from_json(source)
        assert m2.id == MIN and m2.to_json() == text
    assert m.max_points == decimal.Decimal(100)
    assert m.input_codes() == ["appraisal", "survey"]
    assert "PAR Index" in m.title() and m.title("vi")
    assert [b.code for b in m.tier_bands] == ["A", "B", "C"]
    assert "Methodology" in repr(m)


def test_to_pandas(card: pi.Scorecard) -> None:
    df = card.to_pandas()
    assert list(df.columns[:7]) == ["unit", "group", "points", "max_points", "index", "tier", "rank"]
    assert len(df) == 17 and len(card) == 17
    assert df["points"].dtype == "float64" and df["index"].dtype == "float64"
    assert df.loc[0, "unit"] == "Ministry of Justice" and df.loc[0, "rank"] == 1
    assert df["tier"].tolist().count("C") == 3
    exact = card.to_pandas(exact=True)
    assert exact.loc[0, "points"] == decimal.Decimal("89.96")
    shown = card.to_pandas(display=True)
    assert shown.loc[0, "max_points"] == "100.00"
    # the published order is reproduced
    published = pi.presets.par2023_ministries_table()
    assert df["unit"].tolist() == published["unit_en"].tolist()


def test_nodes_explain_json(card: pi.Scorecard) -> None:
    nodes = card.nodes()
    assert list(nodes.columns[:6]) == ["unit", "code", "label", "points", "max_points", "percent"]
    assert len(nodes) == 34
    a = card.explain("Ministry of Justice")
    assert "Audit trail of Ministry of Justice" in str(a) and a.summary.startswith("total =")
    lines = a.to_pandas()
    assert lines["code"].tolist() == ["total", "appraisal", "survey"]
    assert isinstance(a.to_pandas(exact=True).loc[0, "points"], decimal.Decimal)
    assert "<table" in a._repr_html_() and repr(a) == a.text
    assert json.loads(card.explain_json("Ministry of Justice"))["unit"] == "Ministry of Justice"
    d = card.to_dict()
    assert d["methodology"] == MIN and d["units"][0]["unit"] == "Ministry of Justice"
    assert json.loads(card.to_json()) == d
    assert card.methodology == MIN


def test_display(card: pi.Scorecard) -> None:
    assert card.display("89.955") == "89.96"
    assert card.display(decimal.Decimal("1")) == "1.00"
    assert pi.display("89.945", 2, "half_even") == "89.94"
    assert pi.display(0.005) == "0.01"


def test_html_and_repr(card: pi.Scorecard) -> None:
    html = card._repr_html_()
    assert "<table" in html and "#1a7f37" not in html or "background" in html
    assert "background:#2f6fb3" in html  # group B shown in its colour
    assert "Ministry of Justice" in repr(card)


def test_plot(card: pi.Scorecard) -> None:
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    ax = card.plot()
    assert len(ax.patches) == 17
    assert card.plot(group="ministry") is not None


# ---- every assessment input form gives the same scorecard -----------------------------------

def _long_rows():
    rows = []
    for _, r in pi.presets.par2023_ministries_table().iterrows():
        rows.append({"unit": r["unit_en"], "group": "ministry", "code": "appraisal", "value": r["appraisal"]})
        rows.append({"unit": r["unit_en"], "group": "ministry", "code": "survey", "value": r["survey"]})
    return rows


def _wide():
    t = pi.presets.par2023_ministries_table(exact=True)
    return pd.DataFrame({"unit": t["unit_en"], "group": "ministry", "appraisal": t["appraisal"], "survey": t["survey"]})


def _same(a: pi.Scorecard, b: pi.Scorecard) -> None:
    cols = ["unit", "group", "points", "max_points", "index", "tier", "rank"]
    pd.testing.assert_frame_equal(a.to_pandas(exact=True)[cols], b.to_pandas(exact=True)[cols])


def test_inputs_long_wide_records_csv_json(m: pi.Methodology, card: pi.Scorecard, tmp_path: Path) -> None:
    rows = _long_rows()
    _same(card, m.score(pd.DataFrame(rows)))
    _same(card, m.score(rows))
    _same(card, m.score(_wide()))
    _same(card, m.score({"unit": list(_wide()["unit"]), "group": ["ministry"] * 17,
                         "appraisal": list(_wide()["appraisal"]), "survey": list(_wide()["survey"])}))
    csv = tmp_path / "a.csv"
    _wide().to_csv(csv, index=False)
    _same(card, m.score(csv))
    _same(card, m.score(str(csv)))
    _same(card, m.score(csv.read_text()))
    units = json.loads(pi.presets.assessments(MIN).to_json())
    _same(card, m.score(units))
    _same(card, m.score(units["units"]))
    _same(card, m.score(json.dumps(units)))
    j = tmp_path / "a.json"
    j.write_text(json.dumps(units))
    _same(card, m.score(j))
    _same(card, m.score(pi.presets.assessments(MIN)))


def test_input_polars(m: pi.Methodology, card: pi.Scorecard) -> None:
    pl = pytest.importorskip("polars")
    _same(card, m.score(pl.DataFrame(_long_rows())))
    w = _wide()
    _same(card, m.score(pl.DataFrame({"unit": w["unit"].tolist(), "group": w["group"].tolist(),
                                      "appraisal": [float(x) for x in w["appraisal"]],
                                      "survey": [float(x) for x in w["survey"]]})))


def test_value_kinds_and_custom_columns() -> None:
    m = pi.presets.methodology("example-province")
    a = json.loads(pi.presets.assessments("example-province").to_json())
    base = m.score(a)
    rows = [{"who": u["unit"], "grp": u.get("group"), "code": c, "value": v}
            for u in a["units"] for c, v in u["values"].items()]
    again = m.score(pd.DataFrame(rows), unit="who", group="grp")
    _same(base, again)
    assert base.explain(base.to_pandas().loc[0, "unit"]).to_pandas()["status"].isin(
        ["scored", "not_applicable", "missing"]).all()


def test_empty_cells_mean_no_value() -> None:
    from par_index._input import value_text

    assert value_text(None) == "" and value_text(float("nan")) == "" and value_text(pd.NA) == ""
    assert value_text(True) == "yes" and value_text(False) == "no"
    assert value_text(2.0) == "2" and value_text(0.1) == "0.1" and value_text(decimal.Decimal("1.50")) == "1.50"
    import numpy as np

    assert value_text(np.int64(3)) == "3" and value_text(np.float64(1.25)) == "1.25"
