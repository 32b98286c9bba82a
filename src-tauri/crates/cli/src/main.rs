//! `yichuang`: the counter's actions, headless. Calls the same core functions as the window.

mod account;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use yichuang_core::accounts::{Actor, Permission};
use yichuang_core::desk::Acting;
use yichuang_core::model::{
    AcceptOutcome, CaseAction, CaseState, DeskProfile, HallImage, IntakeDecision, MaterialReceipt,
    NoticeKind, SupplementRequest,
};
use yichuang_core::{CoreError, Desk, paths};

mod calendar;
mod clock;
mod demo;
mod share;
mod supervise;

#[derive(Parser)]
#[command(
    name = "yichuang",
    version,
    about = "一窗 Yichuang：综合窗口受理（命令行）"
)]
struct Cli {
    /// Data directory (default: $YICHUANG_DATA_DIR, else the platform's data directory).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Cases: accept, show, list.
    Case {
        #[command(flatten)]
        who: ActAs,
        #[command(subcommand)]
        action: CaseCmd,
    },
    /// Write a document of a case as PDF: the latest of --kind, or the one numbered --doc-no.
    Notice {
        /// The case number (办件编号).
        project_no: String,
        #[arg(long, value_enum, default_value = "acceptance")]
        kind: Kind,
        /// A document number (受理文书编号), such as 补字〔2026〕第01-00003号.
        #[arg(long)]
        doc_no: Option<String>,
        /// Where to write the PDF.
        #[arg(long, value_name = "OUT")]
        pdf: PathBuf,
        #[command(flatten)]
        who: ActAs,
    },
    /// The item catalog.
    Catalog {
        #[command(flatten)]
        who: ActAs,
        #[command(subcommand)]
        action: CatalogAction,
    },
    /// This desk's hall, window and clerk.
    Desk {
        #[command(flatten)]
        who: ActAs,
        #[command(subcommand)]
        action: DeskAction,
    },
    /// Delivers the outbox to the hub (办件中心): `--once`, or until Ctrl-C; `dead`, `retry ID`.
    Sync {
        /// Deliver what is due now, print what happened, and exit (non-zero if anything failed).
        #[arg(long)]
        once: bool,
        #[command(subcommand)]
        action: Option<SyncAction>,
    },
    /// The scanned or imported pages of a case's materials.
    Material {
        #[command(flatten)]
        who: ActAs,
        #[command(subcommand)]
        action: MaterialAction,
    },
    /// Capture devices: `list`, `show`, `set` (the desk's scanner or document camera).
    Device {
        #[command(flatten)]
        who: ActAs,
        #[command(subcommand)]
        action: DeviceAction,
    },
    /// What the clerk is told: supplement requests and results from departments, newest first.
    Notifications {
        /// Also the ones already read.
        #[arg(long)]
        all: bool,
        /// Mark them read after printing.
        #[arg(long)]
        mark_read: bool,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        who: ActAs,
    },
    /// The hub connection: `config` sets it (hub.json in the data directory), `show`, `status`.
    Hub {
        #[command(subcommand)]
        action: HubAction,
    },
    /// Supervision (电子监察): pending cases with 黄牌/红牌, the yellow threshold, the seed 002
    /// XML export and its receipts.
    Supervise {
        #[command(flatten)]
        who: ActAs,
        #[command(subcommand)]
        action: supervise::SuperviseCmd,
    },
    /// 帮我传 (seed 004): query, apply, method, status (the 受理中 list), signin, cancel, file.
    Share {
        #[command(flatten)]
        who: ActAs,
        #[command(subcommand)]
        action: share::ShareCmd,
    },
    /// The trainers' demo (培训控制) on a demo data directory: `clock +3d|reset`, `reset --yes`.
    Demo {
        #[command(flatten)]
        who: ActAs,
        #[command(subcommand)]
        action: demo::DemoCmd,
    },
    /// The working-day calendar (节假日安排): `show` the years covered, `import FILE` a new
    /// year's State Council arrangement.
    Calendar {
        #[command(flatten)]
        who: ActAs,
        #[command(subcommand)]
        action: calendar::CalendarCmd,
    },
    /// The desk's accounts: add, list, passwd, disable, enable, unlock, login.
    Account {
        #[command(subcommand)]
        action: account::AccountCmd,
    },
    /// Run the hub (办件中心) simulator until stopped; prints its base URL on stdout.
    HubSim {
        /// Address to listen on, e.g. 127.0.0.1:18080 (port 0: any free port).
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:18080")]
        listen: String,
        /// Simulator configuration, JSON: {"profile","whitelist","scenario","faults"}.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Department scenario, JSON: {"on_accept":[…],"on_supply_finished":[…]}.
        #[arg(long, value_name = "FILE")]
        scenario: Option<PathBuf>,
        /// The token the simulator expects (default: the configuration's, else sim-token).
        #[arg(long)]
        token: Option<String>,
    },
}

#[derive(Subcommand)]
enum MaterialAction {
    /// Attaches files (JPEG, PNG, TIFF, scanned PDF) to a material: cleaned up (crop, deskew),
    /// checked (resolution, A4/A3) and stored sealed. All files pass, or nothing is stored.
    Attach {
        project_no: String,
        /// The material's number (收件材料编号), as in `case show --json`.
        #[arg(long)]
        material: String,
        /// Colour of the stored pages.
        #[arg(long, value_enum, default_value = "gray")]
        output: OutputArg,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// The pages of a case's materials.
    List {
        project_no: String,
        #[arg(long)]
        json: bool,
    },
    /// Writes one material's pages as one PDF (the JPEGs passed through unchanged).
    Pdf {
        project_no: String,
        #[arg(long)]
        material: String,
        #[arg(long, value_name = "OUT")]
        out: PathBuf,
    },
    /// Scans into a material from the desk's capture device (`device set`), or `--device`:
    /// cleaned up and checked like attached files; all pages pass, or nothing is stored.
    Scan {
        project_no: String,
        /// The material's number (收件材料编号).
        material: String,
        /// `sane:NAME`, `v4l2:/dev/videoN` (see `device list`); default: the desk's device.
        #[arg(long)]
        device: Option<String>,
    },
    /// Edits a material's pages: `reorder`, `rotate`, `delete` (page ids from `list --json`).
    Pages {
        #[command(subcommand)]
        action: PagesAction,
    },
}

#[derive(Subcommand)]
enum PagesAction {
    /// Puts a material's pages in this order: every page id of the material, once.
    Reorder {
        project_no: String,
        #[arg(long)]
        material: String,
        #[arg(required = true)]
        page_ids: Vec<i64>,
    },
    /// Rotates a page clockwise by 90° steps (`--turns 1|2|3`; 3 is a quarter turn left).
    Rotate {
        project_no: String,
        page_id: i64,
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(i32).range(1..=3))]
        turns: i32,
    },
    /// Deletes a page.
    Delete { project_no: String, page_id: i64 },
}

/// `yichuang device`: the capture devices and the one this desk uses.
#[derive(Subcommand)]
enum DeviceAction {
    /// Scanners (SANE), document cameras (V4L2) and file import, with what each offers.
    List {
        #[arg(long)]
        json: bool,
    },
    /// The desk's capture device and options.
    Show,
    /// Chooses the desk's capture device and options (remembered by the desk).
    Set {
        #[arg(long)]
        device: Option<String>,
        #[arg(long)]
        dpi: Option<u32>,
        #[arg(long, value_enum)]
        mode: Option<OutputArg>,
        /// A4 or A3.
        #[arg(long)]
        paper: Option<String>,
        /// Feed from the automatic document feeder.
        #[arg(long)]
        adf: bool,
        #[arg(long, conflicts_with = "adf")]
        no_adf: bool,
        /// With the feeder: both sides of each sheet.
        #[arg(long)]
        duplex: bool,
        #[arg(long, conflicts_with = "duplex")]
        no_duplex: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputArg {
    Color,
    Gray,
    Bw,
}

#[derive(Subcommand)]
enum SyncAction {
    /// The dead letters: messages the hub refused or that failed too often.
    Dead {
        #[arg(long)]
        json: bool,
    },
    /// Puts a dead message back in the queue, to be sent at the next sync.
    Retry {
        /// The message's ID (from `yichuang sync dead`).
        id: i64,
    },
}

#[derive(Subcommand)]
enum HubAction {
    /// Sets the hub connection. Secrets (token, pre-shared key) are sealed with the desk key.
    Config {
        /// Base URL, such as http://10.1.2.3:8080 (YICHUANG_HUB_URL overrides it).
        #[arg(long)]
        url: Option<String>,
        /// The user token (5.1).
        #[arg(long)]
        token: Option<String>,
        /// The header that carries the token (default `token`).
        #[arg(long)]
        token_header: Option<String>,
        /// Hardened scheme: the pre-shared SM4 key, 32 hex digits (SM4-CBC + HMAC-SM3).
        #[arg(long, value_name = "HEX")]
        pre_shared_key: Option<String>,
        /// Messages per request (projectlist), 1 to 100.
        #[arg(long)]
        batch_size: Option<usize>,
        /// Overall timeout of a call, in ms.
        #[arg(long)]
        timeout_ms: Option<u64>,
        /// Interval between rounds of `yichuang sync`, in ms.
        #[arg(long)]
        interval_ms: Option<u64>,
        /// The endpoint the desk polls for what departments send it, relative to the base URL
        /// (default /yichuang/poll; "" turns polling off).
        #[arg(long)]
        poll_path: Option<String>,
    },
    /// Prints the configuration, secrets masked.
    Show,
    /// Last success and failure, and the queue.
    Status,
    /// Messages taken from the hub (7.2.3, 7.2.5, 7.2.6), newest first, with what became of
    /// each.
    Inbox {
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// The call log, newest first (personal data masked).
    Log {
        /// Only the failed calls.
        #[arg(long)]
        failures: bool,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum CaseCmd {
    /// 提交受理 with materials fetched through 帮我传 (`"share": "electronic"|"paper"` on
    /// their `materiallist` entries): the case waits in 受理中; prints the case number and
    /// issues the 临时回执.
    Submit {
        #[arg(long, value_name = "FILE")]
        json: PathBuf,
        #[arg(long, value_name = "OUT")]
        pdf: Option<PathBuf>,
    },
    /// 收件: intake of materials; prints the case number and issues the 收件凭证.
    Receive {
        /// The intake as JSON (see README); `-` reads standard input.
        #[arg(long, value_name = "FILE")]
        json: PathBuf,
        /// Also write the issued document here.
        #[arg(long, value_name = "OUT")]
        pdf: Option<PathBuf>,
    },
    /// 受理: a new case from --json (intake and accept in one step), or an existing case
    /// (已收件 or 补正完成) by its number. Prints the case number.
    Accept {
        project_no: Option<String>,
        #[arg(long, value_name = "FILE", conflicts_with = "project_no")]
        json: Option<PathBuf>,
        #[arg(long, value_name = "OUT")]
        pdf: Option<PathBuf>,
    },
    /// 不予受理, with the reason: a new case from --json, or an existing case.
    Reject {
        project_no: Option<String>,
        #[arg(long, value_name = "FILE", conflicts_with = "project_no")]
        json: Option<PathBuf>,
        #[arg(long)]
        reason: String,
        #[arg(long, value_name = "OUT")]
        pdf: Option<PathBuf>,
    },
    /// 补齐补正: --request FILE holds {"materials":[{"no","reason"}],"limit_days":N,"opinion"}.
    Supplement {
        project_no: Option<String>,
        #[arg(long, value_name = "FILE", conflicts_with = "project_no")]
        json: Option<PathBuf>,
        #[arg(long, value_name = "FILE")]
        request: PathBuf,
        #[arg(long, value_name = "OUT")]
        pdf: Option<PathBuf>,
    },
    /// 补正完成: --json FILE holds {"materiallist":[{"no","sj_no"}]}, the materials brought back.
    SupplementDone {
        project_no: String,
        #[arg(long, value_name = "FILE")]
        json: PathBuf,
    },
    /// 撤回 / 作废, with the reason. Everything is kept.
    Cancel {
        project_no: String,
        #[arg(long)]
        reason: String,
    },
    /// 启动特别程序 (hearing, inspection, expert review…): the clock pauses.
    Suspend {
        project_no: String,
        /// 特别程序种类名称, such as 听证, 专家评审, 现场勘验.
        #[arg(long)]
        name: String,
        #[arg(long)]
        reason: String,
    },
    /// 结束特别程序: the clock runs again.
    Resume {
        project_no: String,
        /// 特别程序结果.
        #[arg(long, default_value = "")]
        result: String,
    },
    /// 延长审批: extend the promised limit by AMOUNT (in its own unit).
    Extend {
        project_no: String,
        #[arg(long)]
        amount: u32,
        #[arg(long)]
        reason: String,
    },
    /// 办结 at this desk (统一受办 mode only; otherwise the department's result arrives
    /// through the hub).
    Conclude {
        project_no: String,
        /// 办理结果: approved (批准), not-approved (不予批准), forwarded (转报), terminated (终止).
        #[arg(long, value_enum)]
        status: ResultArg,
        /// 结果文书编号 / 证照编号.
        #[arg(long, default_value = "")]
        result_no: String,
        /// 办理意见.
        #[arg(long)]
        note: String,
    },
    /// 出件: hand the result over to the applicant or their agent.
    HandOver {
        project_no: String,
        /// 领取人.
        #[arg(long)]
        recipient: String,
    },
    /// 满意度评价 (dictionary B.10): the applicant's rating of a concluded or handed-over case.
    Rate {
        project_no: String,
        /// 1 很不满意, 2 不满意, 3 基本满意, 4 满意, 5 很满意.
        #[arg(long)]
        rating: String,
        /// Who recorded it (default: the desk's clerk).
        #[arg(long)]
        by: Option<String>,
    },
    /// Show one case.
    Show {
        project_no: String,
        #[arg(long)]
        json: bool,
    },
    /// List cases, newest first.
    List {
        /// Case number, name, or whole ID number.
        #[arg(long)]
        search: Option<String>,
        /// Only cases in this state (received, accepted, rejected, supplement_requested,
        /// supplement_done, withdrawn, awaiting_supplement, suspended, concluded,
        /// handed_over).
        #[arg(long, value_parser = parse_state)]
        state: Option<CaseState>,
        #[arg(long)]
        json: bool,
    },
}

fn parse_state(s: &str) -> Result<CaseState, String> {
    CaseState::parse(s).ok_or_else(|| {
        let all: Vec<&str> = CaseState::ALL.iter().map(|c| c.as_str()).collect();
        format!("未知的办件状态“{s}”，可用：{}", all.join("、"))
    })
}

#[derive(Subcommand)]
enum CatalogAction {
    /// List the items.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Replace the catalog from a JSON or .xlsx file (all or nothing).
    Import { file: PathBuf },
    /// Write the catalog to FILE: .xlsx by that extension, JSON otherwise.
    Export { file: PathBuf },
}

#[derive(Subcommand)]
enum DeskAction {
    Show,
    Set {
        #[arg(long)]
        hall: Option<String>,
        #[arg(long)]
        area: Option<String>,
        #[arg(long)]
        window: Option<String>,
        #[arg(long)]
        clerk: Option<String>,
        /// This desk's block of case numbers: its index (1-based) …
        #[arg(long)]
        desk_index: Option<u32>,
        /// … among this many desks.
        #[arg(long)]
        desk_count: Option<u32>,
        /// The hall's logo (PNG), printed on every document from now on.
        #[arg(long, value_name = "PNG")]
        logo: Option<PathBuf>,
        /// The seal image (PNG, transparent background), stamped on every document.
        #[arg(long, value_name = "PNG")]
        seal: Option<PathBuf>,
        /// Remove the logo.
        #[arg(long, conflicts_with = "logo")]
        no_logo: bool,
        /// Remove the seal.
        #[arg(long, conflicts_with = "seal")]
        no_seal: bool,
        /// 统一受办 mode: the desk records results itself and pushes concluded cases (7.2.1).
        #[arg(long)]
        unified: bool,
        /// Leave 统一受办 mode: results come from departments through the hub (7.2.6).
        #[arg(long, conflicts_with = "unified")]
        no_unified: bool,
        /// Minutes without use after which a session locks (1–240; needs an admin's session).
        #[arg(long, value_name = "N")]
        idle_minutes: Option<u32>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ResultArg {
    Approved,
    NotApproved,
    Forwarded,
    Terminated,
}

impl From<ResultArg> for yichuang_core::dict::HandleResult {
    fn from(r: ResultArg) -> Self {
        use yichuang_core::dict::HandleResult as H;
        match r {
            ResultArg::Approved => H::Approved,
            ResultArg::NotApproved => H::NotApproved,
            ResultArg::Forwarded => H::Forwarded,
            ResultArg::Terminated => H::Terminated,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Kind {
    Receipt,
    Acceptance,
    Rejection,
    Supplement,
    /// 临时回执 of a 受理中 case.
    TemporaryReceipt,
}

impl From<Kind> for NoticeKind {
    fn from(k: Kind) -> Self {
        match k {
            Kind::Receipt => NoticeKind::Receipt,
            Kind::Acceptance => NoticeKind::Acceptance,
            Kind::Rejection => NoticeKind::Rejection,
            Kind::Supplement => NoticeKind::Supplement,
            Kind::TemporaryReceipt => NoticeKind::TemporaryReceipt,
        }
    }
}

/// Exit codes: 0 success, 1 other failure, 2 invalid input, 3 not found, 4 not allowed in
/// the case's state, 5 not signed in or not allowed (accounts).
/// Who acts: `--session` (or $YICHUANG_SESSION), a session id from `yichuang account login`.
#[derive(clap::Args)]
struct ActAs {
    /// The session of the person acting (from `yichuang account login`); needed on a desk
    /// with accounts.
    #[arg(
        long = "session",
        env = "YICHUANG_SESSION",
        value_name = "ID",
        hide_env_values = true,
        global = true
    )]
    session: Option<String>,
}

impl ActAs {
    /// The person a command acts as. On a desk with accounts: the session's, when it is live
    /// and its roles grant `permission` (else exit code 5). On a desk without any account
    /// (automation): the desk profile's clerk, as before accounts existed.
    async fn actor(&self, desk: &Desk, permission: Permission) -> Result<Actor, CliError> {
        if !desk.has_accounts().await? {
            return Ok(desk.profile_actor().await?);
        }
        let id = self.session.as_deref().filter(|s| !s.trim().is_empty()).ok_or_else(|| {
            CoreError::Unauthenticated(
                "本窗口已启用账号：请用 --session 或 YICHUANG_SESSION 传入 yichuang account login 输出的会话标识".into(),
            )
        })?;
        let session = desk.resume_session(id).await?;
        Ok(desk.authorize(&session, permission).await?)
    }

    /// The desk acting as that person.
    async fn acting<'a>(
        &self,
        desk: &'a Desk,
        permission: Permission,
    ) -> Result<Acting<'a>, CliError> {
        Ok(desk.acting_as(self.actor(desk, permission).await?))
    }
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum CliError {
    #[error(transparent)]
    Core(#[from] CoreError),
    #[error("读取 {path} 失败：{source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("JSON 格式有误（第{line}行第{column}列）：{message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("输出失败：{0}")]
    Output(String),
    #[error("{0}")]
    Usage(&'static str),
    #[error("{0} 条同步消息未能送达")]
    SyncFailed(u32),
    #[error("无法在 {addr} 上启动办件中心模拟器：{message}")]
    Listen { addr: String, message: String },
}

impl CliError {
    fn exit_code(&self) -> u8 {
        match self {
            CliError::Core(CoreError::Validation(_) | CoreError::Catalog(_))
            | CliError::Json { .. }
            | CliError::Usage(_) => 2,
            CliError::Core(CoreError::NotFound(_)) => 3,
            CliError::Core(CoreError::Conflict(_)) => 4,
            CliError::Core(CoreError::Unauthenticated(_) | CoreError::Forbidden(_)) => 5,
            _ => 1,
        }
    }
}

fn read_input(path: &PathBuf) -> Result<String, CliError> {
    let read = if path.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(path)
    };
    read.map_err(|source| CliError::Read {
        path: path.display().to_string(),
        source,
    })
}

pub(crate) fn read_json<T: serde::de::DeserializeOwned>(path: &PathBuf) -> Result<T, CliError> {
    let text = read_input(path)?;
    serde_json::from_str(&text).map_err(|e| CliError::Json {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })
}

/// Prints the case number; writes the issued document to `pdf` if asked.
async fn done(desk: &Desk, outcome: AcceptOutcome, pdf: Option<PathBuf>) -> Result<(), CliError> {
    if let Some(out) = pdf {
        let kind = outcome
            .document
            .ok_or(CliError::Usage("此操作不出具文书，不能使用 --pdf"))?;
        desk.export_notice(&outcome.project_no, kind, Some(&out))
            .await?;
    }
    println!("{}", outcome.project_no);
    Ok(())
}

pub(crate) fn print_json<T: serde::Serialize>(value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| CliError::Output(e.to_string()))?;
    println!("{text}");
    Ok(())
}

/// `yichuang hub-sim`: runs until the process is stopped.
async fn hub_sim(
    listen: String,
    config: Option<PathBuf>,
    scenario: Option<PathBuf>,
    token: Option<String>,
) -> Result<(), CliError> {
    use yichuang_hub::sim;
    let mut cfg: sim::SimConfig = match &config {
        Some(path) => read_json(path)?,
        None => sim::SimConfig::default(),
    };
    if let Some(path) = &scenario {
        cfg.scenario = read_json(path)?;
    }
    if let Some(t) = token {
        cfg.profile.token = t;
    }
    let listen_err = |e: std::io::Error| CliError::Listen {
        addr: listen.clone(),
        message: e.to_string(),
    };
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .map_err(listen_err)?;
    let header = cfg.profile.token_header.clone();
    let handle = sim::serve(cfg, listener).await.map_err(listen_err)?;
    println!("{}", handle.base_url());
    eprintln!(
        "办件中心模拟器已启动：{}（令牌请求头 {header}；控制接口 /sim/received、/sim/faults、/sim/outbox；窗口轮询 {}）",
        handle.base_url(),
        sim::POLL_PATH
    );
    handle.wait().await;
    Ok(())
}

async fn run(cli: Cli) -> Result<(), CliError> {
    if let Command::HubSim {
        listen,
        config,
        scenario,
        token,
    } = cli.command
    {
        return hub_sim(listen, config, scenario, token).await;
    }
    if let Command::Demo {
        action: demo::DemoCmd::Seed { at, seed },
        ..
    } = &cli.command
    {
        let dir = paths::resolve_data_dir(cli.data_dir.clone());
        println!("{}", demo::seed(&dir, at.as_deref(), *seed).await?);
        return Ok(());
    }
    let desk = clock::open_desk(&paths::resolve_data_dir(cli.data_dir)).await?;
    match cli.command {
        Command::Case { who, action } => match action {
            CaseCmd::Submit { json, pdf } => {
                let form = read_json(&json)?;
                let acting = who.acting(&desk, Permission::Intake).await?;
                done(&desk, acting.submit(&form).await?, pdf).await?;
            }
            CaseCmd::Receive { json, pdf } => {
                let form = read_json(&json)?;
                let acting = who.acting(&desk, Permission::Intake).await?;
                done(
                    &desk,
                    acting.intake_with(&form, &IntakeDecision::Receive).await?,
                    pdf,
                )
                .await?;
            }
            CaseCmd::Accept {
                project_no,
                json,
                pdf,
            } => {
                let outcome = match (project_no, json) {
                    (Some(no), _) => {
                        who.acting(&desk, Permission::ActOnCase)
                            .await?
                            .apply(&no, &CaseAction::Accept)
                            .await?
                    }
                    (None, Some(json)) => {
                        who.acting(&desk, Permission::Intake)
                            .await?
                            .intake_with(&read_json(&json)?, &IntakeDecision::Accept)
                            .await?
                    }
                    (None, None) => {
                        return Err(CliError::Usage("请给出办件编号，或用 --json 给出接件信息"));
                    }
                };
                done(&desk, outcome, pdf).await?;
            }
            CaseCmd::Reject {
                project_no,
                json,
                reason,
                pdf,
            } => {
                let outcome = match (project_no, json) {
                    (Some(no), _) => {
                        who.acting(&desk, Permission::ActOnCase)
                            .await?
                            .apply(&no, &CaseAction::Reject { reason })
                            .await?
                    }
                    (None, Some(json)) => {
                        who.acting(&desk, Permission::Intake)
                            .await?
                            .intake_with(&read_json(&json)?, &IntakeDecision::Reject { reason })
                            .await?
                    }
                    (None, None) => {
                        return Err(CliError::Usage("请给出办件编号，或用 --json 给出接件信息"));
                    }
                };
                done(&desk, outcome, pdf).await?;
            }
            CaseCmd::Supplement {
                project_no,
                json,
                request,
                pdf,
            } => {
                let request: SupplementRequest = read_json(&request)?;
                let outcome = match (project_no, json) {
                    (Some(no), _) => {
                        who.acting(&desk, Permission::ActOnCase)
                            .await?
                            .apply(&no, &CaseAction::RequestSupplement { request })
                            .await?
                    }
                    (None, Some(json)) => {
                        who.acting(&desk, Permission::Intake)
                            .await?
                            .intake_with(
                                &read_json(&json)?,
                                &IntakeDecision::RequestSupplement { request },
                            )
                            .await?
                    }
                    (None, None) => {
                        return Err(CliError::Usage("请给出办件编号，或用 --json 给出接件信息"));
                    }
                };
                done(&desk, outcome, pdf).await?;
            }
            CaseCmd::SupplementDone { project_no, json } => {
                #[derive(serde::Deserialize)]
                struct Brought {
                    materiallist: Vec<MaterialReceipt>,
                }
                let brought: Brought = read_json(&json)?;
                let action = CaseAction::CompleteSupplement {
                    materiallist: brought.materiallist,
                };
                done(
                    &desk,
                    who.acting(&desk, Permission::ActOnCase)
                        .await?
                        .apply(&project_no, &action)
                        .await?,
                    None,
                )
                .await?;
            }
            CaseCmd::Cancel { project_no, reason } => {
                done(
                    &desk,
                    who.acting(&desk, Permission::ActOnCase)
                        .await?
                        .apply(&project_no, &CaseAction::Withdraw { reason })
                        .await?,
                    None,
                )
                .await?;
            }
            CaseCmd::Suspend {
                project_no,
                name,
                reason,
            } => {
                let action = CaseAction::Suspend {
                    special_name: name,
                    reason,
                };
                done(
                    &desk,
                    who.acting(&desk, Permission::ActOnCase)
                        .await?
                        .apply(&project_no, &action)
                        .await?,
                    None,
                )
                .await?;
            }
            CaseCmd::Resume { project_no, result } => {
                let action = CaseAction::Resume { result };
                done(
                    &desk,
                    who.acting(&desk, Permission::ActOnCase)
                        .await?
                        .apply(&project_no, &action)
                        .await?,
                    None,
                )
                .await?;
            }
            CaseCmd::Extend {
                project_no,
                amount,
                reason,
            } => {
                let action = CaseAction::Extend { amount, reason };
                done(
                    &desk,
                    who.acting(&desk, Permission::ActOnCase)
                        .await?
                        .apply(&project_no, &action)
                        .await?,
                    None,
                )
                .await?;
            }
            CaseCmd::Conclude {
                project_no,
                status,
                result_no,
                note,
            } => {
                let action = CaseAction::Conclude {
                    status: status.into(),
                    result_no,
                    note,
                };
                done(
                    &desk,
                    who.acting(&desk, Permission::ActOnCase)
                        .await?
                        .apply(&project_no, &action)
                        .await?,
                    None,
                )
                .await?;
            }
            CaseCmd::HandOver {
                project_no,
                recipient,
            } => {
                let action = CaseAction::HandOver { recipient };
                done(
                    &desk,
                    who.acting(&desk, Permission::ActOnCase)
                        .await?
                        .apply(&project_no, &action)
                        .await?,
                    None,
                )
                .await?;
            }
            CaseCmd::Rate {
                project_no,
                rating,
                by,
            } => {
                let r = yichuang_core::dict::Satisfaction::from_code(rating.trim())
                    .or_else(|| {
                        yichuang_core::dict::Satisfaction::ALL
                            .iter()
                            .copied()
                            .find(|s| s.label() == rating.trim())
                    })
                    .ok_or_else(|| {
                        CliError::Core(CoreError::Validation(vec![
                            yichuang_core::model::FieldError {
                                field: "rating".into(),
                                label: "满意度".into(),
                                message: format!(
                                    "不认识的评价“{rating}”，应为1至5（1很不满意……5很满意）"
                                ),
                            },
                        ]))
                    })?;
                let actor = who.actor(&desk, Permission::ActOnCase).await?;
                // On a desk with accounts the signed-in person records it, whatever --by says.
                let by = match by {
                    Some(b) if actor.account_id == 0 => b,
                    _ => actor.name,
                };
                desk.record_satisfaction(&project_no, r, &by).await?;
                println!("{project_no}");
            }
            CaseCmd::Show { project_no, json } => {
                who.actor(&desk, Permission::ViewCases).await?;
                let case = desk.get_case(&project_no).await?;
                if json {
                    print_json(&case)?;
                } else {
                    println!("办件编号  {}", case.project_no);
                    println!("事项      {}（{}）", case.dept_ql_name, case.org_name);
                    println!(
                        "申请人    {}  {}",
                        case.applicant_name,
                        yichuang_core::idcard::mask(&case.applicant_paper_code)
                    );
                    println!("状态      {}", case.state.label());
                    println!("收件      {}", case.apply_date);
                    if !case.acceptdate.is_empty() {
                        println!("受理      {}  {}", case.acceptdate, case.acceptusername);
                    }
                    match &case.promised_date {
                        Some(d) => println!(
                            "承诺时限  {}，{d}前{}",
                            case.promise_text,
                            if case.clock_paused {
                                "（暂停计时中）"
                            } else {
                                ""
                            }
                        ),
                        None => println!("承诺时限  {}", case.promise_text),
                    }
                    if let Some(w) = &case.promised_date_estimate {
                        println!("日期说明  {w}");
                    }
                    for s in case.supplements.iter().filter(|s| s.done_at.is_none()) {
                        println!(
                            "补正      {}  {}前{}",
                            s.sj_file_name,
                            s.due_date,
                            s.due_estimate
                                .as_deref()
                                .map(|w| format!("（{w}）"))
                                .unwrap_or_default()
                        );
                    }
                    for c in &case.clock {
                        println!(
                            "计时      {}  {}  {}  {}",
                            c.special_name,
                            c.started_at,
                            c.ended_at.as_deref().unwrap_or("进行中"),
                            c.reason
                        );
                    }
                    for m in &case.materials {
                        println!(
                            "材料 {:>2}   {} ×{}（{}）",
                            m.ord,
                            m.sj_file_name,
                            m.sj_no,
                            m.form.label()
                        );
                    }
                    for e in &case.history {
                        println!(
                            "记录      {}  {}  {}  {}",
                            e.at, e.action, e.actor, e.opinion
                        );
                    }
                    for d in &case.documents {
                        println!(
                            "文书      {}  {}  {}{}",
                            d.title,
                            d.doc_no,
                            d.created_at,
                            if d.attachguid.is_some() {
                                "  已上传办件中心"
                            } else {
                                ""
                            }
                        );
                    }
                    for d in &case.hub_documents {
                        println!(
                            "部门文书  {}  {}  {}{}",
                            d.docname,
                            d.docnumber,
                            d.received_at,
                            if d.fetch_error.is_empty() {
                                String::new()
                            } else {
                                format!("  下载失败：{}", d.fetch_error)
                            }
                        );
                    }
                    if let Some(r) = case.satisfaction {
                        println!(
                            "满意度    {}  {}",
                            r.label(),
                            case.satisfaction_at.as_deref().unwrap_or("")
                        );
                    }
                    for o in &case.supervision_orders {
                        println!(
                            "督办 {:<4} {}  {}  {}{}",
                            o.id,
                            o.issued_at,
                            o.issued_by,
                            o.text,
                            match &o.closed_at {
                                Some(at) => format!("（{at} 已办结）"),
                                None => "（办理中）".into(),
                            }
                        );
                        for r in &o.replies {
                            println!("  回复    {}  {}  {}", r.at, r.by, r.text);
                        }
                    }
                    if let Some(r) = &case.result {
                        println!(
                            "办结      {}  {}  {}  {}",
                            r.status.label(),
                            r.result_no,
                            r.note,
                            if r.from_hub {
                                "（审批部门经办件中心推送）"
                            } else {
                                "（本窗口统一受办）"
                            }
                        );
                    }
                }
            }
            CaseCmd::List {
                search,
                state,
                json,
            } => {
                who.actor(&desk, Permission::ViewCases).await?;
                let cases = desk.list_cases(search.as_deref(), state).await?;
                if json {
                    print_json(&cases)?;
                } else {
                    for c in cases {
                        println!(
                            "{}  {}  {}  {}  {}",
                            c.project_no,
                            c.state.label(),
                            c.applicant_name,
                            c.dept_ql_name,
                            c.apply_date
                        );
                    }
                }
            }
        },
        Command::Notice {
            project_no,
            kind,
            doc_no,
            pdf,
            who,
        } => match who
            .actor(&desk, Permission::ViewCases)
            .await
            .map(|_| doc_no)?
        {
            Some(doc_no) => {
                let (owner, _, bytes) = desk.document_pdf(&doc_no).await?;
                if owner != project_no.trim() {
                    return Err(CoreError::NotFound(format!(
                        "办件 {} 的文书 {}",
                        project_no.trim(),
                        doc_no.trim()
                    ))
                    .into());
                }
                std::fs::write(&pdf, bytes)
                    .map_err(|e| CliError::Output(format!("{}：{e}", pdf.display())))?;
                eprintln!("已写入 {}", pdf.display());
            }
            None => {
                let path = desk
                    .export_notice(&project_no, kind.into(), Some(&pdf))
                    .await?;
                eprintln!("已写入 {}", path.display());
            }
        },
        Command::Catalog { who, action } => match action {
            CatalogAction::List { json } => {
                who.actor(&desk, Permission::ViewCases).await?;
                let items = desk.catalog().await?;
                if json {
                    print_json(&items)?;
                } else {
                    for i in items {
                        println!("{}  {}  {}", i.dept_ql_reg_no, i.dept_ql_name, i.org_name);
                    }
                }
            }
            CatalogAction::Import { file } => {
                who.actor(&desk, Permission::DeskSettings).await?;
                let bytes = std::fs::read(&file).map_err(|source| CliError::Read {
                    path: file.display().to_string(),
                    source,
                })?;
                let n = desk.import_catalog_bytes(&bytes).await?;
                println!("已导入 {n} 个事项");
            }
            CatalogAction::Export { file } => {
                who.actor(&desk, Permission::ViewCases).await?;
                let xlsx = file
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
                let bytes = if xlsx {
                    desk.export_catalog_xlsx().await?
                } else {
                    desk.export_catalog_json().await?.into_bytes()
                };
                std::fs::write(&file, bytes)
                    .map_err(|e| CliError::Output(format!("{}：{e}", file.display())))?;
                eprintln!("已导出到 {}", file.display());
            }
        },
        Command::Desk { who, action } => match action {
            DeskAction::Show => {
                who.actor(&desk, Permission::ViewCases).await?;
                print_json(&desk.profile().await?)?;
                calendar::remind(&desk).await?
            }
            DeskAction::Set {
                hall,
                area,
                window,
                clerk,
                desk_index,
                desk_count,
                logo,
                seal,
                no_logo,
                no_seal,
                unified,
                no_unified,
                idle_minutes,
            } => {
                who.actor(&desk, Permission::DeskSettings).await?;
                if let Some(minutes) = idle_minutes {
                    let id = who.session.as_deref().ok_or(CliError::Usage(
                        "设置自动锁定时间需要管理员会话：请用 --session 或 YICHUANG_SESSION 传入",
                    ))?;
                    let session = desk.resume_session(id).await?;
                    desk.set_idle_lock_minutes(&session, minutes).await?;
                }
                let p = desk.profile().await?;
                let unified_intake = match (unified, no_unified) {
                    (true, _) => true,
                    (_, true) => false,
                    _ => p.unified_intake,
                };
                desk.set_profile(DeskProfile {
                    unified_intake,
                    hall_name: hall.unwrap_or(p.hall_name),
                    area_no: area.unwrap_or(p.area_no),
                    window_no: window.unwrap_or(p.window_no),
                    clerk_name: clerk.unwrap_or(p.clerk_name),
                    desk_index: desk_index.unwrap_or(p.desk_index),
                    desk_count: desk_count.unwrap_or(p.desk_count),
                    ..p
                })
                .await?;
                for (kind, file, remove) in [
                    (HallImage::Logo, logo, no_logo),
                    (HallImage::Seal, seal, no_seal),
                ] {
                    if let Some(file) = file {
                        let bytes = std::fs::read(&file).map_err(|source| CliError::Read {
                            path: file.display().to_string(),
                            source,
                        })?;
                        desk.set_hall_image(kind, Some(&bytes)).await?;
                    } else if remove {
                        desk.set_hall_image(kind, None).await?;
                    }
                }
                print_json(&desk.profile().await?)?;
            }
        },
        Command::Sync { once, action } => sync(&desk, once, action).await?,
        Command::Material { who, action } => {
            let permission = match action {
                MaterialAction::Attach { .. }
                | MaterialAction::Scan { .. }
                | MaterialAction::Pages { .. } => Permission::ActOnCase,
                _ => Permission::ViewCases,
            };
            who.actor(&desk, permission).await?;
            material(&desk, action).await?
        }
        Command::Device { who, action } => {
            let permission = match action {
                DeviceAction::Set { .. } => Permission::DeskSettings,
                _ => Permission::ViewCases,
            };
            who.actor(&desk, permission).await?;
            device(&desk, action).await?
        }
        Command::Notifications {
            all,
            mark_read,
            json,
            who,
        } => {
            who.actor(&desk, Permission::ActOnCase).await?;
            let list = desk.notifications(!all, 200).await?;
            if json {
                print_json(&list)?;
            } else {
                if list.is_empty() {
                    eprintln!("没有新的通知");
                }
                for n in &list {
                    println!(
                        "{}\t{}\t{}\t{}\t{}",
                        n.id,
                        n.created_at,
                        if n.read { "已读" } else { "未读" },
                        n.title,
                        n.body
                    );
                }
            }
            if mark_read {
                let ids: Vec<i64> = list.iter().map(|n| n.id).collect();
                if !ids.is_empty() {
                    desk.mark_notifications_read(&ids).await?;
                }
            }
        }
        Command::Hub { action } => hub(&desk, action).await?,
        Command::Share { who, action } => {
            use share::ShareCmd;
            let permission = match action {
                ShareCmd::Query { .. } | ShareCmd::Apply { .. } => Permission::Intake,
                ShareCmd::Status { .. } | ShareCmd::File { .. } => Permission::ViewCases,
                _ => Permission::ActOnCase,
            };
            who.actor(&desk, permission).await?;
            share::run(&desk, action).await?
        }
        Command::Supervise { who, action } => {
            use supervise::{OrderCmd, SuperviseCmd};
            let permission = match &action {
                SuperviseCmd::Order {
                    action: OrderCmd::Issue { .. } | OrderCmd::Close { .. },
                } => Permission::IssueSupervisionOrder,
                SuperviseCmd::Order {
                    action: OrderCmd::Reply { .. },
                } => Permission::ActOnCase,
                SuperviseCmd::Order {
                    action: OrderCmd::List { .. },
                } => Permission::ViewCases,
                _ => Permission::SuperviseCases,
            };
            let actor = who.actor(&desk, permission).await?;
            // On a desk with accounts the signed-in person acts, whatever --by says.
            let signed = (actor.account_id != 0).then_some(actor);
            supervise::supervise(&desk, action, signed.as_ref()).await?
        }
        Command::Account { action } => account::run(&desk, action).await?,
        Command::Demo { who, action } => {
            who.actor(&desk, Permission::TrainerControls).await?;
            demo::run(&desk, action).await?
        }
        Command::Calendar { who, action } => match action {
            calendar::CalendarCmd::Show { json } => {
                who.actor(&desk, Permission::ViewCases).await?;
                calendar::show(&desk, json).await?
            }
            calendar::CalendarCmd::Import { file, json } => {
                let actor = who.actor(&desk, Permission::DeskSettings).await?;
                calendar::import(&desk, &actor, &file, json).await?
            }
        },
        Command::HubSim { .. } => {}
    }
    Ok(())
}

/// `yichuang material`.
async fn material(desk: &Desk, action: MaterialAction) -> Result<(), CliError> {
    use yichuang_core::materials::IncomingFile;
    use yichuang_core::model::PageOutput;
    match action {
        MaterialAction::Attach {
            project_no,
            material,
            output,
            files,
        } => {
            let mut incoming = Vec::with_capacity(files.len());
            for path in &files {
                let bytes = std::fs::read(path).map_err(|source| CliError::Read {
                    path: path.display().to_string(),
                    source,
                })?;
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_else(|| path.display().to_string());
                incoming.push(IncomingFile { name, bytes });
            }
            let output = match output {
                OutputArg::Color => PageOutput::Color,
                OutputArg::Gray => PageOutput::Gray,
                OutputArg::Bw => PageOutput::BlackWhite,
            };
            let pages = desk
                .attach_material_files(&project_no, &material, incoming, output)
                .await?;
            println!("{project_no}");
            eprintln!("材料 {material} 现有 {} 页", pages.len());
            Ok(())
        }
        MaterialAction::List { project_no, json } => {
            let pages = desk.material_pages(&project_no).await?;
            if json {
                return print_json(&pages);
            }
            for p in &pages {
                println!(
                    "{}\t第{}页\t{}×{} {}dpi {}\t{} 字节\t{}",
                    p.material_no, p.ord, p.width, p.height, p.dpi, p.paper, p.size, p.source
                );
            }
            Ok(())
        }
        MaterialAction::Pdf {
            project_no,
            material,
            out,
        } => {
            let pdf = desk.material_pdf(&project_no, &material).await?;
            std::fs::write(&out, pdf)
                .map_err(|e| CliError::Output(format!("{}：{e}", out.display())))?;
            println!("{}", out.display());
            Ok(())
        }
        MaterialAction::Scan {
            project_no,
            material,
            device,
        } => {
            let pages = desk
                .scan_material(&project_no, &material, device.as_deref())
                .await?;
            println!("{project_no}");
            eprintln!("材料 {material} 现有 {} 页", pages.len());
            Ok(())
        }
        MaterialAction::Pages { action } => {
            let pages = match action {
                PagesAction::Reorder {
                    project_no,
                    material,
                    page_ids,
                } => {
                    desk.reorder_material_pages(&project_no, &material, &page_ids)
                        .await?
                }
                PagesAction::Rotate {
                    project_no,
                    page_id,
                    turns,
                } => {
                    desk.rotate_material_page(&project_no, page_id, turns)
                        .await?
                }
                PagesAction::Delete {
                    project_no,
                    page_id,
                } => desk.delete_material_page(&project_no, page_id).await?,
            };
            for p in &pages {
                println!(
                    "{}\t第{}页\t{}\t{}×{} {}dpi {}",
                    p.material_no, p.ord, p.id, p.width, p.height, p.dpi, p.paper
                );
            }
            Ok(())
        }
    }
}

/// `yichuang device`.
async fn device(desk: &Desk, action: DeviceAction) -> Result<(), CliError> {
    use yichuang_core::model::PageOutput;
    match action {
        DeviceAction::List { json } => {
            let found = desk.capture_devices().await?;
            if json {
                return print_json(&found);
            }
            for d in &found.devices {
                println!(
                    "{}\t{}\t{}\t{}{}",
                    d.id,
                    d.kind,
                    d.label,
                    d.page_sizes.join("/"),
                    match (d.has_adf, d.has_duplex) {
                        (_, true) => "\t进纸器（双面）",
                        (true, false) => "\t进纸器",
                        _ => "",
                    }
                );
            }
            if let Some(p) = &found.problem {
                eprintln!("{p}");
            }
            Ok(())
        }
        DeviceAction::Show => print_json(&desk.capture_settings().await?),
        DeviceAction::Set {
            device,
            dpi,
            mode,
            paper,
            adf,
            no_adf,
            duplex,
            no_duplex,
        } => {
            let mut s = desk.capture_settings().await?;
            if let Some(d) = device {
                s.device = d;
            }
            if let Some(d) = dpi {
                s.dpi = d;
            }
            if let Some(m) = mode {
                s.mode = match m {
                    OutputArg::Color => PageOutput::Color,
                    OutputArg::Gray => PageOutput::Gray,
                    OutputArg::Bw => PageOutput::BlackWhite,
                };
            }
            if let Some(p) = paper {
                s.page_size = p.trim().to_uppercase();
            }
            if adf {
                s.adf = true;
            }
            if no_adf {
                s.adf = false;
                s.duplex = false;
            }
            if duplex {
                s.duplex = true;
            }
            if no_duplex {
                s.duplex = false;
            }
            print_json(&desk.set_capture_settings(&s).await?)
        }
    }
}

/// `yichuang sync`.
async fn sync(desk: &Desk, once: bool, action: Option<SyncAction>) -> Result<(), CliError> {
    use yichuang_core::model::OutboxStatus;
    match action {
        Some(SyncAction::Dead { json }) => {
            let dead = desk.outbox_list(Some(OutboxStatus::Dead), 1_000).await?;
            if json {
                return print_json(&dead);
            }
            if dead.is_empty() {
                eprintln!("没有失败的同步消息");
            }
            for e in &dead {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    e.id, e.project_no, e.idem_key, e.attempts, e.last_error
                );
            }
            Ok(())
        }
        Some(SyncAction::Retry { id }) => {
            let e = desk.outbox_retry(id).await?;
            println!("{}", e.id);
            eprintln!("同步消息 {}（{}）已重新排队", e.id, e.idem_key);
            Ok(())
        }
        None => {
            let settings = yichuang_sync::HubSettings::load(desk)?;
            let worker = settings.worker(desk).await?;
            if once {
                let r = worker.run_once(desk).await?;
                if let Some(holder) = &r.busy {
                    eprintln!("另一个同步程序（{holder}）正在为本窗口同步，本次未发送；稍后再试");
                }
                println!(
                    "已送达 {}，待重试 {}，失败 {}，仍待发送 {}（请求 {} 次）",
                    r.delivered, r.failed, r.dead, r.remaining, r.requests
                );
                println!(
                    "收到部门消息：已处理 {}，记入历史 {}，重复 {}，未处理 {}；下载部门文书 {}",
                    r.incoming_applied,
                    r.incoming_recorded,
                    r.incoming_duplicates,
                    r.incoming_ignored,
                    r.documents_fetched
                );
                if let Some(e) = &r.poll_error {
                    eprintln!("接收部门消息失败：{e}");
                }
                for f in &r.failures {
                    eprintln!(
                        "{}\t{}\t{}\t{}",
                        if f.dead { "失败" } else { "待重试" },
                        f.id,
                        f.project_no,
                        f.error
                    );
                }
                if r.failed + r.dead > 0 {
                    return Err(CliError::SyncFailed(r.failed + r.dead));
                }
                Ok(())
            } else {
                // The handler is installed before the first round: `ctrl_c()` would install it
                // only when first polled, and a Ctrl-C during the first round would kill the
                // process instead of stopping it between rounds.
                #[cfg(unix)]
                let mut interrupt =
                    tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
                        .map_err(|e| CliError::Output(format!("无法接收 Ctrl-C：{e}")))?;
                eprintln!("正在向 {} 同步，按 Ctrl-C 停止", settings.base_url);
                worker
                    .run(
                        desk,
                        std::time::Duration::from_millis(settings.interval_ms.max(100)),
                        async move {
                            #[cfg(unix)]
                            interrupt.recv().await;
                            #[cfg(not(unix))]
                            let _ = tokio::signal::ctrl_c().await;
                        },
                    )
                    .await;
                Ok(())
            }
        }
    }
}

/// `yichuang hub`.
async fn hub(desk: &Desk, action: HubAction) -> Result<(), CliError> {
    use yichuang_sync::HubSettings;
    match action {
        HubAction::Config {
            url,
            token,
            token_header,
            pre_shared_key,
            batch_size,
            timeout_ms,
            interval_ms,
            poll_path,
        } => {
            let mut s = HubSettings::load_file(desk)?;
            if let Some(p) = poll_path {
                if !(p.is_empty() || p.starts_with('/')) {
                    return Err(CliError::Usage(
                        "轮询地址应以 / 开头（相对于办件中心地址），或为空以关闭轮询",
                    ));
                }
                s.poll_path = p;
            }
            if let Some(u) = url {
                if !(u.starts_with("http://") || u.starts_with("https://")) {
                    return Err(CliError::Usage("办件中心地址应以 http:// 或 https:// 开头"));
                }
                s.base_url = u.trim_end_matches('/').to_string();
            }
            if let Some(h) = token_header {
                s.token_header = h;
            }
            if let Some(n) = batch_size {
                if !(1..=100).contains(&n) {
                    return Err(CliError::Usage(
                        "每次请求的办件数（--batch-size）应为1到100",
                    ));
                }
                s.batch_size = n;
            }
            if let Some(t) = timeout_ms {
                s.timeout_ms = t;
            }
            if let Some(i) = interval_ms {
                s.interval_ms = i;
            }
            if token.is_some() || pre_shared_key.is_some() {
                let mut secrets = s.secrets(desk)?;
                if let Some(t) = token {
                    secrets.token = t;
                }
                if let Some(k) = pre_shared_key {
                    if k.is_empty() {
                        s.crypto.pre_shared_key = false;
                    } else {
                        if k.len() != 32 || !k.bytes().all(|b| b.is_ascii_hexdigit()) {
                            return Err(CliError::Usage("预共享密钥应为32位十六进制数字"));
                        }
                        s.crypto.pre_shared_key = true;
                        s.crypto.mode = yichuang_hub::crypto::CipherMode::Cbc;
                    }
                    secrets.pre_shared_key_hex = k;
                }
                s.set_secrets(desk, &secrets)?;
            }
            s.save_checked(desk).await?;
            print_json(&s.masked(desk)?)
        }
        HubAction::Show => print_json(&HubSettings::load(desk)?.masked(desk)?),
        HubAction::Status => {
            print_json(&desk.hub_status().await?)?;
            calendar::remind(desk).await
        }
        HubAction::Inbox { limit, json } => {
            let list = desk.inbox_list(limit).await?;
            if json {
                return print_json(&list);
            }
            for m in &list {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    m.received_at, m.interface, m.project_no, m.outcome, m.detail
                );
            }
            Ok(())
        }
        HubAction::Log {
            failures,
            limit,
            json,
        } => {
            let log = desk.call_log_list(failures, limit).await?;
            if json {
                return print_json(&log);
            }
            for e in &log {
                println!(
                    "{}\t{}\t{}\t{}\t{} ms\t{}",
                    e.time, e.caller, e.interface, e.outcome, e.duration_ms, e.message
                );
            }
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("无法启动：{e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            match &e {
                CliError::Core(CoreError::Validation(errors)) => {
                    eprintln!("输入有误，未受理：");
                    for f in errors {
                        eprintln!("  {}（{}）：{}", f.label, f.field, f.message);
                    }
                }
                other => eprintln!("错误：{other}"),
            }
            ExitCode::from(e.exit_code())
        }
    }
}
