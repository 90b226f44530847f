//! Tenable Security Center's response envelope, around a role or any other payload.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Tenable Security Center's response envelope:
/// `{type, response, error_code, error_msg, warnings, timestamp}`.
///
/// ```
/// use scangate::Role;
/// use scangate::role::Envelope;
/// let text = r#"{"type": "regular", "response": {"id": "5", "name": "Executive"},
///                "error_code": 0, "error_msg": "", "warnings": [], "timestamp": 1445013119}"#;
/// let envelope: Envelope<Role> = serde_json::from_str(text).unwrap();
/// assert_eq!(envelope.into_result().unwrap().name(), "Executive");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    /// `type`: `"regular"` in every recorded response.
    #[serde(rename = "type")]
    pub kind: String,
    /// The payload (`""` in error and delete responses).
    pub response: T,
    /// 0 on success.
    pub error_code: i64,
    /// Empty on success.
    pub error_msg: String,
    /// Warnings (always empty in the recorded responses).
    pub warnings: Vec<Value>,
    /// Unix seconds.
    pub timestamp: i64,
}

impl<T> Envelope<T> {
    /// A successful envelope around `response`.
    #[must_use]
    pub fn ok(response: T, timestamp: i64) -> Envelope<T> {
        Envelope {
            kind: "regular".to_owned(),
            response,
            error_code: 0,
            error_msg: String::new(),
            warnings: Vec::new(),
            timestamp,
        }
    }

    /// The payload, or the API error the envelope reports.
    ///
    /// # Errors
    ///
    /// [`ApiError`] when `error_code` is not 0.
    pub fn into_result(self) -> Result<T, ApiError> {
        if self.error_code == 0 {
            Ok(self.response)
        } else {
            Err(ApiError {
                code: self.error_code,
                message: self.error_msg,
            })
        }
    }
}

/// An error reported inside a Tenable Security Center envelope.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("tenable error {code}: {}", message.trim_end())]
pub struct ApiError {
    /// `error_code`.
    pub code: i64,
    /// `error_msg`.
    pub message: String,
}
