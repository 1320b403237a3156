//! When to try a failed delivery again: exponential backoff with jitter, pure (the caller
//! passes the random draw, so tests pin it).

/// Delay before the next attempt after `attempts` failed ones: `base · 2^(attempts-1)`
/// capped at `max`, of which the upper half is jittered by `draw` (equal jitter: never less
/// than half the step, so retries keep spreading out; never in lockstep across receivers).
pub fn backoff_ms(attempts: i64, base_ms: i64, max_ms: i64, draw: u64) -> i64 {
    let exp = u32::try_from(attempts.saturating_sub(1).clamp(0, 40)).unwrap_or(40);
    let step = base_ms
        .saturating_mul(1_i64 << exp.min(40))
        .min(max_ms)
        .max(1);
    let half = step / 2;
    let span = u64::try_from(step - half).unwrap_or(1).max(1);
    half + i64::try_from(draw % span).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::backoff_ms;

    #[test]
    fn the_step_doubles_up_to_the_cap_and_jitter_stays_in_its_upper_half() {
        assert_eq!(backoff_ms(1, 1000, 60_000, 0), 500);
        assert_eq!(backoff_ms(1, 1000, 60_000, 499), 999);
        assert_eq!(backoff_ms(3, 1000, 60_000, 0), 2000);
        assert_eq!(backoff_ms(30, 1000, 60_000, 0), 30_000);
        for draw in [0, 1, 7, u64::MAX] {
            let d = backoff_ms(4, 1000, 60_000, draw);
            assert!((4000..8000).contains(&d), "{d}");
        }
    }
}
