//! The paths of the management API (`/api/admin/...`), one per handler annotation. Here, not
//! beside the document, because the resource modules are private to `admin`.

use utoipa::OpenApi;

use super::project_doc::Sections;

use super::{
    alerts, bonus, collections, deliveries, discounts, files, form_data, me, media, notifications,
    operators, orders, outbox, payments, project, refunds, sign_in, users,
};

#[derive(OpenApi)]
#[openapi(
    paths(
    alerts::alerts,
    bonus::adjust,
    collections::list,
    collections::remove,
    deliveries::list,
    deliveries::of_event,
    deliveries::of_user,
    deliveries::replay,
    deliveries::run,
    discounts::list,
    discounts::one,
    discounts::create,
    discounts::replace,
    discounts::remove,
    discounts::coupons,
    discounts::add_coupon,
    discounts::remove_coupon,
    notifications::notifications,
    orders::orders,
    orders::set_status,
    orders::history,
    orders::decide_refund,
    outbox::outbox,
    payments::sessions,
    payments::complete,
    payments::cancel,
    project::whole,
    project::settings,
    project::replace_settings,
    sign_in::sign_in,
    me::me,
    me::password,
    me::enrol,
    me::confirm,
    me::remove_totp,
    me::sign_out,
    me::everywhere,
    operators::list,
    operators::create,
    operators::change,
    operators::remove,
    operators::list_tokens,
    operators::create_token,
    operators::revoke_token,
    operators::audit_log,
    users::list,
    users::one,
    users::change,
    users::reset,
    users::bonus,
    refunds::list,
    form_data::list,
    form_data::set_status,
    form_data::remove,
    files::list,
    files::remove,
    media::create
    ),
    modifiers(&Sections)
)]
pub(in crate::routes) struct AdminApi;
