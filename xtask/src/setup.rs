//! Installs what the build and the browser tests need, only where it is missing, so that a
//! second run costs a few process starts: the wasm32 target, the wasm-bindgen CLI at the version
//! in Cargo.lock, the npm packages, and uPlot, qrcode-generator and TensorFlow.js (for the
//! comparison benchmark) copied into www/vendor/, with declarations for tsc beside them.

use crate::{Result, cargo, home, output, root, run, section};
use std::env;
use std::fs;
use std::path::PathBuf;
use std::process::Command;
use std::time::SystemTime;

const WASM_TARGET: &str = "wasm32-unknown-unknown";

pub fn install() -> Result {
    section("Set-up");
    wasm_target()?;
    wasm_bindgen_cli()?;
    npm_packages()?;
    vendor_uplot()?;
    vendor_qrcode()?;
    vendor_tfjs()?;
    vendor_projection()?;
    vendor_declarations()
}

fn wasm_target() -> Result {
    let Some(installed) = output(Command::new("rustup").args(["target", "list", "--installed"]))
    else {
        println!("rustup not found: assuming the {WASM_TARGET} target is installed");
        return Ok(());
    };
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        println!("ok   rust target {WASM_TARGET}");
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

/// The CLI must match the `wasm-bindgen` crate exactly, or the generated glue is rejected.
fn wasm_bindgen_cli() -> Result {
    let wanted = locked_version("wasm-bindgen")?;
    let found = output(Command::new(wasm_bindgen()).arg("--version"));
    let found = found
        .as_deref()
        .and_then(|text| text.split_whitespace().nth(1))
        .unwrap_or("none");
    if found == wanted {
        println!("ok   wasm-bindgen {wanted}");
        return Ok(());
    }
    println!("wasm-bindgen CLI is {found}, Cargo.lock wants {wanted}: installing (a few minutes)");
    // Not --locked: the CLI's own lock file can pin crates that no longer build on this toolchain.
    // Its own temporary target dir, so that it does not wait on (or evict) the shared one.
    let mut install = cargo();
    install.env_remove("CARGO_TARGET_DIR").args([
        "install",
        "wasm-bindgen-cli",
        "--version",
        &wanted,
    ]);
    run(&mut install)
}

/// The wasm-bindgen CLI: from PATH, else where `cargo install` puts it.
pub fn wasm_bindgen() -> PathBuf {
    let on_path = env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| env::split_paths(&paths).collect::<Vec<_>>())
        .any(|dir| dir.join("wasm-bindgen").is_file());
    let installed = env::var_os("CARGO_HOME")
        .map_or_else(|| home().join(".cargo"), PathBuf::from)
        .join("bin/wasm-bindgen");
    if on_path || !installed.is_file() {
        PathBuf::from("wasm-bindgen")
    } else {
        installed
    }
}

/// The version of `package` in Cargo.lock (the first, if several).
pub fn locked_version(package: &str) -> Result<String> {
    let path = root().join("Cargo.lock");
    let lock =
        fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == name_line {
            let version = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""));
            if let Some(version) = version.and_then(|v| v.strip_suffix('"')) {
                return Ok(version.to_string());
            }
        }
    }
    Err(format!(
        "no package '{package}' in Cargo.lock: is it a dependency of the kindling crate?"
    ))
}

/// `npm ci` when node_modules is missing or older than package-lock.json (npm writes
/// node_modules/.package-lock.json on every install, so its time is that of the last install);
/// never through a linked node_modules.
fn npm_packages() -> Result {
    let lock = root().join("package-lock.json");
    let installed = root().join("node_modules/.package-lock.json");
    let npm = || {
        let mut command = Command::new("npm");
        command.current_dir(root());
        command
    };
    if !lock.exists() {
        if installed.exists() {
            println!("ok   node_modules (no package-lock.json)");
            return Ok(());
        }
        return run(npm().arg("install"));
    }
    // A worktree may link node_modules to another checkout's: installing through the link would
    // replace that checkout's packages, so a linked node_modules is used as it is.
    if fs::symlink_metadata(root().join("node_modules")).is_ok_and(|meta| meta.is_symlink()) {
        println!("ok   node_modules (a link: install in the checkout it points to)");
        return Ok(());
    }
    if modified(&installed).is_some_and(|at| Some(at) >= modified(&lock)) {
        println!("ok   node_modules");
        return Ok(());
    }
    run(npm().arg("ci"))
}

fn modified(path: &std::path::Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|meta| meta.modified()).ok()
}

/// The chart library is served from our own origin (the app makes no third-party requests).
fn vendor_uplot() -> Result {
    let from = root().join("node_modules/uplot/dist");
    let to = root().join("www/vendor");
    fs::create_dir_all(&to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    for file in ["uPlot.esm.js", "uPlot.min.css"] {
        let (src, dst) = (from.join(file), to.join(file));
        let bytes = fs::read(&src).map_err(|e| format!("cannot read {}: {e}", src.display()))?;
        if fs::read(&dst).ok().as_deref() != Some(&bytes[..]) {
            fs::write(&dst, &bytes).map_err(|e| format!("cannot write {}: {e}", dst.display()))?;
        }
    }
    println!("ok   www/vendor/uPlot.esm.js, uPlot.min.css");
    Ok(())
}

/// The share panel's QR code library (qrcode-generator's ES module build), from our own origin too.
fn vendor_qrcode() -> Result {
    let src = root().join("node_modules/qrcode-generator/dist/qrcode.mjs");
    let dst = root().join("www/vendor/qrcode.mjs");
    let bytes = fs::read(&src).map_err(|e| {
        format!(
            "cannot read {}: {e} (is qrcode-generator in node_modules? run npm ci)",
            src.display()
        )
    })?;
    if fs::read(&dst).ok().as_deref() != Some(&bytes[..]) {
        fs::write(&dst, &bytes).map_err(|e| format!("cannot write {}: {e}", dst.display()))?;
    }
    println!("ok   www/vendor/qrcode.mjs");
    Ok(())
}

/// TensorFlow.js for bench-tfjs.html (the same workload, for comparison): the UMD builds, which
/// its worker loads with import() for their effect (the ES module builds import bare package
/// names), and the wasm backend's binaries, all from our own origin. The full `@tensorflow/tfjs`
/// bundle, not `tfjs-core` alone: only it registers the gradients that training needs.
fn vendor_tfjs() -> Result {
    let files = [
        // core with its gradients, and the cpu (and webgl) backends
        ("tfjs", "tf.es2017.min.js"),
        ("tfjs-backend-webgpu", "tf-backend-webgpu.es2017.min.js"),
        ("tfjs-backend-wasm", "tf-backend-wasm.es2017.min.js"),
        ("tfjs-backend-wasm", "tfjs-backend-wasm.wasm"),
        ("tfjs-backend-wasm", "tfjs-backend-wasm-simd.wasm"),
        ("tfjs-backend-wasm", "tfjs-backend-wasm-threaded-simd.wasm"),
    ];
    let to = root().join("www/vendor");
    fs::create_dir_all(&to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    for (package, file) in files {
        let src = root().join(format!("node_modules/@tensorflow/{package}/dist/{file}"));
        let dst = to.join(file);
        let bytes = fs::read(&src).map_err(|e| {
            format!(
                "cannot read {}: {e} (is @tensorflow/{package} in node_modules? run npm ci)",
                src.display()
            )
        })?;
        if fs::read(&dst).ok().as_deref() != Some(&bytes[..]) {
            fs::write(&dst, &bytes).map_err(|e| format!("cannot write {}: {e}", dst.display()))?;
        }
    }
    println!("ok   www/vendor/tf*.es2017.min.js, tfjs-backend-wasm*.wasm (TensorFlow.js)");
    Ok(())
}

/// UMAP (umap-js, PAIR's, as in the Embedding Projector) and t-SNE (@keckelt/tsne) for the
/// projection worker. Neither ships an ES module that a module worker can import without a
/// bundler (umap-js: a UMD bundle; the t-SNE: CommonJS), so each is wrapped at set-up: the
/// package's own file in a function given `module` and `exports`, then one `export` of the
/// class; nothing else changed.
fn vendor_projection() -> Result {
    let files = [
        ("umap-js/lib/umap-js.min.js", "umap-js.mjs", "UMAP"),
        ("@keckelt/tsne/lib/tsne.js", "tsne.mjs", "TSNE"),
    ];
    let to = root().join("www/vendor");
    fs::create_dir_all(&to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    for (from, file, name) in files {
        let src = root().join("node_modules").join(from);
        let code = fs::read_to_string(&src)
            .map_err(|e| format!("cannot read {}: {e} (run npm ci)", src.display()))?;
        let wrapped = format!(
            "// {from}, wrapped as an ES module by `cargo xtask setup` (xtask/src/setup.rs).\n\
             const module = {{ exports: {{}} }};\n(function (module, exports) {{\n{code}\n\
             }})(module, module.exports);\nexport const {name} = module.exports.{name};\n"
        );
        let dst = to.join(file);
        if fs::read_to_string(&dst).ok().as_deref() != Some(&wrapped[..]) {
            fs::write(&dst, &wrapped)
                .map_err(|e| format!("cannot write {}: {e}", dst.display()))?;
        }
    }
    println!("ok   www/vendor/umap-js.mjs, tsne.mjs");
    Ok(())
}

/// A declaration beside each vendored module the app imports, so that tsc takes the package's own
/// types for it (a `.d.ts` or `.d.mts` wins over the `.js` or `.mjs` of the same name) instead of
/// checking the library's code as ours. Each re-exports the package, which node_modules holds
/// whenever www/vendor/ does.
fn vendor_declarations() -> Result {
    let files = [
        (
            "uPlot.esm.d.ts",
            "import uPlot from 'uplot';\nexport default uPlot;\n",
        ),
        (
            "qrcode.d.mts",
            "import qrcode from 'qrcode-generator';\nexport default qrcode;\n",
        ),
        ("umap-js.d.mts", "export { UMAP } from 'umap-js';\n"),
        ("tsne.d.mts", "export { TSNE } from '@keckelt/tsne';\n"),
    ];
    let to = root().join("www/vendor");
    for (file, text) in files {
        let dst = to.join(file);
        let text = format!(
            "// Types for tsc, written by `cargo xtask setup` (xtask/src/setup.rs).\n{text}"
        );
        if fs::read_to_string(&dst).ok().as_deref() != Some(&text[..]) {
            fs::write(&dst, &text).map_err(|e| format!("cannot write {}: {e}", dst.display()))?;
        }
    }
    println!("ok   www/vendor/*.d.ts, *.d.mts (the vendored modules' types, for tsc)");
    Ok(())
}
