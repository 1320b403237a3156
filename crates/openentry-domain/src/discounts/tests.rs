use proptest::prelude::*;

use super::*;

fn line(id: i64, qty: i64, price: i64) -> Line {
    Line {
        product_id: id,
        quantity: qty,
        price_minor: price,
        categories: vec![format!("/c{}", id % 3)],
        attributes: vec![("color".to_owned(), format!("c{}", id % 2))],
    }
}

fn rule(id: i64, value: Value, to: Applicability) -> Rule {
    Rule {
        id,
        identifier: format!("d{id}"),
        position: 0,
        kind: DiscountKind::Discount,
        value,
        applicability: to,
        max_amount: None,
        logic: ConditionLogic::And,
        conditions: Vec::new(),
        exclusions: Vec::new(),
        gifts: Vec::new(),
        gifts_replace: false,
        user_groups: Vec::new(),
        user_exclusions: Vec::new(),
        needs_coupon: false,
        start: None,
        end: None,
    }
}

fn run(lines: &[Line], rules: &[Rule], settings: Settings, coupon: Option<i64>) -> Outcome {
    apply(&Input {
        lines,
        rules,
        settings,
        buyer: &Buyer::default(),
        now: Timestamp(0),
        coupon_rule: coupon,
        bonus_requested: 0,
    })
}

#[test]
fn no_discount_leaves_the_seed_at_400() {
    let o = run(&[line(15, 1, 40_000)], &[], Settings::default(), None);
    assert_eq!(
        (o.total_raw, o.total_with_discount, o.total_due),
        (40_000, 40_000, 40_000)
    );
    assert!(o.applied.is_empty());
}

#[test]
fn the_platform_preview_example_300_minus_15() {
    let r = rule(1, Value::Amount(1_500), Applicability::ToOrder);
    let o = run(&[line(1, 1, 30_000)], &[r], Settings::default(), None);
    assert_eq!(o.total_with_discount, 28_500);
    assert_eq!(o.applied[0].amount_minor, 1_500);
}

#[test]
fn percent_rounds_half_up_per_line() {
    // 12.5 % of 3 × 0.99 = 0.37125 → 0.37; of 1 × 0.05 = 0.00625 → 0.01.
    let r = rule(1, Value::Percent(1_250), Applicability::ToProduct);
    let o = run(
        &[line(1, 3, 99), line(2, 1, 5)],
        &[r],
        Settings::default(),
        None,
    );
    assert_eq!(o.lines[0].discount_minor, 37);
    assert_eq!(o.lines[1].discount_minor, 1);
    assert_eq!(o.total_discount, 38);
}

#[test]
fn without_stacking_only_the_top_priority_applies() {
    let mut a = rule(1, Value::Percent(1_000), Applicability::ToOrder);
    a.position = 2;
    let b = rule(2, Value::Amount(100), Applicability::ToOrder);
    let o = run(
        &[line(1, 1, 10_000)],
        &[a.clone(), b.clone()],
        Settings::default(),
        None,
    );
    assert_eq!(o.applied.len(), 1);
    assert_eq!(o.applied[0].id, 2);
    let s = Settings {
        allow_stacking: true,
        max_discount_percent: Some(500),
        ..Settings::default()
    };
    let o = run(&[line(1, 1, 10_000)], &[a, b], s, None);
    // 1.00 + 10 % of 99.00 = 10.90, capped at 5 % of 100.00.
    assert_eq!(o.total_discount, 500);
}

#[test]
fn coupon_rules_need_their_coupon_and_conditions_combine() {
    let mut c = rule(1, Value::Percent(5_000), Applicability::ToProduct);
    c.needs_coupon = true;
    c.logic = ConditionLogic::Or;
    c.conditions = vec![Cond::Product(2), Cond::Category("/c1".to_owned())];
    let lines = [line(1, 1, 1_000), line(2, 1, 1_000), line(3, 1, 1_000)];
    assert!(
        run(&lines, std::slice::from_ref(&c), Settings::default(), None)
            .applied
            .is_empty()
    );
    let o = run(&lines, &[c], Settings::default(), Some(1));
    assert!(o.coupon_applied);
    assert_eq!(o.applied[0].product_ids, vec![1, 2]);
    assert_eq!(o.total_discount, 1_000);
}

#[test]
fn gifts_follow_gift_stacking() {
    let mut a = rule(1, Value::None, Applicability::ToOrder);
    a.gifts = vec![7];
    let mut b = rule(2, Value::Amount(1), Applicability::ToOrder);
    b.gifts = vec![8];
    let s = Settings {
        allow_stacking: true,
        ..Settings::default()
    };
    let o = run(&[line(1, 1, 1_000)], &[a, b], s, None);
    assert_eq!((o.gifts, o.excluded_gifts), (vec![7], vec![8]));
}

#[test]
fn bonus_is_clamped_by_settings() {
    let s = Settings {
        max_bonus_percent: 5_000,
        min_bonus_balance: Some(1_000),
        ..Settings::default()
    };
    let buyer = Buyer {
        bonus_balance: 100_000,
        ..Buyer::default()
    };
    let o = apply(&Input {
        lines: &[line(1, 1, 10_000)],
        rules: &[],
        settings: s,
        buyer: &buyer,
        now: Timestamp(0),
        coupon_rule: None,
        bonus_requested: 99_999,
    });
    assert_eq!(
        (o.bonus.max_usable, o.bonus.applied, o.total_due),
        (5_000, 5_000, 5_000)
    );
}

#[test]
fn gifts_replace_the_cart_units_they_are_given_for() {
    let mut g = rule(1, Value::None, Applicability::ToOrder);
    g.gifts = vec![7];
    g.conditions = vec![Cond::ProductInCart(1)];
    let cart = [line(1, 2, 1_000), line(7, 2, 500)];
    let on_top = run(&cart, std::slice::from_ref(&g), Settings::default(), None);
    assert_eq!((on_top.total_raw, on_top.gifts.clone()), (3_000, vec![7]));
    g.gifts_replace = true;
    let o = run(&cart, std::slice::from_ref(&g), Settings::default(), None);
    assert_eq!((o.total_raw, o.gifts.clone()), (2_500, vec![7]));
    assert_eq!(o.lines[1].quantity, 1, "one of the two units is the gift");
    // The last unit of a line: the line goes, the gift stays.
    let o = run(
        &[line(1, 1, 1_000), line(7, 1, 500)],
        &[g],
        Settings::default(),
        None,
    );
    assert_eq!(o.lines.len(), 1);
    assert_eq!((o.total_raw, o.total_due), (1_000, 1_000));
}

#[test]
fn user_ltv_holds_from_its_amount_on() {
    let mut r = rule(1, Value::Percent(1_000), Applicability::ToOrder);
    r.conditions = vec![Cond::UserLtv(50_000)];
    let at = |ltv_minor: i64| {
        let buyer = Buyer {
            ltv_minor,
            ..Buyer::default()
        };
        apply(&Input {
            lines: &[line(1, 1, 10_000)],
            rules: std::slice::from_ref(&r),
            settings: Settings::default(),
            buyer: &buyer,
            now: Timestamp(0),
            coupon_rule: None,
            bonus_requested: 0,
        })
        .total_discount
    };
    assert_eq!(
        (at(0), at(49_999), at(50_000), at(90_000)),
        (0, 0, 1_000, 1_000)
    );
}

fn arb_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        (0i64..=10_000).prop_map(Value::Percent),
        (0i64..50_000).prop_map(Value::Amount),
        (0i64..50_000).prop_map(Value::Price),
        Just(Value::None),
    ]
}

fn arb_cond() -> impl Strategy<Value = Cond> {
    prop_oneof![
        (1i64..8).prop_map(Cond::Product),
        (0i64..3).prop_map(|c| Cond::Category(format!("/c{c}"))),
        (0i64..2).prop_map(|c| Cond::Attribute("color".to_owned(), format!("c{c}"))),
        (1i64..8).prop_map(Cond::ProductInCart),
        (0i64..100_000).prop_map(Cond::MinCart),
        (0i64..100_000).prop_map(Cond::UserLtv),
    ]
}

fn arb_rule() -> impl Strategy<Value = Rule> {
    (
        arb_value(),
        any::<bool>(),
        proptest::option::of(0i64..20_000),
        any::<bool>(),
        proptest::collection::vec(arb_cond(), 0..3),
        proptest::collection::vec(1i64..8, 0..2),
        (-3i64..3, any::<bool>(), any::<bool>()),
    )
        .prop_map(
            |(value, to_order, max, or, conditions, gifts, (position, bonus, replace))| Rule {
                position,
                gifts_replace: replace,
                kind: if bonus {
                    DiscountKind::Bonus
                } else {
                    DiscountKind::Discount
                },
                max_amount: max,
                logic: if or {
                    ConditionLogic::Or
                } else {
                    ConditionLogic::And
                },
                conditions,
                gifts,
                ..rule(
                    0,
                    value,
                    if to_order {
                        Applicability::ToOrder
                    } else {
                        Applicability::ToProduct
                    },
                )
            },
        )
}

prop_compose! {
    fn arb_case()(
        lines in proptest::collection::btree_map(1i64..8, (1i64..100, 0i64..1_000_000), 1..6),
        mut rules in proptest::collection::vec(arb_rule(), 0..6),
        stacking in any::<bool>(),
        cap in proptest::option::of(0i64..=10_000),
        gift_stacking in any::<bool>(),
        bonus in (0i64..=10_000, proptest::option::of(0i64..100_000), proptest::option::of(0i64..100_000)),
        balance in 0i64..1_000_000,
        ltv in 0i64..200_000,
        requested in 0i64..2_000_000,
    ) -> (Vec<Line>, Vec<Rule>, Settings, Buyer, i64) {
        for (r, id) in rules.iter_mut().zip(1..) { r.id = id; }
        let lines = lines.into_iter().map(|(id, (q, p))| line(id, q, p)).collect();
        let settings = Settings {
            allow_stacking: stacking,
            max_discount_percent: cap,
            allow_gift_stacking: gift_stacking,
            max_bonus_percent: bonus.0,
            min_bonus_balance: bonus.1,
            min_order_for_bonus: bonus.2,
        };
        (lines, rules, settings, Buyer { bonus_balance: balance, ltv_minor: ltv, ..Buyer::default() }, requested)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(30_000))]

    #[test]
    fn totals_hold_for_any_catalog_cart_and_settings(case in arb_case()) {
        let (lines, rules, settings, buyer, requested) = case;
        let input = Input { lines: &lines, rules: &rules, settings, buyer: &buyer,
            now: Timestamp(0), coupon_rule: None, bonus_requested: requested };
        let o = apply(&input);
        // Same input, same answer.
        prop_assert_eq!(&o, &apply(&input));
        // The cart as paid for: the cart less the units gifts replaced (one per gift at most).
        let raw: i64 = o.lines.iter().map(|l| l.total_minor).sum();
        prop_assert_eq!(o.total_raw, raw);
        let mut replaced = 0;
        for l in &lines {
            let paid = o.lines.iter().find(|x| x.product_id == l.product_id).map_or(0, |x| x.quantity);
            prop_assert!(paid <= l.quantity && paid >= l.quantity - 1);
            if paid < l.quantity {
                replaced += 1;
                prop_assert!(o.gifts.contains(&l.product_id));
            }
        }
        prop_assert!(replaced <= o.gifts.len());
        let sum: i64 = o.applied.iter().map(|a| a.amount_minor).sum();
        prop_assert_eq!(o.total_discount, sum);
        prop_assert_eq!(o.total_with_discount, raw - sum);
        prop_assert!(o.total_with_discount >= 0);
        prop_assert!(o.total_due >= 0);
        prop_assert_eq!(o.total_due, o.total_with_discount - o.bonus.applied);
        for l in &o.lines {
            prop_assert!(l.discount_minor >= 0 && l.discount_minor <= l.total_minor);
        }
        for a in &o.applied {
            prop_assert!(a.amount_minor >= 0);
            let r = rules.iter().find(|r| r.id == a.id).unwrap();
            prop_assert!(r.kind != DiscountKind::Bonus);
            if let Some(m) = r.max_amount { prop_assert!(a.amount_minor <= m); }
        }
        if settings.allow_stacking {
            if let Some(cap) = settings.max_discount_percent {
                prop_assert!(i128::from(sum) * 10_000 <= i128::from(raw) * i128::from(cap));
            }
        } else {
            prop_assert!(o.applied.len() <= 1);
        }
        // Bonus limits.
        let b = o.bonus;
        prop_assert!(b.applied <= requested && b.applied <= buyer.bonus_balance);
        prop_assert!(i128::from(b.applied) * 10_000 <= i128::from(o.total_with_discount) * i128::from(settings.max_bonus_percent));
        if buyer.bonus_balance < settings.min_bonus_balance.unwrap_or(0)
            || o.total_with_discount < settings.min_order_for_bonus.unwrap_or(0) {
            prop_assert_eq!(b.applied, 0);
        }
        for g in &o.excluded_gifts { prop_assert!(!o.gifts.contains(g)); }
    }
}
