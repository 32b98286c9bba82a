//! Valid intake forms.

use yichuang_core::dict::{ApplicantType, PaperType};
use yichuang_core::model::{CatalogItem, IntakeForm, MaterialReceipt};

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
/// the item's first delivery method.
pub fn for_item(item: &CatalogItem, applicant: &Person) -> IntakeForm {
    IntakeForm {
        dept_ql_reg_no: item.dept_ql_reg_no.clone(),
        applicant_type: ApplicantType::NaturalPerson,
        applicant_name: applicant.name.clone(),
        applicant_paper_type: PaperType::IdCard,
        applicant_paper_code: applicant.id.clone(),
        applicant_mobile: applicant.mobile.clone(),
        applicant_address: String::new(),
        party: Default::default(),
        situations: vec![],
        delivery_method: item.delivery_methods[0],
        materiallist: item
            .materials
            .iter()
            .filter(|m| m.sj_file_if)
            .map(|m| MaterialReceipt {
                no: m.no.clone(),
                sj_file_name: String::new(),
                sj_no: m.sj_no,
                share: None,
            })
            .collect(),
    }
}
