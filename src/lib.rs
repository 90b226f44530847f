//! scangate: embeddable authorization for security platforms.
#![forbid(unsafe_code)]
#![deny(missing_docs, missing_debug_implementations)]
