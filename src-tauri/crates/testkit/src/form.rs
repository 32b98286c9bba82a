//! Valid intake forms.

use yichuang_core::model::{CatalogItem, IntakeForm};

use crate::identity::Person;

/// The bundled example intake (`assets/examples/accept.json`), as the CLI reads it.
pub const EXAMPLE_JSON: &str = include_str!("../../../../assets/examples/accept.json");

/// The bundled example intake.
pub fn example() -> IntakeForm {
    serde_json::from_str(EXAMPLE_JSON).expect("the example intake is valid JSON")
}

/// The bundled example, for the next generated applicant of `rng`.
pub fn intake(rng: &mut fastrand::Rng) -> IntakeForm {
    let mut f = example();
    let p = Person::random(rng);
    f.applicant_name = p.name;
    f.applicant_paper_code = p.id;
    f.applicant_mobile = p.mobile;
    f
}

/// A natural person's intake for `item` with every required material received, no address,
/// the item's first delivery method ([`IntakeForm::natural_person`] for this applicant).
pub fn for_item(item: &CatalogItem, applicant: &Person) -> IntakeForm {
    IntakeForm {
        applicant_mobile: applicant.mobile.clone(),
        ..IntakeForm::natural_person(item, &applicant.name, &applicant.id)
    }
}
