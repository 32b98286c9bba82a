//! Yichuang's command table. Each window command is declared once, in [`with_commands!`]
//! (see `table.rs`): its name, its request (the arguments), its response and the access it
//! needs. From that one declaration come
//!
//! - [`Command`]: every command by name, with [`Command::access`] and
//!   [`Command::permission`], for any host's permission check (the window's dispatch today,
//!   the CLI's later);
//! - [`cmd`]: one module per command with its `Request` struct (serde, ts-rs) and `Response`;
//! - [`typescript`]: the window's typed client, `ui/src/gen/commands.ts`, written by the test
//!   `export_bindings_commands` (`cargo test -p yichuang-api export_bindings`);
//! - the window's registration and dispatch, which the shell generates by calling
//!   `with_commands!` with its own macro.
//!
//! This crate knows no host: no Tauri, no CLI.

mod table;

use serde::Serialize;
use ts_rs::{Config, Dependency, TS, TypeVisitor};

pub use yichuang_core::accounts::Permission;

/// Every type the table names, under the name it uses.
pub mod wire {
    pub use crate::Bytes;
    pub use yichuang_core::accounts::{Account, AuthStatus, NewAccount};
    pub use yichuang_core::dict::Satisfaction;
    pub use yichuang_core::inbox::InboxRow;
    pub use yichuang_core::model::*;
    pub use yichuang_core::orders::SupervisionOrder;
    pub use yichuang_core::stats::{CaseStats, StatsFilter};
    pub use yichuang_core::supervision::{PendingFilter, PendingReview};
    pub use yichuang_core::workdays::{CalendarImport, CalendarOverview};
}

/// What a command needs before its handler runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Nothing: the desk's information, sign-in and first run.
    Public,
    /// A session, even an idle-locked one; the handler checks the rest (unlocking, one's own
    /// password, keeping the session alive).
    SignedIn,
    /// A live session whose roles grant the permission.
    Permission(Permission),
    /// The same check for the window's background polls: it does not count as use, so the
    /// idle lock still comes.
    Quietly(Permission),
}

impl Access {
    /// The permission checked, if any.
    pub fn permission(self) -> Option<Permission> {
        match self {
            Access::Public | Access::SignedIn => None,
            Access::Permission(p) | Access::Quietly(p) => Some(p),
        }
    }

    /// How the generated TypeScript client names it: `public`, `signed_in`, or the
    /// permission's wire name (`act_on_case`).
    pub fn wire_name(self) -> String {
        match self {
            Access::Public => "public".into(),
            Access::SignedIn => "signed_in".into(),
            Access::Permission(p) | Access::Quietly(p) => serde_json::to_value(p)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
        }
    }
}

/// A response sent as raw bytes (a PDF, a PNG, a JPEG page): an `ArrayBuffer` in the window,
/// no JSON number array.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bytes(pub Vec<u8>);

impl From<Vec<u8>> for Bytes {
    fn from(bytes: Vec<u8>) -> Self {
        Bytes(bytes)
    }
}

/// A command's answer as it goes on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// Serialised JSON text.
    Json(String),
    /// Raw bytes.
    Bytes(Vec<u8>),
}

/// What a command may answer: any serialisable wire type (JSON), or [`Bytes`].
pub trait IntoReply: Sized {
    fn into_reply(self) -> Result<Reply, serde_json::Error>;
    /// The TypeScript type of the answer.
    fn ts_type(cfg: &Config) -> String;
    /// The exported types the TypeScript type names.
    fn ts_dependencies(cfg: &Config) -> Vec<Dependency>;
}

impl<T: Serialize + TS + 'static> IntoReply for T {
    fn into_reply(self) -> Result<Reply, serde_json::Error> {
        serde_json::to_string(&self).map(Reply::Json)
    }

    fn ts_type(cfg: &Config) -> String {
        match T::name(cfg).as_str() {
            // `()`: the promise resolves with nothing to read.
            "null" => "void".into(),
            name => name.into(),
        }
    }

    fn ts_dependencies(cfg: &Config) -> Vec<Dependency> {
        struct Visit<'a>(&'a Config, Vec<Dependency>);
        impl TypeVisitor for Visit<'_> {
            fn visit<U: TS + 'static + ?Sized>(&mut self) {
                match Dependency::from_ty::<U>(self.0) {
                    Some(dep) => self.1.push(dep),
                    None => U::visit_generics(self),
                }
            }
        }
        let mut visit = Visit(cfg, Vec::new());
        visit.visit::<T>();
        visit.1
    }
}

impl IntoReply for Bytes {
    fn into_reply(self) -> Result<Reply, serde_json::Error> {
        Ok(Reply::Bytes(self.0))
    }

    fn ts_type(_: &Config) -> String {
        "ArrayBuffer".into()
    }

    fn ts_dependencies(_: &Config) -> Vec<Dependency> {
        Vec::new()
    }
}

#[doc(hidden)]
#[macro_export]
macro_rules! __access {
    (public) => {
        $crate::Access::Public
    };
    (signed_in) => {
        $crate::Access::SignedIn
    };
    (quietly $p:ident) => {
        $crate::Access::Quietly($crate::Permission::$p)
    };
    ($p:ident) => {
        $crate::Access::Permission($crate::Permission::$p)
    };
}

macro_rules! raw_body {
    () => {
        false
    };
    (raw) => {
        true
    };
}

/// One command of the table, as the TypeScript generator sees it.
struct TsEntry {
    command: Command,
    /// The argument object's type; `None` when the command takes none.
    args: Option<String>,
    response: String,
    dependencies: Vec<Dependency>,
}

macro_rules! define_commands {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident $name:ident { $($field:ident : $fty:ty),* $(,)? } -> $resp:ty, $access:ident $($perm:ident)? $(, $raw:ident)?;
    )*) => {
        /// Every command of the table.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Command {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl Command {
            /// Every command, in the table's order.
            pub const ALL: &'static [Command] = &[$(Command::$variant),*];

            /// The name the window invokes (`accept_case`).
            pub fn name(self) -> &'static str {
                match self {
                    $( Command::$variant => stringify!($name), )*
                }
            }

            /// The command called `name`, if there is one.
            pub fn from_name(name: &str) -> Option<Command> {
                match name {
                    $( stringify!($name) => Some(Command::$variant), )*
                    _ => None,
                }
            }

            /// What the command needs before its handler runs.
            pub fn access(self) -> Access {
                match self {
                    $( Command::$variant => $crate::__access!($access $($perm)?), )*
                }
            }

            /// Whether the request body is a file's raw bytes (with headers), not JSON.
            pub fn raw_body(self) -> bool {
                match self {
                    $( Command::$variant => raw_body!($($raw)?), )*
                }
            }

            /// The argument names, as declared (snake_case; camelCase on the wire).
            pub fn fields(self) -> &'static [&'static str] {
                match self {
                    $( Command::$variant => &[$(stringify!($field)),*], )*
                }
            }

            /// The table's doc comment of the command.
            pub fn doc(self) -> &'static str {
                match self {
                    $( Command::$variant => concat!($($doc, "\n"),*), )*
                }
            }
        }

        /// One module per command: its `Request` (the arguments) and `Response`.
        pub mod cmd {
            $(
                #[doc = concat!("`", stringify!($name), "`")]
                pub mod $name {
                    #[allow(unused_imports)]
                    use $crate::wire::*;

                    $(#[doc = $doc])*
                    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
                    #[serde(rename_all = "camelCase")]
                    pub struct Request {
                        $( pub $field: $fty, )*
                    }

                    /// What the command answers.
                    pub type Response = $resp;

                    pub const COMMAND: $crate::Command = $crate::Command::$variant;
                }
            )*
        }

        fn ts_entries(cfg: &Config) -> Vec<TsEntry> {
            vec![$(
                {
                    let command = Command::$variant;
                    let mut dependencies = <cmd::$name::Request as TS>::dependencies(cfg);
                    dependencies.extend(<cmd::$name::Response as IntoReply>::ts_dependencies(cfg));
                    TsEntry {
                        command,
                        args: (!command.fields().is_empty())
                            .then(|| <cmd::$name::Request as TS>::inline(cfg)),
                        response: <cmd::$name::Response as IntoReply>::ts_type(cfg),
                        dependencies,
                    }
                }
            ),*]
        }
    };
}

with_commands!(define_commands);

impl Command {
    /// The permission the command needs, if any (none: public, or a session of anyone).
    pub fn permission(self) -> Option<Permission> {
        self.access().permission()
    }

    /// Whether anyone may call it, signed in or not.
    pub fn is_public(self) -> bool {
        self.access() == Access::Public
    }
}

/// The permission the command called `name` needs (`None` for an unknown command too).
pub fn permission_of(name: &str) -> Option<Permission> {
    Command::from_name(name).and_then(Command::permission)
}

/// `accept_case` → `acceptCase`, as Tauri and serde name arguments on the wire.
pub fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn js_doc(doc: &str, indent: &str) -> String {
    let lines: Vec<&str> = doc
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return String::new();
    }
    let mut out = format!("{indent}/**\n");
    for line in lines {
        out.push_str(&format!("{indent} * {line}\n"));
    }
    out.push_str(&format!("{indent} */\n"));
    out
}

/// The window's typed client, `ui/src/gen/commands.ts`: every command's name, argument object
/// and answer, from the table. `ui/src/api.ts` is built on it.
pub fn typescript() -> String {
    // The wire carries ids as JSON numbers; the bindings name them `number` too.
    let cfg = Config::from_env().with_large_int("number");
    let entries = ts_entries(&cfg);
    let mut imports = std::collections::BTreeMap::new();
    for dep in entries.iter().flat_map(|e| &e.dependencies) {
        let path = dep.output_path.with_extension("");
        imports.insert(
            dep.ts_name.clone(),
            path.to_string_lossy().replace('\\', "/"),
        );
    }
    let mut out = String::from(
        "// Generated from the command table (src-tauri/crates/api/src/table.rs) by\n\
         // `cargo test -p yichuang-api export_bindings`. Do not edit this file manually.\n",
    );
    for (name, path) in &imports {
        out.push_str(&format!(
            "import type {{ {name} }} from \"../bindings/{path}\";\n"
        ));
    }
    out.push_str(
        "\n/** Sends a command with JSON arguments (camelCase keys). */\n\
         export type Call = <T>(cmd: CommandName, args?: Record<string, unknown>) => Promise<T>;\n\
         /** Sends a command whose body is a file's raw bytes, its details in headers. */\n\
         export type CallRaw = <T>(cmd: CommandName, body: Uint8Array, headers: Record<string, string>) => Promise<T>;\n\
         \n/** What each command needs: `public`, `signed_in` (any session), or a permission. */\n\
         export const COMMAND_ACCESS = {\n",
    );
    for e in &entries {
        out.push_str(&format!(
            "  {}: \"{}\",\n",
            e.command.name(),
            e.command.access().wire_name()
        ));
    }
    out.push_str(
        "} as const;\n\n\
         /** The name of a command of the table. */\n\
         export type CommandName = keyof typeof COMMAND_ACCESS;\n\n\
         /** One function per command, over the transport `api.ts` gives. */\n\
         export function commands(call: Call, callRaw: CallRaw) {\n  return {\n",
    );
    for e in &entries {
        let name = e.command.name();
        out.push_str(&js_doc(e.command.doc(), "    "));
        let method = camel_case(name);
        let response = &e.response;
        if e.command.raw_body() {
            out.push_str(&format!(
                "    {method}: (body: Uint8Array, headers: Record<string, string>) =>\n      callRaw<{response}>(\"{name}\", body, headers),\n"
            ));
        } else if let Some(args) = &e.args {
            out.push_str(&format!(
                "    {method}: (args: {args}) =>\n      call<{response}>(\"{name}\", args),\n"
            ));
        } else {
            out.push_str(&format!(
                "    {method}: () => call<{response}>(\"{name}\"),\n"
            ));
        }
    }
    out.push_str("  };\n}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `ui/src/gen/commands.ts` (or the file `YICHUANG_TS_CLIENT` names). Named like
    /// ts-rs's tests, so `cargo test -p yichuang-api export_bindings` regenerates it.
    #[test]
    fn export_bindings_commands() {
        let path = std::env::var_os("YICHUANG_TS_CLIENT")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| {
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("../../../ui/src/gen/commands.ts")
            });
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(&path, typescript()).unwrap();
    }

    #[test]
    fn names_are_unique_and_found_again() {
        let mut names = std::collections::HashSet::new();
        for &c in Command::ALL {
            assert!(names.insert(c.name()), "{} twice", c.name());
            assert_eq!(Command::from_name(c.name()), Some(c));
            assert!(!c.doc().trim().is_empty(), "{} has no doc", c.name());
        }
        assert_eq!(Command::from_name("no_such_command"), None);
    }

    #[test]
    fn access_of_some_commands() {
        assert_eq!(Command::AcceptCase.permission(), Some(Permission::Intake));
        assert_eq!(permission_of("outbox_retry"), Some(Permission::HubAdmin));
        assert!(Command::SignIn.is_public());
        assert!(Command::AppInfo.is_public());
        assert_eq!(Command::KeepAlive.access(), Access::SignedIn);
        assert_eq!(
            Command::HubStatus.access(),
            Access::Quietly(Permission::ViewCases)
        );
        assert!(Command::AttachMaterialFile.raw_body());
        assert!(!Command::HallImage.raw_body());
    }

    #[test]
    fn arguments_go_in_camel_case() {
        assert_eq!(camel_case("dept_ql_reg_no"), "deptQlRegNo");
        // A missing optional argument is `None`, as Tauri took it.
        let req: cmd::list_cases::Request =
            serde_json::from_value(serde_json::json!({ "search": "李" })).unwrap();
        assert_eq!(req.state_filter, None);
        let value = serde_json::to_value(cmd::rotate_material_page::Request {
            project_no: "P".into(),
            page_id: 3,
            quarter_turns: 1,
        })
        .unwrap();
        assert_eq!(
            value,
            serde_json::json!({ "projectNo": "P", "pageId": 3, "quarterTurns": 1 })
        );
    }

    #[test]
    fn bytes_and_unit_answers() {
        assert_eq!(
            Bytes(vec![1, 2]).into_reply().unwrap(),
            Reply::Bytes(vec![1, 2])
        );
        assert_eq!(().into_reply().unwrap(), Reply::Json("null".into()));
        let ts = typescript();
        assert!(
            ts.contains("hallImage: (args: { kind: HallImage, }) =>"),
            "{ts}"
        );
        assert!(ts.contains("call<ArrayBuffer>(\"hall_image\", args)"));
        assert!(ts.contains("keepAlive: () => call<void>(\"keep_alive\")"));
        assert!(ts.contains("import type { IntakeForm } from \"../bindings/IntakeForm\";"));
    }
}
