"""What the functions return, built from the JSON `dtr` writes
(docs/report.md has every field); ``to_pandas()`` gives the main table."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Dict, List, Optional, Sequence


def _pandas():
    try:
        import pandas
    except ImportError:
        raise ImportError("DataFrames need pandas: pip install 'dtr[pandas]'") from None
    return pandas


@dataclass(frozen=True)
class Diagnostic:
    """One problem, as ``dtr check --format json`` writes it: a stable
    ``code`` (``dtr explain CODE``), the place of its primary label (1-based
    lines and columns), the did-you-mean ``help``, every label, and the
    suggested ``fix`` (its ``replacement`` and place) if there is one."""

    code: str
    severity: str
    message: str
    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    help: Optional[str] = None
    labels: Sequence[Dict[str, Any]] = ()
    fix: Optional[Dict[str, Any]] = None

    @classmethod
    def from_dict(cls, d: Dict[str, Any]) -> "Diagnostic":
        return cls(
            code=d["code"],
            severity=d["severity"],
            message=d["message"],
            file=d["file"],
            line=d["line"],
            column=d["column"],
            end_line=d["end_line"],
            end_column=d["end_column"],
            help=d.get("help"),
            labels=tuple(d.get("labels", ())),
            fix=d.get("fix"),
        )

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}:{self.column}: {self.severity}[{self.code}]: {self.message}"
        return text + (f" (help: {self.help})" if self.help else "")


def _diagnostics_frame(diagnostics: Sequence[Diagnostic]):
    columns = ["code", "severity", "message", "file", "line", "column", "end_line", "end_column", "help"]
    rows = [[getattr(d, c) for c in columns] for d in diagnostics]
    return _pandas().DataFrame(rows, columns=columns)


class DtrError(Exception):
    """A request dtr refuses. ``message`` says what; ``diagnostics`` (a
    list of :class:`Diagnostic`, empty for a malformed option) say where."""

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic] = ()):
        self.message = message
        self.diagnostics = list(diagnostics)
        lines = [message] + [str(d) for d in self.diagnostics]
        super().__init__("\n".join(lines))

    @classmethod
    def from_json(cls, message: str, text: str) -> "DtrError":
        return cls(message, [Diagnostic.from_dict(d) for d in json.loads(text)["diagnostics"]])

    def to_pandas(self):
        """The diagnostics, one row each."""
        return _diagnostics_frame(self.diagnostics)


@dataclass(frozen=True)
class Checked:
    """The diagnostics of a file and what it imports."""

    path: str
    diagnostics: List[Diagnostic]

    @classmethod
    def from_json(cls, path: str, text: str) -> "Checked":
        return cls(path, [Diagnostic.from_dict(d) for d in json.loads(text)["diagnostics"]])

    @property
    def errors(self) -> List[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def ok(self) -> bool:
        """No errors (warnings allowed), as `dtr check` exits 0."""
        return not self.errors

    def raise_for_errors(self) -> None:
        """Raises DtrError with every diagnostic if there is an error."""
        if not self.ok:
            raise DtrError(f"{self.path}: {len(self.errors)} error(s)", self.diagnostics)

    def to_pandas(self):
        """One row per diagnostic: code, severity, message, place, help."""
        return _diagnostics_frame(self.diagnostics)


@dataclass(frozen=True, eq=False)
class Report:
    """The report of ``dtr analyze --format json``: ``json`` is its text,
    ``data`` the decoded value (docs/report.md, "JSON schema")."""

    json: str

    @cached_property
    def data(self) -> Dict[str, Any]:
        return json.loads(self.json)

    @property
    def scenarios(self) -> List[Dict[str, Any]]:
        return self.data["scenarios"]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Report) and self.json == other.json

    def to_pandas(self):
        """The entrants: one row per scenario and actor of its cascade."""
        return self.entrants()

    def entrants(self):
        """One row per scenario and actor: side, the step and rung at which
        the actor enters the all-honoured cascade (empty if it does not),
        P(joins) with its 95% interval (empty when exact), and the most
        probable path that brings it in, in words."""
        rows = []
        for s in self.scenarios:
            for a in s["actors"]:
                entry = a.get("entry") or {}
                enters = a.get("enters") or {}
                interval = enters.get("interval") or [None, None]
                path = a.get("path") or {}
                rows.append(
                    {
                        "scenario": s["name"],
                        "actor": a["actor"],
                        "cow": a.get("cow"),
                        "side": a.get("side"),
                        "entry_step": entry.get("step"),
                        "entry_rung": entry.get("rung"),
                        "p_joins": enters.get("value"),
                        "p_joins_low": interval[0],
                        "p_joins_high": interval[1],
                        "path": path.get("text"),
                    }
                )
        return _pandas().DataFrame(rows)

    def gaps(self):
        """One row per threat, target and domain assessed: §6's quantities
        and whether (and why) the target is not deterred."""
        columns = ["aggressor", "target", "domain", "aggressor_capability", "own", "committed", "ratio"]
        columns += ["threshold", "gap", "reason"]
        return _pandas().DataFrame([[g.get(c) for c in columns] for g in self.data["gaps"]], columns=columns)

    def expectations(self):
        """One row per ``expect`` line: its text, whether it passed, what
        the model computed, and its line."""
        rows = [[e["text"], e["passed"], e["computed"], e["location"]["line"]] for e in self.data["expectations"]]
        return _pandas().DataFrame(rows, columns=["text", "passed", "computed", "line"])


@dataclass(frozen=True, eq=False)
class Sweep:
    """A sweep (or one shard of it) as ``dtr sweep --format json`` writes
    it: ``json`` is the text, byte for byte, ``data`` the decoded value."""

    json: str

    @cached_property
    def data(self) -> Dict[str, Any]:
        return json.loads(self.json)

    @property
    def shard(self) -> Optional[Dict[str, int]]:
        """``{"index", "count"}`` for a shard; None for a whole sweep."""
        return self.data["shard"]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sweep) and self.json == other.json

    def to_csv(self) -> str:
        """The CSV of ``dtr sweep --format csv``."""
        from . import _native

        return _native.to_csv(self.json)

    def to_pandas(self):
        """One row per attack, in rank order: the columns of ``dtr sweep
        --format csv`` (rank, aggressor, victim, entrants, top_rung,
        expected_entrants with its bounds, ``p_RUNG`` per rung, gaps)."""
        return _pandas().read_csv(io.StringIO(self.to_csv()), keep_default_na=False, na_values=[""])

    def exposed(self):
        """The most exposed targets first: one row per target and aggressor
        it has a gap against, with the domains (``;``-separated) and the
        lowest deterrence ratio."""
        rows = [
            [e["target"], a["aggressor"], ";".join(a["domains"]), a["lowest_ratio"]]
            for e in self.data["exposed"]
            for a in e["aggressors"]
        ]
        return _pandas().DataFrame(rows, columns=["target", "aggressor", "domains", "lowest_ratio"])


@dataclass(frozen=True)
class Problem:
    """A bad row of an import: the CSV file, its line (1-based, the header
    is line 1), what is wrong, and whether it is only a warning."""

    file: str
    line: int
    message: str
    warning: bool

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Import:
    """A catalogue written by ``import_atop``: its ``.dtr`` text, the rows
    left out, and the counts of what it holds."""

    text: str
    problems: List[Problem] = field(default_factory=list)
    summary: Dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_json(cls, text: str) -> "Import":
        d = json.loads(text)
        return cls(d["text"], [Problem(**p) for p in d["problems"]], d["summary"])

    @property
    def ok(self) -> bool:
        """No bad rows (warnings allowed), as `dtr import atop` exits 0."""
        return not any(not p.warning for p in self.problems)

    def to_pandas(self):
        """The problems, one row each."""
        rows = [[p.file, p.line, p.message, p.warning] for p in self.problems]
        return _pandas().DataFrame(rows, columns=["file", "line", "message", "warning"])


@dataclass(frozen=True, eq=False)
class Backtest:
    """A backtest as ``dtr backtest`` writes it: ``json`` is the text of
    ``--format json`` and ``csv`` that of ``--format csv``, byte for byte;
    ``data`` the decoded report (docs/backtest.md); ``problems`` the rows
    of the war, ATOP and COW files left out."""

    json: str
    csv: str
    problems: List[Problem] = field(default_factory=list)

    @cached_property
    def data(self) -> Dict[str, Any]:
        return json.loads(self.json)

    @property
    def ok(self) -> bool:
        """No bad rows, as ``dtr backtest`` exits 0."""
        return not any(not p.warning for p in self.problems)

    def to_pandas(self):
        """One row per state-war pair (the columns of ``--format csv``):
        the war, the state, dtr's P(joins) ``p`` and side, whether and on
        which side it joined, and whether it owed the target a defence."""
        return self.pairs()

    def pairs(self):
        return _pandas().read_csv(io.StringIO(self.csv), keep_default_na=False, na_values=[""])

    def scores(self):
        """One row per predictor (dtr and the three baselines): Brier score,
        Brier skill, log loss, ROC AUC, precision, recall and F1 at the
        threshold, side accuracy."""
        rows = []
        for p in self.data["predictors"]:
            s = p["overall"]
            at = s["at_threshold"]
            rows.append(
                {
                    "predictor": p["predictor"],
                    "label": p["label"],
                    "pairs": s["pairs"],
                    "joiners": s["joiners"],
                    "brier": s["brier"],
                    "brier_skill": s["brier_skill"],
                    "log_loss": s["log_loss"],
                    "roc_auc": s["roc_auc"],
                    "precision": at["precision"],
                    "recall": at["recall"],
                    "f1": at["f1"],
                    "side_accuracy": p["side_accuracy"],
                }
            )
        return _pandas().DataFrame(rows)

    def wars(self):
        """One row per war: dtr's expected and actual joiners, Brier score,
        hits, false alarms and misses at the threshold (``skipped`` says why
        a war could not be run)."""
        columns = ["number", "name", "start", "era", "initiator", "target", "pairs", "joiners"]
        columns += ["expected_joiners", "brier", "hits", "false_alarms", "misses", "skipped"]
        return _pandas().DataFrame([[w.get(c) for c in columns] for w in self.data["per_war"]], columns=columns)


@dataclass(frozen=True, eq=False)
class Calibration:
    """A calibration as ``dtr calibrate`` writes it: ``json`` is the file's
    text, byte for byte, ``data`` the decoded value; ``problems`` the rows
    of the war, ATOP and COW files left out."""

    json: str
    problems: List[Problem] = field(default_factory=list)

    @cached_property
    def data(self) -> Dict[str, Any]:
        return json.loads(self.json)

    @property
    def threshold(self) -> float:
        return self.data["threshold"]

    def save(self, path) -> None:
        """Writes the file that ``backtest`` and ``import_atop`` read as
        ``calibration=path`` (and ``dtr … --calibration path``)."""
        with open(path, "w", encoding="utf-8") as file:
            file.write(self.json)

    def to_pandas(self):
        """The forward selection, one row per step: the model (``treaty``;
        ``entry`` and ``beside`` for states without a treaty, against and
        beside the opener; ``provoked`` for a defence of the initiator), the
        feature tried (missing for the intercept alone), its out-of-fold log
        loss and whether it was kept."""
        steps = [("treaty", s) for s in self.data["selection"]]
        for model in ("entry", "beside", "provoked"):
            steps += [(model, s) for s in (self.data.get(model) or {}).get("selection", [])]
        rows = [[model, s["feature"], s["log_loss"], s["kept"]] for model, s in steps]
        return _pandas().DataFrame(rows, columns=["model", "feature", "log_loss", "kept"])
