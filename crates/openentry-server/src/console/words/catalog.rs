//! The console's words for editing products and their images: key, English, Arabic, French.
//! Keys start with `cat_`, so no other area's table takes one of them.

pub(crate) const WORDS: &[super::Word] = &[
    (
        "cat_new_product",
        "New product",
        "منتج جديد",
        "Nouveau produit",
    ),
    (
        "cat_edit_product",
        "Edit product",
        "تعديل المنتج",
        "Modifier le produit",
    ),
    ("cat_currency", "Currency", "العملة", "Devise"),
    ("cat_image", "Image", "الصورة", "Image"),
    (
        "cat_statuses",
        "Product statuses",
        "حالات المنتجات",
        "Statuts des produits",
    ),
    (
        "cat_attribute_sets",
        "Attribute sets",
        "مجموعات السمات",
        "Jeux d’attributs",
    ),
    ("cat_identifier", "Identifier", "المعرّف", "Identifiant"),
    ("cat_default", "Default", "افتراضي", "Par défaut"),
    ("cat_orderable", "Orderable", "قابل للطلب", "Commandable"),
];
