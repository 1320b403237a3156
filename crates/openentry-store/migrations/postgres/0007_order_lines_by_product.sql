-- The orders that hold a product: "frequently ordered together" (blocks) starts from the lines of
-- one product and joins the other lines of the same orders (by the primary key's order_id).
CREATE INDEX order_lines_by_product ON order_lines (product_id, order_id);
