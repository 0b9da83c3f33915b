//! Survey shares with their sampling error, read from a SIPAS result for the survey leaves that
//! name a figure.

use super::spec::{ShareDistribution, ShareUncertainty, SurveyPerturbation};
use crate::error::Result;
use crate::rule::Rule;
use crate::scorecard::Scorecard;
use crate::survey::{Figure, ItemResult, SipasResult};
use crate::tree::NodeKind;
use rust_decimal::prelude::ToPrimitive;

fn item_n(i: &ItemResult) -> f64 {
    i.n_eff.unwrap_or(i.n as f64)
}

impl SurveyPerturbation {
    /// The shares of every `survey` leaf that names a figure, for every unit of the scorecard
    /// that the survey covers (units in scorecard order, leaves in tree order).
    ///
    /// An `item:CODE` figure gives the item's share, standard error and Kish effective sample
    /// size. An element's or the overall index is a mean of item shares whose joint sampling
    /// error the result does not hold: it is treated as one proportion over the mean effective
    /// sample size of the items it averages (an approximation, stated here).
    pub fn from_sipas(card: &Scorecard, result: &SipasResult, distribution: ShareDistribution) -> Result<SurveyPerturbation> {
        let mut leaves: Vec<(String, Figure)> = Vec::new();
        for node in &card.tree.nodes {
            if let NodeKind::Leaf(Rule::Survey { figure: Some(f), .. }) = &node.kind {
                leaves.push((node.code.clone(), f.parse::<Figure>()?));
            }
        }
        let mut shares = Vec::new();
        for unit in &card.units {
            let Some(r) = result.unit(&unit.unit) else { continue };
            for (code, figure) in &leaves {
                let entry = match figure {
                    Figure::Item(item) => r.items.iter().find(|i| &i.item == item).and_then(|i| {
                        let share = i.share?.to_f64()?;
                        Some(ShareUncertainty { unit: unit.unit.clone(), code: code.clone(), share, se: i.se, n: Some(item_n(i)) })
                    }),
                    Figure::Element(_) | Figure::Overall => result.figure(&unit.unit, figure).and_then(|percent| {
                        let items: Vec<f64> = r
                            .items
                            .iter()
                            .filter(|i| i.share.is_some() && matches!(figure, Figure::Overall) || matches!(figure, Figure::Element(e) if *e == i.element && i.share.is_some()))
                            .map(item_n)
                            .collect();
                        if items.is_empty() {
                            return None;
                        }
                        let n = items.iter().sum::<f64>() / items.len() as f64;
                        let share = (percent.to_f64()? / 100.0).clamp(0.0, 1.0);
                        (n > 0.0).then(|| ShareUncertainty { unit: unit.unit.clone(), code: code.clone(), share, se: None, n: Some(n) })
                    }),
                };
                if let Some(e) = entry {
                    shares.push(e);
                }
            }
        }
        Ok(SurveyPerturbation { distribution, shares })
    }
}
