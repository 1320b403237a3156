//! Exact decimals for filters and sorting: a value is read into integer units at its own
//! scale with `openentry_domain::money::parse`, and two values are compared by scaling both to
//! the larger scale in `i128`. No floats anywhere.

use std::cmp::Ordering;
use std::str::FromStr;

use openentry_domain::money;
use openentry_domain::project::{ProductDef, ProjectDefinition};
use serde_json::Number;

use crate::error::ApiError;

/// Largest number of decimals a compared value may have.
const MAX_SCALE: u32 = 12;

/// An exact decimal: `units / 10^scale`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Decimal {
    units: i64,
    scale: u32,
}

impl Decimal {
    /// `units / 10^scale`, e.g. a price's minor units and its currency's exponent.
    pub(crate) fn new(units: i64, scale: u32) -> Self {
        Self { units, scale }
    }

    /// Reads `"-12.50"`, `"400"`; `None` for anything else (exponents, `.5`, `1.`).
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        let (negative, body) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let decimals = body
            .split_once('.')
            .map_or(0, |(_, frac)| frac.trim_end_matches('0').len());
        let scale = u32::try_from(decimals).ok().filter(|s| *s <= MAX_SCALE)?;
        let units = money::parse(body, scale).ok()?;
        Some(Self::new(if negative { -units } else { units }, scale))
    }

    /// Exact comparison.
    pub(crate) fn cmp_exact(self, other: Self) -> Ordering {
        let scale = self.scale.max(other.scale);
        let widen = |d: Self| i128::from(d.units) * 10_i128.pow(scale - d.scale);
        widen(self).cmp(&widen(other))
    }

    /// The shortest exact decimal text (`400`, `59.9`).
    pub(crate) fn text(self) -> String {
        money::format_short(self.units, self.scale)
    }

    /// The JSON number whose text is the shortest exact decimal (`400`, `59.9`).
    pub(crate) fn to_number(self) -> Result<Number, ApiError> {
        let text = self.text();
        Number::from_str(&text)
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("amount {text} is not a number: {e}")))
    }
}

/// The exact price of a product, `None` without one.
pub(crate) fn price_decimal(def: &ProjectDefinition, p: &ProductDef) -> Option<Decimal> {
    def.price_of(p)
        .ok()
        .flatten()
        .map(|pr| Decimal::new(pr.minor, pr.exponent))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_compare_exactly() {
        let d = |s: &str| Decimal::parse(s).unwrap();
        assert_eq!(d("400").cmp_exact(Decimal::new(40000, 2)), Ordering::Equal);
        assert_eq!(d("59.90").cmp_exact(d("59.9")), Ordering::Equal);
        assert_eq!(d("0.1").cmp_exact(d("0.10000000001")), Ordering::Less);
        assert_eq!(d("-1").cmp_exact(d("0")), Ordering::Less);
        for bad in ["", "1e3", ".5", "1.", "abc", "--1", "0.0000000000001"] {
            assert!(Decimal::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(
            Decimal::new(5990, 2).to_number().unwrap().to_string(),
            "59.9"
        );
        assert_eq!(
            Decimal::new(40000, 2).to_number().unwrap().to_string(),
            "400"
        );
    }
}
