//! The delivery log keeps finished deliveries (sent, dead) for `delivery_retention` (30 days
//! by default), then the periodic purge deletes them; pending ones stay however old.

use super::{log, paid_order, pass, receiver, shop};
use crate::purge::side_app;

fn states(log: &[serde_json::Value]) -> Vec<String> {
    let mut s: Vec<String> = log
        .iter()
        .map(|d| d["state"].as_str().unwrap_or_default().to_owned())
        .collect();
    s.sort();
    s
}

#[tokio::test]
async fn finished_deliveries_leave_the_log_after_their_retention_and_pending_ones_stay() {
    let (r, url) = receiver().await;
    let s = shop(&url, 2).await;
    let side = side_app(&s).await;
    let purge = || openentry_server::purge::purge_now(side.state());

    // One delivery gives up (two failures), the next is sent after one failure.
    *r.fail.lock().unwrap() = 3;
    paid_order(&s).await;
    assert_eq!(pass(&s).await["retried"], 1);
    s.clock.advance_secs(2 * 3600);
    assert_eq!(pass(&s).await["dead"], 1);
    paid_order(&s).await;
    assert_eq!(pass(&s).await["retried"], 1);
    s.clock.advance_secs(2 * 3600);
    assert_eq!(pass(&s).await["sent"], 1);
    assert_eq!(states(&log(&s).await), ["dead", "sent"]);

    // Within the retention nothing goes.
    s.clock.advance_secs(29 * 24 * 3600);
    assert_eq!(purge().await.unwrap().deliveries, 0);

    // A month on: a new delivery waits for its retry; the finished ones go, it stays.
    s.clock.advance_secs(2 * 24 * 3600);
    *r.fail.lock().unwrap() = 1;
    paid_order(&s).await;
    assert_eq!(pass(&s).await["retried"], 1);
    assert_eq!(purge().await.unwrap().deliveries, 2);
    assert_eq!(states(&log(&s).await), ["pending"]);
}
