//! Valid but random trees and values: scoring must succeed or fail cleanly, with points within
//! maxima, and a what-if that changes nothing must change nothing.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use par_index::{Assessment, Assessments, Criterion, Decimal, Label, Methodology, Rule, Scorer, Value};

#[derive(Debug, Arbitrary)]
struct Leaf {
    max_cents: u16,
    rule: u8,
    values: Vec<(u8, i32)>,
}

#[derive(Debug, Arbitrary)]
struct Input {
    fields: Vec<Vec<Leaf>>,
    units: u8,
    weighted: bool,
}

fuzz_target!(|input: Input| {
    let units = usize::from(input.units % 6) + 1;
    let mut criteria = Vec::new();
    let mut total = Decimal::ZERO;
    let mut leaves = Vec::new();
    for (f, field) in input.fields.iter().take(6).enumerate() {
        if field.is_empty() {
            continue;
        }
        let mut node = Criterion::leaf(format!("{f}"), Label::default(), Decimal::ZERO);
        for (l, leaf) in field.iter().take(6).enumerate() {
            let max = Decimal::new(i64::from(leaf.max_cents), 2);
            let mut c = Criterion::leaf(format!("{f}.{l}"), Label::default(), max);
            c.rule = Some(match leaf.rule % 4 {
                0 => Rule::Points { clamp: leaf.rule & 4 == 4 },
                1 => Rule::YesNo,
                2 => Rule::Linear { from: Decimal::ZERO, to: Decimal::ONE_HUNDRED },
                _ => Rule::Survey { figure: None, from: Decimal::from(50), to: Decimal::ONE_HUNDRED },
            });
            if input.weighted {
                c.weight = Some(Decimal::from(l + 1));
            }
            node.max_points += max;
            leaves.push((c.code.clone(), leaf.values.clone()));
            node.children.push(c);
        }
        if input.weighted {
            node.aggregation = Some(par_index::Aggregation::WeightedArithmetic);
        }
        total += node.max_points;
        criteria.push(node);
    }
    if criteria.is_empty() || total.is_zero() {
        return;
    }
    let Ok(mut m) = Methodology::from_json(r#"{"id": "f", "title": {"vi": "", "en": ""}, "source": "fuzz", "max_points": "1", "criteria": [{"code": "x", "max_points": "1"}]}"#) else { return };
    m.max_points = total;
    m.criteria = criteria;
    let Ok(scorer) = Scorer::new(&m) else { return };
    let mut a = Assessments::default();
    for u in 0..units {
        let mut unit = Assessment::new(format!("u{u}"));
        for (code, values) in &leaves {
            let (kind, raw) = values.get(u).copied().unwrap_or((0, 0));
            let v = match kind % 5 {
                0 => Value::NotApplicable,
                1 => Value::Yes,
                2 => Value::No,
                _ => Value::Number(Decimal::new(i64::from(raw), 3)),
            };
            unit = unit.with_value(code.clone(), v);
        }
        a.units.push(unit);
    }
    if let Ok(card) = scorer.score(&a) {
        for u in &card.units {
            for n in &u.nodes {
                assert!(n.points >= Decimal::ZERO && n.points <= n.max_points, "{n:?}");
            }
        }
        let first = &card.units[0];
        if let Some((code, _)) = leaves.first() {
            let change = par_index::analysis::Change { unit: first.unit.clone(), code: code.clone(), value: first.node(code).and_then(|n| n.input) };
            if let Ok(w) = scorer.what_if(&card, &[change]) {
                assert_eq!(w.scorecard, card);
            }
        }
    }
});
