//! scangate's offline front end: "why was this denied?".
//!
//! ```text
//! scangate check --policy policy.json --request '{…}' [--explain]
//! scangate check --policy policy.json --requests requests.jsonl [--explain]   (- for stdin)
//! scangate validate --policy policy.json
//! ```
//!
//! `check` prints one JSON object per request, in order, each with `"decision": "allow"` or
//! `"deny"` and its explanation; `--explain` adds the one-sentence `"explanation"`. A
//! malformed request line gets `"decision": "deny"` with an `"error"`, and processing
//! continues. `validate` prints every problem of the policy file with its location and
//! exits 1 if there is any. Usage errors and unreadable files exit 2.

use scangate::{Decision, Policy, Request};
use serde::Serialize;
use std::io::{Read, Write};
use std::process::ExitCode;

const USAGE: &str = "usage:
  scangate check --policy FILE (--request JSON | --requests FILE|-) [--explain]
  scangate validate --policy FILE";

struct Options {
    command: String,
    policy: Option<String>,
    request: Option<String>,
    requests: Option<String>,
    explain: bool,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut args = args.iter();
    let command = args.next().ok_or("missing command")?.clone();
    let mut options = Options {
        command,
        policy: None,
        request: None,
        requests: None,
        explain: false,
    };
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .cloned()
                .ok_or(format!("`{flag}` needs a value"))
        };
        match flag.as_str() {
            "--policy" => options.policy = Some(value()?),
            "--request" => options.request = Some(value()?),
            "--requests" => options.requests = Some(value()?),
            "--explain" => options.explain = true,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(options)
}

fn read_file(path: &str) -> Result<Vec<u8>, String> {
    if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        return Ok(bytes);
    }
    std::fs::read(path).map_err(|e| format!("cannot read `{path}`: {e}"))
}

fn read_text(path: &str) -> Result<String, String> {
    String::from_utf8(read_file(path)?).map_err(|_| format!("`{path}` is not valid UTF-8"))
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
    written.unwrap_or_else(|e| format!("{{\"decision\":\"deny\",\"error\":{:?}}}", e.to_string()))
}

fn check(options: &Options) -> Result<ExitCode, String> {
    let policy_path = options.policy.as_deref().ok_or("`check` needs --policy")?;
    let policy =
        Policy::from_json(&read_text(policy_path)?).map_err(|e| format!("{policy_path}: {e}"))?;
    let input: Vec<u8> = match (&options.request, &options.requests) {
        (Some(request), None) => request.clone().into_bytes(),
        (None, Some(path)) => read_file(path)?,
        _ => return Err("`check` needs exactly one of --request and --requests".to_owned()),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (number, line) in input.split(|byte| *byte == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let number = options.requests.is_some().then_some(number + 1);
        writeln!(out, "{}", answer(&policy, line, number, options.explain))
            .map_err(|e| format!("cannot write: {e}"))?;
    }
    out.flush().map_err(|e| format!("cannot write: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

fn validate(options: &Options) -> Result<ExitCode, String> {
    let policy_path = options
        .policy
        .as_deref()
        .ok_or("`validate` needs --policy")?;
    let text = read_text(policy_path)?;
    let problems = Policy::validate_json(&text);
    for problem in &problems {
        println!("{policy_path}: {problem}");
    }
    if problems.is_empty() {
        let summary = Policy::from_json(&text)
            .map(|p| {
                format!(
                    "{} roles, {} access groups, {} users",
                    p.roles().len(),
                    p.access_groups().len(),
                    p.users().count()
                )
            })
            .unwrap_or_default();
        println!("{policy_path}: ok ({summary})");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("{policy_path}: {} problem(s)", problems.len());
        Ok(ExitCode::FAILURE)
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = parse_args(&args).and_then(|options| match options.command.as_str() {
        "check" => check(&options),
        "validate" => validate(&options),
        other => Err(format!("unknown command `{other}`")),
    });
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("scangate: {message}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
