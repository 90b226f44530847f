#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the crate's own fixtures (tests/fixtures, tests/data).
# Idempotent: each seed is named by the SHA-1 of its content. Needs bash, jq, sha1sum.
#
#   fuzz/seed.sh            # then: cargo +nightly fuzz run <target>
set -euo pipefail
cd "$(dirname "$0")"
root=..
fixtures=$root/tests/fixtures
engine=$root/tests/data/engine

# seed TARGET: stores standard input as one seed of TARGET.
seed() {
  local dir=corpus/$1 tmp
  mkdir -p "$dir"
  tmp=$(mktemp)
  cat >"$tmp"
  if [ -s "$tmp" ]; then
    mv "$tmp" "$dir/$(sha1sum "$tmp" | cut -c1-40)"
  else
    rm -f "$tmp"
  fi
}

# each TARGET: every line of standard input is one seed of TARGET.
each() {
  while IFS= read -r line; do
    printf '%s' "$line" | seed "$1"
  done
}

## scope_parse: single scopes and scope lists (text and JSON arrays) from the Bright fixtures
## and the requests.
jq -r '.. | strings | select(test("^[a-z0-9.:-]{1,40}$"))' "$fixtures"/bright/*.json |
  sort -u | each scope_parse
jq -c '.. | objects | .scopes? // empty | arrays' "$fixtures"/bright/*.json | sort -u | each scope_parse
jq -c '.request.subject.scopes // empty' "$engine"/decisions.jsonl | sort -u | each scope_parse
jq -r '.request.subject.scopes // empty | join(" ")' "$engine"/decisions.jsonl | sort -u |
  each scope_parse
printf 'scans:read, scans:run projects:read' | seed scope_parse
printf 'scans : run' | seed scope_parse
printf '"scans groups:admin"' | seed scope_parse

## role_json: Tenable SC role bodies, envelopes and lists; the policy files' roles.
for file in "$fixtures"/tenable-sc/*.json; do
  seed role_json <"$file"
done
jq -c '.roles[]?' "$engine"/policy.json "$engine"/bad_policy.json | each role_json
jq -c '[.roles[]?]' "$engine"/policy.json | each role_json

## access_group_json: Tenable VM v1 and v2 groups and lists; the policy files' groups.
for file in "$fixtures"/tenable-vm/*.json; do
  seed access_group_json <"$file"
done
jq -c '.access_groups[]?' "$engine"/policy.json "$engine"/bad_policy.json | each access_group_json
jq -c '{access_groups: [.access_groups[]?]}' "$engine"/policy.json | each access_group_json

## policy_file: the policy files, whole and in parts.
for file in "$engine"/policy.json "$engine"/bad_policy.json; do
  seed policy_file <"$file"
  jq -c '{roles}' "$file" | seed policy_file
  jq -c '{access_groups}' "$file" | seed policy_file
  jq -c '{users}' "$file" | seed policy_file
done

## cli_request: request lines as the CLI reads them (cli_requests.jsonl holds a truncated
## line and one that is not UTF-8, kept as they are).
LC_ALL=C each cli_request <"$engine"/cli_requests.jsonl
jq -c '.request' "$engine"/decisions.jsonl | each cli_request
printf '{"subject": {"user": "alice"}, "action": "asset.view", "resource": {"asset": {"ipv4": ["10.1.2.\xff"]}}}' |
  seed cli_request

for dir in corpus/*/; do
  printf '%s %s seeds\n' "$dir" "$(find "$dir" -type f | wc -l)"
done
