//! The headline example: the published PAR Index 2023 table of the 17 ministries, scored and
//! ranked by par-index, checked against the published figures.
//!
//! Run: `cargo run -p par-index --example ministries_2023`

use par_index::{presets, Decimal};

fn main() -> Result<(), par_index::Error> {
    let methodology = presets::methodology("par2023-ministries")?;
    let assessments = presets::assessments("par2023-ministries")?;
    let published = presets::par2023_ministries_table()?;
    let card = methodology.score(&assessments)?;

    println!("{} ({})", methodology.title.en, methodology.source);
    println!("{:>4}  {:<48} {:>9} {:>7} {:>7} {:>7}  group", "rank", "ministry", "appraisal", "survey", "total", "index");
    for u in card.ranked() {
        let name = u.label.as_ref().map(|l| l.vi.as_str()).unwrap_or(&u.unit);
        let node = |code: &str| u.node(code).map(|n| card.display(n.points)).unwrap_or_default();
        println!(
            "{:>4}  {:<48} {:>9} {:>7} {:>7} {:>7}  {}",
            u.rank,
            name,
            node("appraisal"),
            node("survey"),
            card.display(u.points),
            card.display(u.index),
            u.tier.as_deref().unwrap_or("-"),
        );
    }

    let count = Decimal::from(card.units.len() as u64);
    let total: Decimal = card.units.iter().map(|u| u.index).sum();
    let published_total: Decimal = published.iter().map(|r| r.index).sum();
    let at_least_80 = card.units.iter().filter(|u| u.index >= Decimal::from(80)).count();
    println!();
    println!("average index: {} (published 84.38; mean of the published totals: {})", card.display(total / count), card.display(published_total / count));
    println!("ministries at or above 80 %: {at_least_80} of {}", card.units.len());
    let same_order = card.ranked().iter().zip(published.iter()).all(|(u, r)| u.unit == r.unit_en && u.rank == r.rank);
    println!("ranking equals the published order: {}", if same_order { "yes" } else { "no" });

    let differing: Vec<_> = published.iter().filter(|r| r.appraisal + r.survey != r.total).collect();
    println!();
    println!("{} rows where the published total is not the sum of the published parts:", differing.len());
    for r in &differing {
        println!("  {:<48} {} + {} = {}, published {}", r.unit_vi, r.appraisal, r.survey, r.appraisal + r.survey, r.total);
    }
    println!(
        "Each published figure was rounded on its own from unrounded points, so a rounded total can\n\
         differ by 0.01 from the sum of rounded parts. par-index does the same: it keeps exact values\n\
         and rounds only what it displays. Here only the rounded parts are published, so the totals\n\
         above are their exact sums; the ranking is unchanged."
    );
    Ok(())
}
