//! Property tests of the scoring invariants.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers: a failed unwrap is a failed test

use par_index::{Assessment, Assessments, Criterion, Decimal, Label, Methodology, NodeStatus, TiePolicy, Value};
use proptest::prelude::*;

/// A two-level tree: fields of leaves, each leaf's maximum in cents, with a value per unit given
/// as a share of the maximum in thousandths (or None for not applicable).
#[derive(Debug, Clone)]
struct Case {
    fields: Vec<Vec<i64>>,
    units: Vec<Vec<Vec<Option<i64>>>>,
    ties: TiePolicy,
}

fn case() -> impl Strategy<Value = Case> {
    let fields = prop::collection::vec(prop::collection::vec(1i64..2000, 1..5), 1..5);
    (fields, 1usize..8, prop_oneof![Just(TiePolicy::Competition), Just(TiePolicy::Dense), Just(TiePolicy::Ordinal)]).prop_flat_map(|(fields, n, ties)| {
        let shape: Vec<usize> = fields.iter().map(Vec::len).collect();
        let unit = shape.iter().map(|&k| prop::collection::vec(prop::option::weighted(0.9, 0i64..=1000), k)).collect::<Vec<_>>();
        (Just(fields), prop::collection::vec(unit, n..=n), Just(ties)).prop_map(|(fields, units, ties)| Case { fields, units, ties })
    })
}

fn cents(c: i64, scale: i64) -> Decimal {
    Decimal::new(c * scale, 2)
}

fn build(c: &Case, scale: i64) -> (Methodology, Assessments) {
    let mut criteria = Vec::new();
    let mut total = Decimal::ZERO;
    for (f, leaves) in c.fields.iter().enumerate() {
        let mut field = Criterion::leaf(format!("{}", f + 1), Label::default(), Decimal::ZERO);
        for (l, &max) in leaves.iter().enumerate() {
            field.children.push(Criterion::leaf(format!("{}.{}", f + 1, l + 1), Label::default(), cents(max, scale)));
            field.max_points += cents(max, scale);
        }
        total += field.max_points;
        criteria.push(field);
    }
    let mut m: Methodology = serde_json::from_str(r#"{"id": "p", "title": {"vi": "", "en": ""}, "source": "s", "max_points": "1", "criteria": []}"#).unwrap();
    m.max_points = total;
    m.criteria = criteria;
    m.ranking.ties = c.ties;
    let mut units = Vec::new();
    for (u, values) in c.units.iter().enumerate() {
        let mut a = Assessment::new(format!("u{u}"));
        for (f, leaves) in values.iter().enumerate() {
            for (l, v) in leaves.iter().enumerate() {
                let value = match v {
                    None => Value::NotApplicable,
                    Some(share) => Value::Number(cents(c.fields[f][l], scale) * Decimal::new(*share, 3)),
                };
                a = a.with_value(format!("{}.{}", f + 1, l + 1), value);
            }
        }
        units.push(a);
    }
    (m, Assessments { format: 1, units })
}

proptest! {
    #[test]
    fn points_within_maxima_and_percentages_within_0_100(c in case()) {
        let (m, a) = build(&c, 1);
        if let Ok(card) = m.score(&a) {
            for u in &card.units {
                prop_assert!(u.points <= u.max_points && u.points >= Decimal::ZERO);
                prop_assert!(u.index >= Decimal::ZERO && u.index <= Decimal::ONE_HUNDRED);
                for n in &u.nodes {
                    prop_assert!(n.points >= Decimal::ZERO && n.points <= n.max_points, "{n:?}");
                    if let Some(p) = n.percent {
                        prop_assert!(p >= Decimal::ZERO && p <= Decimal::ONE_HUNDRED);
                    }
                    if n.status == NodeStatus::NotApplicable {
                        prop_assert_eq!(n.max_points, Decimal::ZERO);
                    }
                }
            }
        } else {
            // Only a unit with nothing applicable may fail.
            prop_assert!(c.units.iter().any(|u| u.iter().flatten().all(Option::is_none)));
        }
    }

    #[test]
    fn ranks_follow_the_tie_policy(c in case()) {
        let (m, a) = build(&c, 1);
        if let Ok(card) = m.score(&a) {
            let idx: Vec<Decimal> = card.units.iter().map(|u| u.index).collect();
            let mut ranks: Vec<u32> = card.units.iter().map(|u| u.rank).collect();
            for (u, &r) in card.units.iter().zip(&ranks) {
                let better = idx.iter().filter(|&&x| x > u.index).count() as u32;
                let mut distinct_better: Vec<Decimal> = idx.iter().copied().filter(|&x| x > u.index).collect();
                distinct_better.sort();
                distinct_better.dedup();
                match c.ties {
                    TiePolicy::Competition => prop_assert_eq!(r, better + 1),
                    TiePolicy::Dense => prop_assert_eq!(r, distinct_better.len() as u32 + 1),
                    TiePolicy::Ordinal => prop_assert!(r > better),
                }
            }
            if c.ties == TiePolicy::Ordinal {
                ranks.sort_unstable();
                prop_assert_eq!(ranks, (1..=card.units.len() as u32).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn scaling_every_maximum_keeps_every_percentage(c in case(), k in 2i64..7) {
        let (m1, a1) = build(&c, 1);
        let (m2, a2) = build(&c, k);
        match (m1.score(&a1), m2.score(&a2)) {
            (Ok(x), Ok(y)) => {
                for (u, v) in x.units.iter().zip(&y.units) {
                    prop_assert_eq!(u.index, v.index);
                    prop_assert_eq!(u.rank, v.rank);
                    for (n, o) in u.nodes.iter().zip(&v.nodes) {
                        prop_assert_eq!(n.percent, o.percent);
                    }
                }
            }
            (Err(e), Err(f)) => prop_assert_eq!(e.code(), f.code()),
            _ => prop_assert!(false, "one scale failed and the other did not"),
        }
    }

    #[test]
    fn methodology_json_round_trips(c in case()) {
        let (m, a) = build(&c, 1);
        let back = Methodology::from_json(&m.to_json()).unwrap();
        prop_assert_eq!(&back, &m);
        let again = Assessments::from_json(&a.to_json()).unwrap();
        prop_assert_eq!(again.units.len(), a.units.len());
        for (x, y) in again.units.iter().zip(&a.units) {
            prop_assert_eq!(&x.values, &y.values);
        }
    }
}

#[test]
fn presets_round_trip_unchanged() {
    for name in par_index::presets::names() {
        let m = par_index::presets::methodology(name).unwrap();
        assert_eq!(Methodology::from_json(&m.to_json()).unwrap(), m, "{name}");
    }
}
