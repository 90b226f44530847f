//! scangate's offline front end: "why was this denied?".
//!
//! ```text
//! scangate check --policy policy.json --request '{…}' [--explain]
//! scangate check --policy policy.json --requests requests.jsonl [--explain]   (- for stdin)
//! scangate validate --policy policy.json
//! scangate plan --policy policy.json --request '{…}' [--dialect sqlite|postgres]
//! scangate select --policy policy.json --request '{…}' --assets assets.jsonl
//! scangate help | --help | -h
//! ```
//!
//! Every line written to standard output is one JSON object. `check` prints one per
//! request, in order, each with `"decision": "allow"` or `"deny"` and its explanation;
//! `--explain` adds the one-sentence `"explanation"`. A malformed request line gets
//! `"decision": "deny"` with an `"error"`, and processing continues. `validate` prints one
//! object per problem of the policy file (`location`, `message`), then a summary object,
//! and exits 1 if there is any problem. `plan` prints the query plan of a request without a
//! resource (`plan`, `reason` for `none`, `filter` for `filter`, `sql`, `params`); `select`
//! loads a `.jsonl` file of assets (`{"id": "…", "ipv4": […], …}`) into an in-memory SQLite
//! database in the default schema, runs the plan's SQL and prints the selected ids, one a
//! line, in the file's order (a malformed line is an error naming it, and nothing is
//! printed). `help` prints the usage and exits 0. A usage error
//! (unknown subcommand or flag, a flag without its value) is reported on standard error
//! with the usage; it and an unreadable file exit 2.

use scangate::plan::{Dialect, Plan, Schema, SqlValue, Test};
use scangate::{Asset, Decision, Policy, Resource, policy::Request};
use serde::Serialize;
use std::io::{Read, Write};
use std::process::ExitCode;

const USAGE: &str = "usage:
  scangate check --policy FILE (--request JSON | --requests FILE|-) [--explain]
  scangate validate --policy FILE
  scangate plan --policy FILE --request JSON [--dialect sqlite|postgres]
  scangate select --policy FILE --request JSON --assets FILE
  scangate help | --help | -h

  check     decides each request: one JSON object per request on standard output
            (--requests: one request per line, - for standard input; --explain adds
            the one-sentence explanation)
  validate  one JSON object per problem of the policy file, then a summary object
  plan      the query plan of a request without a resource, as one JSON object:
            plan (all, none, filter), reason, filter, sql (a WHERE fragment), params
  select    loads the assets (.jsonl, one {\"id\": ..., \"ipv4\": [...], ...} a line) into
            an in-memory SQLite database, runs the plan's SQL, prints the selected ids
  help      this text

exit status: 0 done (whatever the decisions), 1 validate found problems,
             2 usage error or unreadable file";

/// What the command line asks for.
enum Command {
    Help,
    Check(CheckOptions),
    Validate { policy: String },
    Plan(PlanOptions),
}

struct PlanOptions {
    policy: String,
    request: String,
    dialect: Dialect,
    /// `select`: the assets file.
    assets: Option<String>,
}

struct CheckOptions {
    policy: String,
    input: Input,
    explain: bool,
}

enum Input {
    Request(String),
    Requests(String),
}

/// Why the program stops: a usage error (reported with the usage) or a failure while
/// running (an unreadable file, a policy that does not load, a write error).
enum Failure {
    Usage(String),
    Run(String),
}

fn is_help(arg: &str) -> bool {
    matches!(arg, "help" | "--help" | "-h")
}

fn parse_args(args: &[String]) -> Result<Command, Failure> {
    let mut args = args.iter();
    let command = args
        .next()
        .ok_or_else(|| Failure::Usage("missing subcommand".to_owned()))?;
    if is_help(command) {
        return Ok(Command::Help);
    }
    let flags: &[&str] = match command.as_str() {
        "check" => &["--policy", "--request", "--requests", "--explain"],
        "validate" => &["--policy"],
        "plan" => &["--policy", "--request", "--dialect"],
        "select" => &["--policy", "--request", "--assets"],
        other => return Err(Failure::Usage(format!("unknown subcommand `{other}`"))),
    };
    let (mut policy, mut request, mut requests, mut explain) = (None, None, None, false);
    let (mut dialect, mut assets) = (None, None);
    while let Some(flag) = args.next() {
        if matches!(flag.as_str(), "--help" | "-h") {
            return Ok(Command::Help);
        }
        if !flags.contains(&flag.as_str()) {
            return Err(Failure::Usage(format!(
                "unknown flag `{flag}` for `{command}`"
            )));
        }
        if flag == "--explain" {
            explain = true;
            continue;
        }
        // A value that looks like a flag is a forgotten value (`--policy --explain`); `-`
        // alone is standard input.
        let value = args
            .next()
            .filter(|value| !value.starts_with("--"))
            .cloned()
            .ok_or_else(|| Failure::Usage(format!("`{flag}` needs a value")))?;
        let slot = match flag.as_str() {
            "--policy" => &mut policy,
            "--request" => &mut request,
            "--dialect" => &mut dialect,
            "--assets" => &mut assets,
            _ => &mut requests,
        };
        if slot.replace(value).is_some() {
            return Err(Failure::Usage(format!("`{flag}` is given twice")));
        }
    }
    let policy = policy.ok_or_else(|| Failure::Usage(format!("`{command}` needs --policy")))?;
    if command == "validate" {
        return Ok(Command::Validate { policy });
    }
    if command == "plan" || command == "select" {
        let request =
            request.ok_or_else(|| Failure::Usage(format!("`{command}` needs --request")))?;
        let dialect = match dialect.as_deref() {
            None => Dialect::Sqlite,
            Some(name) => Dialect::from_name(name).ok_or_else(|| {
                Failure::Usage(format!("unknown dialect `{name}` (sqlite or postgres)"))
            })?,
        };
        if command == "select" && assets.is_none() {
            return Err(Failure::Usage("`select` needs --assets".to_owned()));
        }
        return Ok(Command::Plan(PlanOptions {
            policy,
            request,
            dialect,
            assets,
        }));
    }
    let input = match (request, requests) {
        (Some(request), None) => Input::Request(request),
        (None, Some(path)) => Input::Requests(path),
        _ => {
            return Err(Failure::Usage(
                "`check` needs exactly one of --request and --requests".to_owned(),
            ));
        }
    };
    Ok(Command::Check(CheckOptions {
        policy,
        input,
        explain,
    }))
}

fn read_file(path: &str) -> Result<Vec<u8>, Failure> {
    if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| Failure::Run(format!("cannot read standard input: {e}")))?;
        return Ok(bytes);
    }
    std::fs::read(path).map_err(|e| Failure::Run(format!("cannot read `{path}`: {e}")))
}

fn read_text(path: &str) -> Result<String, Failure> {
    String::from_utf8(read_file(path)?)
        .map_err(|_| Failure::Run(format!("`{path}` is not valid UTF-8")))
}

/// One output line: the line number (for `--requests`), the decision's explanation, and
/// with `--explain` the sentence. Keys keep this order.
#[derive(Serialize)]
struct Answer<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(flatten)]
    decision: &'a Decision<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<String>,
}

/// The output line for a request that could not be read.
#[derive(Serialize)]
struct Malformed {
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    decision: &'static str,
    error: String,
}

fn answer(policy: &Policy, bytes: &[u8], line: Option<usize>, explain: bool) -> String {
    let malformed = |error: String| {
        serde_json::to_string(&Malformed {
            line,
            decision: "deny",
            error,
        })
    };
    let written = match std::str::from_utf8(bytes) {
        Err(_) => malformed("the request is not valid UTF-8".to_owned()),
        Ok(text) => match Request::from_json(text) {
            Err(error) => malformed(error.to_string()),
            Ok(request) => {
                let decision = policy.check_request(&request);
                let explanation = explain.then(|| decision.to_string());
                serde_json::to_string(&Answer {
                    line,
                    decision: &decision,
                    explanation,
                })
            }
        },
    };
    // Serializing a decision does not fail; should it, the line is still a JSON object
    // (`Value`'s `Display` cannot fail).
    written.unwrap_or_else(|error| {
        serde_json::json!({
            "line": line,
            "decision": "deny",
            "error": format!("cannot write the decision: {error}"),
        })
        .to_string()
    })
}

fn check(options: &CheckOptions) -> Result<ExitCode, Failure> {
    let path = &options.policy;
    let policy =
        Policy::from_json(&read_text(path)?).map_err(|e| Failure::Run(format!("{path}: {e}")))?;
    let (input, numbered) = match &options.input {
        Input::Request(request) => (request.clone().into_bytes(), false),
        Input::Requests(path) => (read_file(path)?, true),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let write_error = |e: std::io::Error| Failure::Run(format!("cannot write: {e}"));
    for (number, line) in input.split(|byte| *byte == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let number = numbered.then_some(number + 1);
        writeln!(out, "{}", answer(&policy, line, number, options.explain)).map_err(write_error)?;
    }
    out.flush().map_err(write_error)?;
    Ok(ExitCode::SUCCESS)
}

/// One `validate` output line for a problem.
#[derive(Serialize)]
struct ProblemLine<'a> {
    location: &'a str,
    message: &'a str,
}

/// The last `validate` output line.
#[derive(Serialize)]
struct Summary<'a> {
    policy: &'a str,
    valid: bool,
    problems: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    roles: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    access_groups: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    users: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    permissions: Option<usize>,
}

fn json_line(out: &mut impl Write, value: &impl Serialize) -> Result<(), Failure> {
    let text =
        serde_json::to_string(value).map_err(|e| Failure::Run(format!("cannot write: {e}")))?;
    writeln!(out, "{text}").map_err(|e| Failure::Run(format!("cannot write: {e}")))
}

fn validate(path: &str) -> Result<ExitCode, Failure> {
    let text = read_text(path)?;
    let problems = Policy::validate_json(&text);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for problem in &problems {
        json_line(
            &mut out,
            &ProblemLine {
                location: &problem.location,
                message: &problem.message,
            },
        )?;
    }
    let loaded = problems
        .is_empty()
        .then(|| Policy::from_json(&text).ok())
        .flatten();
    json_line(
        &mut out,
        &Summary {
            policy: path,
            valid: problems.is_empty(),
            problems: problems.len(),
            roles: loaded.as_ref().map(|p| p.roles().len()),
            access_groups: loaded.as_ref().map(|p| p.access_groups().len()),
            users: loaded.as_ref().map(|p| p.users().count()),
            tags: loaded.as_ref().map(|p| p.access_control().tags().len()),
            permissions: loaded
                .as_ref()
                .map(|p| p.access_control().permissions().len()),
        },
    )?;
    out.flush()
        .map_err(|e| Failure::Run(format!("cannot write: {e}")))?;
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The policy and the plan of `options`' request (which must not name a resource).
fn load_plan(options: &PlanOptions) -> Result<(Policy, Request), Failure> {
    let path = &options.policy;
    let policy =
        Policy::from_json(&read_text(path)?).map_err(|e| Failure::Run(format!("{path}: {e}")))?;
    let request = Request::from_json(&options.request)
        .map_err(|e| Failure::Run(format!("--request: {e}")))?;
    if !matches!(request.resource(), Resource::None) {
        return Err(Failure::Run(
            "--request: a plan answers for every asset: give no resource".to_owned(),
        ));
    }
    Ok((policy, request))
}

fn plan_of<'a>(policy: &'a Policy, request: &'a Request) -> Plan<'a> {
    match policy.action(request.action()) {
        Some(action) => policy.plan(&request.subject(), action),
        None => Plan::None(scangate::Denial::UnknownAction),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn param_json(value: &SqlValue) -> serde_json::Value {
    match value {
        SqlValue::Text(text) => serde_json::Value::String(text.clone()),
        SqlValue::Blob(bytes) => serde_json::json!({ "blob": hex(bytes) }),
        SqlValue::Inet(ip) => serde_json::json!({ "inet": ip.to_string() }),
        other => serde_json::json!({ "unknown": format!("{other:?}") }),
    }
}

/// The filter as JSON: one object per condition, with its sources.
fn filter_json(plan: &Plan<'_>) -> Option<serde_json::Value> {
    let Plan::Filter(filter) = plan else {
        return None;
    };
    let conditions = filter.conditions().iter().map(|condition| {
        let (op, value) = match condition.test() {
            Test::Ipv4 { first, last } => (
                "between",
                serde_json::json!([
                    std::net::Ipv4Addr::from(*first).to_string(),
                    std::net::Ipv4Addr::from(*last).to_string()
                ]),
            ),
            Test::Ipv6 { first, last } => (
                "between",
                serde_json::json!([
                    std::net::Ipv6Addr::from(*first).to_string(),
                    std::net::Ipv6Addr::from(*last).to_string()
                ]),
            ),
            Test::Equals(s) => ("eq", serde_json::json!(s)),
            Test::Starts(s) => ("starts", serde_json::json!(s)),
            Test::Ends(s) => ("ends", serde_json::json!(s)),
            Test::Match(s) => ("match", serde_json::json!(s)),
            other => ("unknown", serde_json::json!(format!("{other:?}"))),
        };
        let sources: Vec<serde_json::Value> = condition
            .sources()
            .iter()
            .map(|source| {
                serde_json::json!({
                    "access_group": source.group.name(),
                    "access_group_id": source.group.id(),
                    "rule": source.rule,
                    "term": source.term,
                    "written": source.term().map(scangate::access::Term::as_str),
                })
            })
            .collect();
        serde_json::json!({
            "attribute": condition.attribute().as_str(),
            op: value,
            "sources": sources,
        })
    });
    Some(serde_json::Value::Array(conditions.collect()))
}

/// The tags v3 permissions grant, as JSON: uuid, `Category:Value` when defined, the
/// permission `check` names, and a dynamic tag's filter as the policy file writes it.
fn tags_json(plan: &Plan<'_>) -> Option<serde_json::Value> {
    let Plan::Filter(filter) = plan else {
        return None;
    };
    if filter.tags().is_empty() {
        return None;
    }
    let tags = filter.tags().iter().map(|granted| {
        serde_json::json!({
            "uuid": granted.uuid().to_string(),
            "tag": granted.tag().map(|t| t.to_string()),
            "permission": granted.grant().map(|g| g.permission.name()),
            "filter": granted.tag().and_then(|t| t.filter()),
        })
    });
    Some(serde_json::Value::Array(tags.collect()))
}

/// The `plan` output line; keys keep this order.
#[derive(Serialize)]
struct PlanLine {
    plan: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    filter: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<serde_json::Value>,
    sql: String,
    params: Vec<serde_json::Value>,
}

fn plan(options: &PlanOptions) -> Result<ExitCode, Failure> {
    let (policy, request) = load_plan(options)?;
    let plan = plan_of(&policy, &request);
    let clause = plan.to_sql(options.dialect, &Schema::default());
    let line = PlanLine {
        plan: plan.kind(),
        reason: match &plan {
            Plan::None(denial) => Some(denial.to_string()),
            _ => None,
        },
        filter: filter_json(&plan),
        tags: tags_json(&plan),
        sql: clause.sql,
        params: clause.params.iter().map(param_json).collect(),
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    json_line(&mut out, &line)?;
    Ok(ExitCode::SUCCESS)
}

/// One line of an assets file: its id and its attribute values.
#[derive(serde::Deserialize)]
struct AssetLine {
    id: String,
    #[serde(flatten)]
    asset: Asset,
}

fn select(options: &PlanOptions) -> Result<ExitCode, Failure> {
    let (policy, request) = load_plan(options)?;
    let path = options.assets.as_deref().unwrap_or("-");
    let text = read_text(path)?;
    // Every line is read before anything is printed: a malformed line selects nothing.
    let mut assets = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parsed: AssetLine = serde_json::from_str(line)
            .map_err(|e| Failure::Run(format!("{path} line {}: {e}", number + 1)))?;
        assets.push((number + 1, parsed));
    }
    let run = |e: rusqlite::Error| Failure::Run(format!("sqlite: {e}"));
    let mut db = rusqlite::Connection::open_in_memory().map_err(run)?;
    let schema = Schema::default();
    for statement in schema.create_statements(Dialect::Sqlite, "TEXT") {
        db.execute(&statement, []).map_err(run)?;
    }
    let tx = db.transaction().map_err(run)?;
    {
        let mut insert_asset = tx
            .prepare("INSERT INTO assets (id) VALUES (?)")
            .map_err(run)?;
        let mut insert_value = tx
            .prepare(&schema.insert_statement(Dialect::Sqlite))
            .map_err(run)?;
        for (number, line) in &assets {
            let at = |e: String| Failure::Run(format!("{path} line {number}: {e}"));
            insert_asset
                .execute([&line.id])
                .map_err(|e| at(format!("id `{}`: {e}", line.id)))?;
            let rows = Schema::rows(&line.asset, Dialect::Sqlite).map_err(|e| at(e.to_string()))?;
            for row in rows {
                let ip = match row.ip {
                    Some(SqlValue::Blob(bytes)) => Some(bytes),
                    _ => None,
                };
                insert_value
                    .execute(rusqlite::params![line.id, row.attribute, row.value, ip])
                    .map_err(|e| at(e.to_string()))?;
            }
        }
    }
    tx.commit().map_err(run)?;
    let plan = plan_of(&policy, &request);
    let clause = plan.to_sql(Dialect::Sqlite, &schema);
    // The assets table's rowid is the file's order.
    let sql = format!("SELECT id FROM assets WHERE {} ORDER BY rowid", clause.sql);
    let params = clause.params.iter().map(|p| match p {
        SqlValue::Blob(bytes) => rusqlite::types::Value::Blob(bytes.clone()),
        SqlValue::Text(text) => rusqlite::types::Value::Text(text.clone()),
        other => rusqlite::types::Value::Text(format!("{other:?}")),
    });
    let mut statement = db.prepare(&sql).map_err(run)?;
    let ids: Vec<String> = statement
        .query_map(rusqlite::params_from_iter(params), |row| row.get(0))
        .map_err(run)?
        .collect::<Result<_, _>>()
        .map_err(run)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let write_error = |e: std::io::Error| Failure::Run(format!("cannot write: {e}"));
    for id in ids {
        writeln!(out, "{id}").map_err(write_error)?;
    }
    out.flush().map_err(write_error)?;
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = parse_args(&args).and_then(|command| match command {
        Command::Help => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Check(options) => check(&options),
        Command::Validate { policy } => validate(&policy),
        Command::Plan(options) => match options.assets {
            Some(_) => select(&options),
            None => plan(&options),
        },
    });
    match result {
        Ok(code) => code,
        Err(Failure::Usage(message)) => {
            eprintln!("scangate: {message}\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Run(message)) => {
            eprintln!("scangate: {message}");
            ExitCode::from(2)
        }
    }
}
