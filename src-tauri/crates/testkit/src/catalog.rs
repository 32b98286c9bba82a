//! Catalog items the tests build on.

use yichuang_core::Desk;
use yichuang_core::dict::TimeUnit;
use yichuang_core::model::{CatalogItem, IntakeDecision};

use crate::form::for_item;
use crate::identity::Person;

/// An item with at least two required materials.
pub async fn item_with_two_materials(desk: &Desk) -> CatalogItem {
    desk.catalog()
        .await
        .expect("the catalog")
        .into_iter()
        .find(|i| i.materials.iter().filter(|m| m.sj_file_if).count() >= 2)
        .expect("an item with two required materials")
}

/// A working-day item with two or more required materials, its limit set to 5 working days
/// (the desk's catalog is changed to say so).
pub async fn five_working_day_item(desk: &Desk) -> CatalogItem {
    let item = desk
        .catalog()
        .await
        .expect("the catalog")
        .into_iter()
        .find(|i| {
            i.promise >= 5
                && i.promise_type == TimeUnit::WorkingDays
                && i.materials.iter().filter(|m| m.sj_file_if).count() >= 2
        })
        .expect("a working-day item with two required materials");
    let mut cat: serde_json::Value =
        serde_json::from_str(&desk.export_catalog_json().await.expect("export"))
            .expect("the catalog as JSON");
    for i in cat["items"].as_array_mut().expect("items") {
        if i["dept_ql_reg_no"] == item.dept_ql_reg_no.as_str() {
            i["promise"] = 5.into();
        }
    }
    desk.import_catalog(&cat.to_string()).await.expect("import");
    item
}

/// Takes in a case of `item` for the applicant seeded with `seed`, decided as `d`; its number.
pub async fn intake(desk: &Desk, item: &CatalogItem, seed: u64, d: IntakeDecision) -> String {
    desk.clerk()
        .await
        .unwrap()
        .intake_with(&for_item(item, &Person::seeded(seed)), &d)
        .await
        .expect("intake")
        .project_no
}
