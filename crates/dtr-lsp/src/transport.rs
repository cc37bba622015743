//! A guard between the editor's byte stream and tower-lsp-server. The
//! server's codec ends the whole stream at the first message it cannot
//! decode (tokio-util's `FramedRead` stops after a decoder error), so one
//! malformed message would kill the server. Here each message is framed and
//! checked first: a bad one is answered with the JSON-RPC error it deserves
//! (parse error or invalid request) and never reaches the server.
//!
//! Framing recovers from a wrong or missing `Content-Length`: the bytes of
//! the bad message are discarded up to the next `Content-Length` header, and
//! reading goes on from there. A complete header line (`Content-Length: N`
//! and a line end) cannot occur inside a JSON text, since JSON strings hold
//! no raw line ends, so a body that contains one was given a length too
//! large, and ends where that header starts. Memory is bounded by the
//! largest message: a header block longer than [`MAX_HEADER`] is not
//! buffered, and the bytes skipped while searching are dropped as read.

use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc;

/// Larger bodies are refused (and skipped) rather than buffered.
const MAX_MESSAGE: usize = 256 << 20;
/// The most bytes a header block (the lines before the blank line) may
/// take; real ones take about 30.
pub const MAX_HEADER: usize = 8 << 10;
/// Bytes read from the stream at a time.
const CHUNK: usize = 64 << 10;
const CONTENT_LENGTH: &[u8] = b"content-length";

pub enum Frame {
    Body(Vec<u8>),
    /// Bytes that did not frame a message, discarded: `reason` says why,
    /// `id` is the request's id when it could be read from them (else null).
    Broken {
        id: Value,
        reason: String,
    },
}

/// Reads framed messages from a byte stream, resynchronising after bad ones.
pub struct Framer<R> {
    input: R,
    /// Bytes read and not yet framed.
    buf: Vec<u8>,
    /// Set once an error was reported, until the next good header: what is
    /// skipped meanwhile belongs to that error and is not reported again.
    recovering: bool,
}

/// What the bytes at the start of the buffer hold.
enum Header {
    /// A header block and the length of the body that follows it.
    Complete { end: usize, length: usize },
    /// Not a header block (the reason), or one whose body cannot be read.
    Bad(String),
    /// Possibly a header block, not yet whole.
    Incomplete,
}

impl<R: AsyncRead + Unpin> Framer<R> {
    pub fn new(input: R) -> Framer<R> {
        Framer { input, buf: Vec::new(), recovering: false }
    }

    /// Reads more bytes; false at the end of the stream (or on an error).
    async fn fill(&mut self) -> bool {
        self.buf.reserve(CHUNK);
        matches!(self.input.read_buf(&mut self.buf).await, Ok(n) if n > 0)
    }

    /// The next message, or the report of bytes that were not one; None at
    /// the end of the stream.
    pub async fn next(&mut self) -> Option<Frame> {
        loop {
            // Blank lines between messages are tolerated.
            let blank = self.buf.iter().take_while(|b| b.is_ascii_whitespace()).count();
            self.buf.drain(..blank);
            let header = match header(&self.buf) {
                Header::Incomplete if self.buf.len() > MAX_HEADER => {
                    Header::Bad(format!("a header block longer than {MAX_HEADER} bytes"))
                }
                h => h,
            };
            match header {
                Header::Incomplete => {
                    if !self.fill().await {
                        return None;
                    }
                }
                // Reported at once; the next call skips the bytes.
                Header::Bad(reason) if !self.recovering => {
                    self.recovering = true;
                    return Some(Frame::Broken { id: Value::Null, reason });
                }
                Header::Bad(_) => {
                    if !self.skip_to_header().await {
                        return None;
                    }
                }
                Header::Complete { end, length } => {
                    self.recovering = false;
                    return self.body(end, length).await;
                }
            }
        }
    }

    /// Drops bytes up to the next `Content-Length` after the first byte
    /// (keeping only what a match could still start in); false at the end
    /// of the stream.
    async fn skip_to_header(&mut self) -> bool {
        let mut from = 1;
        loop {
            if let Some(at) = find_ignore_case(&self.buf, CONTENT_LENGTH, from) {
                self.buf.drain(..at);
                return true;
            }
            let keep = (CONTENT_LENGTH.len() - 1).min(self.buf.len().saturating_sub(1));
            self.buf.drain(..self.buf.len() - keep);
            from = 0;
            if !self.fill().await {
                return false;
            }
        }
    }

    /// The body of `length` bytes after the header that ends at `end`,
    /// unless a header begins inside it first. The header is dropped only
    /// with its body, so that a call cancelled meanwhile (`merge_output`'s
    /// `select!`) leaves the buffer as it found it.
    async fn body(&mut self, end: usize, length: usize) -> Option<Frame> {
        let mut scanned = end;
        loop {
            let have = self.buf.len().min(end + length);
            if let Some(at) = find_header_line(&self.buf[..have], scanned) {
                let id = request_id(&self.buf[end..at]);
                self.buf.drain(..at);
                self.recovering = true;
                let reason =
                    format!("`Content-Length` is {length}, but the next message begins after {} bytes", at - end);
                return Some(Frame::Broken { id, reason });
            }
            if have == end + length {
                let rest = self.buf.split_off(end + length);
                let mut message = std::mem::replace(&mut self.buf, rest);
                message.drain(..end);
                return Some(Frame::Body(message));
            }
            // A header line is short: one that starts in the bytes already
            // scanned ends within this margin of them.
            scanned = have.saturating_sub(64).max(end);
            if !self.fill().await {
                return None;
            }
        }
    }

    /// Discards a body that is not JSON and reads on from the next header:
    /// its length may have been wrong, so the next message may begin inside it.
    pub fn discard(&mut self, mut body: Vec<u8>) {
        if !body.is_empty() {
            body.remove(0);
        }
        body.extend_from_slice(&self.buf);
        self.buf = body;
        self.recovering = true;
    }
}

/// Reads the header block at the start of `buf`. Lines end with CRLF (a
/// bare LF is accepted) and are `Name: value`; a blank line ends the block.
fn header(buf: &[u8]) -> Header {
    let mut length: Option<Result<usize, ()>> = None;
    let mut at = 0;
    loop {
        let Some(newline) = buf[at..].iter().position(|&b| b == b'\n') else {
            // A partial line that cannot become a header already is none.
            return if header_name(&buf[at..]).is_some() { Header::Incomplete } else { Header::Bad(not_a_header(at)) };
        };
        let start = at;
        let line = &buf[start..start + newline];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        at += newline + 1;
        if line.is_empty() {
            break;
        }
        let Some(name) = header_name(line).filter(|n| *n < line.len()) else { return Header::Bad(not_a_header(start)) };
        if line[..name].eq_ignore_ascii_case(CONTENT_LENGTH) {
            let value = String::from_utf8_lossy(&line[name + 1..]);
            length = Some(value.trim().parse().map_err(|_| ()));
        }
    }
    match length {
        None => Header::Bad("a header block without `Content-Length`".to_string()),
        Some(Err(())) => Header::Bad("a `Content-Length` that is not a number".to_string()),
        Some(Ok(n)) if n > MAX_MESSAGE => {
            Header::Bad(format!("a `Content-Length` of {n} bytes, over the {MAX_MESSAGE}-byte limit"))
        }
        Some(Ok(length)) => Header::Complete { end: at, length },
    }
}

fn not_a_header(at: usize) -> String {
    if at == 0 {
        "bytes that are not a message header".to_string()
    } else {
        "a header line that is not `Name: value`".to_string()
    }
}

/// The length of the header name that `line` starts with (the index of its
/// `:`, or the whole line while no `:` has come), None when it has bytes no
/// header name has. Names are HTTP tokens (RFC 9110).
fn header_name(line: &[u8]) -> Option<usize> {
    let name = line.iter().position(|&b| b == b':').unwrap_or(line.len());
    let token = |b: &u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(b);
    line[..name].iter().all(token).then_some(name)
}

fn find_ignore_case(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let last = haystack.len().checked_sub(needle.len())?;
    (from..=last).find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// Where the first whole `Content-Length: N` line starts, at or after `from`.
fn find_header_line(bytes: &[u8], mut from: usize) -> Option<usize> {
    while let Some(at) = find_ignore_case(bytes, CONTENT_LENGTH, from) {
        let rest = &bytes[at + CONTENT_LENGTH.len()..];
        let blanks = |s: &[u8]| s.iter().take_while(|b| matches!(b, b' ' | b'\t')).count();
        let mut i = blanks(rest);
        if rest.get(i) == Some(&b':') {
            i += 1;
            i += blanks(&rest[i..]);
            let digits = rest[i..].iter().take_while(|b| b.is_ascii_digit()).count();
            i += digits;
            i += blanks(&rest[i..]);
            let end = rest.get(i) == Some(&b'\n') || rest[i..].starts_with(b"\r\n");
            if digits > 0 && end {
                return Some(at);
            }
        }
        from = at + 1;
    }
    None
}

/// The `id` of a JSON-RPC request that may be cut short or run into the
/// next message: the value of its top-level `"id"` key when that is whole,
/// else null.
fn request_id(bytes: &[u8]) -> Value {
    let blank = |i: usize| i + bytes[i.min(bytes.len())..].iter().take_while(|b| b.is_ascii_whitespace()).count();
    let mut i = blank(0);
    if bytes.get(i) != Some(&b'{') {
        return Value::Null;
    }
    let mut depth = 0usize;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                let Some(end) = string_end(bytes, i) else { break };
                let colon = blank(end + 1);
                if depth == 1 && &bytes[i..=end] == b"\"id\"" && bytes.get(colon) == Some(&b':') {
                    return id_value(&bytes[blank(colon + 1)..]).unwrap_or(Value::Null);
                }
                i = end;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
        i += 1;
    }
    Value::Null
}

/// The index of the quote that closes the string starting at `start`.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// An id (a string or an integer) at the start of `bytes`, when it is
/// followed by something, so that it is known to be whole.
fn id_value(bytes: &[u8]) -> Option<Value> {
    let end = match bytes.first()? {
        b'"' => string_end(bytes, 0)? + 1,
        _ => bytes.iter().position(|b| !(b.is_ascii_digit() || b"-+.eE".contains(b)))?,
    };
    let id: Value = serde_json::from_slice(&bytes[..end]).ok()?;
    (id.is_string() || id.is_i64() || id.is_u64()).then_some(id)
}

pub async fn write_frame<W: AsyncWrite + Unpin>(output: &mut W, body: &[u8]) -> std::io::Result<()> {
    output.write_all(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes()).await?;
    output.write_all(body).await?;
    output.flush().await
}

/// What the guard does with a message that is JSON.
enum Verdict {
    /// To the server: as it came, or rewritten.
    Forward(Option<Value>),
    Reject(Vec<u8>),
}

fn judge(mut value: Value) -> Verdict {
    let ok = serde_json::from_value::<jsonrpc::Request>(value.clone()).is_ok()
        || serde_json::from_value::<jsonrpc::Response>(value.clone()).is_ok();
    if ok {
        return Verdict::Forward(drop_empty_params(&mut value).then_some(value));
    }
    let id = value.get("id").filter(|id| id.is_number() || id.is_string()).cloned().unwrap_or(Value::Null);
    Verdict::Reject(error(id, jsonrpc::Error::invalid_request()))
}

/// `shutdown` and `exit` take no parameters; the protocol lets a client
/// send them as absent, null or `{}`, and tower-lsp-server accepts only
/// the first two, so `{}` is dropped here. True when it was.
fn drop_empty_params(value: &mut Value) -> bool {
    let method = value.get("method").and_then(Value::as_str);
    matches!(method, Some("shutdown" | "exit"))
        && value.get("params").and_then(Value::as_object).is_some_and(|p| p.is_empty())
        && value.as_object_mut().and_then(|message| message.remove("params")).is_some()
}

fn error(id: Value, e: jsonrpc::Error) -> Vec<u8> {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": e.code.code(), "message": e.message } })
        .to_string()
        .into_bytes()
}

/// The replies to bytes that did not frame a message: a parse error for
/// the client (with the request's id when it was found) and an entry in
/// its log, since a null id ties the error to no request.
fn broken(id: Value, reason: &str) -> [Vec<u8>; 2] {
    let e = jsonrpc::Error { message: format!("Parse error: {reason}").into(), ..jsonrpc::Error::parse_error() };
    let text = format!("dtr lsp: a message was discarded ({reason}); reading on from the next `Content-Length` header");
    let log = json!({ "jsonrpc": "2.0", "method": "window/logMessage", "params": { "type": 1, "message": text } });
    [error(id, e), log.to_string().into_bytes()]
}

/// Forwards good messages from `input` to the server; sends replies for bad ones to `replies`.
pub async fn filter_input<R, W>(input: R, mut server: W, replies: mpsc::UnboundedSender<Vec<u8>>)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut input = Framer::new(input);
    while let Some(frame) = input.next().await {
        let (forward, reply) = match frame {
            Frame::Body(body) => match serde_json::from_slice::<Value>(&body) {
                Ok(value) => match judge(value) {
                    Verdict::Forward(None) => (Some(body), Vec::new()),
                    Verdict::Forward(Some(rewritten)) => (Some(rewritten.to_string().into_bytes()), Vec::new()),
                    Verdict::Reject(reply) => (None, vec![reply]),
                },
                Err(_) => {
                    let id = request_id(&body);
                    input.discard(body);
                    (None, broken(id, "a message that is not JSON").to_vec())
                }
            },
            Frame::Broken { id, reason } => (None, broken(id, &reason).to_vec()),
        };
        for message in reply {
            if replies.send(message).is_err() {
                return;
            }
        }
        if let Some(body) = forward
            && write_frame(&mut server, &body).await.is_err()
        {
            return;
        }
    }
}

/// Copies the server's messages to `output`, with the guard's replies between them.
pub async fn merge_output<R, W>(server: R, mut replies: mpsc::UnboundedReceiver<Vec<u8>>, mut output: W)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut server = Framer::new(server);
    loop {
        // Replies first: one queued before the server answered a later
        // message goes out before that answer.
        tokio::select! {
            biased;
            Some(reply) = replies.recv() => {
                if write_frame(&mut output, &reply).await.is_err() {
                    return;
                }
            }
            frame = server.next() => match frame {
                Some(Frame::Body(body)) => {
                    if write_frame(&mut output, &body).await.is_err() {
                        return;
                    }
                }
                Some(Frame::Broken { .. }) => {}
                None => return,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_of_a_message_cut_short_or_run_on() {
        assert_eq!(request_id(br#"{"jsonrpc":"2.0","id":7,"method":"shut"#), json!(7));
        assert_eq!(request_id(br#"{"params":{"id":3},"id":"a\"b","method":"x"}Content-Length: 5"#), json!("a\"b"));
        // Cut inside the id: it may have had more digits.
        assert_eq!(request_id(br#"{"jsonrpc":"2.0","id":12"#), Value::Null);
        assert_eq!(request_id(br#"{"id":1.5,"method":"x"}"#), Value::Null);
        assert_eq!(request_id(br#"{"method":"exit"}{"id":4}"#), Value::Null);
        assert_eq!(request_id(br#"[{"id":4}]"#), Value::Null);
        assert_eq!(request_id(b""), Value::Null);
    }

    #[test]
    fn header_lines_are_found_only_whole() {
        assert_eq!(find_header_line(b"{\"a\":1}Content-Length: 12\r\n\r\n", 0), Some(7));
        assert_eq!(find_header_line(b"{\"a\":\"content-length: 12\"}\n", 0), None);
        assert_eq!(find_header_line(b"xx content-LENGTH :3\n", 0), Some(3));
        assert_eq!(find_header_line(b"Content-Length: 12", 0), None);
    }
}
