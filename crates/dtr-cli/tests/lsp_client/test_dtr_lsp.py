"""`dtr lsp` driven by a real LSP client (pytest-lsp, built on pygls).

Run by tests/lsp_client.rs, which sets DTR_BIN to the built binary."""

import asyncio
import os
import pathlib

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

DTR = os.environ.get("DTR_BIN", "dtr")

TEXT = """\
/// The aggressor.
actor RUS "Russia" { capability { land:70, air:45 } }
actor EST { capability { land: 1.5 } }
actor LVA
alliance NATO {
  members: [EST, LVA]
  obligation article5 defend { credibility: 85% }
}
threat RUS -> ETS
"""


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[DTR, "lsp", "--stdio"]))
async def client(lsp_client: LanguageClient):
    # VS Code's capabilities include refreshing code lenses; answer like it,
    # and count the requests.
    lsp_client.lens_refreshes = 0

    @lsp_client.feature(types.WORKSPACE_CODE_LENS_REFRESH)
    def code_lens_refresh(_params):
        lsp_client.lens_refreshes += 1
        return None

    lsp_client.initialized = await lsp_client.initialize_session(
        types.InitializeParams(capabilities=pytest_lsp.client_capabilities("visual-studio-code"))
    )
    yield
    await lsp_client.shutdown_session()


async def diagnostics(client: LanguageClient, uri: str, until, timeout: float = 20.0):
    """The diagnostics of `uri` once the server has published some for which `until` holds."""

    async def wait():
        while uri not in client.diagnostics or not until(client.diagnostics[uri]):
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        return client.diagnostics[uri]

    return await asyncio.wait_for(wait(), timeout)


def codes(found) -> list:
    return [d.code for d in found]


def position(text: str, needle: str, offset: int = 0) -> types.Position:
    at = text.index(needle) + offset
    line = text.count("\n", 0, at)
    column = at - (text.rfind("\n", 0, at) + 1)
    return types.Position(line=line, character=column)


@pytest.fixture
def uri(tmp_path: pathlib.Path) -> str:
    return (tmp_path / "baltic.dtr").as_uri()


async def test_edit_diagnose_navigate_complete_rename_format(client: LanguageClient, uri: str):
    doc = types.TextDocumentItem(uri=uri, language_id="dtr", version=1, text=TEXT)
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=doc))
    found = await diagnostics(client, uri, lambda ds: "E0002" in codes(ds))
    errors = [d for d in found if d.severity == types.DiagnosticSeverity.Error]
    assert [d.code for d in errors] == ["E0002"]
    assert errors[0].range.start == position(TEXT, "ETS")
    assert "did you mean `EST`?" in errors[0].message

    # An incremental edit that fixes the name.
    start = position(TEXT, "ETS")
    end = types.Position(line=start.line, character=start.character + 3)
    change = types.TextDocumentContentChangePartial(range=types.Range(start=start, end=end), text="EST")
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2), content_changes=[change]
        )
    )
    await diagnostics(client, uri, lambda ds: "E0002" not in codes(ds))
    assert codes(client.diagnostics[uri]) == []
    text = TEXT.replace("ETS", "EST")

    ident = types.TextDocumentIdentifier(uri=uri)
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=ident, position=position(text, "RUS ->", 1))
    )
    assert "The aggressor." in hover.contents.value
    assert "| land | 70 |" in hover.contents.value

    definition = await client.text_document_definition_async(
        types.DefinitionParams(text_document=ident, position=position(text, "-> EST", 4))
    )
    assert definition.uri == uri
    assert definition.range.start == position(text, "EST {")

    completion = await client.text_document_completion_async(
        types.CompletionParams(text_document=ident, position=position(text, "[EST", 1))
    )
    labels = [item.label for item in completion]
    assert labels == ["RUS", "EST", "LVA"]

    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=ident, position=position(text, "actor EST", 6), new_name="Estonia")
    )
    edits = edit.changes[uri]
    assert sorted((e.range.start.line, e.new_text) for e in edits) == [(2, "Estonia"), (5, "Estonia"), (8, "Estonia")]

    formatted = await client.text_document_formatting_async(
        types.DocumentFormattingParams(text_document=ident, options=types.FormattingOptions(tab_size=2, insert_spaces=True))
    )
    assert len(formatted) == 1
    assert formatted[0].range.start == types.Position(line=0, character=0)
    # A block written on one line stays on one line (docs/fmt.md).
    assert "actor RUS \"Russia\" { capability { land: 70, air: 45 } }\n" in formatted[0].new_text


SCENARIO = """\
actor RUS { capability { land: 60 } }
actor EST { capability { land: 2 } }
threat RUS -> EST
scenario narva { RUS attacks EST in land }
expect narva: EST joins
expect narva: reaches nuclear
"""


async def until(condition, timeout: float = 20.0):
    async def wait():
        while not condition():
            await asyncio.sleep(0.05)

    await asyncio.wait_for(wait(), timeout)


async def test_lenses_run_commands_and_follow_the_document(client: LanguageClient, uri: str):
    assert client.capabilities.workspace.code_lens.refresh_support
    provider = client.initialized.capabilities.execute_command_provider
    assert list(provider.commands) == ["dtr.showReport", "dtr.showEscalation", "dtr.runExpectations"]

    doc = types.TextDocumentItem(uri=uri, language_id="dtr", version=1, text=SCENARIO)
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=doc))
    await until(lambda: client.lens_refreshes >= 1)
    ident = types.TextDocumentIdentifier(uri=uri)
    lenses = await client.text_document_code_lens_async(types.CodeLensParams(text_document=ident))
    titles = {lens.command.title: lens.command for lens in lenses}
    assert list(titles) == [
        "RUS → EST: land 0.03 gap (uncovered)",
        "2 enter: RUS, EST · top rung: limited_war",
        "escalation graph",
        "1 of 2 expectations hold",
    ]

    # The scenario's lens: its report, as `dtr analyze --scenario narva` prints it.
    report = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command=titles["2 enter: RUS, EST · top rung: limited_war"].command,
            arguments=titles["2 enter: RUS, EST · top rung: limited_war"].arguments,
        )
    )
    assert "narva" in report and "limited_war" in report

    # Its escalation graph: the HTML page, as `dtr analyze --scenario narva --format html` writes it.
    graph = titles["escalation graph"]
    page = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=graph.command, arguments=graph.arguments)
    )
    assert page.startswith("<!DOCTYPE html>") and 'id="scenario-narva"' in page

    # The expectations' lens: the verdict, also shown as a warning.
    run = titles["1 of 2 expectations hold"]
    said = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=run.command, arguments=run.arguments)
    )
    assert said.splitlines()[0] == "narva: 1 of 2 expectations hold"
    assert "`expect narva: reaches nuclear` fails" in said
    await until(lambda: any(m.message == said for m in client.messages))
    shown = next(m for m in client.messages if m.message == said)
    assert shown.type == types.MessageType.Warning

    # A change that breaks the file: the server asks for the lenses again, and there are none.
    seen = client.lens_refreshes
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=SCENARIO + "threat RUS -> NOBODY\n")],
        )
    )
    await until(lambda: client.lens_refreshes > seen)
    assert list(await client.text_document_code_lens_async(types.CodeLensParams(text_document=ident))) == []


async def test_semantic_tokens_inlay_hints_and_highlights(client: LanguageClient, uri: str):
    provider = client.initialized.capabilities.semantic_tokens_provider
    legend = provider.legend.token_types
    assert {"actor", "alliance", "domain", "region", "scenario", "keyword", "number", "date"} <= set(legend)

    doc = types.TextDocumentItem(uri=uri, language_id="dtr", version=1, text=SCENARIO)
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=doc))
    # The analysis is ready when the lenses are refreshed (these VS Code
    # capabilities predate `workspace/inlayHint/refresh`).
    await until(lambda: client.lens_refreshes >= 1)
    ident = types.TextDocumentIdentifier(uri=uri)

    # Semantic tokens, decoded: `RUS` in `threat RUS ->` is an actor.
    tokens = await client.text_document_semantic_tokens_full_async(types.SemanticTokensParams(text_document=ident))
    lines = SCENARIO.splitlines()
    line = column = 0
    decoded = []
    for i in range(0, len(tokens.data), 5):
        delta_line, delta_start, length, kind, modifiers = tokens.data[i : i + 5]
        column = column + delta_start if delta_line == 0 else delta_start
        line += delta_line
        decoded.append((lines[line][column : column + length], legend[kind], modifiers))
    assert decoded[decoded.index(("threat", "keyword", 0)) + 1] == ("RUS", "actor", 0)
    assert ("narva", "scenario", 1) in decoded and ("60", "number", 0) in decoded

    # Inlay hints: the computed values at the end of the `expect` lines.
    whole = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=len(lines), character=0))
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(text_document=ident, range=whole))
    assert [(h.position.line, h.position.character, h.label) for h in hints] == [
        (4, len(lines[4]), "holds: EST joins (P(joins) = 100%)"),
        (5, len(lines[5]), "fails: stops at limited_war (P(reaches nuclear) = 0%)"),
    ]

    # Document highlight: the scenario's declaration (write) and its uses (read).
    found = await client.text_document_document_highlight_async(
        types.DocumentHighlightParams(text_document=ident, position=position(SCENARIO, "narva: EST", 1))
    )
    assert [(h.range.start.line, h.kind) for h in found] == [
        (3, types.DocumentHighlightKind.Write),
        (4, types.DocumentHighlightKind.Read),
        (5, types.DocumentHighlightKind.Read),
    ]
