//! Forms wire types (placeholder).
