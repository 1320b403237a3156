//! Products, ProductStatuses, AttributesSets and Forms: the read-only catalog.

use openentry_client::types::catalog::ProductFilter;
use openentry_client::{AttributesQuery, Page, ProductsQuery, StatusCode};
use openentry_testkit::TestServer;
use serde_json::{Value, json};

use crate::{api_error, client};

fn ids<'a>(
    items: impl IntoIterator<Item = &'a openentry_client::types::catalog::Product>,
) -> Vec<i64> {
    let mut ids: Vec<i64> = items.into_iter().map(|p| p.id).collect();
    ids.sort_unstable();
    ids
}

#[tokio::test]
// A scenario reads top to bottom.
#[allow(clippy::too_many_lines)]
async fn every_products_method() {
    let s = TestServer::spawn().await;
    let p = client(&s).products();
    let all = ProductsQuery::default();
    let list = p.get_products(&[], &all).await.unwrap();
    assert_eq!(ids(&list.items), [15, 16, 17, 18, 19, 20]);
    assert_eq!(list.total, 6);
    let pricey = ProductFilter {
        attribute_marker: Some("price".into()),
        condition_marker: Some("mth".into()),
        condition_value: Some(json!(100)),
        ..ProductFilter::default()
    };
    let by_price = ProductsQuery {
        sort_key: Some("price".into()),
        sort_order: Some("ASC".into()),
        ..ProductsQuery::page(0, 2)
    };
    let cheap_first = p
        .get_products(std::slice::from_ref(&pricey), &by_price)
        .await
        .unwrap();
    assert_eq!(cheap_first.total, 3);
    assert_eq!(
        cheap_first.items.iter().map(|x| x.id).collect::<Vec<_>>(),
        [18, 20]
    );
    let groups = p.get_products_empty_page(&[], &all).await.unwrap();
    assert_eq!(
        (groups.len(), groups[0].total, groups[0].attr_value.as_str()),
        (1, 1, ""),
        "one group: the products on no page"
    );
    assert_eq!(groups[0].product_ids, ["19"]);
    assert_eq!(ids(&groups[0].items), [19]);
    assert_eq!(
        ids(&p.get_products_by_page_id(2, &[], &all).await.unwrap().items),
        [15]
    );
    let prices = p
        .get_products_price_by_page_url("bags", &all)
        .await
        .unwrap();
    assert_eq!((prices.total, prices.items[0].id), (1, 15));
    assert_eq!(prices.items[0].price.to_string(), "400");
    let bags = p.get_products_by_page_url("bags", &[], &all).await.unwrap();
    assert_eq!(ids(&bags.items), [15]);
    let related = p.get_related_products_by_id(15, &all).await.unwrap();
    assert_eq!(ids(&related.items), [16, 17]);
    assert_eq!(
        ids(&p.get_products_by_ids(&[15, 16], &all).await.unwrap()),
        [15, 16]
    );
    let bag = p.get_product_by_id(15).await.unwrap();
    assert_eq!(
        (
            bag.sku.as_deref(),
            bag.price.as_ref().map(ToString::to_string)
        ),
        (Some("BAG-15"), Some("400".into()))
    );
    assert_eq!(bag.localize_infos["en_US"].title, "Leather bag");
    assert_eq!(
        api_error(p.get_product_by_id(999).await).0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        p.get_product_block_by_id(15).await.unwrap(),
        Vec::<Value>::new()
    );
    let hits = p.quick_search("leather bag").await.unwrap();
    assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>().len(), 2);
    let found = p.search_product("leather bag").await.unwrap();
    assert_eq!(ids(&found), [15, 20]);
    let counts = p.get_products_count(&[]).await.unwrap();
    assert_eq!((counts.total_all, counts.total_in_category), (6, 6));
    assert_eq!(p.get_products_count(&[pricey]).await.unwrap().total_all, 3);
    assert_eq!(
        p.get_products_count_by_page_id(2, &[])
            .await
            .unwrap()
            .total_in_category,
        1
    );
    assert_eq!(
        p.get_products_count_by_page_url("bags", &[])
            .await
            .unwrap()
            .total_in_category,
        1
    );
}

#[tokio::test]
async fn statuses_attribute_sets_and_forms() {
    let s = TestServer::spawn().await;
    let c = client(&s);
    let st = c.product_statuses();
    let statuses = st.get_product_statuses().await.unwrap();
    let markers: Vec<&str> = statuses.iter().map(|x| x.identifier.as_str()).collect();
    assert_eq!(markers, ["in_stock", "out_of_stock"]);
    assert!(statuses[0].is_default);
    let out = st
        .get_products_by_status_marker("out_of_stock")
        .await
        .unwrap();
    assert_eq!(out, statuses[1]);
    assert!(st.validate_marker("in_stock").await.unwrap());
    assert!(!st.validate_marker("nope").await.unwrap());

    let sets = c.attributes_sets();
    let list = sets
        .get_attributes(&AttributesQuery::default())
        .await
        .unwrap();
    assert_eq!(
        (list.total, list.items[0].identifier.as_str()),
        (1, "product")
    );
    let attributes = sets.get_attributes_by_marker("product").await.unwrap();
    let markers: Vec<&str> = attributes.iter().map(|a| a.marker.as_str()).collect();
    assert_eq!(markers, ["price", "currency", "color", "description"]);
    let price = sets
        .get_single_attribute_by_marker_set("product", "price")
        .await
        .unwrap();
    assert!(price.is_price && !price.is_currency);
    let set = sets.get_attribute_set_by_marker("product").await.unwrap();
    assert_eq!((set.title.as_str(), set.schema.len()), ("Product", 4));

    let forms = c.forms().get_all_forms(Page::default()).await.unwrap();
    let markers: Vec<&str> = forms.items.iter().map(|f| f.identifier.as_str()).collect();
    assert_eq!((forms.total, markers), (2, vec!["reg", "order"]));
    let reg = c.forms().get_form_by_marker("reg").await.unwrap();
    assert_eq!(reg.kind.as_deref(), Some("sign_up"));
    assert!(reg.attributes[0].is_login && reg.attributes[1].is_password);
    assert_eq!(
        api_error(c.forms().get_form_by_marker("nope").await).0,
        StatusCode::NOT_FOUND
    );
}
