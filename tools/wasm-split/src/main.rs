//! `eoffice-wasm-split INPUT.wasm OUT_DIR MAIN_OUT.wasm OUTPUT_NAME`
//!
//! Splits the raw (pre wasm-bindgen) wasm of the browser app into the main module, written to
//! MAIN_OUT.wasm for wasm-bindgen, and one module per lazy split point (plus shared chunks),
//! written to OUT_DIR with their JavaScript loader `__wasm_split.______________________.js`.
//! Also writes `__wasm_split_manifest.json`, which the server reads to preload the chunks of the
//! page it renders (Leptos' `HydrationScripts`). The names are the ones Leptos 0.8 expects.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let [_, input, out_dir, main_out, output_name] = args.as_slice() else {
        eprintln!("usage: eoffice-wasm-split INPUT.wasm OUT_DIR MAIN_OUT.wasm OUTPUT_NAME");
        return ExitCode::from(2);
    };
    match split(Path::new(input), Path::new(out_dir), Path::new(main_out), output_name) {
        Ok(chunks) => {
            for chunk in chunks {
                println!("{}", chunk.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("wasm split failed: {e:?}");
            ExitCode::FAILURE
        }
    }
}

fn split(
    input: &Path,
    out_dir: &Path,
    main_out: &Path,
    output_name: &str,
) -> Result<Vec<std::path::PathBuf>, Box<dyn std::error::Error>> {
    let input_wasm = std::fs::read(input)?;
    // The chunks import `initSync` and the memory from the main module's JS, which sits beside them.
    let main_module = format!("./{output_name}.js");
    let split = wasm_split_cli_support::transform({
        let mut opts = wasm_split_cli_support::Options::new(&input_wasm);
        opts.output_dir = out_dir;
        opts.main_out_path = main_out;
        opts.main_module = &main_module;
        opts.link_name = "./__wasm_split.______________________.js";
        opts
    })
    .map_err(|e| format!("{e:?}"))?;
    std::fs::write(
        out_dir.join("__wasm_split_manifest.json"),
        serde_json::to_string_pretty(&split.prefetch_map)?,
    )?;
    Ok(split.split_modules)
}
