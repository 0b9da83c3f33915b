//! Bilingual labels: every name a person reads comes in Vietnamese and English.

use serde::{Deserialize, Serialize};

/// A name in Vietnamese (`vi`) and English (`en`), as official tables print them.
///
/// ```
/// use par_index::Label;
/// let l = Label::new("Cải cách thể chế", "Institutional reform");
/// assert_eq!(l.vi, "Cải cách thể chế");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// Vietnamese text.
    #[serde(default)]
    pub vi: String,
    /// English text.
    #[serde(default)]
    pub en: String,
}

impl Label {
    /// A label from its Vietnamese and English texts.
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Label { vi: vi.into(), en: en.into() }
    }

    /// The text in `lang` (`"vi"` or anything else for English), falling back to the other
    /// language when that one is empty.
    pub fn text(&self, lang: &str) -> &str {
        let (first, second) = if lang == "vi" { (&self.vi, &self.en) } else { (&self.en, &self.vi) };
        if first.is_empty() {
            second
        } else {
            first
        }
    }

    /// Whether both texts are empty.
    pub fn is_empty(&self) -> bool {
        self.vi.is_empty() && self.en.is_empty()
    }
}
