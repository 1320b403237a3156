//! The price-snapshot lines of orders: what each product cost when it was ordered.

use std::sync::LazyLock;

use crate::db::{Executor, q};
use crate::{Exec, StoreError};

/// A line to store: the product as it was when ordered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLine {
    /// Product id.
    pub product_id: i64,
    /// Title snapshot.
    pub title: String,
    /// SKU snapshot.
    pub sku: Option<String>,
    /// Image snapshot.
    pub preview_image: Option<String>,
    /// Unit price snapshot, minor units.
    pub price_minor: i64,
    /// Units.
    pub quantity: i64,
    /// Gift line.
    pub is_gift: bool,
}

/// A stored line.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct LineRecord {
    /// Order id.
    pub order_id: i64,
    /// Product id.
    pub product_id: i64,
    /// Title snapshot.
    pub title: String,
    /// SKU snapshot.
    pub sku: Option<String>,
    /// Image snapshot.
    pub preview_image: Option<String>,
    /// Unit price snapshot, minor units.
    pub price_minor: i64,
    /// Units.
    pub quantity: i64,
    /// Gift line.
    pub is_gift: bool,
}

/// Lines per `INSERT`: an order's lines go in one statement per this many rows, not one
/// statement (one round trip to PostgreSQL) per line.
const LINES_PER_INSERT: usize = 8;

/// `INSERT … VALUES (…), (…)` for 1 to [`LINES_PER_INSERT`] rows (`$1` is the order for
/// every row), built once: a statement's text is `'static`, and each is prepared once per
/// connection.
static LINE_INSERTS: LazyLock<Vec<String>> = LazyLock::new(|| {
    (1..=LINES_PER_INSERT)
        .map(|rows| {
            let values: Vec<String> = (0..rows)
                .map(|r| {
                    let p: Vec<String> = (2 + r * 8..2 + r * 8 + 8).map(|n| format!("${n}")).collect();
                    format!("($1, {})", p.join(", "))
                })
                .collect();
            format!(
                "INSERT INTO order_lines (order_id, position, product_id, title, sku, preview_image, \
                 price_minor, quantity, is_gift) VALUES {}",
                values.join(", ")
            )
        })
        .collect()
});

pub(super) async fn insert_lines(
    e: &mut Executor<'_>,
    order_id: i64,
    lines: &[NewLine],
) -> Result<(), StoreError> {
    for (chunk_no, chunk) in (0_i64..).zip(lines.chunks(LINES_PER_INSERT)) {
        let Some(sql) = LINE_INSERTS.get(chunk.len() - 1) else {
            continue;
        };
        let first = chunk_no * i64::try_from(LINES_PER_INSERT).unwrap_or(i64::MAX);
        let mut stmt = q(sql.as_str()).bind(order_id);
        for (pos, l) in (first..).zip(chunk) {
            stmt = stmt
                .bind(pos)
                .bind(l.product_id)
                .bind(&l.title)
                .bind(l.sku.clone())
                .bind(l.preview_image.clone())
                .bind(l.price_minor)
                .bind(l.quantity)
                .bind(l.is_gift);
        }
        e.exec(stmt).await?;
    }
    Ok(())
}

/// The lines of one order.
pub async fn list_lines(mut e: impl Exec, order_id: i64) -> Result<Vec<LineRecord>, StoreError> {
    e.executor()
        .all(
            q(
                "SELECT order_id, product_id, title, sku, preview_image, price_minor, quantity, is_gift
               FROM order_lines WHERE order_id = $1 ORDER BY position",
            )
            .bind(order_id),
        )
        .await
}

/// The lines of every order whose id is in `lowest..=highest`, newest order first, each in its
/// line order: one statement for a page of [`super::list_all`], whose orders are the ids
/// between its last and first (a bound range, unlike `IN (…)`, needs a fixed number of
/// placeholders). An order committed meanwhile inside the range only adds lines no order of
/// the page claims: callers match lines to orders by id.
pub async fn list_lines_between(
    mut e: impl Exec,
    lowest: i64,
    highest: i64,
) -> Result<Vec<LineRecord>, StoreError> {
    e.executor()
        .all(
            q("SELECT order_id, product_id, title, sku, preview_image, price_minor, quantity, is_gift
               FROM order_lines WHERE order_id BETWEEN $1 AND $2
               ORDER BY order_id DESC, position")
            .bind(lowest)
            .bind(highest),
        )
        .await
}

/// A product that shares orders with another one, and in how many orders.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct OrderedWith {
    /// The other product.
    pub product_id: i64,
    /// Orders holding both.
    pub orders: i64,
}

/// The products ordered together with `product_id`: every product on a line of an order that
/// also has a line of `product_id`, ranked by how many such orders there are, then by id.
/// Gift lines count on neither side (a discount put them there, not the customer). One row per
/// product ever ordered with it, so the answer is bounded by the catalog; callers drop the
/// products they do not list.
pub async fn list_ordered_with(
    mut e: impl Exec,
    product_id: i64,
) -> Result<Vec<OrderedWith>, StoreError> {
    e.executor()
        .all(
            q(
                "SELECT other.product_id AS product_id, COUNT(DISTINCT other.order_id) AS orders
               FROM order_lines AS mine
               JOIN order_lines AS other ON other.order_id = mine.order_id
               WHERE mine.product_id = $1 AND other.product_id <> $1
                 AND NOT mine.is_gift AND NOT other.is_gift
               GROUP BY other.product_id
               ORDER BY orders DESC, other.product_id",
            )
            .bind(product_id),
        )
        .await
}
