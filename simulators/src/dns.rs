//! A loopback DNS server for custom domains: it answers TXT questions (over UDP, RFC 1035
//! wire format) from records a test sets, "no such name" for names it has none for, and
//! an empty answer for other record types at a known name. `POST /_simulator/dns/txt`
//! (`{"name", "value"}`) sets a record for tests in another process (the browser tests);
//! `DELETE /_simulator/dns` forgets them all.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, post};
use serde_json::Value;

const TXT: u16 = 16;
const CLASS_IN: u16 = 1;

#[derive(Clone, Default)]
pub struct DnsSim {
    /// Lower-case name without the final dot → TXT texts.
    records: Arc<Mutex<HashMap<String, Vec<String>>>>,
}

impl DnsSim {
    /// Starts on a free loopback UDP port; returns the server and its address.
    pub async fn start() -> (Self, SocketAddr) {
        Self::start_on(0).await
    }

    pub async fn start_on(port: u16) -> (Self, SocketAddr) {
        let sim = Self::default();
        let socket = tokio::net::UdpSocket::bind(("127.0.0.1", port))
            .await
            .unwrap_or_else(|e| panic!("the DNS simulator cannot listen on port {port}: {e}"));
        let addr = socket
            .local_addr()
            .unwrap_or_else(|e| panic!("no local address: {e}"));
        let serving = sim.clone();
        tokio::spawn(async move {
            let mut buf = vec![0u8; 1500];
            loop {
                let Ok((len, from)) = socket.recv_from(&mut buf).await else {
                    continue;
                };
                if let Some(answer) = serving.answer(&buf[..len]) {
                    let _ = socket.send_to(&answer, from).await;
                }
            }
        });
        (sim, addr)
    }

    /// Adds a TXT record at `name`.
    pub fn set_txt(&self, name: &str, value: &str) {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        self.lock().entry(name).or_default().push(value.to_owned());
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Vec<String>>> {
        self.records.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The control routes, for tests in another process.
    pub fn routes(&self) -> axum::Router {
        axum::Router::new()
            .route("/_simulator/dns/txt", post(set_txt))
            .route("/_simulator/dns", delete(clear))
            .with_state(self.clone())
    }

    /// The answer to one query, or `None` for a packet that is not one.
    fn answer(&self, query: &[u8]) -> Option<Vec<u8>> {
        if query.len() < 12 || query[2] & 0x80 != 0 {
            return None;
        }
        // One question: its labels, then type and class.
        let mut at = 12;
        let mut labels = Vec::new();
        loop {
            let len = usize::from(*query.get(at)?);
            at += 1;
            if len == 0 {
                break;
            }
            if len > 63 {
                return None;
            }
            labels.push(String::from_utf8_lossy(query.get(at..at + len)?).to_ascii_lowercase());
            at += len;
        }
        let qtype = u16::from_be_bytes([*query.get(at)?, *query.get(at + 1)?]);
        let question_end = at + 4;
        query.get(..question_end)?;
        let name = labels.join(".");
        let texts = self.lock().get(&name).cloned();

        let mut out = Vec::with_capacity(512);
        out.extend_from_slice(&query[..2]);
        // QR, the query's opcode and RD; AA and RA; NXDOMAIN for an unknown name.
        let flags_high = 0x80 | (query[2] & 0x79) | 0x04;
        let rcode = if texts.is_some() { 0 } else { 3 };
        out.push(flags_high);
        out.push(0x80 | rcode);
        let answers: Vec<String> = match (&texts, qtype) {
            (Some(texts), TXT) => texts.clone(),
            _ => Vec::new(),
        };
        out.extend_from_slice(&1u16.to_be_bytes());
        out.extend_from_slice(&(answers.len() as u16).to_be_bytes());
        out.extend_from_slice(&0u16.to_be_bytes());
        out.extend_from_slice(&0u16.to_be_bytes());
        out.extend_from_slice(&query[12..question_end]);
        for text in answers {
            let mut rdata = Vec::new();
            for chunk in text.as_bytes().chunks(255) {
                rdata.push(chunk.len() as u8);
                rdata.extend_from_slice(chunk);
            }
            out.extend_from_slice(&[0xc0, 0x0c]);
            out.extend_from_slice(&TXT.to_be_bytes());
            out.extend_from_slice(&CLASS_IN.to_be_bytes());
            out.extend_from_slice(&60u32.to_be_bytes());
            out.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
            out.extend_from_slice(&rdata);
        }
        Some(out)
    }
}

async fn set_txt(State(sim): State<DnsSim>, Json(body): Json<Value>) -> StatusCode {
    match (body["name"].as_str(), body["value"].as_str()) {
        (Some(name), Some(value)) if !name.is_empty() => {
            sim.set_txt(name, value);
            StatusCode::NO_CONTENT
        }
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

async fn clear(State(sim): State<DnsSim>) -> StatusCode {
    sim.clear();
    StatusCode::NO_CONTENT
}
