//! What a new definition changes for product subscribers: the events an import writes to the
//! outbox, in its own transaction (`price_below` and `back_in_stock` read them). Products only
//! change through imports, so comparing the stored definition with the new one finds every
//! change, and only real ones: importing the same file twice finds none.

use openentry_types::events::{BackInStock, DomainEvent, PriceFell};

use super::{ProductDef, ProjectDefinition};

/// Whether `p` can be ordered under `def` (visible, in an orderable status): the catalog's
/// "in stock". OpenEntry keeps no stock counter; the status says whether a product can be
/// ordered.
fn orderable(def: &ProjectDefinition, p: &ProductDef) -> bool {
    p.visible && def.status_of(p).is_none_or(|s| s.orderable)
}

fn status_name(def: &ProjectDefinition, p: &ProductDef) -> String {
    def.status_of(p)
        .map(|s| s.identifier.clone())
        .unwrap_or_default()
}

/// The catalog events of replacing `old` by `new`, by product id: a price that fell (same
/// currency, fewer minor units) and a product that could not be ordered and now can. Products
/// added or removed fire nothing (nobody can be subscribed to a product that did not exist).
pub fn catalog_changes(old: &ProjectDefinition, new: &ProjectDefinition) -> Vec<DomainEvent> {
    let mut out = Vec::new();
    for p in &new.products {
        let Some(before) = old.product(p.id) else {
            continue;
        };
        if let (Ok(Some(from)), Ok(Some(to))) = (old.price_of(before), new.price_of(p))
            && from.currency == to.currency
            && to.minor < from.minor
        {
            out.push(DomainEvent::PriceFell(PriceFell {
                product_id: p.id,
                currency: to.currency,
                from_minor: from.minor,
                to_minor: to.minor,
            }));
        }
        if !orderable(old, before) && orderable(new, p) {
            out.push(DomainEvent::BackInStock(BackInStock {
                product_id: p.id,
                from_status: status_name(old, before),
                to_status: status_name(new, p),
            }));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = r#"
[project]
name = "t"
locales = ["en_US"]

[[product_statuses]]
identifier = "in_stock"
default = true

[[product_statuses]]
identifier = "out_of_stock"
orderable = false

[[attribute_sets]]
identifier = "product"
[[attribute_sets.attributes]]
marker = "price"
type = "float"
price = true
[[attribute_sets.attributes]]
marker = "currency"
currency = true

[[products]]
id = 1
attribute_set = "product"
status = "STATUS"
values = { price = "PRICE", currency = "USD" }
"#;

    fn def(status: &str, price: &str) -> ProjectDefinition {
        let text = BASE.replace("STATUS", status).replace("PRICE", price);
        toml::from_str(&text).unwrap_or_default()
    }

    #[test]
    fn a_lower_price_and_a_return_to_stock_are_events_and_nothing_else_is() {
        let old = def("out_of_stock", "19.99");
        assert_eq!(old.products.len(), 1, "the fixture parses");
        assert!(catalog_changes(&old, &old).is_empty());
        let cheaper = def("out_of_stock", "15");
        assert_eq!(
            catalog_changes(&old, &cheaper),
            [DomainEvent::PriceFell(PriceFell {
                product_id: 1,
                currency: "USD".to_owned(),
                from_minor: 1999,
                to_minor: 1500,
            })]
        );
        // A rise is not a fall.
        assert!(catalog_changes(&cheaper, &old).is_empty());
        let back = def("in_stock", "19.99");
        assert_eq!(
            catalog_changes(&old, &back),
            [DomainEvent::BackInStock(BackInStock {
                product_id: 1,
                from_status: "out_of_stock".to_owned(),
                to_status: "in_stock".to_owned(),
            })]
        );
        // Going out of stock is no event; a product the old file lacked is none either.
        assert!(catalog_changes(&back, &old).is_empty());
        assert!(catalog_changes(&ProjectDefinition::default(), &back).is_empty());
    }
}
