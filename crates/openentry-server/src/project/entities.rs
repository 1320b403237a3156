//! Definitions paired with their stored identities, indexed by marker and by id. Every kind
//! of the served project is one [`Entities`], built by one function, so a new content module
//! adds a field and a line in the build, not lookup methods of its own.

use std::collections::HashMap;

use openentry_domain::project::{Marked, OrderStatusDef};
use openentry_store::project::EntityRow;

/// A definition with its stored identity.
#[derive(Debug, Clone)]
pub struct Entity<T> {
    /// Integer id (the SDK's `id`).
    pub id: i64,
    /// Bumped on change.
    pub version: i64,
    /// Place in lists.
    pub position: i64,
    /// Last change of the definition (Unix ms).
    pub updated_at: i64,
    /// The definition.
    pub def: T,
}

/// An order status with the marker of the storage that defines it: statuses are stored in one
/// table for the whole project, but each belongs to one storage.
#[derive(Debug, Clone)]
pub struct StorageStatus {
    /// Marker of its storage.
    pub storage: String,
    /// The status.
    pub status: OrderStatusDef,
}

impl Marked for StorageStatus {
    fn marker(&self) -> &str {
        self.status.marker()
    }
}

/// The entities of one kind in list order, with O(1) lookups by marker and by id.
#[derive(Debug, Clone)]
pub struct Entities<T> {
    items: Vec<Entity<T>>,
    by_marker: HashMap<String, usize>,
    by_id: HashMap<i64, usize>,
}

impl<T> Default for Entities<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            by_marker: HashMap::new(),
            by_id: HashMap::new(),
        }
    }
}

impl<T: Marked> Entities<T> {
    /// Pairs stored rows (in their stored list order) with the definitions of the same marker.
    /// A row whose marker the definition no longer names is left out: it cannot be served.
    pub fn pair(rows: &[EntityRow], defs: impl IntoIterator<Item = T>) -> Self {
        let mut defs: HashMap<String, T> = defs
            .into_iter()
            .map(|d| (d.marker().to_owned(), d))
            .collect();
        let mut out = Self::default();
        for row in rows {
            let Some(def) = defs.remove(&row.identifier) else {
                continue;
            };
            let at = out.items.len();
            out.by_marker.insert(row.identifier.clone(), at);
            out.by_id.insert(row.id, at);
            out.items.push(Entity {
                id: row.id,
                version: row.version,
                position: row.position,
                updated_at: row.updated_at,
                def,
            });
        }
        out
    }
}

impl<T> Entities<T> {
    /// The entity with this marker.
    pub fn by_marker(&self, marker: &str) -> Option<&Entity<T>> {
        self.by_marker.get(marker).and_then(|&i| self.items.get(i))
    }

    /// The entity with this id.
    pub fn by_id(&self, id: i64) -> Option<&Entity<T>> {
        self.by_id.get(&id).and_then(|&i| self.items.get(i))
    }

    /// All entities in list order.
    pub fn iter(&self) -> std::slice::Iter<'_, Entity<T>> {
        self.items.iter()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl<'a, T> IntoIterator for &'a Entities<T> {
    type Item = &'a Entity<T>;
    type IntoIter = std::slice::Iter<'a, Entity<T>>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Def(&'static str);

    impl Marked for Def {
        fn marker(&self) -> &str {
            self.0
        }
    }

    fn row(id: i64, identifier: &str) -> EntityRow {
        EntityRow {
            id,
            identifier: identifier.to_owned(),
            version: 1,
            position: id,
            updated_at: 0,
        }
    }

    #[test]
    fn rows_pair_with_definitions_in_row_order_and_index_both_ways() {
        let rows = [row(7, "b"), row(3, "a"), row(9, "gone")];
        let defs = Entities::pair(&rows, [Def("a"), Def("b"), Def("unstored")]);
        let order: Vec<&str> = defs.iter().map(|d| d.def.0).collect();
        assert_eq!(order, ["b", "a"]);
        assert_eq!(defs.by_marker("a").map(|d| d.id), Some(3));
        assert_eq!(defs.by_id(7).map(|d| d.def.0), Some("b"));
        assert!(defs.by_marker("gone").is_none());
        assert!(defs.by_id(9).is_none());
        assert_eq!(defs.len(), 2);
    }
}
