//! `cargo xtask dist`: the app as a static folder any host can serve, at any sub-path.
//!
//! ```text
//! index.html             the page; its links point into app-HASH/
//! sw.js                  the service worker: precaches the files below, versioned by HASH
//! manifest.webmanifest   the installable app's name, colours and icons
//! app-HASH/www/…         every module, style sheet and icon the page reaches, and nothing else
//! app-HASH/pkg/…         the wasm package
//! app-HASH/pkg-threads/… the threaded wasm (CPU only, every core), when it is built; sw.js makes
//!                        the page cross-origin isolated, which it needs, from the second visit
//! ```
//!
//! HASH is taken over the contents of everything under app-HASH/, so a host may cache those files
//! for ever; index.html, sw.js and the manifest keep their names (a browser looks for them there).
//! Paths are relative throughout. What the page reaches is found by following its references
//! from index.html: `import … from`, `import()`, `new URL(…, import.meta.url)` and `url()` in CSS.

use crate::{Result, build, root, section, setup};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

/// Files the page needs that no module names: the icons the manifest lists.
const ICONS: [&str; 4] = [
    "www/icons/kindling.svg",
    "www/icons/kindling-192.png",
    "www/icons/kindling-512.png",
    "www/icons/kindling-maskable-512.png",
];
/// The threaded build's module, which the worker imports by a URL made at run time
/// (www/cpu-threads.js): a root of its own.
const THREADED_BUILD: &str = "pkg-threads/kindling.js";
/// The service worker's source; dist writes it as sw.js with the build's version and files.
const SERVICE_WORKER: &str = "www/service-worker.js";
/// The line of the service worker that dist replaces.
const BUILD_LINE: &str = "const BUILD = { version: 'dev', files: [] };";
/// The page's colours, for the manifest and the browser's title bar.
const THEME: &str = "#2b2118";
const BACKGROUND: &str = "#fbf8f3";

pub struct Options {
    pub out: PathBuf,
    pub build: bool,
}

/// `[--out DIR] [--no-build]`.
pub fn args(args: &[String]) -> Result<Options> {
    let mut options = Options {
        out: root().join("dist"),
        build: true,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => {
                let dir = args.next().ok_or("--out wants a folder")?;
                options.out = std::env::current_dir()
                    .map_err(|e| format!("no current folder: {e}"))?
                    .join(dir);
            }
            "--no-build" => options.build = false,
            _ => return Err(format!("dist takes --out DIR and --no-build, got '{arg}'")),
        }
    }
    Ok(options)
}

pub fn command(options: &Options) -> Result {
    if options.build {
        setup::install()?;
        build::wasm()?;
        // Without it the site runs on one thread: said, not fatal (its nightly may be missing).
        if let Err(e) = crate::threads::wasm() {
            println!("the threaded build failed ({e}): the site will train on one thread");
        }
    }
    section("Dist");
    let built = write(&options.out)?;
    println!(
        "{} files, {:.1} MB, in {} (build {})",
        built.files,
        built.bytes as f64 / 1e6,
        options.out.display(),
        built.version
    );
    println!("Serve that folder from any static host; see the README's Deploy section.");
    Ok(())
}

pub struct Built {
    pub version: String,
    pub files: usize,
    pub bytes: u64,
}

/// Writes the dist folder (replacing a previous one there) and says what it holds.
pub fn write(out: &Path) -> Result<Built> {
    let mut files = reached_from_index()?;
    files.extend(ICONS.iter().map(PathBuf::from));
    let contents: Vec<(PathBuf, Vec<u8>)> = files
        .into_iter()
        .map(|file| read(&file).map(|bytes| (file, bytes)))
        .collect::<Result<_>>()?;
    let version = hash(&contents);
    let app = format!("app-{version}");

    clear(out)?;
    let mut written = Vec::new();
    for (file, bytes) in &contents {
        let name = format!("{app}/{}", slashed(file));
        put(out, &name, bytes)?;
        written.push(name);
    }
    put(out, "index.html", index_html(&app, &version)?.as_bytes())?;
    put(out, "manifest.webmanifest", manifest(&app).as_bytes())?;
    // GitHub Pages serves the folder as it is (no Jekyll pass over it).
    put(out, ".nojekyll", b"")?;
    written.extend(["index.html".to_string(), "manifest.webmanifest".to_string()]);
    put(out, "sw.js", service_worker(&version, &written)?.as_bytes())?;

    let bytes = contents.iter().map(|(_, b)| b.len() as u64).sum();
    Ok(Built {
        version,
        files: written.len() + 1,
        bytes,
    })
}

/// Every file the page reaches from index.html, relative to the workspace root.
fn reached_from_index() -> Result<BTreeSet<PathBuf>> {
    let index = String::from_utf8_lossy(&read(Path::new("index.html"))?).into_owned();
    let mut todo: Vec<PathBuf> = Vec::new();
    for (reference, _) in references(&index, &["href=\"", "src=\""]) {
        if !reference.starts_with("www/") {
            return Err(format!(
                "index.html refers to '{reference}': dist expects the page's files under www/"
            ));
        }
        todo.push(PathBuf::from(reference));
    }
    if root().join(THREADED_BUILD).is_file() {
        todo.push(PathBuf::from(THREADED_BUILD));
    }
    let mut reached = BTreeSet::new();
    while let Some(file) = todo.pop() {
        if !reached.insert(file.clone()) {
            continue;
        }
        let text = String::from_utf8_lossy(&read(&file)?).into_owned();
        let from = file.parent().unwrap_or(Path::new(""));
        for reference in module_references(&file, &text) {
            let target = normalise(&from.join(&reference)).ok_or_else(|| {
                format!("{} refers outside the app: '{reference}'", file.display())
            })?;
            if !root().join(&target).is_file() {
                return Err(format!(
                    "{} refers to '{reference}', which does not exist (is pkg/ built?)",
                    file.display()
                ));
            }
            todo.push(target);
        }
    }
    Ok(reached)
}

/// The relative files a module or style sheet loads.
fn module_references(file: &Path, text: &str) -> Vec<String> {
    let css = file.extension().is_some_and(|e| e == "css");
    let prefixes: &[&str] = match file.extension().and_then(|e| e.to_str()) {
        Some("css") => &["url(\"", "url('", "url("],
        Some("js" | "mjs") => &[
            "from '",
            "from \"",
            "import '",
            "import \"",
            "import('",
            "import(\"",
            "new URL('",
            "new URL(\"",
        ],
        _ => &[],
    };
    let mut found = Vec::new();
    for (reference, after) in references(text, prefixes) {
        // A module's imports start with ./ or ../ (anything else is a bare name); a URL made
        // against import.meta.url is the module's too (wasm-bindgen's 'kindling_bg.wasm'), one
        // made otherwise is the page's (offline.js's 'sw.js'); a style sheet's are its own.
        let relative = reference.starts_with("./") || reference.starts_with("../");
        let module_url = after.trim_start().starts_with(", import.meta.url");
        if (relative || module_url || css)
            && !reference.is_empty()
            && !reference.starts_with('/')
            && !reference.contains("${")
        {
            found.push(reference);
        }
    }
    found
}

/// The strings that follow each prefix, up to the next quote or bracket, each with the text after
/// its closing quote.
fn references<'t>(text: &'t str, prefixes: &[&str]) -> Vec<(String, &'t str)> {
    let mut found = Vec::new();
    for prefix in prefixes {
        for (at, _) in text.match_indices(prefix) {
            let rest = &text[at + prefix.len()..];
            let end = rest.find(['\'', '"', ')', '\n', '`']).unwrap_or(rest.len());
            let reference = rest[..end].split(['?', '#']).next().unwrap_or("");
            if reference.starts_with("data:") || reference.contains("://") {
                continue;
            }
            let after = rest.get(end + 1..).unwrap_or("");
            found.push((reference.to_string(), after));
        }
    }
    found
}

/// `www/views/../pkg/x.js` -> `www/pkg/x.js`; None if it climbs above the root.
fn normalise(path: &Path) -> Option<PathBuf> {
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => parts.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            _ => return None,
        }
    }
    Some(parts.iter().collect())
}

/// index.html with its links moved into the build's folder, the manifest and the build's version.
fn index_html(app: &str, version: &str) -> Result<String> {
    let index = String::from_utf8_lossy(&read(Path::new("index.html"))?).into_owned();
    let anchor = "<meta name=\"viewport\"";
    let line_end = index
        .find(anchor)
        .and_then(|at| index[at..].find('\n').map(|end| at + end + 1))
        .ok_or("index.html has no <meta name=\"viewport\"> line to put the manifest after")?;
    let head = format!(
        "  <meta name=\"kindling-build\" content=\"{version}\">\n  \
         <meta name=\"theme-color\" content=\"{THEME}\">\n  \
         <link rel=\"manifest\" href=\"manifest.webmanifest\">\n  \
         <link rel=\"apple-touch-icon\" href=\"{app}/www/icons/kindling-192.png\">\n"
    );
    let page = format!("{}{head}{}", &index[..line_end], &index[line_end..]);
    Ok(page
        .replace("href=\"www/", &format!("href=\"{app}/www/"))
        .replace("src=\"www/", &format!("src=\"{app}/www/")))
}

fn manifest(app: &str) -> String {
    let icon = |name: &str, size: &str, kind: &str, purpose: &str| {
        format!(
            "    {{ \"src\": \"{app}/www/icons/{name}\", \"sizes\": \"{size}\", \
             \"type\": \"{kind}\", \"purpose\": \"{purpose}\" }}"
        )
    };
    let icons = [
        icon("kindling.svg", "any", "image/svg+xml", "any"),
        icon("kindling-192.png", "192x192", "image/png", "any"),
        icon("kindling-512.png", "512x512", "image/png", "any"),
        icon(
            "kindling-maskable-512.png",
            "512x512",
            "image/png",
            "maskable",
        ),
    ]
    .join(",\n");
    format!(
        "{{\n  \"name\": \"Kindling: a neural-network playground\",\n  \"short_name\": \"Kindling\",\n  \
         \"description\": \"Train small neural networks in your browser, see them learn, share them by link.\",\n  \
         \"start_url\": \"./\",\n  \"scope\": \"./\",\n  \"display\": \"standalone\",\n  \
         \"background_color\": \"{BACKGROUND}\",\n  \"theme_color\": \"{THEME}\",\n  \
         \"icons\": [\n{icons}\n  ]\n}}\n"
    )
}

/// The service worker with the build's version and the files it precaches.
fn service_worker(version: &str, files: &[String]) -> Result<String> {
    let source = String::from_utf8_lossy(&read(Path::new(SERVICE_WORKER))?).into_owned();
    if !source.contains(BUILD_LINE) {
        return Err(format!("{SERVICE_WORKER} lost its line `{BUILD_LINE}`"));
    }
    let list = files
        .iter()
        .map(|f| format!("'{f}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let build = format!("const BUILD = {{ version: '{version}', files: [{list}] }};");
    Ok(source.replace(BUILD_LINE, &build))
}

/// FNV-1a over each file's name and bytes: 16 hex digits that change with any content.
fn hash(contents: &[(PathBuf, Vec<u8>)]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (file, bytes) in contents {
        for byte in slashed(file)
            .bytes()
            .chain([0])
            .chain(bytes.iter().copied())
        {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn read(relative: &Path) -> Result<Vec<u8>> {
    let path = root().join(relative);
    fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn put(out: &Path, name: &str, bytes: &[u8]) -> Result {
    let path = out.join(name);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    fs::write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Empties `out` when it is a previous dist folder (or empty); refuses any other folder.
fn clear(out: &Path) -> Result {
    let Ok(mut entries) = fs::read_dir(out) else {
        return Ok(());
    };
    let previous = out.join("sw.js").is_file() && out.join("index.html").is_file();
    if entries.next().is_some() && !previous {
        return Err(format!(
            "{} is not empty and holds no earlier dist: choose another --out",
            out.display()
        ));
    }
    fs::remove_dir_all(out).map_err(|e| format!("cannot empty {}: {e}", out.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_module_references_and_skips_the_rest() {
        let js = "import { a } from './a.js';\nimport x from \"../pkg/k.js\";\n\
                  const w = new URL('./worker.js', import.meta.url);\n\
                  /** @type {import('./types.js').T} */\nconst u = 'https://example.com/x.js';\n\
                  new URL(`./bench-${x}.js`, import.meta.url);\n\
                  new URL('k_bg.wasm', import.meta.url); new URL('sw.js', document.baseURI);";
        let mut found = module_references(Path::new("www/main.js"), js);
        found.sort();
        // The JSDoc type import is a module of the app too: shipping it is right.
        assert_eq!(
            found,
            [
                "../pkg/k.js",
                "./a.js",
                "./types.js",
                "./worker.js",
                "k_bg.wasm"
            ]
        );
        assert!(
            !found
                .iter()
                .any(|r| r.contains("example.com") || r.contains("bench"))
        );
    }

    #[test]
    fn normalises_inside_the_root_only() {
        assert_eq!(
            normalise(Path::new("www/views/../../pkg/k.js")),
            Some(PathBuf::from("pkg/k.js"))
        );
        assert_eq!(normalise(Path::new("www/../../etc/passwd")), None);
    }

    #[test]
    fn the_app_reaches_no_benchmark_and_every_module_it_loads() {
        // `cargo xtask test` builds pkg/ before the native tests run.
        let files = reached_from_index().expect("pkg/ should be built (cargo xtask build)");
        let names: Vec<String> = files.iter().map(|f| slashed(f)).collect();
        for wanted in [
            "www/main.js",
            "www/worker.js",
            "pkg/kindling.js",
            "pkg/kindling_bg.wasm",
        ] {
            assert!(
                names.iter().any(|n| n == wanted),
                "{wanted} missing from {names:?}"
            );
        }
        assert!(
            !names
                .iter()
                .any(|n| n.contains("bench") || n.contains("tf."))
        );
    }
}
