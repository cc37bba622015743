//! A minimal LSP client over an in-memory pipe, driving `dtr_lsp::serve`.

use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream, ReadHalf, WriteHalf};

pub struct Client {
    write: WriteHalf<DuplexStream>,
    read: BufReader<ReadHalf<DuplexStream>>,
    next_id: i64,
    /// Notifications received while waiting for something else.
    pub notifications: VecDeque<Value>,
    /// Responses received while waiting for another one, by id.
    responses: HashMap<i64, Value>,
    /// Requests from the server (answered with null), by method, counted.
    pub server_requests: HashMap<String, usize>,
    /// The `initialize` result.
    pub initialized: Value,
}

const TIMEOUT: Duration = Duration::from_secs(30);

impl Client {
    /// Starts a server and initializes it.
    pub async fn start() -> Client {
        let (client_end, server_end) = tokio::io::duplex(1 << 20);
        let (server_read, server_write) = tokio::io::split(server_end);
        tokio::spawn(dtr_lsp::serve(server_read, server_write));
        let (read, write) = tokio::io::split(client_end);
        let mut client = Client {
            write,
            read: BufReader::new(read),
            next_id: 0,
            notifications: VecDeque::new(),
            responses: HashMap::new(),
            server_requests: HashMap::new(),
            initialized: Value::Null,
        };
        let capabilities =
            json!({ "workspace": { "codeLens": { "refreshSupport": true }, "inlayHint": { "refreshSupport": true } } });
        let init = client
            .request("initialize", json!({ "processId": null, "rootUri": null, "capabilities": capabilities }))
            .await;
        client.initialized = init.get("result").cloned().unwrap_or_else(|| panic!("initialize failed: {init}"));
        client.notify("initialized", json!({})).await;
        client
    }

    pub async fn send_raw(&mut self, body: &[u8]) {
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        self.write.write_all(header.as_bytes()).await.expect("write header");
        self.write.write_all(body).await.expect("write body");
        self.write.flush().await.expect("flush");
    }

    /// Writes bytes as they are, with no framing.
    pub async fn send_raw_unframed(&mut self, bytes: &[u8]) {
        self.write.write_all(bytes).await.expect("write");
        self.write.flush().await.expect("flush");
    }

    async fn send(&mut self, message: Value) {
        self.send_raw(message.to_string().as_bytes()).await;
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params })).await;
    }

    /// Sends a request without waiting; returns its id.
    pub async fn start_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params })).await;
        id
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.start_request(method, params).await;
        self.response(id).await
    }

    /// The `result` of a request, which must succeed.
    pub async fn call(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params).await;
        match response.get("result") {
            Some(r) => r.clone(),
            None => panic!("{method} failed: {response}"),
        }
    }

    pub async fn response(&mut self, id: i64) -> Value {
        loop {
            if let Some(response) = self.responses.remove(&id) {
                return response;
            }
            let message = self.receive().await;
            self.handle(message).await;
        }
    }

    /// Reads one message (panics after a timeout: a silent server is a failure).
    pub async fn receive(&mut self) -> Value {
        tokio::time::timeout(TIMEOUT, self.read_message()).await.expect("no message from the server within 30 s")
    }

    async fn read_message(&mut self) -> Value {
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            let n = self.read.read_line(&mut line).await.expect("read header");
            assert!(n > 0, "server closed the stream");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                length = v.parse().expect("length");
            }
        }
        let mut body = vec![0; length];
        self.read.read_exact(&mut body).await.expect("read body");
        serde_json::from_slice(&body).expect("JSON body")
    }

    /// Answers server-to-client requests; keeps notifications and responses.
    async fn handle(&mut self, message: Value) {
        match (message.get("id"), message.get("method")) {
            (Some(id), Some(method)) => {
                *self.server_requests.entry(method.as_str().unwrap_or("").to_string()).or_default() += 1;
                let id = id.clone();
                self.send(json!({ "jsonrpc": "2.0", "id": id, "result": null })).await;
            }
            (None, Some(_)) => self.notifications.push_back(message),
            (Some(id), None) => {
                if let Some(id) = id.as_i64() {
                    self.responses.insert(id, message);
                }
            }
            (None, None) => {}
        }
    }

    /// The next `publishDiagnostics` for `uri` whose (root) version is at
    /// least `version` (imports are published without a version).
    pub async fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        loop {
            let wanted = |m: &Value| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["uri"] == uri
                    && version.is_none_or(|v| m["params"]["version"].as_i64().is_some_and(|got| got >= v))
            };
            if let Some(at) = self.notifications.iter().position(wanted) {
                let m = self.notifications.remove(at).unwrap_or_default();
                // Only the newest publication counts.
                if !self.notifications.iter().any(wanted) {
                    return m["params"]["diagnostics"].as_array().cloned().unwrap_or_default();
                }
                continue;
            }
            let message = self.receive().await;
            self.handle(message).await;
        }
    }

    /// Waits until the server has sent `method` more than `seen` times.
    pub async fn server_request(&mut self, method: &str, seen: usize) {
        while self.server_requests.get(method).copied().unwrap_or(0) <= seen {
            let message = self.receive().await;
            self.handle(message).await;
        }
    }

    /// The next notification `method`, skipping others.
    pub async fn notification(&mut self, method: &str) -> Value {
        loop {
            if let Some(at) = self.notifications.iter().position(|m| m["method"] == method) {
                return self.notifications.remove(at).unwrap_or_default();
            }
            let message = self.receive().await;
            self.handle(message).await;
        }
    }

    pub async fn open(&mut self, uri: &str, text: &str) {
        let doc = json!({ "uri": uri, "languageId": "dtr", "version": 1, "text": text });
        self.notify("textDocument/didOpen", json!({ "textDocument": doc })).await;
    }

    pub async fn change(&mut self, uri: &str, version: i64, changes: Value) {
        let params = json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": changes });
        self.notify("textDocument/didChange", params).await;
    }
}

/// `{"textDocument": {"uri"}, "position": {line, character}}`.
pub fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } })
}

/// The position of the `nth` (0-based) occurrence of `needle` in `text`, plus `offset` characters.
pub fn find(text: &str, needle: &str, nth: usize, offset: u32) -> (u32, u32) {
    let byte = text.match_indices(needle).nth(nth).map(|(i, _)| i).expect("needle in text");
    let line = text[..byte].matches('\n').count() as u32;
    let start = text[..byte].rfind('\n').map_or(0, |i| i + 1);
    (line, text[start..byte].encode_utf16().count() as u32 + offset)
}
