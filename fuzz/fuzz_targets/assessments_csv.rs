//! Any bytes as an assessment CSV, scored with the example province methodology.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn scorer() -> Option<&'static par_index::Scorer> {
    static S: OnceLock<Option<par_index::Scorer>> = OnceLock::new();
    S.get_or_init(|| par_index::presets::methodology("example-province").ok().and_then(|m| par_index::Scorer::new(&m).ok())).as_ref()
}

fuzz_target!(|data: &[u8]| {
    let Some(s) = scorer() else { return };
    if let Ok(a) = par_index::Assessments::from_csv(data, &par_index::CsvOptions::default()) {
        if let Ok(card) = s.score(&a) {
            for u in &card.units {
                assert!(u.tree_points <= u.max_points);
                let _ = card.explain(&u.unit);
                let _ = card.gap(&u.unit);
                let _ = card.profile(&u.unit);
            }
        }
    }
});
