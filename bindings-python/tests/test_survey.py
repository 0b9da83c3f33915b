"""SIPAS from Python: every input form, answer dtypes, weights, interval methods, merging,
pickling, Dask, and a large DataFrame."""

from __future__ import annotations

import gzip
import json
import pickle
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import par_index as pi

ITEMS = ["q1", "q2", "q3"]


def responses(n: int = 600, seed: int = 7, units: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "unit": rng.choice([f"u{i}" for i in range(units)], n),
        "q1": rng.integers(1, 6, n),
        "q2": pd.array(rng.integers(1, 6, n), dtype="Int64"),
        "q3": rng.integers(1, 6, n).astype("float64"),
        "w": rng.uniform(0.5, 2.0, n).round(3),
    })
    df.loc[df.index[::17], "q2"] = pd.NA
    df.loc[df.index[::13], "q3"] = np.nan
    return df


DESIGN = {
    "format": 1,
    "elements": [{"code": "access", "label": {"vi": "Tiếp cận", "en": "Access"}}, {"code": "result"}],
    "items": [{"code": "q1", "element": "access"}, {"code": "q2", "element": "access"},
              {"code": "q3", "element": "result"}],
}


def test_tables_and_columns() -> None:
    r = pi.sipas(responses(), ITEMS)
    items = r.items()
    for c in ["unit", "item", "n", "n_missing", "satisfied", "share", "se", "ci_low", "ci_high", "mean", "n_eff"]:
        assert c in items.columns
    assert items["share"].dtype == "float64" and items["n"].dtype == "int64"
    assert (items["ci_low"] <= items["share"]).all() and (items["share"] <= items["ci_high"]).all()
    assert items.loc[items["item"] == "q2", "n_missing"].sum() == len(responses()[::17])
    assert list(r.elements().columns) == ["unit", "element", "index"]
    ov = r.overall()
    assert list(ov.columns[:3]) == ["unit", "index", "rank"] and len(ov) == 5
    assert sorted(ov["rank"].tolist()) == list(range(1, 6))
    assert r.ci == "wilson" and r.level == 0.95
    assert isinstance(r.overall(exact=True).loc[0, "index"], __import__("decimal").Decimal)
    assert "<table" in r._repr_html_() and "SipasResult" in repr(r)
    d = r.to_dict()
    assert set(d) >= {"items", "elements", "overall", "all"}


def test_hand_count() -> None:
    df = pd.DataFrame({"unit": ["A", "A", "B"], "q1": [5, 4, 3], "q2": [4, 2, 5]})
    r = pi.sipas(df, ["q1", "q2"])
    ov = r.overall(exact=True).set_index("unit")
    assert str(ov.loc["A", "index"]) == "75"
    assert r.items().set_index(["unit", "item"]).loc[("A", "q2"), "satisfied"] == 1


def test_design_object_and_preset_names() -> None:
    d = pi.SurveyDesign.from_json(DESIGN)
    assert d.items == ITEMS and d.elements == ["access", "result"]
    assert d.item_elements()["q3"] == "result"
    assert pi.SurveyDesign.from_json(d.to_json()) == d and d.to_dict()["items"][0]["code"] == "q1"
    r = pi.sipas(responses(), d)
    assert set(r.elements()["element"]) == {"access", "result"}
    assert isinstance(pi.presets.survey_design_names(), list)
    for name in pi.presets.survey_design_names():
        assert pi.presets.survey_design(name).items


def test_answer_dtypes_agree() -> None:
    df = responses()
    base = pi.sipas(df, ITEMS).to_json()
    as_float = df.assign(q1=df["q1"].astype("float64"), q2=df["q2"].astype("float64"))
    assert pi.sipas(as_float, ITEMS).to_json() == base
    as_obj = df.assign(q2=df["q2"].astype(object).where(df["q2"].notna(), None))
    assert pi.sipas(as_obj, ITEMS).to_json() == base


def test_input_forms_agree(tmp_path: Path) -> None:
    df = responses(200)
    base = pi.sipas(df, ITEMS).to_json()
    records = df.drop(columns="w").to_dict("records")
    assert pi.sipas(records, ITEMS).to_json() == base
    nested = [{"unit": r["unit"], "answers": {k: (None if pd.isna(r[k]) else int(r[k])) for k in ITEMS}}
              for r in records]
    assert pi.sipas(nested, ITEMS).to_json() == base
    p = tmp_path / "r.csv"
    df.to_csv(p, index=False)
    assert pi.sipas(p, ITEMS).to_json() == base
    assert pi.sipas(pd.read_csv(p), ITEMS).to_json() == base
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame({c: [None if pd.isna(v) else v for v in df[c].tolist()] for c in df.columns})
    assert pi.sipas(frame, ITEMS).to_json() == base


@pytest.mark.parametrize("ci", list(pi.CI_METHODS) + [None])
def test_every_interval_method(ci) -> None:
    r = pi.sipas(responses(), ITEMS, weight="w", ci=ci, level=0.9)
    items = r.items()
    if ci is None:
        assert "ci_low" not in items.columns and r.ci is None
    else:
        assert r.ci == ci
        assert items["ci_low"].between(0, 1).all() and items["ci_high"].between(0, 1).all()


def test_weights_change_shares() -> None:
    df = responses()
    assert pi.sipas(df, ITEMS, weight="w").to_json() != pi.sipas(df, ITEMS).to_json()
    assert pi.sipas(df, ITEMS, weight="w").items()["n_eff"].notna().all()


def test_groups() -> None:
    df = responses().assign(dept=lambda d: d["unit"].map(lambda u: "g1" if u in ("u0", "u1") else "g2"))
    r = pi.sipas(df, ITEMS, group="dept")
    ov = r.overall()
    assert set(ov["group"]) == {"g1", "g2"} and ov["group_rank"].notna().all()
    assert len(r.to_dict()["groups"]) == 2


def test_merge_and_pickle_equal_single_pass() -> None:
    df = responses(900)
    whole = pi.Aggregator(ITEMS, weighted=True).add(df, weight="w")
    parts = [pi.Aggregator(ITEMS, weighted=True).add(df.iloc[i:i + 300], weight="w") for i in (0, 300, 600)]
    merged = pickle.loads(pickle.dumps(parts[0]))
    for p in parts[1:]:
        merged.merge(pickle.loads(pickle.dumps(p)))
    assert merged == whole
    assert merged.respondent_count == 900 and merged.unit_count == 5 and merged.weighted
    for ci in ("wilson", "logit"):
        assert merged.finish(ci).to_json() == whole.finish(ci).to_json()
    assert pi.Aggregator.from_state_json(whole.to_state_json()) == whole
    assert "Aggregator" in repr(whole)


def test_merge_mismatch() -> None:
    with pytest.raises(pi.SurveyError) as e:
        pi.Aggregator(ITEMS).merge(pi.Aggregator(["q1"]))
    assert e.value.code == "design_mismatch" and e.value.path == "merge"
    with pytest.raises(pi.SurveyError) as e2:
        pi.Aggregator(ITEMS).merge(pi.Aggregator(ITEMS, weighted=True))
    assert e2.value.code == "design_mismatch" and e2.value.path == "merge"
    state = pi.Aggregator(ITEMS)
    with pytest.raises(pi.ParIndexError) as e3:
        state.merge(state)
    assert e3.value.code == "design_mismatch" and e3.value.path == "merge"


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(1, 5), st.one_of(st.none(), st.integers(1, 5))),
                min_size=1, max_size=60), st.integers(0, 60))
def test_property_any_split_merges_exactly(rows, cut) -> None:
    df = pd.DataFrame({"unit": [r[0] for r in rows], "q1": [r[1] for r in rows],
                       "q2": pd.array([r[2] for r in rows], dtype="Int64")})
    cut = min(cut, len(df))
    left = pi.Aggregator(["q1", "q2"]).add(df.iloc[:cut])
    right = pi.Aggregator(["q1", "q2"]).add(df.iloc[cut:])
    left.merge(right)
    assert left.finish().to_json() == pi.sipas(df, ["q1", "q2"]).to_json()


def test_dask_local_cluster_equals_single_process() -> None:
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    df = responses(4000, units=8)
    ddf = dd.from_pandas(df, npartitions=4)

    def part(frame: pd.DataFrame) -> pi.Aggregator:
        return pi.Aggregator(ITEMS, weighted=True).add(frame, weight="w")

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        import dask

        futures = client.compute([dask.delayed(part)(d) for d in ddf.to_delayed()])
        states = client.gather(futures)
    merged = states[0]
    for s in states[1:]:
        merged.merge(s)
    single = pi.Aggregator(ITEMS, weighted=True).add(df, weight="w")
    assert merged == single
    assert merged.finish("logit").to_json() == single.finish("logit").to_json()


def _shares_json(df: pd.DataFrame) -> str:
    return pi.sipas(df, ITEMS).to_json()


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(),
                    reason="no fork() on this platform")
def test_a_forked_child_aggregates_after_the_parent_used_worker_threads() -> None:
    """A child made by fork() has none of the parent's worker threads: it must not wait for
    them (multiprocessing's default on Linux, Dask and Spark process workers)."""
    import multiprocessing

    df = responses(40_000, units=20)  # 120,000 answers and 20 units: counted and finished on threads
    parent = pi.sipas(df, ITEMS).to_json()
    with multiprocessing.get_context("fork").Pool(1) as workers:
        child = workers.apply_async(_shares_json, (df,)).get(timeout=120)
    assert child == parent


def test_large_frame_is_columnar() -> None:
    n = 1_000_000
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"unit": pd.Categorical(rng.integers(0, 50, n).astype(str))})
    for q in ITEMS:
        df[q] = rng.integers(1, 6, n).astype("int64")
    t = time.perf_counter()
    r = pi.sipas(df, ITEMS)
    elapsed = time.perf_counter() - t
    assert r.items()["n"].sum() == 3 * n
    assert elapsed < 30, elapsed


def test_plot() -> None:
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    r = pi.sipas(responses(), pi.SurveyDesign.from_json(DESIGN))
    assert r.plot(unit="u0") is not None
    assert len(r.element_intervals()) == 10


def test_csv_stream(tmp_path: Path) -> None:
    df = pd.DataFrame({"unit": ["a", "a", "b"], "q1": [5, 3, 4], "q2": [4, None, 1]})
    p = tmp_path / "s.csv"
    df.astype({"q2": "Int64"}).to_csv(p, index=False)
    streamed = pi.Aggregator(["q1", "q2"]).add_csv_stream(p)
    assert streamed.finish().to_json() == pi.sipas(df, ["q1", "q2"]).to_json()
    with pytest.raises(pi.SurveyError):
        pi.Aggregator(["q1", "q2"]).add_csv_stream(tmp_path / "missing.csv")


def test_a_csv_path_is_read_by_the_core_reader_or_else_by_pandas(tmp_path: Path) -> None:
    """`sipas(path)` reads the file as Rust and JavaScript do (ids as written: pandas would read
    "007" as the number 7); a file the core's reader does not take (NA markers, compressed) is
    read by pandas, and a bad answer is an error as from a DataFrame."""
    p = tmp_path / "r.csv"
    p.write_text("unit,q1,q2\n007,4,5\n007,,1\n12,5,5\n", encoding="utf-8")
    overall = pi.sipas(p, ["q1", "q2"]).overall()
    assert sorted(overall["unit"]) == ["007", "12"]
    assert overall.set_index("unit").loc["007", "index"] == 75.0  # q1 1 of 1, q2 1 of 2
    # R's write.csv: NA for no answer, quoted ids.
    r = tmp_path / "r_export.csv"
    r.write_text('"unit","q1","q2"\n"A",4,5\n"A",NA,1\n"B",5,NA\n', encoding="utf-8")
    want = pi.sipas(pd.DataFrame({"unit": ["A", "A", "B"], "q1": [4, None, 5], "q2": [5, 1, None]}), ["q1", "q2"])
    assert pi.sipas(r, ["q1", "q2"]).to_json() == want.to_json()
    gz = tmp_path / "r.csv.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as f:
        f.write("unit,q1,q2\nA,4,5\nA,,1\nB,5,\n")
    assert pi.sipas(gz, ["q1", "q2"]).to_json() == want.to_json()
    p.write_text("unit,q1,q2\nA,4,5\nB,7,1\nC,5,5\n", encoding="utf-8")
    agg = pi.Aggregator(["q1", "q2"])
    with pytest.raises(pi.SurveyError, match='answer "7" is not on the answer scale'):
        agg.add(p)
    # As from a DataFrame: the rows before the bad one (not the core reader's other good rows).
    assert agg.respondent_count == 1


def test_design_presets() -> None:
    names = pi.presets.survey_design_names()
    assert "sipas-national-2022" in names
    d = pi.presets.survey_design("sipas-national-2022")
    assert len(d.items) > 5 and d.elements
    with pytest.raises(pi.InputError) as e:
        pi.presets.survey_design("nope")
    assert e.value.code == "unknown_preset" and e.value.path == "survey_design"


def test_arrow_string_units_read_from_buffers_equal_pandas_factorize() -> None:
    """Unit ids held by Arrow (several chunks, 32- and 64-bit offsets, a sliced chunk, nulls)
    are numbered by the core as pandas.factorize numbers them; results equal those of the same
    ids as Python strings."""
    pa = pytest.importorskip("pyarrow")
    from par_index.survey import _arrow_string_chunks, _factorize

    ids = ["b", "a", None, "ccc", "a", "", "b", "dd", None, "a"] * 7
    sliced = pa.array(["zz", "q"] + ids[40:], type=pa.string()).slice(2)
    chunked = pa.chunked_array([pa.array(ids[:25], type=pa.large_string()),
                                pa.array(ids[25:40], type=pa.large_string()),
                                sliced.cast(pa.large_string())])
    arrow = pd.Series(pd.arrays.ArrowExtensionArray(chunked))
    assert _arrow_string_chunks(arrow) is not None
    codes, names = _factorize(arrow)
    want_codes, want_names = pd.factorize(pd.Series(ids, dtype=object))
    assert codes.dtype == np.int64
    assert codes.tolist() == want_codes.tolist()
    assert names == list(want_names)
    df = responses(n=300)
    as_arrow = df.assign(unit=pd.Series(pd.arrays.ArrowExtensionArray(pa.chunked_array([pa.array(df["unit"], type=pa.string())]))))
    assert pi.sipas(as_arrow, ITEMS).to_json() == pi.sipas(df.assign(unit=df["unit"].astype(object)), ITEMS).to_json()


def test_answer_columns_without_the_pandas_shortcut_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    """Answer columns fetched through pandas' internal column accessor, or (when it is missing
    or fails) through the public one, give the same results."""
    df = responses().assign(q1=lambda d: d["q1"].astype("float64"))
    fast = pi.sipas(df, ITEMS, weight="w").to_json()

    def broken(self: pd.DataFrame, i: int) -> None:
        raise AttributeError("gone")

    monkeypatch.setattr(pd.DataFrame, "_get_column_array", broken, raising=False)
    assert pi.sipas(df, ITEMS, weight="w").to_json() == fast


def test_the_pandas_peer_of_the_benchmark_computes_the_same_item_results(repo: Path) -> None:
    """The benchmark compares this library with pandas computing the same results: they must be
    the same (counts, shares and means exactly; Wilson bounds to rounding)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("pandas_shares", repo / "benches" / "peers" / "pandas_shares.py")
    assert spec is not None and spec.loader is not None
    import sys

    sys.path.insert(0, str(repo / "benches" / "peers"))
    try:
        peer = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(peer)
    finally:
        sys.path.remove(str(repo / "benches" / "peers"))
    rng = np.random.default_rng(7)
    rows = 600
    frame = pd.DataFrame({"unit": [f"u{k % 7}" for k in range(rows)]})
    for item in peer.ITEMS:
        answers = rng.integers(1, 6, rows).astype(float)
        answers[rng.random(rows) < 0.05] = np.nan
        frame[item] = answers
    want = peer.full_results(frame)
    result = pi.sipas(frame, pi.presets.survey_design("sipas-national-2022"))
    items = result.items()
    units = sorted(frame["unit"].unique())
    levels = {(r["unit"], r["item"]): r["levels"] for r in result.to_dict()["items"]}
    got_levels = np.array([[[levels[(u, i)][v] for i in peer.ITEMS] for u in units] for v in range(5)], dtype=float)
    assert np.array_equal(got_levels, want["levels"])

    def wide(column: str) -> np.ndarray:
        return items.pivot(index="unit", columns="item", values=column)[peer.ITEMS].loc[units].to_numpy(dtype=float)

    assert np.array_equal(wide("n"), want["n"])
    assert np.array_equal(wide("satisfied"), want["satisfied"])
    assert np.array_equal(wide("share"), want["share"])
    assert np.array_equal(wide("mean"), want["mean"])
    assert np.max(np.abs(wide("ci_low") - want["low"])) < 1e-12
    assert np.max(np.abs(wide("ci_high") - want["high"])) < 1e-12


def test_weights_and_the_weighting_of_the_state_must_agree() -> None:
    """Weights given to an unweighted state are an error, not dropped; a weighted state needs them."""
    df = pd.DataFrame({"unit": ["A", "B"], "w": [1.5, 2.0], "q1": [4, 5]})
    with pytest.raises(pi.InputError, match="unweighted aggregation"):
        pi.Aggregator(["q1"]).add(df, weight="w")
    with pytest.raises(pi.InputError, match="needs a weight column"):
        pi.Aggregator(["q1"], weighted=True).add(df)
    assert pi.Aggregator(["q1"], weighted=True).add(df, weight="w").respondent_count == 2
