//! A small static file server for the app (std only, a thread per connection; 127.0.0.1 unless
//! `--host` says otherwise):
//! `/` is index.html, `/bench.html` the benchmark page, `/bench-tfjs.html` TensorFlow.js on the
//! same workload, `/bench-threads.html` the threaded build against the single one, and files
//! under `/www/`, `/pkg/` and `/pkg-threads/`.
//! Everything is sent with `Cache-Control: no-store` so a rebuild is seen on reload.

use crate::{Result, root};
use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

/// Top-level directories whose files are served.
const SERVED_DIRS: [&str; 3] = ["www", "pkg", "pkg-threads"];
/// Top-level files served as themselves (besides `/` -> index.html).
const SERVED_FILES: [&str; 4] = [
    "index.html",
    "bench.html",
    "bench-tfjs.html",
    "bench-threads.html",
];

pub struct Server {
    listener: TcpListener,
}

impl Server {
    /// Binds host:port; port 0 picks a free one.
    pub fn bind(host: IpAddr, port: u16) -> Result<Server> {
        let listener = TcpListener::bind((host, port)).map_err(|e| {
            format!(
                "cannot listen on {}: {e} (try --port with another number)",
                SocketAddr::new(host, port)
            )
        })?;
        Ok(Server { listener })
    }

    pub fn port(&self) -> u16 {
        self.listener
            .local_addr()
            .map(|addr| addr.port())
            .unwrap_or(0)
    }

    /// The address to open on this computer.
    pub fn url(&self) -> String {
        let host = match self.listener.local_addr().map(|a| a.ip()) {
            Ok(ip) if !ip.is_loopback() && !ip.is_unspecified() => ip,
            _ => IpAddr::from([127, 0, 0, 1]),
        };
        url(host, self.port())
    }

    /// The addresses other computers can open: none on loopback; on 0.0.0.0 the addresses this
    /// computer has on its networks.
    pub fn reachable_urls(&self) -> Vec<String> {
        let Ok(bound) = self.listener.local_addr() else {
            return Vec::new();
        };
        let ip = bound.ip();
        if ip.is_loopback() {
            Vec::new()
        } else if ip.is_unspecified() {
            network_addresses()
                .into_iter()
                .map(|ip| url(ip, bound.port()))
                .collect()
        } else {
            vec![url(ip, bound.port())]
        }
    }

    /// Serves until the process ends.
    pub fn run(self) {
        for stream in self.listener.incoming().flatten() {
            std::thread::spawn(move || {
                if let Err(e) = handle(stream) {
                    eprintln!("serve: {e}");
                }
            });
        }
    }
}

fn url(ip: IpAddr, port: u16) -> String {
    match ip {
        IpAddr::V4(ip) => format!("http://{ip}:{port}/"),
        IpAddr::V6(ip) => format!("http://[{ip}]:{port}/"),
    }
}

/// This computer's addresses on its networks, std only: a UDP socket "connected" towards an
/// address of each private range (no packet is sent) is given the local address of the route
/// there. Loopback and duplicates are left out.
fn network_addresses() -> Vec<IpAddr> {
    let mut found = Vec::new();
    for probe in [
        "10.255.255.255:9",
        "172.31.255.255:9",
        "192.168.255.255:9",
        "192.0.2.1:9",
    ] {
        let local = UdpSocket::bind("0.0.0.0:0")
            .and_then(|socket| socket.connect(probe).map(|()| socket))
            .and_then(|socket| socket.local_addr());
        if let Ok(addr) = local
            && !addr.ip().is_loopback()
            && !addr.ip().is_unspecified()
            && !found.contains(&addr.ip())
        {
            found.push(addr.ip());
        }
    }
    found
}

fn handle(mut stream: TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Skip the headers; no request we answer has a body.
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            b"method not allowed\n",
            true,
        );
    }
    let body_wanted = method == "GET";
    match resolve(target).and_then(|path| std::fs::read(&path).ok().map(|bytes| (path, bytes))) {
        Some((path, bytes)) => respond(&mut stream, "200 OK", mime(&path), &bytes, body_wanted),
        None => respond(
            &mut stream,
            "404 Not Found",
            "text/plain; charset=utf-8",
            b"not found\n",
            body_wanted,
        ),
    }
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
    with_body: bool,
) -> std::io::Result<()> {
    // Every page cross-origin isolated (COOP and COEP), so that the threaded build's shared
    // memory can be used; everything a page loads is its own, so nothing is blocked by it.
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
         Cross-Origin-Opener-Policy: same-origin\r\nCross-Origin-Embedder-Policy: require-corp\r\n\
         Connection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if with_body {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// Maps a request target to a file that may be served, or None (404).
fn resolve(target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next()?;
    let path = percent_decode(path.strip_prefix('/')?)?;
    let relative = if path.is_empty() {
        "index.html".to_string()
    } else {
        path
    };
    let relative = Path::new(&relative);
    // Only plain names: no `..`, no `.`, no root or drive, no backslashes.
    if relative.to_str()?.contains('\\')
        || !relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let mut components = relative.components();
    let first = components.next()?.as_os_str().to_str()?;
    let allowed = if components.next().is_none() {
        SERVED_FILES.contains(&first)
    } else {
        SERVED_DIRS.contains(&first)
    };
    if !allowed {
        return None;
    }
    // A symlink must not lead out of the served directories either.
    let file = root().join(relative).canonicalize().ok()?;
    let inside = SERVED_DIRS.iter().any(|dir| {
        root()
            .join(dir)
            .canonicalize()
            .is_ok_and(|dir| file.starts_with(dir))
    }) || SERVED_FILES
        .iter()
        .any(|name| root().join(name).canonicalize().is_ok_and(|f| f == file));
    (inside && file.is_file()).then_some(file)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let text = String::from_utf8(out).ok()?;
    (!text.contains('\0')).then_some(text)
}

fn mime(path: &Path) -> &'static str {
    match path.extension().and_then(|ext| ext.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "json" | "map" => "application/json",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_traversal_and_unlisted_paths() {
        for target in [
            "/../Cargo.toml",
            "/www/../Cargo.toml",
            "/www/%2e%2e/Cargo.toml",
            "/Cargo.toml",
            "/src/lib.rs",
            "/www\\..\\Cargo.toml",
            "//etc/passwd",
            "/www/%00",
            "/www",
            "/nope.html",
        ] {
            assert_eq!(resolve(target), None, "{target}");
        }
    }

    #[test]
    fn serves_the_app_files() {
        assert!(resolve("/www/protocol.js?v=1").is_some());
        assert_eq!(mime(Path::new("a/kindling_bg.wasm")), "application/wasm");
    }
}
