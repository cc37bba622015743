"""The package's functions against the `dtr` binary: the same request gives
the same JSON byte for byte, the DataFrames hold what the JSON says, and
every refusal raises DtrError with its diagnostics."""

import io
import json

import pandas as pd
import pytest

import dtr
from conftest import KOREA

BROKEN = """actor USA "United States" { capability { land: 90 } }
actor KWT "Kuwait" { capability { land: 2 } }
threat USA -> KWR
threat USA -> KWT
"""


def test_check_lists_the_diagnostics_of_a_file_with_errors(tmp_path):
    path = tmp_path / "broken.dtr"
    path.write_text(BROKEN)
    checked = dtr.check(path)
    assert not checked.ok
    [d] = checked.diagnostics
    assert (d.code, d.severity, d.line, d.column, d.end_column) == ("E0002", "error", 3, 15, 18)
    assert "KWR" in d.message and "KWT" in d.help
    with pytest.raises(dtr.DtrError) as raised:
        checked.raise_for_errors()
    assert [x.code for x in raised.value.diagnostics] == ["E0002"]
    frame = checked.to_pandas()
    assert frame.loc[0, ["code", "line", "column"]].tolist() == ["E0002", 3, 15]


def test_check_of_a_clean_example_has_no_diagnostics():
    assert dtr.check(KOREA) == dtr.Checked(KOREA, [])


def test_an_unreadable_file_raises_os_error(tmp_path):
    with pytest.raises(OSError, match="cannot read"):
        dtr.check(tmp_path / "missing.dtr")


def test_analyze_of_a_file_with_errors_raises_with_its_diagnostics(tmp_path):
    path = tmp_path / "broken.dtr"
    path.write_text(BROKEN)
    with pytest.raises(dtr.DtrError) as raised:
        dtr.analyze(path)
    [d] = raised.value.diagnostics
    assert (d.code, d.file, d.line, d.column) == ("E0002", str(path), 3, 15)
    assert "1 error" in raised.value.message
    assert "error[E0002]" in str(raised.value)
    assert raised.value.to_pandas()[["code", "line", "column"]].values.tolist() == [["E0002", 3, 15]]


def test_analyze_gives_the_json_of_dtr_analyze(dtr_cli):
    report = dtr.analyze(KOREA)
    assert report.json == dtr_cli("analyze", KOREA, "--format", "json")
    with_options = dtr.analyze(KOREA, scenarios=["invasion"], set={"USA.resolve": "40%"}, year=2026)
    cli = dtr_cli("analyze", KOREA, "--format", "json", "--scenario", "invasion", "--set", "USA.resolve=40%", "--year", "2026")
    assert with_options.json == cli
    assert [s["name"] for s in with_options.scenarios] == ["invasion"]
    assert with_options != report


def test_entrants_hold_every_actor_of_every_scenario_as_the_json_does():
    report = dtr.analyze(KOREA)
    frame = report.to_pandas()
    expected = [(s["name"], a["actor"], a["enters"]["value"]) for s in report.scenarios for a in s["actors"]]
    assert list(frame[["scenario", "actor", "p_joins"]].itertuples(index=False, name=None)) == expected
    invasion = frame[frame.scenario == "invasion"].set_index("actor")
    # examples/korea.dtr expects these: the parties enter at step 0, the
    # United States joins (at step 1, on the target's side), China stays out.
    assert invasion.loc["PRK", "side"] == "opener" and invasion.loc["PRK", "entry_step"] == 0
    assert invasion.loc["USA", "p_joins"] > 0.5 and pd.notna(invasion.loc["USA", "entry_rung"])
    assert invasion.loc["USA", "side"] == "target" and invasion.loc["USA", "entry_step"] == 1
    assert "PRC" not in invasion.index, "China stays out of the all-honoured cascade"
    assert report.expectations()["passed"].all()
    gaps = report.gaps()
    assert set(gaps.columns) >= {"aggressor", "target", "domain", "ratio", "gap", "reason"}
    assert len(gaps) == len(report.data["gaps"])


def test_options_the_model_does_not_declare_raise():
    with pytest.raises(dtr.DtrError, match="no scenario named `invasoin`; did you mean `invasion`"):
        dtr.analyze(KOREA, scenarios=["invasoin"])
    with pytest.raises(dtr.DtrError, match="XYZ"):
        dtr.analyze(KOREA, set=["XYZ.resolve=40%"])
    with pytest.raises(dtr.DtrError, match="not a calendar date"):
        dtr.analyze(KOREA, year="2026-02-30")


def test_sweep_gives_the_json_and_csv_of_dtr_sweep(dtr_cli):
    swept = dtr.sweep(KOREA)
    assert swept.json == dtr_cli("sweep", KOREA, "--format", "json")
    assert swept.to_csv() == dtr_cli("sweep", KOREA, "--format", "csv")
    frame = swept.to_pandas()
    assert len(frame) == swept.data["total"] == 30
    assert list(frame["rank"]) == list(range(1, 31))
    assert list(zip(frame.aggressor, frame.victim)) == [(a["aggressor"], a["victim"]) for a in swept.data["attacks"]]
    assert frame.equals(pd.read_csv(io.StringIO(dtr_cli("sweep", KOREA, "--format", "csv")), keep_default_na=False, na_values=[""]))
    limited = dtr.sweep(KOREA, attackers=["PRK"], samples=50, probabilities=False)
    assert limited.json == dtr_cli("sweep", KOREA, "--format", "json", "--attackers", "PRK", "--samples", "50", "--no-probabilities")
    assert set(limited.to_pandas().aggressor) == {"PRK"}


def test_shards_merge_into_the_single_run_in_any_order():
    whole = dtr.sweep(KOREA)
    parts = [dtr.sweep(KOREA, shard=(i, 3)) for i in (1, 2, 3)]
    assert [p.shard for p in parts] == [{"index": i, "count": 3} for i in (1, 2, 3)]
    assert sum(len(p.data["attacks"]) for p in parts) == 30
    assert dtr.merge_sweeps(reversed(parts)) == whole
    assert dtr.merge_sweeps([parts[0].json, parts[1], parts[2].json]).json == whole.json
    assert dtr.sweep(KOREA, shard="2/3") == parts[1]


def test_a_missing_shard_is_refused_with_a_diagnostic():
    parts = [dtr.sweep(KOREA, shard=(i, 3), probabilities=False) for i in (1, 3)]
    with pytest.raises(dtr.DtrError) as raised:
        dtr.merge_sweeps(parts)
    [d] = raised.value.diagnostics
    assert (d.code, d.message, d.file) == ("E0093", "shard 2/3 is missing", "shard 1/3")
    foreign = dtr.sweep("examples/baltic.dtr", shard=(2, 3), probabilities=False)
    with pytest.raises(dtr.DtrError) as raised:
        dtr.merge_sweeps([parts[0], foreign, parts[1]])
    assert [d.code for d in raised.value.diagnostics] == ["E0092"]


def test_unknown_actors_and_bad_shards_raise():
    with pytest.raises(dtr.DtrError) as raised:
        dtr.sweep(KOREA, attackers=["PRK", "RUZ"])
    [d] = raised.value.diagnostics
    assert (d.code, d.file, d.column, d.end_column) == ("E0090", "arguments", 15, 18)
    assert "RUS" in (d.help or "") + d.message
    for shard in [(4, 3), (-1, 3), "0/3", "two of three"]:
        with pytest.raises(dtr.DtrError, match="shard"):
            dtr.sweep(KOREA, shard=shard)
    for samples in [0, -5]:
        with pytest.raises(dtr.DtrError, match="samples"):
            dtr.sweep(KOREA, samples=samples)


ATOP = {"members": "data/atop5_0m.csv", "alliances": "data/atop5_0a.csv", "states": "data/states2016.csv"}


def test_import_atop_gives_the_catalogue_of_dtr_import_atop(dtr_cli, tmp_path):
    imported = dtr.import_atop(**ATOP, year=1914)
    options = [word for name, path in ATOP.items() for word in (f"--{name}", path)]
    assert imported.text == dtr_cli("import", "atop", *options, "--year", "1914")
    uncalibrated = dtr.import_atop(**ATOP, year=1914, calibration="none")
    assert uncalibrated.text == dtr_cli("import", "atop", *options, "--year", "1914", "--calibration", "none")
    assert uncalibrated.text != imported.text
    assert imported.ok and imported.summary["alliances"] > 0
    # The catalogue checks.
    path = tmp_path / "1914.dtr"
    path.write_text(imported.text)
    assert dtr.check(path).ok
    frame = imported.to_pandas()
    assert list(frame.columns) == ["file", "line", "message", "warning"]
    assert frame.warning.all() and len(frame) == len(imported.problems) >= 1


def test_import_atop_refuses_a_file_without_the_columns(tmp_path):
    states = tmp_path / "states.csv"
    states.write_text("name\nnowhere\n")
    with pytest.raises(dtr.DtrError, match="lacks the column"):
        dtr.import_atop(ATOP["members"], ATOP["alliances"], states, year=1914)
    with pytest.raises(dtr.DtrError, match="not both"):
        dtr.import_atop(**ATOP, year=1914, date="1914-07-28")


def test_results_without_pandas_say_how_to_get_it(monkeypatch):
    import builtins

    real = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas":
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(ImportError, match=r"pip install 'dtr\[pandas\]'"):
        dtr.check(KOREA).to_pandas()


def test_the_json_is_what_data_decodes():
    swept = dtr.sweep(KOREA, probabilities=False)
    assert swept.data == json.loads(swept.json)
