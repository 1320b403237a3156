//! Tests of the load runner.

use std::time::Duration;

use super::runner::{Plan, rss_kib, run};

#[test]
fn reads_own_rss() {
    assert!(rss_kib(None).is_some_and(|k| k > 0));
}

#[tokio::test]
async fn open_loop_measures_from_the_intended_time_and_drops_the_warm_up() {
    let plan = Plan {
        concurrency: 1,
        rate: Some(100.0),
        warmup: Duration::from_millis(200),
        duration: Duration::from_millis(500),
        steps: vec!["sleep", "nothing"],
        pid: None,
    };
    // One worker, each iteration 20 ms, 10 ms apart: the backlog grows, and latency from
    // the intended time must show it although each call takes 20 ms.
    let out = run(&plan, |_, _| async {
        tokio::time::sleep(Duration::from_millis(20)).await;
        Ok(vec![20.0, 0.0])
    })
    .await
    .unwrap();
    let total = out.steps.iter().find(|s| s.name == "total").unwrap();
    assert!(total.max_ms > 200.0, "{total:?}");
    assert!(out.iterations <= 50 && out.failed == 0, "{out:?}");
}

#[tokio::test]
async fn closed_loop_counts_errors_by_label() {
    let plan = Plan {
        concurrency: 2,
        rate: None,
        warmup: Duration::ZERO,
        duration: Duration::from_millis(100),
        steps: vec!["x"],
        pid: None,
    };
    let out = run(&plan, |w, _| async move {
        tokio::time::sleep(Duration::from_millis(5)).await;
        if w == 0 {
            Ok(vec![1.0])
        } else {
            Err("x 503".to_owned())
        }
    })
    .await
    .unwrap();
    assert!(out.iterations > 0 && out.failed > 0);
    assert_eq!(out.errors.keys().collect::<Vec<_>>(), vec!["x 503"]);
}
