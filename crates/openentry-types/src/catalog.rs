//! Catalog wire types: products, product statuses, attribute sets (placeholder).
