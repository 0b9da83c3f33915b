//! Any bytes as a response CSV against a three-item design, weighted or not.
#![no_main]
use libfuzzer_sys::fuzz_target;
use par_index::survey::{aggregate_csv, CiMethod, CiOptions, CsvOptions, SurveyDesign};

fuzz_target!(|data: &[u8]| {
    let Some((&flag, rest)) = data.split_first() else { return };
    let Ok(design) = SurveyDesign::from_item_codes(&["q1", "q2", "q3"]) else { return };
    let mut options = CsvOptions::new("unit");
    if flag & 1 == 1 {
        options.weight_column = Some("w".to_owned());
    }
    if let Ok((agg, report)) = aggregate_csv(rest, &design, &options) {
        let _ = report;
        let method = [CiMethod::Wilson, CiMethod::ClopperPearson, CiMethod::Logit, CiMethod::KornGraubard][usize::from(flag >> 1) % 4];
        if let Ok(result) = agg.finish(&CiOptions { method, level: 0.95 }) {
            let _ = result.item_rows();
        }
    }
});
