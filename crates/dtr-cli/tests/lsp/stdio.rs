//! The built `dtr lsp` on standard input and output, written to as raw
//! bytes, so that tests can frame messages wrongly and see the exit code.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub struct Dtr {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: mpsc::Receiver<Value>,
}

const TIMEOUT: Duration = Duration::from_secs(30);

impl Dtr {
    /// Starts `dtr lsp` and initializes it.
    pub fn start() -> Dtr {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dtr"))
            .args(["lsp", "--stdio"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dtr lsp");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut out = BufReader::new(stdout);
            while let Some(message) = read_message(&mut out) {
                if tx.send(message).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        let mut dtr = Dtr { child, stdin, messages };
        dtr.send(&message(1, "initialize", json!({ "processId": null, "rootUri": null, "capabilities": {} })));
        assert!(dtr.response(&json!(1)).get("result").is_some(), "initialize failed");
        dtr.send(&json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }).to_string());
        dtr
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Writes bytes as they are.
    pub fn write(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write to dtr lsp");
        stdin.flush().expect("flush");
    }

    /// Writes one message, framed correctly.
    pub fn send(&mut self, body: &str) {
        self.write(&framed(body));
    }

    /// The next message from the server.
    pub fn receive(&mut self) -> Value {
        self.messages.recv_timeout(TIMEOUT).expect("a message from dtr lsp within 30 s")
    }

    /// Messages up to and including the responses to each of `ids`, in the
    /// order they came.
    pub fn until_responses(&mut self, ids: &[Value]) -> Vec<Value> {
        let mut seen = Vec::new();
        while !ids.iter().all(|id| seen.iter().any(|m: &Value| m.get("method").is_none() && &m["id"] == id)) {
            seen.push(self.receive());
        }
        seen
    }

    /// The response to request `id` (other messages are dropped).
    pub fn response(&mut self, id: &Value) -> Value {
        self.until_responses(std::slice::from_ref(id)).pop().expect("response")
    }

    /// Waits for the process to end, with standard input still open (a
    /// client may keep it open after `exit`).
    pub fn wait(&mut self) -> ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for dtr lsp") {
                return status;
            }
            assert!(start.elapsed() < TIMEOUT, "dtr lsp did not exit within 30 s");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Dtr {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A request's text.
pub fn message(id: i64, method: &str, params: Value) -> String {
    json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }).to_string()
}

pub fn framed(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

fn read_message(out: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if out.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            length = v.parse().ok();
        }
    }
    let mut body = vec![0; length?];
    out.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}
