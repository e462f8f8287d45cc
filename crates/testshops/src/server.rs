//! The HTTP side every test shop shares: a hyper server on 127.0.0.1 on its own runtime
//! thread, the faults applied before the platform's handler sees a request.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;

use crate::Faults;

/// A request as a platform's handler sees it.
#[derive(Debug)]
pub struct Asked {
    pub method: String,
    /// The path, percent-decoded.
    pub path: String,
    /// The query's pairs, decoded, in order.
    pub query: Vec<(String, String)>,
    /// Headers by lowercase name.
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

impl Asked {
    /// The first value of a query parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// An answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Self::new(status, "application/json", body.to_string().into_bytes())
    }

    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body,
        }
    }

    pub fn with(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }
}

/// A platform's answers; it sees the faults too (records changing while paging).
type Handler = dyn Fn(&Asked, &Faults) -> Answer + Send + Sync;

/// A running test shop; it stops when dropped.
pub struct Server {
    /// `http://127.0.0.1:PORT/`.
    pub url: String,
    pub faults: Arc<Faults>,
    requests: Arc<AtomicU64>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Serves `handler` on a free port of 127.0.0.1.
    pub fn start(handler: Arc<Handler>) -> Server {
        let faults = Arc::new(Faults::default());
        let requests = Arc::new(AtomicU64::new(0));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (ready, address) = std::sync::mpsc::channel::<SocketAddr>();
        let thread = {
            let faults = faults.clone();
            let requests = requests.clone();
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a test shop's runtime");
                runtime.block_on(serve(handler, faults, requests, ready, stopped));
            })
        };
        let address = address.recv().expect("the test shop listens");
        Server {
            url: format!("http://{address}/"),
            faults,
            requests,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// Requests answered (or refused by a fault) so far.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(
    handler: Arc<Handler>,
    faults: Arc<Faults>,
    requests: Arc<AtomicU64>,
    ready: std::sync::mpsc::Sender<SocketAddr>,
    mut stopped: tokio::sync::oneshot::Receiver<()>,
) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let _ = ready.send(listener.local_addr().expect("a bound address"));
    loop {
        let (mut stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(_) => continue,
            },
            _ = &mut stopped => return,
        };
        if Faults::take(&faults.drops) {
            requests.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buffer = [0u8; 4096];
                let _ = stream.read(&mut buffer).await;
                drop(stream); // Closed without a word.
            });
            continue;
        }
        let (handler, faults, requests) = (handler.clone(), faults.clone(), requests.clone());
        tokio::spawn(async move {
            let service = service_fn(move |request: hyper::Request<Incoming>| {
                let (handler, faults, requests) =
                    (handler.clone(), faults.clone(), requests.clone());
                async move {
                    requests.fetch_add(1, Ordering::SeqCst);
                    let delay = faults.delay();
                    if !delay.is_zero() {
                        tokio::time::sleep(delay).await;
                    }
                    let answer = if Faults::take(&faults.too_many) {
                        Answer::json(429, &serde_json::json!({"error": "too many requests"}))
                            .with("retry-after", "1")
                    } else if Faults::take(&faults.failures) {
                        Answer::new(500, "text/html", b"<h1>Internal Server Error</h1>".to_vec())
                    } else {
                        let asked = asked(request).await;
                        handler(&asked, &faults)
                    };
                    Ok::<_, Infallible>(response(answer))
                }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn asked(request: hyper::Request<Incoming>) -> Asked {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes().to_vec())
        .unwrap_or_default();
    let url = url::Url::parse(&format!("http://test{}", parts.uri)).expect("a request URI");
    Asked {
        method: parts.method.to_string(),
        path: percent_decoded(url.path()),
        query: url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
        headers: parts
            .headers
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
            .collect(),
        body,
    }
}

fn percent_decoded(path: &str) -> String {
    url::form_urlencoded::parse(format!("p={}", path.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn response(answer: Answer) -> hyper::Response<Full<Bytes>> {
    let mut response = hyper::Response::builder().status(answer.status);
    for (name, value) in answer.headers {
        response = response.header(name, value);
    }
    response
        .body(Full::new(Bytes::from(answer.body)))
        .expect("a valid response")
}
