//! The console's own words in each language it speaks. Project content (product titles,
//! statuses) comes in the project's locales; the chrome around it needs its own table, and
//! Arabic is in it so that a right-to-left layout is always available and tested.

use http::HeaderMap;

use super::words::{AREAS, Word};

/// The cookie that keeps an operator's choice of language (a preference, not a credential).
pub(crate) const LANG_COOKIE: &str = "openentry_console_lang";

/// A language of the console chrome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    /// English (the fallback for every missing word).
    En,
    /// Arabic, written right to left.
    Ar,
    /// French.
    Fr,
}

impl Lang {
    /// Every language, in the order the switcher lists them.
    pub(crate) const ALL: [Self; 3] = [Self::En, Self::Ar, Self::Fr];

    /// The BCP 47 tag for `lang=`.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Ar => "ar",
            Self::Fr => "fr",
        }
    }

    /// `rtl` or `ltr`, for `dir=`.
    pub(crate) fn dir(self) -> &'static str {
        match self {
            Self::Ar => "rtl",
            Self::En | Self::Fr => "ltr",
        }
    }

    /// The language's name in itself (the switcher shows it so anyone finds their own).
    pub(crate) fn native(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::Ar => "العربية",
            Self::Fr => "Français",
        }
    }

    /// The project locale that matches best (`ar` → `ar_AE`), for content texts.
    pub(crate) fn matches_locale(self, locale: &str) -> bool {
        locale
            .split(['_', '-'])
            .next()
            .is_some_and(|l| l.eq_ignore_ascii_case(self.code()))
    }

    /// A language by its tag (`ar`, `ar-AE`, `ar_AE`).
    pub(crate) fn parse(tag: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.matches_locale(tag.trim()))
    }

    /// The cookie's choice, else the browser's first acceptable language, else English.
    pub(crate) fn from_headers(headers: &HeaderMap) -> Self {
        let chosen = headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| c.trim().split_once('='))
            .find(|(name, _)| *name == LANG_COOKIE)
            .and_then(|(_, v)| Self::parse(v));
        chosen
            .or_else(|| {
                headers
                    .get(http::header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| {
                        v.split(',')
                            .find_map(|part| Self::parse(part.split(';').next().unwrap_or("")))
                    })
            })
            .unwrap_or(Self::En)
    }

    /// The word for `key` in this language (English when it has none, the key itself when
    /// nobody has it, which a unit test forbids for the keys the templates use).
    pub(crate) fn t(self, key: &str) -> &'static str {
        let Some(&(_, en, ar, fr)) = all_words().find(|(k, ..)| *k == key) else {
            return "?";
        };
        let word = match self {
            Self::En => en,
            Self::Ar => ar,
            Self::Fr => fr,
        };
        if word.is_empty() { en } else { word }
    }

    /// The word for a wire name a person reads (a role, a discount's kind): `name:<wire>` in
    /// the tables; the wire name itself when none is written, so a value added later shows as
    /// stored rather than as `?`.
    pub(crate) fn name(self, wire: &str) -> String {
        let key = format!("name:{wire}");
        if all_words().any(|(k, ..)| *k == key) {
            self.t(&key).to_owned()
        } else {
            wire.to_owned()
        }
    }
}

/// Every word: the chrome's, then each area's.
fn all_words() -> impl Iterator<Item = &'static Word> {
    WORDS.iter().chain(AREAS.iter().flat_map(|t| t.iter()))
}

/// The chrome's and the first screens' words: key, English, Arabic, French.
const WORDS: &[Word] = &[
    (
        "console",
        "OpenEntry console",
        "لوحة تحكم OpenEntry",
        "Console OpenEntry",
    ),
    (
        "skip",
        "Skip to content",
        "انتقل إلى المحتوى",
        "Aller au contenu",
    ),
    ("areas", "Areas", "الأقسام", "Sections"),
    ("language", "Language", "اللغة", "Langue"),
    (
        "signed_in_as",
        "Signed in as",
        "تم تسجيل الدخول باسم",
        "Connecté en tant que",
    ),
    ("role", "Role", "الدور", "Rôle"),
    ("sign_in", "Sign in", "تسجيل الدخول", "Se connecter"),
    ("sign_out", "Sign out", "تسجيل الخروج", "Se déconnecter"),
    ("login", "Login", "اسم المستخدم", "Identifiant"),
    ("password", "Password", "كلمة المرور", "Mot de passe"),
    (
        "totp",
        "Authenticator code (if set)",
        "رمز المصادقة (إن وجد)",
        "Code d'authentification (si activé)",
    ),
    (
        "dashboard",
        "Dashboard",
        "لوحة المعلومات",
        "Tableau de bord",
    ),
    ("orders", "Orders", "الطلبات", "Commandes"),
    ("payments", "Payments", "المدفوعات", "Paiements"),
    ("catalog", "Catalog", "الكتالوج", "Catalogue"),
    ("deliveries", "Deliveries", "عمليات التسليم", "Livraisons"),
    ("content", "Content", "المحتوى", "Contenu"),
    ("submissions", "Submissions", "الإرسالات", "Soumissions"),
    ("discounts", "Discounts", "الخصومات", "Remises"),
    ("users", "Users", "المستخدمون", "Utilisateurs"),
    ("settings", "Settings", "الإعدادات", "Paramètres"),
    ("admins", "Admins", "المسؤولون", "Administrateurs"),
    ("audit", "Audit log", "سجل التدقيق", "Journal d'audit"),
    (
        "orders_today",
        "Orders today",
        "طلبات اليوم",
        "Commandes du jour",
    ),
    (
        "revenue_today",
        "Revenue today",
        "إيرادات اليوم",
        "Chiffre du jour",
    ),
    (
        "payments_waiting",
        "Payments waiting",
        "مدفوعات معلقة",
        "Paiements en attente",
    ),
    (
        "refunds_pending",
        "Refunds pending",
        "استردادات معلقة",
        "Remboursements en attente",
    ),
    (
        "delivery_failures",
        "Delivery failures",
        "إخفاقات التسليم",
        "Échecs de livraison",
    ),
    ("none", "None", "لا شيء", "Aucun"),
    ("all", "All", "الكل", "Tous"),
    ("status", "Status", "الحالة", "Statut"),
    ("storage", "Storage", "المخزن", "Stockage"),
    ("filter", "Filter", "تصفية", "Filtrer"),
    ("order", "Order", "الطلب", "Commande"),
    ("customer", "Customer", "العميل", "Client"),
    ("created", "Created", "تاريخ الإنشاء", "Créée"),
    ("total", "Total", "المجموع", "Total"),
    (
        "account",
        "Payment account",
        "حساب الدفع",
        "Compte de paiement",
    ),
    ("products", "Products", "المنتجات", "Produits"),
    ("product", "Product", "المنتج", "Produit"),
    ("quantity", "Quantity", "الكمية", "Quantité"),
    ("price", "Price", "السعر", "Prix"),
    ("history", "History", "السجل", "Historique"),
    ("when", "When", "متى", "Quand"),
    ("who", "Who", "من", "Qui"),
    ("what", "What", "ماذا", "Quoi"),
    ("detail", "Detail", "التفاصيل", "Détail"),
    (
        "change_status",
        "Change status",
        "تغيير الحالة",
        "Changer le statut",
    ),
    ("save", "Save", "حفظ", "Enregistrer"),
    (
        "payment_sessions",
        "Payment sessions",
        "جلسات الدفع",
        "Sessions de paiement",
    ),
    ("amount", "Amount", "المبلغ", "Montant"),
    (
        "settle",
        "Cash received: settle",
        "تم استلام النقد: تسوية",
        "Espèces reçues : solder",
    ),
    (
        "refunds",
        "Refund requests",
        "طلبات الاسترداد",
        "Demandes de remboursement",
    ),
    ("note", "Note", "ملاحظة", "Note"),
    ("approve", "Approve", "موافقة", "Approuver"),
    ("refuse", "Refuse", "رفض", "Refuser"),
    ("previous", "Previous", "السابق", "Précédent"),
    ("next", "Next", "التالي", "Suivant"),
    ("page_of", "Page", "صفحة", "Page"),
    (
        "no_items",
        "Nothing here yet.",
        "لا يوجد شيء هنا بعد.",
        "Rien ici pour l'instant.",
    ),
    ("back", "Back", "رجوع", "Retour"),
    ("forbidden", "Not allowed", "غير مسموح", "Non autorisé"),
    ("not_found", "Not found", "غير موجود", "Introuvable"),
    ("refused", "Refused", "مرفوض", "Refusé"),
    (
        "error",
        "Something went wrong",
        "حدث خطأ ما",
        "Une erreur est survenue",
    ),
    (
        "csrf_refused",
        "This form expired or did not come from the console. Reload the page and try again.",
        "انتهت صلاحية هذا النموذج أو لم يأتِ من لوحة التحكم. أعد تحميل الصفحة وحاول مجددًا.",
        "Ce formulaire a expiré ou ne vient pas de la console. Rechargez la page et réessayez.",
    ),
    ("done", "Done.", "تم.", "Fait."),
    ("title", "Title", "العنوان", "Titre"),
    ("sku", "SKU", "رمز المنتج", "Référence"),
    (
        "attribute_set",
        "Attribute set",
        "مجموعة السمات",
        "Jeu d'attributs",
    ),
    ("images", "Images", "الصور", "Images"),
    ("attributes", "Attributes", "السمات", "Attributs"),
    ("visible", "Visible", "ظاهر", "Visible"),
    ("yes", "Yes", "نعم", "Oui"),
    ("no", "No", "لا", "Non"),
    ("event", "Event", "الحدث", "Événement"),
    ("channel", "Channel", "القناة", "Canal"),
    ("target", "Target", "الهدف", "Cible"),
    ("attempts", "Attempts", "المحاولات", "Tentatives"),
    ("last_error", "Last error", "آخر خطأ", "Dernière erreur"),
    ("replay", "Replay", "إعادة الإرسال", "Rejouer"),
    ("id", "Id", "المعرف", "Id"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_is_said_in_every_language() {
        for (key, en, ar, fr) in all_words() {
            assert!(!en.is_empty() && !ar.is_empty() && !fr.is_empty(), "{key}");
        }
        let mut keys: Vec<_> = all_words().map(|w| w.0).collect();
        let count = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), count, "a key appears twice");
    }

    /// Reads every template of the console, so a new screen cannot use a word nobody wrote.
    #[test]
    fn every_key_a_template_uses_is_in_the_table() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/console");
        let mut read = 0;
        for entry in std::fs::read_dir(&dir).expect("the templates") {
            let path = entry.expect("a template").path();
            let text = std::fs::read_to_string(&path).expect("a template's text");
            read += 1;
            for piece in text.split(".t(\"").skip(1) {
                let key = piece.split('"').next().unwrap_or_default();
                assert!(
                    all_words().any(|w| w.0 == key),
                    "missing word {key} in {}",
                    path.display()
                );
            }
        }
        assert!(
            read >= 10,
            "only {read} templates found in {}",
            dir.display()
        );
    }

    #[test]
    fn the_cookie_wins_then_the_browser() {
        let mut h = HeaderMap::new();
        h.insert(
            http::header::ACCEPT_LANGUAGE,
            "fr-FR,fr;q=0.9".parse().unwrap(),
        );
        assert_eq!(Lang::from_headers(&h), Lang::Fr);
        h.insert(
            http::header::COOKIE,
            "a=b; openentry_console_lang=ar".parse().unwrap(),
        );
        assert_eq!(Lang::from_headers(&h), Lang::Ar);
        assert_eq!(Lang::Ar.dir(), "rtl");
        assert_eq!(Lang::from_headers(&HeaderMap::new()), Lang::En);
    }
}
