//! The wire: `Content-Length` framed JSON-RPC over standard input/output.
//!
//! lsp-server's own stdio transport ends its reader at the first malformed
//! message. Here a message that is not JSON gets a JSON-RPC parse error
//! (-32700, id null), one that is JSON but not a request, response or
//! notification gets an invalid-request error (-32600) with its id when it
//! has one, and reading goes on with the next message.

use crossbeam_channel::{unbounded, Sender};
use lsp_server::Message;
use std::io::{self, BufRead, Write};

/// A larger message is refused (the body is skipped, not held).
const MAX_MESSAGE: usize = 256 << 20;

/// A longer header line is refused, and the rest of it skipped, not held
/// (the protocol's headers are `Content-Length` and `Content-Type`).
const MAX_HEADER_LINE: usize = 8 << 10;

/// What one frame held.
enum Frame {
    Message(Message),
    /// Not a message: the error to answer with.
    Error(serde_json::Value),
}

pub struct Threads {
    reader: std::thread::JoinHandle<()>,
    writer: std::thread::JoinHandle<()>,
}

impl Threads {
    /// Waits for the writer to flush every message sent before the
    /// connection was dropped. The reader is not waited for: it may be
    /// blocked on standard input that the client never closes.
    pub fn join(self) {
        let _ = self.writer.join();
        drop(self.reader);
    }
}

/// The connection over standard input/output, and its threads.
pub fn stdio() -> (lsp_server::Connection, Threads) {
    let (out_tx, out_rx) = unbounded::<Message>();
    let (in_tx, in_rx) = unbounded::<Message>();
    let writer = std::thread::Builder::new()
        .name("ecrlint-lsp-writer".into())
        .spawn(move || {
            for message in out_rx {
                let mut out = io::stdout().lock();
                if message.write(&mut out).is_err() {
                    break;
                }
            }
        })
        .expect("spawn the writer thread");
    let reader = std::thread::Builder::new()
        .name("ecrlint-lsp-reader".into())
        .spawn(move || read_loop(io::stdin().lock(), &in_tx))
        .expect("spawn the reader thread");
    (
        lsp_server::Connection {
            sender: out_tx,
            receiver: in_rx,
        },
        Threads { reader, writer },
    )
}

fn read_loop(mut input: impl BufRead, messages: &Sender<Message>) {
    loop {
        match read_frame(&mut input) {
            Ok(None) => return,
            Ok(Some(Frame::Message(m))) => {
                let exit = matches!(&m, Message::Notification(n) if n.method == "exit");
                if messages.send(m).is_err() || exit {
                    return;
                }
            }
            Ok(Some(Frame::Error(error))) => {
                // Written in one locked write, so it cannot interleave with
                // a message from the writer thread.
                let text = error.to_string();
                let mut out = io::stdout().lock();
                let written = write!(out, "Content-Length: {}\r\n\r\n{text}", text.len()).and_then(|()| out.flush());
                if written.is_err() {
                    return;
                }
            }
            // Standard input itself failed: nothing more will come.
            Err(_) => return,
        }
    }
}

fn error(id: serde_json::Value, code: i32, message: String) -> Frame {
    Frame::Error(serde_json::json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": { "code": code, "message": message },
    }))
}

const PARSE_ERROR: i32 = -32700;
const INVALID_REQUEST: i32 = -32600;

/// One frame; `None` at the end of input.
fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Frame>> {
    let mut length: Option<Result<usize, String>> = None;
    let mut line = Vec::new();
    let mut any_header = false;
    loop {
        line.clear();
        match read_line(input, &mut line)? {
            Line::End => return Ok(None),
            Line::TooLong => {
                return Ok(Some(error(
                    serde_json::Value::Null,
                    PARSE_ERROR,
                    format!("a header line is longer than the {MAX_HEADER_LINE}-byte limit"),
                )))
            }
            Line::Read => {}
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if any_header {
                break;
            }
            // Blank lines between messages are tolerated.
            continue;
        }
        any_header = true;
        if let Some((name, value)) = text.split_once(':') {
            if name.trim().eq_ignore_ascii_case("Content-Length") {
                length = Some(
                    value
                        .trim()
                        .parse::<usize>()
                        .map_err(|_| format!("Content-Length `{}` is not a number", value.trim())),
                );
            }
        }
    }
    let length = match length {
        None => {
            return Ok(Some(error(
                serde_json::Value::Null,
                PARSE_ERROR,
                "no Content-Length header".into(),
            )))
        }
        Some(Err(e)) => return Ok(Some(error(serde_json::Value::Null, PARSE_ERROR, e))),
        Some(Ok(n)) => n,
    };
    if length > MAX_MESSAGE {
        io::copy(&mut io::Read::take(&mut *input, length as u64), &mut io::sink())?;
        return Ok(Some(error(
            serde_json::Value::Null,
            INVALID_REQUEST,
            format!("a {length}-byte message is larger than the {MAX_MESSAGE}-byte limit"),
        )));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(decode(&body)))
}

enum Line {
    Read,
    /// Longer than [`MAX_HEADER_LINE`]: skipped to its end.
    TooLong,
    /// The end of input before any byte.
    End,
}

/// One line into `line`, newline included, holding at most
/// [`MAX_HEADER_LINE`] bytes of it.
fn read_line(input: &mut impl BufRead, line: &mut Vec<u8>) -> io::Result<Line> {
    let mut too_long = false;
    let mut any = false;
    loop {
        let buffer = match input.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buffer.is_empty() {
            break;
        }
        any = true;
        let (used, done) = match buffer.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buffer.len(), false),
        };
        if !too_long {
            if line.len() + used > MAX_HEADER_LINE {
                too_long = true;
                line.clear();
            } else {
                line.extend_from_slice(&buffer[..used]);
            }
        }
        input.consume(used);
        if done {
            break;
        }
    }
    Ok(match (any, too_long) {
        (false, _) => Line::End,
        (true, true) => Line::TooLong,
        (true, false) => Line::Read,
    })
}

fn decode(body: &[u8]) -> Frame {
    let value: serde_json::Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return error(serde_json::Value::Null, PARSE_ERROR, format!("not JSON: {e}")),
    };
    let id = value
        .get("id")
        .filter(|id| id.is_number() || id.is_string())
        .cloned()
        .unwrap_or(serde_json::Value::Null);
    match serde_json::from_value::<Message>(value) {
        Ok(m) => Frame::Message(m),
        Err(e) => error(
            id,
            INVALID_REQUEST,
            format!("not a JSON-RPC request, response or notification: {e}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &str) -> Vec<Frame> {
        let mut input = io::Cursor::new(input.as_bytes().to_vec());
        std::iter::from_fn(|| read_frame(&mut input).unwrap()).collect()
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn malformed_messages_are_answered_and_reading_goes_on() {
        let input = [
            frame("{not json"),
            frame(r#"{"jsonrpc":"2.0","id":7,"params":{}}"#),
            "Content-Length: x\r\n\r\n".to_string(),
            frame(r#"{"jsonrpc":"2.0","id":8,"method":"shutdown"}"#),
        ]
        .concat();
        let got = frames(&input);
        assert_eq!(got.len(), 4);
        let Frame::Error(e) = &got[0] else {
            panic!("not an error")
        };
        assert_eq!(
            (e["id"].clone(), e["error"]["code"].as_i64()),
            (serde_json::Value::Null, Some(-32700))
        );
        let Frame::Error(e) = &got[1] else {
            panic!("not an error")
        };
        assert_eq!((e["id"].as_i64(), e["error"]["code"].as_i64()), (Some(7), Some(-32600)));
        assert!(matches!(&got[2], Frame::Error(_)));
        assert!(matches!(&got[3], Frame::Message(Message::Request(r)) if r.method == "shutdown"));
    }

    #[test]
    fn a_header_line_over_the_limit_is_skipped_and_reading_goes_on() {
        let long = "X".repeat(MAX_HEADER_LINE * 3);
        let at_limit = format!("X-Padding: {}\r\n", "p".repeat(MAX_HEADER_LINE - 13));
        assert_eq!(at_limit.len(), MAX_HEADER_LINE);
        let shutdown = r#"{"jsonrpc":"2.0","id":8,"method":"shutdown"}"#;
        let input = format!("{long}\r\n{at_limit}{}", frame(shutdown));
        let got = frames(&input);
        assert_eq!(got.len(), 2);
        let Frame::Error(e) = &got[0] else {
            panic!("not an error")
        };
        assert_eq!(e["error"]["code"].as_i64(), Some(-32700));
        assert!(e["error"]["message"].as_str().unwrap().contains("header line"));
        assert!(matches!(&got[1], Frame::Message(Message::Request(r)) if r.method == "shutdown"));
        // An endless line: skipped to the end of input.
        let got = frames(&"Y".repeat(MAX_HEADER_LINE * 4));
        assert!(matches!(got.as_slice(), [Frame::Error(_)]));
    }
}
