"""DTR from Python: check, analyze, sweep and import deterrence scenarios.

The functions call the Rust library in-process (no `dtr` binary is run)
and return Python objects built from the JSON `dtr` writes for the same
request; each has ``to_pandas()`` for a DataFrame. A file with errors, an
unknown name or a malformed option raises :class:`DtrError`, which carries
the diagnostics (code, message, place). docs/python.md shows them at work;
:mod:`dtr.dask` fans a sweep's shards out over a Dask cluster.
"""

from ._api import analyze, check, import_atop, merge_sweeps, sweep
from ._results import Checked, Diagnostic, DtrError, Import, Problem, Report, Sweep

__all__ = [
    "Checked",
    "Diagnostic",
    "DtrError",
    "Import",
    "Problem",
    "Report",
    "Sweep",
    "analyze",
    "check",
    "import_atop",
    "merge_sweeps",
    "sweep",
]
