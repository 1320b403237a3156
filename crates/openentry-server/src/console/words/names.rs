//! The console's words for wire names a person reads (roles, a discount's kind and value):
//! key `name:<wire name>`, English, Arabic, French. `Lang::name` looks them up.

pub(crate) const WORDS: &[super::Word] = &[
    ("name:owner", "Owner", "مالك", "Propriétaire"),
    ("name:manager", "Manager", "مدير", "Gestionnaire"),
    ("name:editor", "Editor", "محرر", "Rédacteur"),
    ("name:support", "Support", "الدعم", "Support"),
    ("name:DISCOUNT", "Discount", "خصم", "Remise"),
    (
        "name:BONUS",
        "Bonus points",
        "نقاط المكافأة",
        "Points bonus",
    ),
    (
        "name:PERSONAL_DISCOUNT",
        "Personal discount",
        "خصم شخصي",
        "Remise personnelle",
    ),
    ("name:PERCENT", "Percent", "نسبة مئوية", "Pourcentage"),
    (
        "name:FIXED_AMOUNT",
        "Fixed amount off",
        "مبلغ ثابت",
        "Montant fixe",
    ),
    ("name:FIXED_PRICE", "Fixed price", "سعر ثابت", "Prix fixe"),
    ("name:NONE", "None", "لا شيء", "Aucune"),
    (
        "name:TO_PRODUCT",
        "Each product",
        "كل منتج",
        "Chaque produit",
    ),
    (
        "name:TO_ORDER",
        "The whole order",
        "الطلب كاملاً",
        "Toute la commande",
    ),
    (
        "name:AND",
        "All conditions",
        "كل الشروط",
        "Toutes les conditions",
    ),
    ("name:OR", "Any condition", "أي شرط", "Une condition"),
];
