//! An imagined province: a three-level criteria tree with every scoring rule, not-applicable
//! leaves, bonus and penalty points, and the Đồng Tháp 2023 tier bands. Scores four units and
//! prints one unit's audit trail.
//!
//! Run: `cargo run -p par-index --example province`

use par_index::presets;

fn main() -> Result<(), par_index::Error> {
    let methodology = presets::methodology("example-province")?;
    let assessments = presets::assessments("example-province")?;
    let card = methodology.score(&assessments)?;
    println!("{}\n", methodology.title.en);
    println!("{:<10} {:<46} {:>7} {:>7} {:>7}  {:>4}  tier", "group", "unit", "points", "max", "index", "rank");
    for u in card.ranked() {
        let name = u.label.as_ref().map(|l| l.vi.as_str()).unwrap_or(&u.unit);
        let tier = u.tier_label.as_ref().map(|l| l.vi.as_str()).unwrap_or("(no tier)");
        println!(
            "{:<10} {:<46} {:>7} {:>7} {:>7}  {:>4}  {}",
            u.group.as_deref().unwrap_or("-"),
            name,
            card.display(u.points),
            card.display(u.max_points),
            card.display(u.index),
            format!("{}/{}", u.rank, u.group_size),
            tier
        );
    }
    println!("\nleaders: {}", card.leaders().iter().map(|u| u.unit.as_str()).collect::<Vec<_>>().join(", "));
    println!();
    println!("{}", card.explain("so-tn-mt")?);
    Ok(())
}
