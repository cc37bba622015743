"""DTR from Python: check, analyze, sweep and import deterrence scenarios,
and backtest and calibrate the importer against history.

The functions call the Rust library in-process (no `dtr` binary is run)
and return Python objects built from the JSON `dtr` writes for the same
request; each has ``to_pandas()`` for a DataFrame. A file with errors, an
unknown name or a malformed option raises :class:`DtrError`, which carries
the diagnostics (code, message, place). docs/python.md shows them at work;
:mod:`dtr.dask` fans a sweep's shards out over a Dask cluster.
"""

from ._api import analyze, backtest, calibrate, check, import_atop, merge_sweeps, sweep
from ._results import Backtest, Calibration, Checked, Diagnostic, DtrError, Import, Problem, Report, Sweep

__all__ = [
    "Backtest",
    "Calibration",
    "Checked",
    "Diagnostic",
    "DtrError",
    "Import",
    "Problem",
    "Report",
    "Sweep",
    "analyze",
    "backtest",
    "calibrate",
    "check",
    "import_atop",
    "merge_sweeps",
    "sweep",
]
