//! Any text as assessment JSON, scored with the 2023 ministries methodology.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(m) = par_index::presets::methodology("par2023-ministries") else { return };
    if let Ok(a) = par_index::Assessments::from_json(text) {
        if let Ok(card) = m.score(&a) {
            for u in &card.units {
                assert!(u.points <= u.max_points, "no bonus in this methodology");
            }
        }
    }
});
