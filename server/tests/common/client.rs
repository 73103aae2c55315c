//! A browser on one host, for a `TestApp`: keeps its session cookie, sends same-origin
//! headers, and reads answers whole.

use app::error::AppError;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use server_fn::codec::Encoding;
use server_fn::{Http, ServerFn};

use super::TestApp;

/// A browser on one host: keeps the session cookie, sends same-origin headers.
pub struct Client<'a> {
    pub(super) app: &'a TestApp,
    pub host: String,
    pub cookie: Option<String>,
}

impl Client<'_> {
    /// The app this client talks to (to run its queue, say).
    pub fn app(&self) -> &TestApp {
        self.app
    }
}

impl TestApp {
    pub fn client(&self, host: &str) -> Client<'_> {
        Client {
            app: self,
            host: host.to_owned(),
            cookie: None,
        }
    }

    /// A client signed in as `email` (demo password) on `host`.
    pub async fn signed_in(&self, host: &str, email: &str) -> Client<'_> {
        let mut client = self.client(host);
        let response = client.login(email, server::seed::DEMO_PASSWORD).await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "{email} signs in: {}",
            response.body
        );
        client
    }
}

impl Client<'_> {
    pub async fn get(&self, path: &str) -> TestResponse {
        let mut request = Request::builder()
            .method(Method::GET)
            .uri(path)
            .header("host", &self.host);
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        self.app.request(request.body(Body::empty()).unwrap()).await
    }

    /// POSTs a form to `path` from this host's own pages, keeping any new session cookie.
    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> TestResponse {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header("host", &self.host)
            .header("origin", format!("http://{}", self.host))
            .header("accept", "application/json")
            .header("content-type", "application/x-www-form-urlencoded")
            // As browsers send it, so an oversized form is refused before it is read.
            .header("content-length", body.len());
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        let response = self
            .app
            .request(request.body(Body::from(body)).unwrap())
            .await;
        self.keep_session(&response);
        response
    }

    /// POSTs `bytes` as the `file` of a multipart form from this host's own pages.
    pub async fn upload(&self, path: &str, file_name: &str, bytes: &[u8]) -> TestResponse {
        const BOUNDARY: &str = "g365-test-boundary";
        let mut body = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header("host", &self.host)
            .header("origin", format!("http://{}", self.host))
            .header("accept", "text/html")
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            );
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        self.app
            .request(request.body(Body::from(body)).unwrap())
            .await
    }

    /// POSTs `bytes` as the whole body, of `content_type`, from this host's own pages (a
    /// file streamed as it is, like a campaign's list).
    pub async fn post_body(&self, path: &str, content_type: &str, bytes: Vec<u8>) -> TestResponse {
        self.post_body_with(path, content_type, bytes, &[("accept", "application/json")])
            .await
    }

    /// `post_body` with headers of the caller's (`accept`, say) beside the usual ones.
    pub async fn post_body_with(
        &self,
        path: &str,
        content_type: &str,
        bytes: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header("content-length", bytes.len())
            .header("host", &self.host)
            .header("origin", format!("http://{}", self.host))
            .header("content-type", content_type);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        self.app
            .request(request.body(Body::from(bytes)).unwrap())
            .await
    }

    /// POSTs JSON to a server function that takes JSON input.
    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> TestResponse {
        let body = body.to_string();
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(path)
            // As every HTTP client sends it.
            .header("content-length", body.len())
            .header("host", &self.host)
            .header("origin", format!("http://{}", self.host))
            .header("accept", "application/json")
            .header("content-type", "application/json");
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        self.app
            .request(request.body(Body::from(body)).unwrap())
            .await
    }

    /// Calls server function `F` as this host's pages do: at its own path, with its own
    /// method and input encoding (a query, a form or JSON). Answers what it returns, or the
    /// status and [`AppError`] it refused with; a new session cookie is kept.
    pub async fn call<F, I, O>(&mut self, args: F) -> Result<F::Output, Refused>
    where
        F: ServerFn<Protocol = Http<I, O>, Error = AppError> + Serialize,
        F::Output: DeserializeOwned,
        I: Encoding,
    {
        let response = self.send(args).await;
        if response.status.is_success() {
            Ok(serde_json::from_str(&response.body).unwrap_or_else(|e| {
                panic!(
                    "{} answered what it does not return ({e}): {}",
                    F::PATH,
                    response.body
                )
            }))
        } else {
            Err(Refused {
                status: response.status,
                error: serde_json::from_str(&response.body).unwrap_or_else(|e| {
                    panic!(
                        "{} refused without an AppError ({e}): {}",
                        F::PATH,
                        response.body
                    )
                }),
            })
        }
    }

    /// Sends server function `F`'s request as [`Client::call`] does and answers the
    /// response whole, for tests about its headers (`Retry-After`, `Set-Cookie`,
    /// `Location`).
    pub async fn send<F, I, O>(&mut self, args: F) -> TestResponse
    where
        F: ServerFn<Protocol = Http<I, O>, Error = AppError> + Serialize,
        I: Encoding,
    {
        let json = I::CONTENT_TYPE == "application/json";
        let encoded = if json {
            serde_json::to_string(&args).unwrap()
        } else {
            serde_qs::to_string(&args).unwrap()
        };
        let (uri, body) = match I::METHOD {
            Method::GET => (format!("{}?{encoded}", F::PATH), String::new()),
            _ => (F::PATH.to_owned(), encoded),
        };
        let mut request = Request::builder()
            .method(I::METHOD)
            .uri(uri)
            .header("host", &self.host)
            .header("origin", format!("http://{}", self.host))
            .header("accept", "application/json");
        if I::METHOD != Method::GET {
            request = request
                .header("content-type", I::CONTENT_TYPE)
                .header("content-length", body.len());
        }
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        let response = self
            .app
            .request(request.body(Body::from(body)).unwrap())
            .await;
        self.keep_session(&response);
        response
    }

    /// Keeps the session cookie a response sets (or forgets it when the response clears it).
    fn keep_session(&mut self, response: &TestResponse) {
        for value in response.headers.get_all("set-cookie") {
            let value = value.to_str().unwrap_or_default();
            // Over HTTPS (APP_URL https://) the cookie carries the `__Host-` prefix.
            if let Some(pair) = value.split(';').next()
                && let Some((name, token)) = pair.split_once('=')
                && name.trim_start_matches("__Host-") == "g365_session"
            {
                self.cookie = (!token.is_empty()).then(|| pair.to_owned());
            }
        }
    }

    /// Posts the sign-in form by hand (the cookie it sets is kept), for tests that look
    /// at the answer's headers; `call(Login { .. })` otherwise.
    pub async fn login(&mut self, email: &str, password: &str) -> TestResponse {
        self.post(
            <app::auth::api::Login as ServerFn>::PATH,
            &[("email", email), ("password", password)],
        )
        .await
    }
}

pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A server function's refusal, as [`Client::call`] reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Refused {
    pub status: StatusCode,
    pub error: AppError,
}

#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}
