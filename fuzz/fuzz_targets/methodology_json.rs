//! Any text as a methodology: an error or a methodology that scores, never a crash.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(m) = par_index::Methodology::from_json(text) {
        let _ = m.score(&par_index::Assessments::default());
        let back = par_index::Methodology::from_json(&m.to_json());
        assert_eq!(back.as_ref().ok(), Some(&m), "a valid methodology must round-trip");
    }
});
