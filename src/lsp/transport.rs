//! A guard between the editor's byte stream and tower-lsp-server. The
//! server's codec ends the whole stream at the first message it cannot
//! decode (tokio-util's `FramedRead` stops after a decoder error), so one
//! malformed message would kill the server. Here each message is framed and
//! checked first: a bad one is answered with the JSON-RPC error it deserves
//! (parse error or invalid request) and never reaches the server.

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc;

/// Larger bodies are refused (and skipped) rather than buffered.
const MAX_MESSAGE: usize = 256 << 20;

pub enum Frame {
    Body(Vec<u8>),
    /// Headers without a usable `Content-Length`, or a body too large.
    Broken,
}

/// Reads one framed message; None at the end of the stream.
pub async fn read_frame<R: AsyncRead + Unpin>(input: &mut BufReader<R>) -> Option<Frame> {
    let mut length: Option<usize> = None;
    let mut saw_header = false;
    loop {
        let mut line = Vec::new();
        if input.read_until(b'\n', &mut line).await.ok()? == 0 {
            return None;
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim();
        if line.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok();
        }
    }
    let Some(length) = length else { return Some(Frame::Broken) };
    if length > MAX_MESSAGE {
        tokio::io::copy(&mut input.take(length as u64), &mut tokio::io::sink()).await.ok()?;
        return Some(Frame::Broken);
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body).await.ok()?;
    Some(Frame::Body(body))
}

pub async fn write_frame<W: AsyncWrite + Unpin>(output: &mut W, body: &[u8]) -> std::io::Result<()> {
    output.write_all(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes()).await?;
    output.write_all(body).await?;
    output.flush().await
}

/// The error reply a body deserves, or None when the server can take it.
pub fn reject(body: &[u8]) -> Option<Vec<u8>> {
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return Some(error(Value::Null, jsonrpc::Error::parse_error()));
    };
    let ok = serde_json::from_value::<jsonrpc::Request>(value.clone()).is_ok()
        || serde_json::from_value::<jsonrpc::Response>(value.clone()).is_ok();
    if ok {
        return None;
    }
    let id = value.get("id").filter(|id| id.is_number() || id.is_string()).cloned().unwrap_or(Value::Null);
    Some(error(id, jsonrpc::Error::invalid_request()))
}

fn error(id: Value, e: jsonrpc::Error) -> Vec<u8> {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": e.code.code(), "message": e.message } }).to_string().into_bytes()
}

/// Forwards good messages from `input` to the server; sends replies for bad ones to `replies`.
pub async fn filter_input<R, W>(input: R, mut server: W, replies: mpsc::UnboundedSender<Vec<u8>>)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut input = BufReader::new(input);
    while let Some(frame) = read_frame(&mut input).await {
        let reply = match &frame {
            Frame::Body(body) => reject(body),
            Frame::Broken => Some(error(Value::Null, jsonrpc::Error::parse_error())),
        };
        match (reply, frame) {
            (Some(reply), _) => {
                if replies.send(reply).is_err() {
                    return;
                }
            }
            (None, Frame::Body(body)) => {
                if write_frame(&mut server, &body).await.is_err() {
                    return;
                }
            }
            (None, Frame::Broken) => {}
        }
    }
}

/// Copies the server's messages to `output`, with the guard's replies between them.
pub async fn merge_output<R, W>(server: R, mut replies: mpsc::UnboundedReceiver<Vec<u8>>, mut output: W)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut server = BufReader::new(server);
    loop {
        tokio::select! {
            frame = read_frame(&mut server) => match frame {
                Some(Frame::Body(body)) => {
                    if write_frame(&mut output, &body).await.is_err() {
                        return;
                    }
                }
                Some(Frame::Broken) => {}
                None => return,
            },
            Some(reply) = replies.recv() => {
                if write_frame(&mut output, &reply).await.is_err() {
                    return;
                }
            }
        }
    }
}
