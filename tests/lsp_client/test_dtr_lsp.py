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
actor RUS "Russia" { capability { land: 70, air: 45 } }
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
    # VS Code's capabilities include refreshing code lenses; answer like it.
    @lsp_client.feature(types.WORKSPACE_CODE_LENS_REFRESH)
    def code_lens_refresh(_params):
        return None

    await lsp_client.initialize_session(
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
    assert "actor RUS \"Russia\" {\n  capability { land: 70, air: 45 }\n}" in formatted[0].new_text
