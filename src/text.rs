//! General helpers: user input quoted in messages, cut so that hostile input cannot make
//! errors or explanations large.

/// At most this many characters of any one input value are quoted in an error message or
/// an explanation.
const ECHO_CHARS: usize = 64;

/// User input echoed in an error message, cut to 64 characters so that hostile input cannot
/// make errors large.
pub(crate) fn echo(text: &str) -> String {
    Cut(text).to_string()
}

/// Displays its text cut to 64 characters (and `…` when cut), without allocating: for
/// explanations that quote ids and names.
#[derive(Clone, Copy)]
pub(crate) struct Cut<'a>(pub(crate) &'a str);

impl std::fmt::Display for Cut<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.char_indices().nth(ECHO_CHARS) {
            Some((cut, _)) => {
                f.write_str(self.0.get(..cut).unwrap_or_default())?;
                f.write_str("…")
            }
            None => f.write_str(self.0),
        }
    }
}

/// At most this many characters in a message that [`bound`] cuts.
#[cfg(feature = "serde")]
const MESSAGE_CHARS: usize = 1024;

/// A message that may quote input at any length (serde's `unknown field `…``, `invalid
/// type: string "…"`), made bounded: every stretch between backquotes or double quotes is
/// cut to 64 characters, and the whole to 1024.
#[cfg(feature = "serde")]
pub(crate) fn bound(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(MESSAGE_CHARS * 4));
    let mut quote: Option<char> = None;
    let mut quoted = 0usize;
    let mut escaped = false;
    let mut written = 0usize;
    for c in message.chars() {
        let keep = match quote {
            None => {
                if c == '`' || c == '"' {
                    quote = Some(c);
                    quoted = 0;
                    escaped = false;
                }
                true
            }
            Some(open) if c == open && !escaped => {
                quote = None;
                if quoted > ECHO_CHARS {
                    out.push('…');
                    written += 1;
                }
                true
            }
            Some(open) => {
                escaped = open == '"' && c == '\\' && !escaped;
                quoted += 1;
                quoted <= ECHO_CHARS
            }
        };
        if keep {
            if written >= MESSAGE_CHARS {
                out.push('…');
                return out;
            }
            out.push(c);
            written += 1;
        }
    }
    if quote.is_some() && quoted > ECHO_CHARS {
        out.push('…');
    }
    out
}

/// A `serde_json` error as a bounded message ([`bound`]), keeping its position.
#[cfg(feature = "serde")]
pub(crate) fn json_error(error: &serde_json::Error) -> String {
    let full = error.to_string();
    if error.line() == 0 {
        return bound(&full);
    }
    let position = format!(" at line {} column {}", error.line(), error.column());
    match full.strip_suffix(&position) {
        Some(message) => format!("{}{position}", bound(message)),
        None => bound(&full),
    }
}

#[cfg(all(test, feature = "serde"))]
mod tests {
    use super::{bound, echo};

    #[test]
    fn echo_cuts_at_64_characters() {
        assert_eq!(echo("short"), "short");
        let long = "é".repeat(100);
        assert_eq!(echo(&long), format!("{}…", "é".repeat(64)));
        assert_eq!(echo(&"x".repeat(64)), "x".repeat(64));
    }

    #[test]
    fn bound_cuts_each_quoted_stretch_and_the_whole() {
        let key = "k".repeat(100);
        assert_eq!(
            bound(&format!("unknown field `{key}`, expected `a` or `b`")),
            format!("unknown field `{}…`, expected `a` or `b`", "k".repeat(64))
        );
        // Escaped quotes inside a double-quoted stretch do not end it.
        let text = format!(
            "invalid type: string \"\\\"{}\", expected x",
            "s".repeat(100)
        );
        assert_eq!(
            bound(&text),
            format!(
                "invalid type: string \"\\\"{}…\", expected x",
                "s".repeat(62)
            )
        );
        // An unclosed stretch is cut too.
        assert_eq!(
            bound(&format!("`{}", "u".repeat(70))),
            format!("`{}…", "u".repeat(64))
        );
        // Unquoted text is cut at 1024 characters.
        let plain = "p ".repeat(1000);
        let cut = bound(&plain);
        assert_eq!(cut.chars().count(), 1025);
        assert!(cut.ends_with('…'));
    }
}
