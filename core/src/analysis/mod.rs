//! Analysis of a scorecard: where a unit loses points, what it needs to reach the next tier or
//! rank, and what changes if an input changes.

pub mod compare;
pub mod gap;
pub mod profile;
pub mod uncertainty;
pub mod what_if;
pub mod what_if_weights;

pub use compare::{signed, Comparison, NodeChange, UnitChange};
pub use gap::{Gap, Headroom, RankGap, TierGap};
pub use profile::{NodeProfile, Profile};
pub use uncertainty::{saltelli_indices, MonteCarlo, UncertaintyReport, UncertaintyRuns, UncertaintySpec, WeightDistribution, WeightPerturbation};
pub use what_if::{Change, Movement, WhatIf};
pub use what_if_weights::WeightChange;
