//! The criteria tree compiled into a flat arena (pre-order, root first) and validated once, so
//! that scoring is a single pass from the leaves up and a what-if change touches only the
//! changed leaf's ancestors.

use crate::adjustment::Adjustment;
use crate::criterion::{Aggregation, Criterion, Source};
use crate::error::MethodologyError;
use crate::label::Label;
use crate::limits::{MAX_CODE_LEN, MAX_DEPTH, MAX_NODES, MAX_TEXT_LEN};
use crate::methodology::{Methodology, FORMAT_VERSION};
use crate::policy::NotApplicablePolicy;
use crate::rule::Rule;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// What a compiled node does.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum NodeKind {
    Leaf(Rule),
    Inner(Aggregation),
}

/// A node of the compiled tree.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub code: String,
    pub label: Label,
    pub max: Decimal,
    pub source: Option<Source>,
    pub weight: Decimal,
    pub not_applicable: NotApplicablePolicy,
    pub kind: NodeKind,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    pub depth: usize,
    /// Where the node is in the methodology JSON, for error messages.
    pub path: String,
}

/// The compiled tree. Node 0 is the root (the whole index, code `""`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tree {
    pub nodes: Vec<Node>,
    pub by_code: HashMap<String, usize>,
    pub adjustments: Vec<Adjustment>,
    pub adjustment_by_code: HashMap<String, usize>,
    pub tiers: Option<crate::tier::Tiers>,
}

fn check_code(code: &str, path: &str) -> Result<(), MethodologyError> {
    if code.trim().is_empty() {
        return Err(MethodologyError::InvalidCode { path: path.to_owned(), message: "code must not be empty".into() });
    }
    if code.len() > MAX_CODE_LEN {
        return Err(MethodologyError::LimitExceeded {
            path: path.to_owned(),
            message: format!("code is {} bytes long; the limit is {MAX_CODE_LEN}", code.len()),
        });
    }
    Ok(())
}

fn check_label(label: &Label, path: &str) -> Result<(), MethodologyError> {
    for (lang, text) in [("vi", &label.vi), ("en", &label.en)] {
        if text.len() > MAX_TEXT_LEN {
            return Err(MethodologyError::LimitExceeded {
                path: format!("{path}.label.{lang}"),
                message: format!("text is {} bytes long; the limit is {MAX_TEXT_LEN}", text.len()),
            });
        }
    }
    Ok(())
}

fn check_non_negative(value: Decimal, path: String) -> Result<(), MethodologyError> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(MethodologyError::NegativeMaximum { path, value: value.to_string() });
    }
    Ok(())
}

fn invalid_rule(path: String, message: impl Into<String>) -> MethodologyError {
    MethodologyError::InvalidRule { path, message: message.into() }
}

fn check_rule(rule: &Rule, max: Decimal, path: &str) -> Result<(), MethodologyError> {
    let rp = format!("{path}.rule");
    match rule {
        Rule::Points { .. } | Rule::YesNo => {}
        Rule::Linear { from, to } | Rule::Survey { from, to, .. } => {
            if from == to {
                return Err(invalid_rule(rp, format!("from and to are both {from}; the mapping needs two different values")));
            }
        }
        Rule::Steps { steps, otherwise } => {
            if steps.is_empty() {
                return Err(invalid_rule(format!("{rp}.steps"), "a step table needs at least one step"));
            }
            for (i, s) in steps.iter().enumerate() {
                let sp = format!("{rp}.steps[{i}].points");
                check_non_negative(s.points, sp.clone())?;
                if s.points > max {
                    return Err(invalid_rule(sp, format!("{} is above the leaf's maximum {max}", s.points)));
                }
                if steps[..i].iter().any(|t| t.at_least == s.at_least) {
                    return Err(invalid_rule(format!("{rp}.steps[{i}].at_least"), format!("another step already starts at {}", s.at_least)));
                }
            }
            check_non_negative(*otherwise, format!("{rp}.otherwise"))?;
            if *otherwise > max {
                return Err(invalid_rule(format!("{rp}.otherwise"), format!("{otherwise} is above the leaf's maximum {max}")));
            }
        }
    }
    if let Rule::Survey { figure: Some(f), .. } = rule {
        let ok = f == "overall"
            || f.strip_prefix("element:").is_some_and(|c| !c.is_empty())
            || f.strip_prefix("item:").is_some_and(|c| !c.is_empty());
        if !ok {
            return Err(invalid_rule(format!("{rp}.figure"), format!("{f:?} is not \"overall\", \"element:CODE\" or \"item:CODE\"")));
        }
    }
    Ok(())
}

impl Tree {
    /// Compiles and validates a methodology.
    pub fn compile(m: &Methodology) -> Result<Tree, MethodologyError> {
        if m.format != FORMAT_VERSION {
            return Err(MethodologyError::UnsupportedFormat { found: m.format, supported: FORMAT_VERSION });
        }
        check_code(&m.id, "id")?;
        check_label(&m.title, "title")?;
        if m.source.len() > MAX_TEXT_LEN {
            return Err(MethodologyError::LimitExceeded { path: "source".into(), message: format!("the limit is {MAX_TEXT_LEN} bytes") });
        }
        if m.max_points <= Decimal::ZERO {
            return Err(MethodologyError::InvalidRule { path: "max_points".into(), message: format!("the index's maximum must be above 0 (found {})", m.max_points) });
        }
        if m.criteria.is_empty() {
            return Err(MethodologyError::InvalidRule { path: "criteria".into(), message: "a methodology needs at least one criterion".into() });
        }
        if m.rounding.places > 28 {
            return Err(MethodologyError::InvalidRule { path: "rounding.places".into(), message: format!("{} places; at most 28", m.rounding.places) });
        }
        let root = Node {
            code: String::new(),
            label: m.title.clone(),
            max: m.max_points,
            source: None,
            weight: Decimal::ONE,
            not_applicable: m.not_applicable,
            kind: NodeKind::Inner(m.aggregation),
            parent: None,
            children: Vec::new(),
            depth: 0,
            path: String::new(),
        };
        let mut tree = Tree { nodes: vec![root], by_code: HashMap::new(), adjustments: Vec::new(), adjustment_by_code: HashMap::new(), tiers: m.tiers.clone() };
        // Explicit stack (pre-order): a deep tree is an error, never a stack overflow.
        let mut stack: Vec<(&Criterion, usize, String)> =
            m.criteria.iter().enumerate().rev().map(|(i, c)| (c, 0usize, format!("criteria[{i}]"))).collect();
        while let Some((c, parent, path)) = stack.pop() {
            let index = tree.nodes.len();
            if index > MAX_NODES {
                return Err(MethodologyError::LimitExceeded { path, message: format!("more than {MAX_NODES} nodes") });
            }
            let depth = tree.nodes[parent].depth + 1;
            if depth > MAX_DEPTH {
                return Err(MethodologyError::LimitExceeded { path, message: format!("the tree is deeper than {MAX_DEPTH} levels") });
            }
            check_code(&c.code, &format!("{path}.code"))?;
            check_label(&c.label, &path)?;
            if let Some(&first) = tree.by_code.get(&c.code) {
                return Err(MethodologyError::DuplicateCode { path: format!("{path}.code"), code: c.code.clone(), first: tree.nodes[first].path.clone() });
            }
            check_non_negative(c.max_points, format!("{path}.max_points"))?;
            let kind = if c.children.is_empty() {
                if c.aggregation.is_some() {
                    return Err(invalid_rule(format!("{path}.aggregation"), "a leaf has no children to aggregate"));
                }
                let rule = c.rule.clone().unwrap_or_default();
                check_rule(&rule, c.max_points, &path)?;
                NodeKind::Leaf(rule)
            } else {
                if c.rule.is_some() {
                    return Err(invalid_rule(format!("{path}.rule"), "a node with children is scored by its children, not by a rule"));
                }
                NodeKind::Inner(c.aggregation.unwrap_or_default())
            };
            let parent_node = &tree.nodes[parent];
            let weight = match (&parent_node.kind, c.weight) {
                (NodeKind::Inner(Aggregation::Sum), w) => w.unwrap_or(Decimal::ONE),
                (_, Some(w)) => {
                    check_non_negative(w, format!("{path}.weight"))?;
                    w
                }
                (_, None) => {
                    return Err(invalid_rule(format!("{path}.weight"), format!("the parent aggregates by {}; every child needs a weight", match &parent_node.kind {
                        NodeKind::Inner(a) => a.as_str(),
                        NodeKind::Leaf(_) => "rule",
                    })));
                }
            };
            let source = c.source.clone().or_else(|| parent_node.source.clone());
            let not_applicable = c.not_applicable.unwrap_or(parent_node.not_applicable);
            tree.by_code.insert(c.code.clone(), index);
            tree.nodes[parent].children.push(index);
            tree.nodes.push(Node {
                code: c.code.clone(),
                label: c.label.clone(),
                max: c.max_points,
                source,
                weight,
                not_applicable,
                kind,
                parent: Some(parent),
                children: Vec::new(),
                depth,
                path: path.clone(),
            });
            for (i, child) in c.children.iter().enumerate().rev() {
                stack.push((child, index, format!("{path}.children[{i}]")));
            }
        }
        tree.check_aggregates()?;
        for (i, a) in m.adjustments.iter().enumerate() {
            let path = format!("adjustments[{i}]");
            check_code(&a.code, &format!("{path}.code"))?;
            check_label(&a.label, &path)?;
            if let Some(&n) = tree.by_code.get(&a.code) {
                return Err(MethodologyError::DuplicateCode { path: format!("{path}.code"), code: a.code.clone(), first: tree.nodes[n].path.clone() });
            }
            if let Some(&j) = tree.adjustment_by_code.get(&a.code) {
                return Err(MethodologyError::DuplicateCode { path: format!("{path}.code"), code: a.code.clone(), first: format!("adjustments[{j}]") });
            }
            check_non_negative(a.max_points, format!("{path}.max_points"))?;
            tree.adjustment_by_code.insert(a.code.clone(), i);
            tree.adjustments.push(a.clone());
        }
        for (i, code) in m.ranking.tie_breakers.iter().enumerate() {
            if !tree.by_code.contains_key(code) {
                return Err(MethodologyError::UnknownCode { path: format!("ranking.tie_breakers[{i}]"), code: code.clone() });
            }
        }
        if let Some(tiers) = &m.tiers {
            tiers.validate("tiers")?;
            for (path, code) in tiers.requirement_codes("tiers") {
                if !tree.by_code.contains_key(code) {
                    return Err(MethodologyError::UnknownCode { path, code: code.to_owned() });
                }
            }
        }
        Ok(tree)
    }

    /// Sum nodes: children's maxima add up to the node's. Weighted nodes: some weight is positive.
    fn check_aggregates(&self) -> Result<(), MethodologyError> {
        for node in &self.nodes {
            let path = if node.parent.is_none() { "max_points".to_owned() } else { format!("{}.max_points", node.path) };
            match node.kind {
                NodeKind::Inner(Aggregation::Sum) => {
                    let mut sum = Decimal::ZERO;
                    for &c in &node.children {
                        sum = sum.checked_add(self.nodes[c].max).ok_or_else(|| MethodologyError::LimitExceeded {
                            path: path.clone(),
                            message: "children's maxima overflow a decimal".into(),
                        })?;
                    }
                    if sum != node.max {
                        return Err(MethodologyError::ChildrenMaximaMismatch { path, sum: sum.normalize().to_string(), max: node.max.normalize().to_string() });
                    }
                }
                NodeKind::Inner(_) => {
                    if !node.children.iter().any(|&c| self.nodes[c].weight > Decimal::ZERO) {
                        let wp = if node.parent.is_none() { "criteria".to_owned() } else { format!("{}.children", node.path) };
                        return Err(invalid_rule(wp, "a weighted node needs at least one child with a positive weight"));
                    }
                }
                NodeKind::Leaf(_) => {}
            }
        }
        Ok(())
    }
}
