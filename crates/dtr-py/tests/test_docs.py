"""docs/python.md runs: its ``python`` blocks in order in one namespace,
each ``text`` block right after one being exactly what that block prints."""

import contextlib
import io
import re

from conftest import ROOT


def blocks(markdown):
    """The fenced blocks: (language, body)."""
    return [(m.group(1), m.group(2)) for m in re.finditer(r"^```(\w*)\n(.*?)^```$", markdown, re.M | re.S)]


def test_the_session_of_docs_python_md_runs_as_shown():
    found = blocks((ROOT / "docs/python.md").read_text())
    namespace = {}
    printed = None
    checked = 0
    for language, body in found:
        if language == "python":
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(body, "docs/python.md", "exec"), namespace)
            printed = out.getvalue()
        elif language == "text":
            assert printed is not None, f"a text block follows no python block:\n{body}"
            assert printed == body
            printed = None
            checked += 1
    assert checked >= 5, f"only {checked} outputs compared"
