//! The command-line example run as a binary on policy and request files (SPEC §7).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic
#![cfg(feature = "serde")]

#[path = "support/example_binary.rs"]
mod example_binary;

use example_binary::binary;
use serde_json::Value;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(binary())
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

const POLICY: &str = "tests/data/engine/policy.json";

fn lines(output: &Output) -> Vec<Value> {
    String::from_utf8(output.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn check_a_jsonl_file_answers_every_line_in_order_and_survives_bad_lines() {
    let output = run(&[
        "check",
        "--policy",
        POLICY,
        "--requests",
        "tests/data/engine/cli_requests.jsonl",
        "--explain",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let answers = lines(&output);
    let summary: Vec<(u64, &str)> = answers
        .iter()
        .map(|a| (a["line"].as_u64().unwrap(), a["decision"].as_str().unwrap()))
        .collect();
    // The blank line 5 is skipped; 6 is truncated, 7 is not UTF-8: both denied with an error.
    assert_eq!(
        summary,
        [
            (1, "allow"),
            (2, "deny"),
            (3, "allow"),
            (4, "allow"),
            (6, "deny"),
            (7, "deny"),
            (8, "allow")
        ]
    );
    assert_eq!(answers[0]["object"]["access_group"]["name"], "Web servers");
    assert_eq!(answers[1]["denied_by"], "object");
    assert_eq!(answers[1]["target"]["value"], "web01.corp.example.com");
    assert_eq!(
        answers[3]["explanation"],
        "allow `ticket.create`: role `Vulnerability Analyst` holds permCreateTickets"
    );
    assert!(
        answers[4]["error"]
            .as_str()
            .unwrap()
            .starts_with("invalid request: EOF while parsing"),
        "{}",
        answers[4]
    );
    assert_eq!(answers[5]["error"], "the request is not valid UTF-8");
    // Keys keep their order on the wire (parsing into a Value would sort them).
    let first = String::from_utf8(output.stdout.clone()).unwrap();
    assert!(
        first.starts_with(r#"{"line":1,"decision":"allow","action":"asset.view","#),
        "{first}"
    );
}

#[test]
fn check_one_request_and_usage_errors() {
    let output = run(&[
        "check",
        "--policy",
        POLICY,
        "--request",
        r#"{"subject": {"scopes": ["scans:run"]}, "action": "scan.run"}"#,
    ]);
    assert!(output.status.success());
    let answer = &lines(&output)[0];
    assert_eq!(answer["missing_scopes"][0], "projects:read");
    assert!(answer.get("line").is_none() && answer.get("explanation").is_none());

    for args in [
        &["check", "--policy", POLICY][..],
        &["frobnicate"],
        &["check", "--policy"],
        &["check", "--policy", "no/such.json", "--request", "{}"],
    ] {
        let output = run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&output.stderr).starts_with("scangate: "),
            "{args:?}"
        );
    }
}

#[test]
fn validate_reports_every_problem_with_its_location() {
    let good = run(&["validate", "--policy", POLICY]);
    assert!(good.status.success());
    // 8 built-in roles and the file's 3; the file's groups, users, v3 tags and
    // permissions.
    assert_eq!(
        String::from_utf8_lossy(&good.stdout).trim(),
        r#"{"policy":"tests/data/engine/policy.json","valid":true,"problems":0,"roles":11,"access_groups":3,"users":9,"tags":3,"permissions":4}"#
    );

    let bad = run(&["validate", "--policy", "tests/data/engine/bad_policy.json"]);
    assert_eq!(bad.status.code(), Some(1));
    // One JSON object per problem, then the summary.
    let report = lines(&bad);
    let (summary, problems) = report.split_last().unwrap();
    assert_eq!(
        *summary,
        serde_json::json!({
            "policy": "tests/data/engine/bad_policy.json",
            "valid": false,
            "problems": 7,
        })
    );
    let located: Vec<&str> = problems
        .iter()
        .map(|p| p["location"].as_str().unwrap())
        .collect();
    // Problems that stop loading first, in file order; then what create/edit would refuse.
    assert_eq!(
        located,
        [
            "roles[0]",
            "access_groups[0]",
            "access_groups[3]",
            "access_groups[4]",
            "access_groups[1]",
            "access_groups[2]",
            "access_groups[2]",
        ]
    );
    let messages: Vec<&str> = problems
        .iter()
        .map(|p| p["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("prefix")),
        "the CIDR problem names the prefix: {messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.starts_with("duplicate: ")),
        "{messages:?}"
    );
}

/// The first line of the usage, which `--help` prints and every usage error repeats.
const USAGE_START: &str = "usage:\n  scangate check --policy FILE";

#[test]
fn help_prints_the_usage_on_stdout_and_exits_0() {
    for args in [
        &["--help"][..],
        &["-h"],
        &["help"],
        &["check", "--help"],
        &["validate", "--policy", POLICY, "-h"],
    ] {
        let output = run(args);
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(stdout.starts_with(USAGE_START), "{args:?}: {stdout}");
        assert!(
            stdout.contains("scangate validate --policy FILE"),
            "{stdout}"
        );
        assert!(output.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn usage_errors_name_the_problem_on_stderr_with_the_usage_and_exit_2() {
    for (args, problem) in [
        (
            &["check", "--policy", POLICY, "--bogus"][..],
            "unknown flag `--bogus` for `check`",
        ),
        (
            &["validate", "--policy", POLICY, "--explain"],
            "unknown flag `--explain` for `validate`",
        ),
        (&["check", "--policy"], "`--policy` needs a value"),
        (
            &["check", "--policy", "--explain", "--request", "{}"],
            "`--policy` needs a value",
        ),
        (
            &[
                "check",
                "--policy",
                POLICY,
                "--policy",
                POLICY,
                "--request",
                "{}",
            ],
            "`--policy` is given twice",
        ),
        (&["frobnicate"], "unknown subcommand `frobnicate`"),
        (&[], "missing subcommand"),
        (
            &["check", "--policy", POLICY],
            "`check` needs exactly one of --request and --requests",
        ),
    ] {
        let output = run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr.starts_with(&format!("scangate: {problem}\n{USAGE_START}")),
            "{args:?}: {stderr}"
        );
    }
    // A file that cannot be read is no usage error: the message alone.
    let output = run(&["check", "--policy", "no/such.json", "--request", "{}"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("scangate: cannot read `no/such.json`"),
        "{stderr}"
    );
    assert!(!stderr.contains("usage:"), "{stderr}");
}

#[test]
fn every_stdout_line_of_a_check_is_a_json_object_even_for_malformed_requests() {
    let mut input: Vec<u8> = Vec::new();
    let requests: [&[u8]; 16] = [
        br#"{"subject": {"user": "alice"}, "action": "asset.vi"#,
        b"\xff\xfe not UTF-8",
        b"[1, 2, 3]",
        b"null",
        b"42",
        br#""a string with \"quotes\" and \\ a backslash""#,
        br#"{"subject": {"user": "al\u0000ice\u007f"}, "action": "scan.read"}"#,
        b"{\"subject\": {\"user\": \"a\x01b\x7f\"}, \"action\": \"scan.read\"}",
        br#"{"subject": {}, "action": "scan.read", "resourse": {}}"#,
        br#"{"subject": {"user": "alice"}, "action": "no.such.action"}"#,
        br#"{"subject": {"user": "alice", "user": "bob"}, "action": "scan.read"}"#,
        b"{}",
        b"\t{\"subject\": {\"user\": \"\xe2\x80\xae\"}, \"action\": \"scan.read\"}\r",
        br#"{"subject": {"user": "alice"}, "action": "asset.view", "resource": {"asset": {"ipv4": ["10.1.2.300"]}}}"#,
        br#"{"subject": {"scopes": ["scans:run", "no:such"]}, "action": "scan.run"}"#,
        br#"{"subject": {"user": "alice"}, "action": "asset.view", "resource": {"asset": {"ipv4": ["10.1.2.3"]}}}"#,
    ];
    for request in requests {
        input.extend_from_slice(request);
        input.push(b'\n');
    }
    let path = std::env::temp_dir().join(format!("scangate-cli-{}.jsonl", std::process::id()));
    std::fs::write(&path, &input).unwrap();
    let output = run(&[
        "check",
        "--policy",
        POLICY,
        "--requests",
        path.to_str().unwrap(),
        "--explain",
    ]);
    std::fs::remove_file(&path).unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let mut count = 0;
    for (at, line) in stdout.lines().enumerate() {
        let answer: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("output line {} is not JSON ({e}): {line}", at + 1));
        assert!(answer.is_object(), "{line}");
        assert_eq!(answer["line"], at + 1, "{line}");
        assert!(
            matches!(answer["decision"].as_str(), Some("allow" | "deny")),
            "{line}"
        );
        count += 1;
    }
    assert_eq!(count, requests.len(), "{stdout}");
}

/// Runs `check --requests -` with `input` on standard input.
fn run_stdin(input: String) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(binary())
        .args(["check", "--policy", POLICY, "--requests", "-"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()).unwrap());
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    output
}

#[test]
fn over_long_asset_values_and_targets_are_denied_naming_the_attribute() {
    let big = "a".repeat(100 * 1024);
    // 253 characters: under `.web.corp.example.com`, which alice may view.
    let at = format!(
        "{}.{}.{}.{}.web.corp.example.com",
        "a".repeat(63),
        "b".repeat(63),
        "c".repeat(63),
        "d".repeat(40)
    );
    assert_eq!(at.len(), 253);
    let asset = |attribute: &str, value: &str| {
        format!(
            r#"{{"subject": {{"user": "alice"}}, "action": "asset.view", "resource": {{"asset": {{"{attribute}": ["{value}"]}}}}}}"#
        )
    };
    let input = [
        asset("fqdn", &big),
        asset("hostname", &big),
        asset("operating_system", &big),
        format!(
            r#"{{"subject": {{"user": "alice"}}, "action": "scan.run", "resource": {{"targets": ["{big}"]}}}}"#
        ),
        asset("fqdn", &at),
        asset("fqdn", &format!("{at}.")),
        asset("fqdn", &format!("x{at}")),
    ]
    .join("\n");
    let output = run_stdin(input);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let answers = lines(&output);
    let decisions: Vec<&str> = answers
        .iter()
        .map(|a| a["decision"].as_str().unwrap())
        .collect();
    assert_eq!(
        decisions,
        ["deny", "deny", "deny", "deny", "allow", "allow", "deny"]
    );
    let cut = format!("{}…", "a".repeat(64));
    for (answer, expected) in answers.iter().zip([
        format!(
            "asset attribute `fqdn` value `{cut}`: name is 102400 characters long, over 253"
        ),
        format!(
            "asset attribute `hostname` value `{cut}`: name is 102400 characters long, over 253"
        ),
        format!(
            "asset attribute `operating_system` value `{cut}`: value is 102400 characters long, over 1024"
        ),
        format!("scan target `{cut}`: name is 102400 characters long, over 253"),
    ]) {
        let error = answer["error"].as_str().unwrap();
        assert!(
            error.starts_with(&format!("invalid request: {expected} at line 1 column ")),
            "{error}"
        );
    }
    assert_eq!(answers[4]["object"]["access_group"]["name"], "Web servers");
    assert!(
        answers[6]["error"]
            .as_str()
            .unwrap()
            .contains("name is 254 characters long, over 253")
    );
}
