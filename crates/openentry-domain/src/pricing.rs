//! Pricing a cart from the catalog: the one computation behind createOrder, updateOrder and
//! previewOrder, so their figures agree by construction.

use std::collections::BTreeMap;

use crate::money::{Money, MoneyError};

/// Most lines in one order.
pub const MAX_LINES: usize = 1000;
/// Most units of one product in one order.
pub const MAX_QUANTITY: i64 = 10_000;

/// A requested line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CartLine {
    /// Product id.
    pub product_id: i64,
    /// Units.
    pub quantity: i64,
}

/// What the catalog says about a product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogPrice {
    /// Its price, or `None` when the product has no price (then it has no currency either).
    pub price: Option<Money>,
    /// Whether it can be ordered now.
    pub orderable: bool,
}

/// A priced line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedLine {
    /// Product id.
    pub product_id: i64,
    /// Units.
    pub quantity: i64,
    /// Unit price snapshot, minor units.
    pub price_minor: i64,
    /// `price × quantity`, minor units.
    pub total_minor: i64,
}

/// A priced cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedCart {
    /// Lines in first-seen order, duplicates merged.
    pub lines: Vec<PricedLine>,
    /// Sum of the line totals, in the single currency of every line.
    pub total: Money,
}

/// Why a cart cannot be priced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PricingError {
    /// No lines.
    #[error("the order has no products")]
    Empty,
    /// Too many lines.
    #[error("an order may have at most {MAX_LINES} lines")]
    TooManyLines,
    /// Quantity out of bounds.
    #[error("product {product_id}: quantity {quantity} is not between 1 and {MAX_QUANTITY}")]
    Quantity {
        /// Product id.
        product_id: i64,
        /// Requested units (after merging duplicate lines).
        quantity: i64,
    },
    /// Not in the catalog.
    #[error("product {0} does not exist")]
    Unknown(i64),
    /// In the catalog but not for sale.
    #[error("product {0} cannot be ordered")]
    NotOrderable(i64),
    /// No price set.
    #[error("product {0} has no price")]
    NoPrice(i64),
    /// Lines in different currencies.
    #[error("the products are priced in different currencies ({0} and {1}); order them separately")]
    MixedCurrencies(String, String),
    /// Totals beyond the representable range.
    #[error("the order total is too large")]
    Overflow,
}

/// Prices a cart. Duplicate products are merged into one line; every product must exist, be
/// orderable and have a price; all lines must share one currency; all arithmetic is checked.
pub fn price_cart(
    lines: &[CartLine],
    catalog: impl Fn(i64) -> Option<CatalogPrice>,
) -> Result<PricedCart, PricingError> {
    if lines.is_empty() {
        return Err(PricingError::Empty);
    }
    if lines.len() > MAX_LINES {
        return Err(PricingError::TooManyLines);
    }
    let mut order: Vec<i64> = Vec::new();
    let mut quantities: BTreeMap<i64, i64> = BTreeMap::new();
    for l in lines {
        if l.quantity < 1 || l.quantity > MAX_QUANTITY {
            return Err(PricingError::Quantity {
                product_id: l.product_id,
                quantity: l.quantity,
            });
        }
        let q = quantities.entry(l.product_id).or_insert_with(|| {
            order.push(l.product_id);
            0
        });
        *q += l.quantity; // both ≤ MAX_QUANTITY × MAX_LINES: cannot overflow
    }
    // The first line fixes the currency; a cart is never empty here, so a total always exists.
    let mut total: Option<Money> = None;
    let mut priced = Vec::with_capacity(order.len());
    for id in order {
        let quantity = quantities[&id];
        if quantity > MAX_QUANTITY {
            return Err(PricingError::Quantity {
                product_id: id,
                quantity,
            });
        }
        let c = catalog(id).ok_or(PricingError::Unknown(id))?;
        if !c.orderable {
            return Err(PricingError::NotOrderable(id));
        }
        let price = c.price.ok_or(PricingError::NoPrice(id))?;
        let line_total = price.checked_mul(quantity)?;
        let sum = total.unwrap_or(Money::zero(price.currency));
        total = Some(sum.checked_add(line_total)?);
        priced.push(PricedLine {
            product_id: id,
            quantity,
            price_minor: price.minor,
            total_minor: line_total.minor,
        });
    }
    Ok(PricedCart {
        lines: priced,
        total: total.ok_or(PricingError::Empty)?,
    })
}

impl From<MoneyError> for PricingError {
    /// Two currencies in one cart, else an amount out of range (the only other errors of
    /// multiplying and adding money).
    fn from(e: MoneyError) -> Self {
        match e {
            MoneyError::Mixed(a, b) => Self::MixedCurrencies(a.to_owned(), b.to_owned()),
            _ => Self::Overflow,
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn usd(price: i64) -> CatalogPrice {
        CatalogPrice {
            price: Money::stored(price, "USD").ok(),
            orderable: true,
        }
    }

    #[test]
    fn the_seed_order() {
        let cart = price_cart(
            &[CartLine {
                product_id: 15,
                quantity: 1,
            }],
            |_| Some(usd(40000)),
        )
        .unwrap();
        assert_eq!(cart.total.minor, 40000);
        assert_eq!(cart.total.currency.code(), "USD");
    }

    #[test]
    fn refusals() {
        let line = |q| {
            [CartLine {
                product_id: 1,
                quantity: q,
            }]
        };
        assert_eq!(price_cart(&[], |_| Some(usd(1))), Err(PricingError::Empty));
        assert!(matches!(
            price_cart(&line(0), |_| Some(usd(1))),
            Err(PricingError::Quantity { .. })
        ));
        assert!(matches!(
            price_cart(&line(10_001), |_| Some(usd(1))),
            Err(PricingError::Quantity { .. })
        ));
        assert_eq!(
            price_cart(&line(1), |_| None),
            Err(PricingError::Unknown(1))
        );
        let eur = |id: i64| {
            Some(CatalogPrice {
                price: Money::stored(1, if id == 1 { "USD" } else { "EUR" }).ok(),
                orderable: true,
            })
        };
        let two = [
            CartLine {
                product_id: 1,
                quantity: 1,
            },
            CartLine {
                product_id: 2,
                quantity: 1,
            },
        ];
        assert!(matches!(
            price_cart(&two, eur),
            Err(PricingError::MixedCurrencies(..))
        ));
        let many = vec![
            CartLine {
                product_id: 1,
                quantity: 1
            };
            MAX_LINES + 1
        ];
        assert_eq!(
            price_cart(&many, |_| Some(usd(1))),
            Err(PricingError::TooManyLines)
        );
        let merged = [
            CartLine {
                product_id: 1,
                quantity: 6000,
            },
            CartLine {
                product_id: 1,
                quantity: 6000,
            },
        ];
        assert!(matches!(
            price_cart(&merged, |_| Some(usd(1))),
            Err(PricingError::Quantity {
                quantity: 12000,
                ..
            })
        ));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        #[test]
        fn total_is_the_exact_sum_of_price_times_quantity(
            lines in proptest::collection::vec((1i64..50, 1i64..=MAX_QUANTITY), 1..40),
            prices in proptest::collection::vec(0i64..=i64::MAX, 50),
        ) {
            let cart: Vec<CartLine> = lines.iter().map(|&(p, q)| CartLine { product_id: p, quantity: q }).collect();
            let result = price_cart(&cart, |id| Some(usd(prices[usize::try_from(id).unwrap()])));
            // The reference: merged quantities, wide arithmetic.
            let mut merged: BTreeMap<i64, i128> = BTreeMap::new();
            for &(p, q) in &lines { *merged.entry(p).or_default() += i128::from(q); }
            let too_many = merged.values().any(|&q| q > i128::from(MAX_QUANTITY));
            let expected: i128 = merged.iter().map(|(&p, &q)| i128::from(prices[usize::try_from(p).unwrap()]) * q).sum();
            match result {
                Ok(c) => {
                    prop_assert!(!too_many);
                    prop_assert_eq!(i128::from(c.total.minor), expected);
                    prop_assert_eq!(c.lines.iter().map(|l| i128::from(l.total_minor)).sum::<i128>(), expected);
                }
                Err(PricingError::Overflow) => prop_assert!(expected > i128::from(i64::MAX) || merged.iter().any(|(&p, &q)| i128::from(prices[usize::try_from(p).unwrap()]) * q > i128::from(i64::MAX))),
                Err(PricingError::Quantity { .. }) => prop_assert!(too_many),
                Err(e) => prop_assert!(false, "unexpected {e:?}"),
            }
        }

        #[test]
        fn any_input_is_an_answer_never_a_panic(
            lines in proptest::collection::vec((any::<i64>(), any::<i64>()), 0..30),
            price in any::<i64>(),
        ) {
            let cart: Vec<CartLine> = lines.iter().map(|&(p, q)| CartLine { product_id: p, quantity: q }).collect();
            let _ = price_cart(&cart, |_| Some(usd(price)));
        }
    }
}
