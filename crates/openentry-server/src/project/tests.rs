//! Unit tests of the served project.

use super::*;

#[test]
fn errors_name_the_file_the_place_and_the_problem() {
    let bad = DEMO_PROJECT.replace("form = \"reg\"", "form = \"regx\"");
    let err = parse_definition("shop.toml", &bad).unwrap_err().to_string();
    assert!(
        err.contains("shop.toml: auth_providers[0].form: form \"regx\" is not defined"),
        "{err}"
    );

    let typo = DEMO_PROJECT.replace("check_code = false", "chek_code = false");
    let err = parse_definition("shop.toml", &typo)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("shop.toml: TOML parse error at line"),
        "{err}"
    );
    assert!(err.contains("chek_code"), "{err}");

    let not_a_collection_form =
        DEMO_PROJECT.replace("form = \"wishlist_item\"", "form = \"contact_us\"");
    let err = parse_definition("shop.toml", &not_a_collection_form)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "shop.toml: collections[0].form: form \"contact_us\" has kind \"data\", not collection"
        ),
        "{err}"
    );
}

#[test]
fn the_demo_project_is_valid_and_round_trips_through_export() {
    let def = parse_definition("demo", DEMO_PROJECT).unwrap();
    let exported = to_toml(&def).unwrap();
    assert_eq!(parse_definition("export", &exported).unwrap(), def);
}

/// The demo keeps the seed's markers and holds what OneEntry's Next.js shop template asks
/// for by name (tests/sdk/test/template-replay.test.js replays its calls).
#[test]
fn the_demo_project_is_the_seed_and_the_shop_template() {
    let def = parse_definition("demo", DEMO_PROJECT).unwrap();
    let bag = def.products.iter().find(|p| p.id == 15).unwrap();
    let price = def.price_of(bag).unwrap().unwrap();
    assert_eq!((price.minor, price.currency.as_str()), (40_000, "USD"));
    assert!(
        def.order_storage("orders")
            .is_some_and(|s| s.form == "order")
    );
    assert!(def.order_storage("order").is_some());
    assert!(def.payment_account("cash").is_some());
    assert_eq!(def.project.locales, ["en_US", "ar_AE", "fr_FR"]);
    assert!(def.locales.iter().any(|l| l.code == "ar_AE" && l.rtl));
    for url in [
        "home_web",
        "shop",
        "category",
        "catalog_filters",
        "404",
        "payment",
    ] {
        assert!(def.page(url).is_some(), "page {url}");
    }
    for marker in ["system_content", "contact_info", "orders_settings"] {
        assert!(def.block(marker).is_some(), "block {marker}");
    }
    let menus = [
        "main_web",
        "user_web",
        "side_web",
        "bottom_web",
        "quick_links",
        "information",
    ];
    for marker in menus {
        assert!(
            def.menus
                .iter()
                .any(|m| m.identifier == marker && !m.items.is_empty()),
            "menu {marker}"
        );
    }
    for form in ["reg", "order", "contact_us", "comment_to_product"] {
        assert!(def.form(form).is_some(), "form {form}");
    }
    assert!(
        def.collection("wishlist")
            .is_some_and(|c| c.form == "wishlist_item")
    );
    let dictionary = def.block("system_content").unwrap();
    assert!(dictionary.values.len() >= 52);
    for lang in ["ar_AE", "fr_FR"] {
        assert_eq!(
            dictionary.localized_values[lang].len(),
            dictionary.values.len()
        );
    }
    assert!(def.products.iter().any(|p| p.id == 83 && p.sku.is_none()));
    assert!((12..=20).contains(&def.products.len()));
}
