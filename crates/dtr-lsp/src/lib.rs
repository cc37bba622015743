//! `dtr lsp`: the language server (LSP 3.17 over stdio). A thin layer: it
//! keeps open documents, checks them with the same library functions as the
//! CLI (`check::check_with`, `model::compile`, `analysis::analyze`,
//! `fmt::format`), and
//! converts positions (UTF-16) at the boundary only.
//!
//! Every edit bumps the document's generation and schedules a check of the
//! newest text on a blocking thread; a check that is no longer the newest
//! when it starts or ends is dropped, so a burst of edits costs one check of
//! the text that matters. Requests use the snapshot of the current text,
//! checking it first if need be.

mod actions;
mod commands;
mod completion;
mod diagnostics;
mod documents;
mod hints;
mod hover;
mod lens;
mod navigation;
mod position;
mod project;
mod snapshot;
mod symbols;
mod tokens;
mod transport;

use documents::{Document, Overlay};
use dtr::syntax::incremental;
use position::Positions;
use snapshot::Snapshot;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService};

/// Serves the protocol on `input`/`output` until the client exits (or
/// closes `input`); true when `shutdown` came first, as the protocol asks
/// of a clean exit. Messages pass through [`transport`]'s guard.
pub async fn serve<I, O>(input: I, output: O) -> bool
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin,
{
    let state = Arc::new(State::default());
    let (service, socket) = LspService::new({
        let state = state.clone();
        move |client| Server { client, state }
    });
    let (to_server, server_input) = tokio::io::duplex(1 << 16);
    let (server_output, from_server) = tokio::io::duplex(1 << 16);
    let (replies, replies_rx) = tokio::sync::mpsc::unbounded_channel();
    let input = tokio::spawn(transport::filter_input(input, to_server, replies));
    let server = tower_lsp_server::Server::new(server_input, server_output, socket).serve(service);
    tokio::join!(server, transport::merge_output(from_server, replies_rx, output));
    // After `exit` the client may keep its end open; stop reading it.
    input.abort();
    state.shut_down.load(Ordering::Relaxed)
}

/// How long the text must stay unchanged before the live analysis (code
/// lenses) is computed ahead of being asked for.
const ANALYSIS_DELAY: std::time::Duration = std::time::Duration::from_millis(150);

#[derive(Clone)]
pub struct Server {
    client: Client,
    state: Arc<State>,
}

#[derive(Default)]
struct State {
    documents: Mutex<HashMap<Uri, Document>>,
    /// The newest check of each open document.
    snapshots: Mutex<HashMap<Uri, Arc<Snapshot>>>,
    /// The declarations of each open document's last check, so that the
    /// next check parses only those an edit changed.
    parse_caches: Mutex<HashMap<Uri, incremental::Cache>>,
    /// The files whose diagnostics each open document last published.
    published: Mutex<HashMap<Uri, Vec<Uri>>>,
    /// Held while publishing, so a stale publication cannot overtake a newer one.
    publishing: tokio::sync::Mutex<()>,
    generation: AtomicU64,
    /// The client supports `workspace/codeLens/refresh`.
    lens_refresh: AtomicBool,
    /// The client supports `workspace/inlayHint/refresh`.
    hint_refresh: AtomicBool,
    /// A `shutdown` request was answered.
    shut_down: AtomicBool,
}

/// A poisoned lock still holds consistent data here (every update is one
/// insert or remove), so it is used rather than propagated as a panic.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Server {
    fn next_generation(&self) -> u64 {
        self.state.generation.fetch_add(1, Ordering::Relaxed) + 1
    }

    fn current_generation(&self, uri: &Uri) -> Option<u64> {
        lock(&self.state.documents).get(uri).map(|d| d.generation)
    }

    /// Checks `uri` as of `generation` on a blocking thread; None when a
    /// newer edit has arrived (its own check will follow) or the check failed.
    async fn check(&self, uri: &Uri, generation: u64) -> Option<Arc<Snapshot>> {
        let state = self.state.clone();
        let uri = uri.clone();
        tokio::task::spawn_blocking(move || {
            let (text, version, overlay) = {
                let documents = lock(&state.documents);
                let doc = documents.get(&uri).filter(|d| d.generation == generation)?;
                (doc.text.clone(), doc.version, Overlay::new(documents.iter()))
            };
            // Taken out while in use: a check of the same document running
            // at the same time starts from an empty cache.
            let mut cache = lock(&state.parse_caches).remove(&uri).unwrap_or_default();
            let snapshot = Arc::new(Snapshot::check(uri.clone(), &text, version, generation, &overlay, &mut cache));
            if lock(&state.documents).contains_key(&uri) {
                lock(&state.parse_caches).insert(uri.clone(), cache);
            }
            let documents = lock(&state.documents);
            documents.get(&uri).filter(|d| d.generation == generation)?;
            lock(&state.snapshots).insert(uri, snapshot.clone());
            Some(snapshot)
        })
        .await
        .ok()
        .flatten()
    }

    /// The snapshot of the document's current text.
    async fn snapshot(&self, uri: &Uri) -> Result<Arc<Snapshot>> {
        let Some(generation) = self.current_generation(uri) else {
            return Err(Error::invalid_params(format!("document not open: {}", uri.as_str())));
        };
        let stored = lock(&self.state.snapshots).get(uri).cloned();
        if let Some(s) = stored.as_ref().filter(|s| s.generation == generation) {
            return Ok(s.clone());
        }
        if let Some(s) = self.check(uri, generation).await {
            return Ok(s);
        }
        // Edited again meanwhile: answer from the newest check there is.
        lock(&self.state.snapshots).get(uri).cloned().ok_or_else(|| Error::new(ErrorCode::ContentModified))
    }

    /// Checks, publishes diagnostics, then (when `dependents`) re-checks the
    /// open documents that import this one, and computes the live analysis.
    fn schedule(&self, uri: Uri, generation: u64, dependents: bool) {
        let server = self.clone();
        tokio::spawn(async move {
            let Some(snapshot) = server.check(&uri, generation).await else { return };
            server.publish(&snapshot).await;
            if dependents {
                for (other, generation) in server.importers(&uri) {
                    server.schedule(other, generation, false);
                }
            }
            // With errors there are no lenses or hints: the client must
            // drop the ones it shows now, not when it next asks.
            if snapshot.checked.has_errors() {
                server.refresh_lenses(&uri, generation).await;
                return;
            }
            // The analysis waits for a pause in typing, so that it does not
            // compete with the checks of a burst of edits for the CPU.
            tokio::time::sleep(ANALYSIS_DELAY).await;
            if server.current_generation(&uri) != Some(generation) {
                return;
            }
            let (stale, current) = (snapshot.clone(), server.clone());
            let superseded = move || current.current_generation(&stale.uri) != Some(stale.generation);
            let ahead = snapshot.clone();
            // What the lenses show: the overview, given up when stale, and
            // the expectations' results when the file has any.
            let ready = move || {
                ahead.overview_unless(&superseded).is_some()
                    && (ahead.checked.program.expectations.is_empty() || (!superseded() && ahead.live().is_some()))
            };
            if tokio::task::spawn_blocking(ready).await.unwrap_or(false) {
                server.refresh_lenses(&uri, generation).await;
            }
        });
    }

    /// Asks the client to fetch the code lenses and inlay hints (both
    /// read the live analysis) again, as far as it can, when `uri` is
    /// still at `generation`.
    async fn refresh_lenses(&self, uri: &Uri, generation: u64) {
        if self.current_generation(uri) != Some(generation) {
            return;
        }
        if self.state.lens_refresh.load(Ordering::Relaxed) {
            let _ = self.client.code_lens_refresh().await;
        }
        if self.state.hint_refresh.load(Ordering::Relaxed) {
            let _ = self.client.inlay_hint_refresh().await;
        }
    }

    /// Open documents (other than `uri`) whose last check read `uri`.
    fn importers(&self, uri: &Uri) -> Vec<(Uri, u64)> {
        // One lock at a time: `check` takes `documents` before `snapshots`.
        let readers: Vec<Uri> = lock(&self.state.snapshots)
            .iter()
            .filter(|(other, s)| *other != uri && s.files().any(|(_, u)| u == uri))
            .map(|(other, _)| other.clone())
            .collect();
        let documents = lock(&self.state.documents);
        readers.into_iter().filter_map(|other| documents.get(&other).map(|d| (other.clone(), d.generation))).collect()
    }

    async fn publish(&self, snapshot: &Snapshot) {
        let _order = self.state.publishing.lock().await;
        if self.current_generation(&snapshot.uri) != Some(snapshot.generation) {
            return;
        }
        let open: HashSet<Uri> = lock(&self.state.documents).keys().cloned().collect();
        let mut sent = Vec::new();
        for (file, list) in diagnostics::by_file(snapshot) {
            let Some(uri) = snapshot.uri(file) else { continue };
            let root = *uri == snapshot.uri;
            // An open import publishes its own diagnostics.
            if !root && open.contains(uri) {
                continue;
            }
            self.client.publish_diagnostics(uri.clone(), list, root.then_some(snapshot.version)).await;
            sent.push(uri.clone());
        }
        let previous = lock(&self.state.published).insert(snapshot.uri.clone(), sent.clone()).unwrap_or_default();
        for uri in previous.into_iter().filter(|u| !sent.contains(u)) {
            self.clear_if_unused(&uri, &open).await;
        }
    }

    /// Clears the diagnostics of a file no open document shows any more.
    async fn clear_if_unused(&self, uri: &Uri, open: &HashSet<Uri>) {
        let shown = open.contains(uri) || lock(&self.state.published).values().any(|list| list.contains(uri));
        if !shown {
            self.client.publish_diagnostics(uri.clone(), Vec::new(), None).await;
        }
    }
}

impl LanguageServer for Server {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let workspace = params.capabilities.workspace.as_ref();
        let lenses = workspace.and_then(|w| w.code_lens.as_ref()).and_then(|c| c.refresh_support);
        let hints = workspace.and_then(|w| w.inlay_hint.as_ref()).and_then(|c| c.refresh_support);
        self.state.lens_refresh.store(lenses.unwrap_or(false), Ordering::Relaxed);
        self.state.hint_refresh.store(hints.unwrap_or(false), Ordering::Relaxed);
        Ok(InitializeResult {
            capabilities: capabilities(),
            server_info: Some(ServerInfo {
                name: "dtr".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            ..InitializeResult::default()
        })
    }

    async fn shutdown(&self) -> Result<()> {
        self.state.shut_down.store(true, Ordering::Relaxed);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let generation = self.next_generation();
        let doc = params.text_document;
        lock(&self.state.documents).insert(doc.uri.clone(), Document::new(doc.text, doc.version, generation));
        self.schedule(doc.uri, generation, true);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let generation = self.next_generation();
        let uri = params.text_document.uri;
        {
            let mut documents = lock(&self.state.documents);
            let Some(doc) = documents.get_mut(&uri) else { return };
            doc.apply(params.content_changes, params.text_document.version, generation);
        }
        self.schedule(uri, generation, true);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let importers = self.importers(&uri);
        lock(&self.state.documents).remove(&uri);
        lock(&self.state.snapshots).remove(&uri);
        lock(&self.state.parse_caches).remove(&uri);
        let published = lock(&self.state.published).remove(&uri).unwrap_or_default();
        let open: HashSet<Uri> = lock(&self.state.documents).keys().cloned().collect();
        for u in published.iter().chain(std::iter::once(&uri)) {
            self.clear_if_unused(u, &open).await;
        }
        // They now read it from disk.
        for (other, generation) in importers {
            self.schedule(other, generation, false);
        }
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        let snapshot = self.snapshot(&p.text_document.uri).await?;
        blocking(move || hover::hover(&snapshot, p.position)).await
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        let p = params.text_document_position_params;
        let snapshot = self.snapshot(&p.text_document.uri).await?;
        Ok(navigation::goto_definition(&snapshot, p.position).map(GotoDefinitionResponse::Scalar))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let p = params.text_document_position;
        let snapshot = self.snapshot(&p.text_document.uri).await?;
        Ok(Some(navigation::references(&snapshot, p.position, params.context.include_declaration)))
    }

    async fn document_highlight(&self, params: DocumentHighlightParams) -> Result<Option<Vec<DocumentHighlight>>> {
        let p = params.text_document_position_params;
        let snapshot = self.snapshot(&p.text_document.uri).await?;
        Ok(Some(navigation::highlights(&snapshot, p.position)))
    }

    async fn prepare_rename(&self, params: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
        let snapshot = self.snapshot(&params.text_document.uri).await?;
        Ok(navigation::prepare_rename(&snapshot, params.position).map(PrepareRenameResponse::Range))
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let p = params.text_document_position;
        let snapshot = self.snapshot(&p.text_document.uri).await?;
        navigation::rename(&snapshot, p.position, &params.new_name)
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        let snapshot = self.snapshot(&params.text_document.uri).await?;
        Ok(Some(DocumentSymbolResponse::Nested(symbols::document_symbols(&snapshot))))
    }

    async fn symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
        let snapshots: Vec<Arc<Snapshot>> = lock(&self.state.snapshots).values().cloned().collect();
        let found = symbols::workspace_symbols(snapshots.iter().map(|s| s.as_ref()), &params.query);
        Ok(Some(WorkspaceSymbolResponse::Flat(found)))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let snapshot = self.snapshot(&params.text_document.uri).await?;
        Ok(Some(symbols::folding_ranges(&snapshot)))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let p = params.text_document_position;
        let snapshot = self.snapshot(&p.text_document.uri).await?;
        Ok(Some(CompletionResponse::Array(completion::complete(&snapshot, p.position))))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let snapshot = self.snapshot(&params.text_document.uri).await?;
        Ok(Some(actions::quick_fixes(&snapshot, params.range)))
    }

    /// The whole document, formatted by `fmt::format`; nothing when it has
    /// syntax errors (they are already shown as diagnostics).
    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let uri = params.text_document.uri;
        let Some(text) = lock(&self.state.documents).get(&uri).map(|d| d.text.clone()) else {
            return Err(Error::invalid_params(format!("document not open: {}", uri.as_str())));
        };
        blocking(move || {
            let formatted = dtr::fmt::format(&text).ok()?;
            if formatted == *text {
                return Some(Vec::new());
            }
            let end = dtr::source::LineIndex::new(&text).position(&text, text.len());
            Some(vec![TextEdit::new(Range::new(Position::new(0, 0), end), formatted)])
        })
        .await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let snapshot = self.snapshot(&params.text_document.uri).await?;
        blocking(move || Some(lens::lenses(&snapshot))).await
    }

    async fn semantic_tokens_full(&self, params: SemanticTokensParams) -> Result<Option<SemanticTokensResult>> {
        let snapshot = self.snapshot(&params.text_document.uri).await?;
        blocking(move || Some(SemanticTokensResult::Tokens(tokens::semantic_tokens(&snapshot)))).await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let snapshot = self.snapshot(&params.text_document.uri).await?;
        blocking(move || Some(hints::inlay_hints(&snapshot, params.range))).await
    }

    /// The lenses' commands (`commands`): `dtr.showReport` returns the
    /// report's text, `dtr.showEscalation` its HTML page;
    /// `dtr.runExpectations` shows how the expectations fared in a message
    /// and returns the same text.
    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        let command = commands::Command::named(&params.command)?;
        let target = commands::target(&params.arguments)?;
        let snapshot = self.snapshot(&target.uri).await?;
        let scenario = target.scenario;
        match command {
            commands::Command::ShowReport => {
                let report = blocking(move || commands::show_report(&snapshot, scenario.as_deref())).await??;
                Ok(Some(LSPAny::String(report)))
            }
            commands::Command::ShowEscalation => {
                let page = blocking(move || commands::show_escalation(&snapshot, scenario.as_deref())).await??;
                Ok(Some(LSPAny::String(page)))
            }
            commands::Command::RunExpectations => {
                let (kind, message) =
                    blocking(move || commands::run_expectations(&snapshot, scenario.as_deref())).await??;
                self.client.show_message(kind, &message).await;
                Ok(Some(LSPAny::String(message)))
            }
        }
    }
}

/// Runs analysis work off the async threads; a panic in it becomes an
/// internal error rather than the end of the server.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f).await.map_err(|_| Error::internal_error())
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            ..TextDocumentSyncOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(["[", ",", ":", " "].map(String::from).to_vec()),
            ..CompletionOptions::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        code_lens_provider: Some(CodeLensOptions { resolve_provider: Some(false) }),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: commands::ALL.map(String::from).to_vec(),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        }),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_highlight_provider: Some(OneOf::Left(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: tokens::legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: None,
                work_done_progress_options: WorkDoneProgressOptions::default(),
            },
        )),
        inlay_hint_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}
