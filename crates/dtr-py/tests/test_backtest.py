"""`dtr.backtest` and `dtr.calibrate` against `dtr backtest` and `dtr
calibrate` on the five wars of the CLI's backtest fixture: the same request
gives the same JSON, CSV and calibration file byte for byte, the DataFrames
hold what the JSON and CSV say, and bad requests raise."""

import io
import os
import pathlib
import subprocess

import pandas as pd
import pytest

import dtr

WARS = "crates/dtr-cli/tests/fixtures/backtest/wars.csv"


@pytest.fixture(scope="module")
def shipped():
    return dtr.backtest(WARS)


def test_backtest_gives_the_json_and_csv_of_dtr_backtest(dtr_cli, shipped):
    assert shipped.json == dtr_cli("backtest", "--wars", WARS, "--format", "json")
    assert shipped.csv == dtr_cli("backtest", "--wars", WARS, "--format", "csv")
    assert shipped.ok and shipped.problems == []
    assert shipped.data["command"].startswith(f"dtr backtest --wars {WARS} --members data/atop5_0m.csv")


def test_backtest_options_give_what_the_same_options_of_dtr_backtest_give(dtr_cli):
    options = ["--calibration", "none", "--threshold", "0.3", "--samples", "500"]
    uncalibrated = dtr.backtest(WARS, calibration="none", threshold=0.3, samples=500)
    assert uncalibrated.json == dtr_cli("backtest", "--wars", WARS, *options, "--format", "json")
    assert uncalibrated.data["threshold"] == 0.3
    folded = dtr.backtest(WARS, folds=2)
    assert folded.json == dtr_cli("backtest", "--wars", WARS, "--folds", "2", "--format", "json")
    assert "--folds 2" in folded.data["command"]


def test_the_dataframes_hold_what_the_report_says(shipped):
    pairs = shipped.to_pandas()
    assert len(pairs) == shipped.data["predictors"][0]["overall"]["pairs"] == 379
    assert list(pairs.columns[:7]) == ["war", "war_name", "start", "era", "ccode", "state", "p"]
    assert pairs.equals(pd.read_csv(io.StringIO(shipped.csv), keep_default_na=False, na_values=[""]))
    assert pairs.joined.sum() == shipped.data["predictors"][0]["overall"]["joiners"] == 9
    scores = shipped.scores().set_index("predictor")
    assert list(scores.index) == ["dtr", "nobody", "defence_allies", "defence_allies_leeds"]
    assert scores.loc["dtr", "brier"] == shipped.data["predictors"][0]["overall"]["brier"]
    wars = shipped.wars()
    assert list(wars.number) == [w["number"] for w in shipped.data["per_war"]] == [28, 46, 49, 148, 227]
    assert wars.set_index("number").loc[28, "pairs"] == len(pairs[pairs.war == 28])


def test_calibrate_writes_the_file_of_dtr_calibrate_that_backtest_reads(dtr_cli, tmp_path):
    fitted = dtr.calibrate(WARS, folds=2, about="fixture")
    written = tmp_path / "cli.json"
    dtr_cli("calibrate", "--wars", WARS, "--folds", "2", "--about", "fixture", "-o", str(written))
    assert fitted.json == written.read_text()
    assert fitted.data["about"] == "fixture" and 0 < fitted.threshold < 1
    steps = fitted.to_pandas()
    assert list(steps.columns) == ["model", "feature", "log_loss", "kept"]
    assert steps.iloc[0].model == "treaty" and pd.isna(steps.iloc[0].feature) and steps.iloc[0].kept
    models = ["entry", "beside", "provoked"]
    assert len(steps) == len(fitted.data["selection"]) + sum(len(fitted.data[m]["selection"]) for m in models)
    assert set(steps.model) <= {"treaty", *models}
    path = tmp_path / "fixture.json"
    fitted.save(path)
    used = dtr.backtest(WARS, calibration=path)
    assert used.json == dtr_cli("backtest", "--wars", WARS, "--calibration", str(path), "--format", "json")
    imported = dtr.import_atop("data/atop5_0m.csv", "data/atop5_0a.csv", "data/states2016.csv", date="1864-01-31", calibration=path)
    assert "calibration `fixture`" in imported.text


def test_bad_requests_raise(tmp_path):
    with pytest.raises(dtr.DtrError, match="folds: at least 2"):
        dtr.backtest(WARS, folds=1)
    with pytest.raises(dtr.DtrError, match="not both"):
        dtr.backtest(WARS, folds=2, calibration="none")
    with pytest.raises(dtr.DtrError, match="threshold"):
        dtr.backtest(WARS, threshold=1.5)
    with pytest.raises(dtr.DtrError, match="samples"):
        dtr.backtest(WARS, samples=0)
    with pytest.raises(dtr.DtrError, match="folds: at least 2"):
        dtr.calibrate(WARS, folds=1)
    with pytest.raises(dtr.DtrError, match="Cargo.toml: not a calibration file"):
        dtr.backtest(WARS, calibration="Cargo.toml")
    with pytest.raises(dtr.DtrError, match="lacks the column"):
        dtr.backtest("data/states2016.csv")
    with pytest.raises(OSError, match="cannot read"):
        dtr.calibrate(tmp_path / "missing.csv")


def test_bad_rows_of_every_file_are_the_problems_dtr_calibrate_prints(tmp_path):
    states = tmp_path / "states.csv"
    text = pathlib.Path("data/states2016.csv").read_text()
    states.write_text(text + "XXX,notanumber,Nowhere,1816,1,1,2016,12,31,2016\n")
    line = len(text.splitlines()) + 1
    fitted = dtr.calibrate(WARS, states=states, folds=2)
    assert [(p.file, p.line, p.warning) for p in fitted.problems] == [(str(states), line, False)]
    cli = subprocess.run(
        [os.environ["DTR_BIN"], "calibrate", "--wars", WARS, "--folds", "2", "--states", str(states)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert cli.returncode == 1
    assert f"error: {states}:{line}: {fitted.problems[0].message}" in cli.stderr
    assert fitted.json == cli.stdout
