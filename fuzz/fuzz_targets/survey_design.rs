//! Any text as a survey design; a valid one aggregates an empty survey.
#![no_main]
use libfuzzer_sys::fuzz_target;
use par_index::survey::{AggregateOptions, Aggregator, CiOptions, SurveyDesign};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(d) = SurveyDesign::from_json(text) {
        if let Ok(agg) = Aggregator::new(&d, AggregateOptions::default()) {
            let _ = agg.finish(&CiOptions::default());
        }
    }
});
