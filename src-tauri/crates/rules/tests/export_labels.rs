//! Writes `ui/src/gen/labels.ts` (or the file named by `YICHUANG_LABELS_OUT`): run
//! `cargo test -p yichuang-rules export_labels` after changing a dictionary's labels.

use std::path::PathBuf;

/// Where the file goes: `YICHUANG_LABELS_OUT`, else `ui/src/gen/labels.ts`.
fn out_path() -> PathBuf {
    match std::env::var_os("YICHUANG_LABELS_OUT") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../ui/src/gen/labels.ts"),
    }
}

#[test]
fn export_labels() {
    let path = out_path();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("create the labels directory");
    }
    std::fs::write(&path, yichuang_rules::labels::labels_ts()).expect("write labels.ts");
}
