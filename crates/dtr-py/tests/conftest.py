"""Shared by the package's tests: the repository's root (the tests run
there, so file names match the `dtr` binary's output) and that binary."""

import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
# Six actors, thirty attacks: a sweep takes a second in a debug build.
KOREA = "examples/korea.dtr"


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture
def dtr_cli():
    """Runs the `dtr` binary (DTR_BIN) at the root; returns its stdout."""
    binary = os.environ.get("DTR_BIN")
    if not binary:
        pytest.fail("DTR_BIN must name the dtr binary (crates/dtr-cli/tests/python.rs sets it)")

    def run(*args):
        out = subprocess.run([binary, *args], cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
        return out.stdout

    return run
