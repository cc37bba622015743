"""The package's functions: options as Python values in, results out."""

from __future__ import annotations

import json
import os
from typing import Iterable, Mapping, Optional, Tuple, Union

from . import _native
from ._results import Backtest, Calibration, Checked, DtrError, Import, Problem, Report, Sweep

PathLike = Union[str, os.PathLike]


def _call(function, *args):
    """Runs a native function, raising its Failure again as DtrError."""
    try:
        return function(*args)
    except _native.Failure as failure:
        message, diagnostics = failure.args
        raise DtrError.from_json(message, diagnostics) from None


def check(path: PathLike) -> Checked:
    """The diagnostics of a file and what it imports (``dtr check``).

    Never raises for problems in the file: they are the result
    (``Checked.ok``, ``Checked.raise_for_errors()``). An unreadable file
    raises OSError.
    """
    return Checked.from_json(os.fspath(path), _call(_native.check, path))


def analyze(
    path: PathLike,
    *,
    scenarios: Optional[Iterable[str]] = None,
    set: Union[Mapping[str, object], Iterable[str], None] = None,
    year: Union[int, str, None] = None,
) -> Report:
    """The report of ``dtr analyze FILE --format json``.

    ``scenarios``: analyse only these (gaps are always assessed). ``set``:
    what-ifs, ``{"USA.resolve": "40%"}`` or ``["USA.resolve=40%"]``
    (``--set``). ``year``: ``1914`` or ``"1914-07-28"`` (``--year``).
    """
    if isinstance(set, Mapping):
        what_ifs = [f"{name}={value}" for name, value in set.items()]
    else:
        what_ifs = list(set or [])
    names = None if scenarios is None else list(scenarios)
    text = _call(_native.analyze, path, names, what_ifs, None if year is None else str(year))
    return Report(text)


def sweep(
    path: PathLike,
    *,
    attackers: Optional[Iterable[str]] = None,
    targets: Optional[Iterable[str]] = None,
    shard: Union[Tuple[int, int], str, None] = None,
    samples: Optional[int] = None,
    probabilities: bool = True,
) -> Sweep:
    """Every directed opening attack, ranked (``dtr sweep FILE --format json``).

    ``shard``: ``(I, N)`` or ``"I/N"`` runs part I of N (1-based), for
    :func:`merge_sweeps`. ``samples``: Monte Carlo samples per attack
    (default the model's, at most 1,000). ``probabilities=False`` runs only
    the all-honoured cascades and the gaps (``--no-probabilities``).
    """
    if samples is not None and samples < 1:
        raise DtrError(f"samples: at least 1, not {samples}")
    if isinstance(shard, tuple):
        shard = "/".join(str(n) for n in shard)
    text = _call(
        _native.sweep,
        path,
        None if attackers is None else list(attackers),
        None if targets is None else list(targets),
        shard,
        samples,
        probabilities,
    )
    return Sweep(text)


def merge_sweeps(shards: Iterable[Union[Sweep, str]]) -> Sweep:
    """The shards of one sweep (``Sweep`` objects or their JSON), in any
    order, merged into exactly the output of one run (``dtr sweep
    --merge``). A missing, duplicate or foreign shard raises DtrError."""
    texts = [s.json if isinstance(s, Sweep) else s for s in shards]
    named = []
    for number, text in enumerate(texts, 1):
        try:
            part = json.loads(text).get("shard") or {}
            name = f"shard {part['index']}/{part['count']}"
        except (ValueError, AttributeError, KeyError, TypeError):
            name = f"input {number}"
        named.append((name, text))
    return Sweep(_call(_native.merge, named))


def import_atop(
    members: PathLike,
    alliances: PathLike,
    states: PathLike,
    *,
    year: Optional[int] = None,
    date: Optional[str] = None,
    capabilities: Optional[PathLike] = None,
    calibration: Optional[PathLike] = None,
) -> Import:
    """The ``.dtr`` catalogue ``dtr import atop`` writes from the ATOP 5.0
    files and the COW state list, for alliances in force in ``year`` or on
    ``date`` (``"1914-07-28"``), or every alliance with its dates.
    ``calibration``: the credibility of defence and offence provisions, a
    file of ``dtr calibrate`` or ``"none"`` for 100% (default: the
    calibration shipped with dtr, docs/backtest.md).

    Bad rows do not raise: the rest is imported and they are listed in
    ``Import.problems`` (``Import.ok`` is false). A file that lacks a column
    the importer reads raises DtrError; an unreadable one OSError.
    """
    text = _call(_native.import_atop, members, alliances, states, year, date, capabilities, calibration)
    return Import.from_json(text)


# The data `dtr backtest` and `dtr calibrate` read unless told otherwise,
# relative to the working directory as theirs are (the repository's data/).
_MEMBERS = "data/atop5_0m.csv"
_ALLIANCES = "data/atop5_0a.csv"
_STATES = "data/states2016.csv"


def backtest(
    wars: PathLike,
    *,
    members: PathLike = _MEMBERS,
    alliances: PathLike = _ALLIANCES,
    states: PathLike = _STATES,
    calibration: Optional[PathLike] = None,
    folds: Optional[int] = None,
    threshold: Optional[float] = None,
    samples: int = 2_000,
) -> Backtest:
    """The analysis of the ATOP record scored against the wars that
    happened, beside three baselines (``dtr backtest --wars WARS``,
    docs/backtest.md).

    ``calibration``: a file of :func:`calibrate` (``Calibration.save``) or
    ``"none"`` for every provision at 100% (default: the calibration
    shipped with dtr). ``folds``: out-of-fold figures, each fold's wars run
    with a calibration fitted on the others (not with ``calibration``).
    ``threshold``: the decision threshold reported beside 0.5 (default: the
    calibrations'). ``samples``: Monte Carlo samples per war.

    Bad rows of the war, ATOP and COW files do not raise: they are left out
    and listed in ``Backtest.problems``. A file that lacks a column raises
    DtrError; one that cannot be read, OSError.
    """
    text = _call(_native.backtest, wars, members, alliances, states, calibration, folds, threshold, samples)
    d = json.loads(text)
    return Backtest(d["json"], d["csv"], [Problem(**p) for p in d["problems"]])


def calibrate(
    wars: PathLike,
    *,
    members: PathLike = _MEMBERS,
    alliances: PathLike = _ALLIANCES,
    states: PathLike = _STATES,
    folds: int = 5,
    about: str = "fitted by dtr calibrate",
    samples: int = 2_000,
) -> Calibration:
    """The importer's reliability model fitted on ``wars`` (``dtr calibrate
    --wars WARS``, docs/backtest.md): features chosen by forward selection
    on ``folds`` folds of the wars, and a decision threshold chosen on the
    wars' pairs (the analysis run with ``samples``). ``about``
    names it in the catalogues' headers. ``Calibration.save(path)`` writes
    the file that :func:`backtest` and :func:`import_atop` read as
    ``calibration=path``.
    """
    d = json.loads(_call(_native.calibrate, wars, members, alliances, states, folds, about, samples))
    return Calibration(d["json"], [Problem(**p) for p in d["problems"]])
