//! The table of links (`links.rs`): for each operation that creates something, the calls that
//! may follow its answer and how each gets its parameters from the answer or the request.

use serde_json::{Value, json};

/// The operation `method path` and the links from its `status` answer.
pub(super) struct Source {
    pub(super) method: &'static str,
    pub(super) path: &'static str,
    pub(super) status: &'static str,
    pub(super) links: &'static [Target],
}

/// A call that may follow: its parameters (a name, or `location.name`, and a runtime
/// expression) and, for a body built from the answer, a template of expressions.
pub(super) struct Target {
    pub(super) name: &'static str,
    pub(super) method: &'static str,
    pub(super) path: &'static str,
    pub(super) parameters: &'static [(&'static str, &'static str)],
    pub(super) body: Option<fn() -> Value>,
}

const fn to(
    name: &'static str,
    method: &'static str,
    path: &'static str,
    parameters: &'static [(&'static str, &'static str)],
) -> Target {
    Target {
        name,
        method,
        path,
        parameters,
        body: None,
    }
}

const ORDERS: &str = "/api/content/orders-storage/marker/{marker}/orders";
const ORDER: &str = "/api/content/orders-storage/marker/{marker}/orders/{id}";
const REFUND: &str = "/api/content/orders/{id}/refund";
const SESSIONS: &str = "/api/content/payments/sessions";
const SESSION: &str = "/api/content/payments/sessions/{id}";
const SESSIONS_OF: &str = "/api/content/payments/sessions/order/{order_id}";
const FORM_DATA: &str = "/api/content/form-data";
const ENTRY: &str = "/api/content/form-data/{id}";
const ENTRY_STATUS: &str = "/api/content/form-data/{id}/update-status";
const ENTRIES: &str = "/api/content/form-data/marker/{marker}";
const ROWS: &str = "/api/content/integration-collections/marker/{marker}/rows";
const ROW: &str = "/api/content/integration-collections/marker/{marker}/rows/{id}";
const ADMIN_ROWS: &str = "/api/admin/collections/{marker}/rows";
const ADMIN_ROW: &str = "/api/admin/collections/{marker}/rows/{id}";
const DISCOUNTS: &str = "/api/admin/discounts";
const DISCOUNT: &str = "/api/admin/discounts/{marker}";
const COUPONS: &str = "/api/admin/discounts/{marker}/coupons";
const COUPON: &str = "/api/admin/discounts/{marker}/coupons/{key}";
const STOREFRONT_DISCOUNT: &str = "/api/content/discounts/marker/{marker}";
const FILES: &str = "/api/content/files";
const SUBSCRIBE: &str = "/api/content/events/subscribe/marker/{marker}";
const UNSUBSCRIBE: &str = "/api/content/events/unsubscribe/marker/{marker}";
const SUBSCRIPTIONS: &str = "/api/content/events/subscriptions";
const FCM_TOKEN: &str = "/api/content/users/me/fcm-token/{token}";
const SIGN_UP: &str = "/api/content/users-auth-providers/marker/{marker}/users/sign-up";
const SIGN_IN: &str = "/api/content/users-auth-providers/marker/{marker}/users/auth";
const REFRESH: &str = "/api/content/users-auth-providers/marker/{marker}/users/refresh";
const SIGN_OUT: &str = "/api/content/users-auth-providers/marker/{marker}/users/logout";

/// The same marker as the call that created the thing.
const MARKER: (&str, &str) = ("marker", "$request.path.marker");
/// The id the answer gave the new thing.
const NEW_ID: (&str, &str) = ("id", "$response.body#/id");
const ORDER_ID: (&str, &str) = ("order_id", "$response.body#/id");
const ENTRY_ID: (&str, &str) = ("id", "$response.body#/formData/id");
/// A discount is named by the definition it was sent (`identifier`).
const DISCOUNT_MARKER: (&str, &str) = ("marker", "$request.body#/identifier");
/// `upload` answers a list with the one stored file.
const FILENAME: (&str, &str) = ("filename", "$response.body#/0/filename");

fn pay_order() -> Value {
    json!({ "orderId": "$response.body#/id", "type": "session" })
}

fn same_credentials() -> Value {
    json!({ "authData": "$request.body#/authData" })
}

fn new_refresh_token() -> Value {
    json!({ "refreshToken": "$response.body#/refreshToken" })
}

pub(super) const LINKS: &[Source] = &[
    Source {
        method: "post",
        path: ORDERS,
        status: "201",
        links: &[
            to("GetOrder", "get", ORDER, &[MARKER, NEW_ID]),
            to("UpdateOrder", "put", ORDER, &[MARKER, NEW_ID]),
            to("ListOrders", "get", ORDERS, &[MARKER]),
            Target {
                body: Some(pay_order),
                ..to("PayOrder", "post", SESSIONS, &[])
            },
            to("OrderSessions", "get", SESSIONS_OF, &[ORDER_ID]),
            to("GetRefund", "get", REFUND, &[NEW_ID]),
            to("RequestRefund", "post", REFUND, &[NEW_ID]),
            to("CancelRefund", "delete", REFUND, &[NEW_ID]),
            to(
                "AdminHistory",
                "get",
                "/api/admin/orders/{id}/history",
                &[NEW_ID],
            ),
            to(
                "AdminStatus",
                "put",
                "/api/admin/orders/{id}/status",
                &[NEW_ID],
            ),
            to(
                "AdminRefund",
                "put",
                "/api/admin/orders/{id}/refund",
                &[NEW_ID],
            ),
        ],
    },
    Source {
        method: "post",
        path: SESSIONS,
        status: "201",
        links: &[
            to("GetSession", "get", SESSION, &[NEW_ID]),
            to(
                "OrderSessions",
                "get",
                SESSIONS_OF,
                &[("order_id", "$response.body#/orderId")],
            ),
            to(
                "AdminCancel",
                "post",
                "/api/admin/payments/sessions/{id}/cancel",
                &[NEW_ID],
            ),
            to(
                "AdminComplete",
                "post",
                "/api/admin/payments/sessions/{id}/complete",
                &[NEW_ID],
            ),
        ],
    },
    Source {
        method: "post",
        path: FORM_DATA,
        status: "200",
        links: &[
            to("UpdateEntry", "put", ENTRY, &[ENTRY_ID]),
            to("UpdateEntryStatus", "put", ENTRY_STATUS, &[ENTRY_ID]),
            to("DeleteEntry", "delete", ENTRY, &[ENTRY_ID]),
            to(
                "ListEntries",
                "post",
                ENTRIES,
                &[("marker", "$response.body#/formData/formIdentifier")],
            ),
        ],
    },
    Source {
        method: "post",
        path: ROWS,
        status: "200",
        links: &[
            to("GetRow", "get", ROW, &[MARKER, NEW_ID]),
            to("UpdateRow", "put", ROW, &[MARKER, NEW_ID]),
            to("DeleteRow", "delete", ROW, &[MARKER, NEW_ID]),
            to("ListRows", "get", ROWS, &[MARKER]),
            to("AdminListRows", "get", ADMIN_ROWS, &[MARKER]),
            to("AdminDeleteRow", "delete", ADMIN_ROW, &[MARKER, NEW_ID]),
        ],
    },
    Source {
        method: "post",
        path: DISCOUNTS,
        status: "201",
        links: &[
            to("GetDiscount", "get", DISCOUNT, &[DISCOUNT_MARKER]),
            to("ReplaceDiscount", "put", DISCOUNT, &[DISCOUNT_MARKER]),
            to("DeleteDiscount", "delete", DISCOUNT, &[DISCOUNT_MARKER]),
            to("ListCoupons", "get", COUPONS, &[DISCOUNT_MARKER]),
            to("AddCoupon", "post", COUPONS, &[DISCOUNT_MARKER]),
            to(
                "StorefrontDiscount",
                "get",
                STOREFRONT_DISCOUNT,
                &[DISCOUNT_MARKER],
            ),
        ],
    },
    Source {
        method: "post",
        path: COUPONS,
        status: "201",
        links: &[
            to("ListCoupons", "get", COUPONS, &[MARKER]),
            to(
                "DeleteCoupon",
                "delete",
                COUPON,
                &[MARKER, ("key", "$request.body#/code")],
            ),
        ],
    },
    Source {
        method: "post",
        path: FILES,
        status: "200",
        links: &[
            to("GetFile", "get", FILES, &[FILENAME]),
            to("DeleteFile", "delete", FILES, &[FILENAME]),
        ],
    },
    Source {
        method: "post",
        path: SUBSCRIBE,
        status: "201",
        links: &[
            to("ListSubscriptions", "get", SUBSCRIPTIONS, &[]),
            to("Unsubscribe", "delete", UNSUBSCRIBE, &[MARKER]),
        ],
    },
    Source {
        method: "post",
        path: FCM_TOKEN,
        status: "200",
        links: &[to(
            "DeleteFcmToken",
            "delete",
            FCM_TOKEN,
            &[("token", "$request.path.token")],
        )],
    },
    Source {
        method: "post",
        path: SIGN_UP,
        status: "201",
        links: &[Target {
            body: Some(same_credentials),
            ..to("SignIn", "post", SIGN_IN, &[MARKER])
        }],
    },
    Source {
        method: "post",
        path: SIGN_IN,
        status: "200",
        links: &[
            Target {
                body: Some(new_refresh_token),
                ..to("Refresh", "post", REFRESH, &[MARKER])
            },
            Target {
                body: Some(new_refresh_token),
                ..to("SignOut", "post", SIGN_OUT, &[MARKER])
            },
        ],
    },
];
