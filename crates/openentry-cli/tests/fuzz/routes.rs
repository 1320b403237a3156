//! Every route of the server (`crates/openentry-server/src/routes/`), each with a valid request
//! the mutations start from. In paths, `:x` is a string parameter and `#x` a numeric one (both
//! mutated); `ORDER_ID` and `SESSION_ID` become the ids the setup created.

/// Which credentials a route wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Who {
    /// No credentials at all (`/healthz`).
    Nobody,
    /// The app token.
    App,
    /// The app token and a signed-in user.
    User,
    /// A user, for routes that end the user's sessions or account: a second user takes them,
    /// so the first stays signed in for the rest of the run.
    Victim,
    /// The admin token.
    Admin,
    /// Stripe's signature header.
    Webhook,
}

/// A route and a valid request to it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Route {
    pub(crate) method: &'static str,
    pub(crate) path: &'static str,
    pub(crate) who: Who,
    /// A valid query string (without `?`), possibly empty.
    pub(crate) query: &'static str,
    /// A valid JSON body, if the route reads one.
    pub(crate) body: Option<&'static str>,
}

const fn r(
    method: &'static str,
    path: &'static str,
    who: Who,
    query: &'static str,
    body: Option<&'static str>,
) -> Route {
    Route {
        method,
        path,
        who,
        query,
        body,
    }
}

const SIGN_UP: &str = r#"{"formIdentifier":"reg","authData":[{"marker":"email_reg","value":"fz@example.com"},{"marker":"password_reg","value":"correct horse battery"}],"formData":{"en_US":[{"marker":"name","type":"string","value":"Fuzz"}]},"notificationData":{"email":"fz@example.com","phonePush":[]},"langCode":"en_US"}"#;
const AUTH: &str = r#"{"authData":[{"marker":"email_reg","value":"fz@example.com"},{"marker":"password_reg","value":"correct horse battery"}]}"#;
const CODE: &str = r#"{"userIdentifier":"fz@example.com","eventIdentifier":"reg","code":"123456"}"#;
const PASSWORD: &str = r#"{"userIdentifier":"fz@example.com","eventIdentifier":"reg","code":"123456","type":1,"password1":"another horse","password2":"another horse"}"#;
const ORDER: &str = r#"{"formIdentifier":"order","paymentAccountIdentifier":"cash","formData":{"en_US":[{"type":"string","marker":"name","value":"Fuzz"}]},"products":[{"productId":15,"quantity":1},{"productId":16,"quantity":2}],"additionalDiscountsMarkers":[],"bonusAmount":0}"#;
const FILTER: &str = r#"{"filter":[{"attributeMarker":"price","conditionMarker":"mth","conditionValue":1,"statusMarker":"in_stock","pageUrls":["catalog"]}]}"#;
const FILTER_LIST: &str =
    r#"[{"attributeMarker":"color","conditionMarker":"eq","conditionValue":"red"}]"#;
const USER: &str = r#"{"formIdentifier":"reg","formData":{"en_US":[{"marker":"name","type":"string","value":"Fuzz"}]},"notificationData":{"email":"fz@example.com","phonePush":["p"]},"state":{"cart":[1,2]},"langCode":"en_US"}"#;
const PRODUCT_QUERY: &str =
    "langCode=en_US&offset=0&limit=30&sortOrder=DESC&sortKey=id&statusMarker=in_stock";

/// A path under the demo's auth provider.
macro_rules! p {
    ($rest:literal) => {
        concat!("/api/content/users-auth-providers/marker/:email", $rest)
    };
}

/// Every route, as the routers define them.
#[rustfmt::skip] // one line per route reads as a table
pub(crate) const ROUTES: &[Route] = &[
    r("GET", "/healthz", Who::Nobody, "", None),
    // Webhooks: no app token; the signature is the credential.
    r("POST", "/api/content/payments/webhook/stripe", Who::Webhook, "",
      Some(r#"{"id":"evt_1","type":"checkout.session.completed","data":{"object":{"id":"cs_1","amount_total":100,"currency":"usd","payment_status":"paid","metadata":{"order_id":"1","session_id":"1"}}}}"#)),
    // Auth providers.
    r("GET", "/api/content/users-auth-providers", Who::App, "langCode=en_US&offset=0&limit=30", None),
    r("GET", p!(""), Who::App, "langCode=en_US", None),
    r("POST", p!("/users/sign-up"), Who::App, "langCode=en_US", Some(SIGN_UP)),
    r("POST", p!("/users/auth"), Who::App, "langCode=en_US", Some(AUTH)),
    r("POST", p!("/users/refresh"), Who::App, "", Some(r#"{"refreshToken":"abc"}"#)),
    r("POST", p!("/users/logout"), Who::Victim, "", Some(r#"{"refreshToken":"abc"}"#)),
    r("POST", p!("/users/logout-all"), Who::Victim, "", None),
    r("GET", p!("/users/sessions"), Who::User, "", None),
    r("POST", p!("/users/generate-code"), Who::App, "", Some(CODE)),
    r("POST", p!("/users/check-code"), Who::App, "", Some(CODE)),
    r("POST", p!("/users/activate"), Who::App, "", Some(CODE)),
    r("POST", p!("/users/change-password"), Who::App, "", Some(PASSWORD)),
    r("POST", p!("/oauth"), Who::App, "", Some(r#"{"code":"x"}"#)),
    // Users.
    r("GET", "/api/content/users/me", Who::User, "langCode=en_US", None),
    r("PUT", "/api/content/users/me", Who::User, "langCode=en_US", Some(USER)),
    r("DELETE", "/api/content/users/me", Who::Victim, "", None),
    r("DELETE", "/api/content/users/me/account", Who::Victim, "", None),
    r("POST", "/api/content/users/me/fcm-token/:tok1", Who::User, "", None),
    r("DELETE", "/api/content/users/me/fcm-token/:tok1", Who::User, "", None),
    // Products.
    r("POST", "/api/content/products/all", Who::App, PRODUCT_QUERY, Some(FILTER)),
    r("POST", "/api/content/products/all/counts", Who::App, "", Some(FILTER_LIST)),
    r("POST", "/api/content/products/empty-page", Who::App, PRODUCT_QUERY, Some(FILTER)),
    r("GET", "/api/content/products/ids", Who::App, "ids=15,16&langCode=en_US", None),
    r("GET", "/api/content/products/quick/search", Who::App, "name=shirt&langCode=en_US", None),
    r("POST", "/api/content/products/page/url/:catalog", Who::App, PRODUCT_QUERY, Some(FILTER)),
    r("POST", "/api/content/products/page/url/:catalog/counts", Who::App, "", Some(FILTER_LIST)),
    r("POST", "/api/content/products/page/#1", Who::App, PRODUCT_QUERY, Some(FILTER)),
    r("POST", "/api/content/products/page/#1/counts", Who::App, "", Some(FILTER_LIST)),
    r("GET", "/api/content/products/page/:catalog/prices", Who::App, PRODUCT_QUERY, None),
    r("GET", "/api/content/products/#15", Who::App, "langCode=en_US", None),
    r("GET", "/api/content/products/#15/related", Who::App, PRODUCT_QUERY, None),
    r("GET", "/api/content/products/#15/blocks", Who::App, "langCode=en_US", None),
    // Product statuses, attribute sets, forms.
    r("GET", "/api/content/product-statuses", Who::App, "", None),
    r("GET", "/api/content/product-statuses/marker/:in_stock", Who::App, "", None),
    r("GET", "/api/content/product-statuses/marker-validation/:in_stock", Who::App, "", None),
    r("GET", "/api/content/attributes-sets", Who::App, "langCode=en_US&offset=0&limit=30&typeId=1&sortBy=id", None),
    r("GET", "/api/content/attributes-sets/marker/:product", Who::App, "langCode=en_US", None),
    r("GET", "/api/content/attributes-sets/:product/attributes", Who::App, "", None),
    r("GET", "/api/content/attributes-sets/:product/attributes/:price", Who::App, "", None),
    r("GET", "/api/content/forms", Who::App, "langCode=en_US&offset=0&limit=30", None),
    r("GET", "/api/content/forms/marker/:reg", Who::App, "langCode=en_US", None),
    // Blocks, and the blocks of a page.
    r("POST", "/api/content/blocks", Who::App, "langCode=en_US&type=product_block&offset=0&limit=30", None),
    r("GET", "/api/content/blocks/marker/:system_content", Who::App, "langCode=en_US", None),
    r("GET", "/api/content/blocks/quick/search", Who::App, "langCode=en_US&name=system", None),
    r("GET", "/api/content/blocks/:bundle/products", Who::App, "langCode=en_US&offset=0&limit=30", None),
    r("GET", "/api/content/blocks/:similar/similar-products", Who::App, "langCode=en_US&offset=0&limit=30", None),
    r("GET", "/api/content/blocks/:often/products/#15/frequently-ordered", Who::App, "langCode=en_US", None),
    r("GET", "/api/content/pages/:catalog/blocks", Who::App, "langCode=en_US", None),
    // Pages, menus, locales, general types, templates, template previews, sitemap, media.
    r("GET", "/api/content/pages", Who::App, "langCode=en_US", None),
    r("GET", "/api/content/pages/root", Who::App, "langCode=en_US", None),
    r("GET", "/api/content/pages/quick/search", Who::App, "url=shop&lang=en_US&name=sh", None),
    r("GET", "/api/content/pages/url/:shop", Who::App, "langCode=en_US", None),
    r("GET", "/api/content/pages/#1", Who::App, "langCode=en_US", None),
    r("GET", "/api/content/pages/:shop/children", Who::App, "langCode=en_US", None),
    r("GET", "/api/content/pages/:shop/config", Who::App, "", None),
    r("GET", "/api/content/menus/marker/:main_web", Who::App, "langCode=en_US", None),
    r("GET", "/api/content/locales/active/all", Who::App, "", None),
    r("GET", "/api/content/general-types", Who::App, "", None),
    r("GET", "/api/content/templates", Who::App, "type=catalog_page&langCode=en_US", None),
    r("GET", "/api/content/templates/all", Who::App, "langCode=en_US", None),
    r("GET", "/api/content/templates/marker/:withSidebar", Who::App, "langCode=en_US", None),
    r("GET", "/api/content/template-previews", Who::App, "langCode=en_US", None),
    r("GET", "/api/content/template-previews/marker/:square", Who::App, "langCode=en_US", None),
    r("GET", "/api/content/sitemap", Who::App, "", None),
    r("POST", "/api/content/sitemap", Who::Admin, "", Some(r#"{"baseUrl":"https://shop.example/","changefreq":"daily","priority":0.5}"#)),
    r("GET", "/media/:0123456789abcdef0123456789abcdef/:bag.png", Who::Nobody, "w=320", None),
    // Admins and System (`test500` answers 500 on purpose, so it is not drawn from).
    r("POST", "/api/content/admins/all", Who::App, "langCode=en_US&offset=0&limit=30",
      Some(r#"[{"attributeMarker":"years","conditionMarker":"mth","conditionValue":1}]"#)),
    r("GET", "/api/content/system/test404", Who::App, "", None),
    r("GET", "/api/content/system/api-stat", Who::App, "", None),
    // Form data.
    r("POST", "/api/content/form-data", Who::User, "langCode=en_US",
      Some(r#"{"formIdentifier":"contact_us","formData":{"en_US":[{"marker":"name","type":"string","value":"Ann"}]}}"#)),
    r("POST", "/api/content/form-data/marker/:comment_to_product", Who::App, "formModuleConfigId=5&isExtended=0&langCode=en_US&offset=0&limit=30", Some(r#"{"entityIdentifier":"15"}"#)),
    r("PUT", "/api/content/form-data/#1", Who::User, "", Some(r#"{"formData":{"en_US":[{"marker":"name","type":"string","value":"Bo"}]}}"#)),
    r("PUT", "/api/content/form-data/#1/update-status", Who::Admin, "", Some(r#"{"status":"approved"}"#)),
    r("DELETE", "/api/content/form-data/#1", Who::User, "", None),
    // Integration collections (the demo's wishlist).
    r("GET", "/api/content/integration-collections", Who::App, "langCode=en_US&offset=0&limit=30", None),
    r("GET", "/api/content/integration-collections/#1", Who::App, "langCode=en_US", None),
    r("GET", "/api/content/integration-collections/#1/rows", Who::User, "langCode=en_US&offset=0&limit=30&entityType=products&entityId=15", None),
    r("GET", "/api/content/integration-collections/marker-validation/:wishlist", Who::App, "", None),
    r("GET", "/api/content/integration-collections/marker/:wishlist/rows", Who::User, "langCode=en_US", None),
    r("POST", "/api/content/integration-collections/marker/:wishlist/rows", Who::User, "langCode=en_US",
      Some(r#"{"formIdentifier":"wishlist_item","formData":{"en_US":[{"marker":"quantity","type":"integer","value":1}]},"entityType":"products","entityId":15}"#)),
    r("GET", "/api/content/integration-collections/marker/:wishlist/rows/#1", Who::User, "langCode=en_US", None),
    r("PUT", "/api/content/integration-collections/marker/:wishlist/rows/#1", Who::User, "langCode=en_US",
      Some(r#"{"formData":[{"marker":"note","type":"string","value":"red"}]}"#)),
    r("DELETE", "/api/content/integration-collections/marker/:wishlist/rows/#1", Who::User, "", None),
    // File uploads (a JSON body where multipart is expected is one more malformed request).
    r("POST", "/api/content/files", Who::User, "type=page&entity=editor&id=3787", Some(r#"{"files":[]}"#)),
    r("GET", "/api/content/files", Who::App, "id=3787&type=page&entity=editor&filename=0123456789abcdef0123456789abcdef/a.png", None),
    r("DELETE", "/api/content/files", Who::User, "filename=0123456789abcdef0123456789abcdef/a.png&type=page&entity=editor&id=3787", None),
    // Orders.
    r("GET", "/api/content/orders-storage", Who::App, "langCode=en_US&offset=0&limit=30", None),
    r("POST", "/api/content/orders-storage/orders/preview", Who::App, "langCode=en_US",
      Some(r#"{"products":[{"productId":15,"quantity":2}],"couponCode":"X","additionalDiscountsMarkers":["a"],"bonusAmount":1.5}"#)),
    r("GET", "/api/content/orders-storage/marker/:orders", Who::App, "langCode=en_US", None),
    r("GET", "/api/content/orders-storage/marker/:orders/order-statuses", Who::App, "langCode=en_US", None),
    r("GET", "/api/content/orders-storage/marker/:orders/orders", Who::User, "langCode=en_US&offset=0&limit=30", None),
    r("POST", "/api/content/orders-storage/marker/:orders/orders", Who::User, "langCode=en_US", Some(ORDER)),
    r("GET", "/api/content/orders-storage/marker/:orders/orders/#ORDER_ID", Who::User, "langCode=en_US", None),
    r("PUT", "/api/content/orders-storage/marker/:orders/orders/#ORDER_ID", Who::User, "langCode=en_US", Some(ORDER)),
    // The same Orders calls under `/orders` (a wire quirk), and refunds.
    r("GET", "/api/content/orders/marker/:orders/orders/#ORDER_ID", Who::User, "langCode=en_US", None),
    r("POST", "/api/content/orders/orders/preview", Who::App, "langCode=en_US", Some(r#"{"products":[{"productId":16,"quantity":1}]}"#)),
    r("GET", "/api/content/orders/#ORDER_ID/refund", Who::User, "", None),
    r("POST", "/api/content/orders/#ORDER_ID/refund", Who::User, "", Some(r#"{"products":{"15":{"quantity":1}},"note":"broken"}"#)),
    r("DELETE", "/api/content/orders/#ORDER_ID/refund", Who::User, "", None),
    // Payments.
    r("GET", "/api/content/payments/sessions", Who::User, "offset=0&limit=30", None),
    r("GET", "/api/content/payments/sessions/", Who::User, "offset=0&limit=30", None),
    r("POST", "/api/content/payments/sessions", Who::User, "", Some(r#"{"orderId":ORDER_ID,"type":"session"}"#)),
    r("GET", "/api/content/payments/sessions/#SESSION_ID", Who::User, "", None),
    r("GET", "/api/content/payments/sessions/order/#ORDER_ID", Who::User, "", None),
    r("GET", "/api/content/payments/accounts", Who::App, "", None),
    r("GET", "/api/content/payments/accounts/#1", Who::App, "", None),
    // Admin.
    r("GET", "/api/admin/notifications", Who::Admin, "recipient=fz@example.com&limit=10", None),
    r("PUT", "/api/admin/orders/#ORDER_ID/status", Who::Admin, "", Some(r#"{"statusIdentifier":"upcoming"}"#)),
    r("GET", "/api/admin/orders/#ORDER_ID/history", Who::Admin, "", None),
    r("GET", "/api/admin/orders", Who::Admin, "offset=0&limit=30", None),
    r("GET", "/api/admin/payments/sessions", Who::Admin, "offset=0&limit=30", None),
    r("POST", "/api/admin/payments/sessions/#SESSION_ID/complete", Who::Admin, "", None),
    r("POST", "/api/admin/payments/sessions/#SESSION_ID/cancel", Who::Admin, "", None),
    r("GET", "/api/admin/outbox", Who::Admin, "aggregate=order&id=ORDER_ID", None),
    r("GET", "/api/admin/payments/alerts", Who::Admin, "limit=10", None),
];
