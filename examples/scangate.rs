//! scangate's offline front end: "why was this denied?".
//!
//! ```text
//! scangate check --policy policy.json --request '{…}' [--explain]
//! scangate check --policy policy.json --requests requests.jsonl [--explain]   (- for stdin)
//! scangate validate --policy policy.json
//! scangate help | --help | -h
//! ```
//!
//! Every line written to standard output is one JSON object. `check` prints one per
//! request, in order, each with `"decision": "allow"` or `"deny"` and its explanation;
//! `--explain` adds the one-sentence `"explanation"`. A malformed request line gets
//! `"decision": "deny"` with an `"error"`, and processing continues. `validate` prints one
//! object per problem of the policy file (`location`, `message`), then a summary object,
//! and exits 1 if there is any problem. `help` prints the usage and exits 0. A usage error
//! (unknown subcommand or flag, a flag without its value) is reported on standard error
//! with the usage; it and an unreadable file exit 2.

use scangate::{Decision, Policy, policy::Request};
use serde::Serialize;
use std::io::{Read, Write};
use std::process::ExitCode;

const USAGE: &str = "usage:
  scangate check --policy FILE (--request JSON | --requests FILE|-) [--explain]
  scangate validate --policy FILE
  scangate help | --help | -h

  check     decides each request: one JSON object per request on standard output
            (--requests: one request per line, - for standard input; --explain adds
            the one-sentence explanation)
  validate  one JSON object per problem of the policy file, then a summary object
  help      this text

exit status: 0 done (whatever the decisions), 1 validate found problems,
             2 usage error or unreadable file";

/// What the command line asks for.
enum Command {
    Help,
    Check(CheckOptions),
    Validate { policy: String },
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
        other => return Err(Failure::Usage(format!("unknown subcommand `{other}`"))),
    };
    let (mut policy, mut request, mut requests, mut explain) = (None, None, None, false);
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

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = parse_args(&args).and_then(|command| match command {
        Command::Help => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Check(options) => check(&options),
        Command::Validate { policy } => validate(&policy),
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
