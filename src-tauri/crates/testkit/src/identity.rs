//! Generated applicants: valid-looking ID numbers (GB 11643, with the right check digit),
//! names and mobile numbers, made up from a seeded generator. They name no real person.

pub use yichuang_core::idcard::testdata::{
    id_number, random_id, random_mobile, random_name, random_uscc,
};

/// An applicant made up for a test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub id: String,
    pub mobile: String,
}

impl Person {
    /// The next applicant of `rng` (name, then ID number, then mobile number).
    pub fn random(rng: &mut fastrand::Rng) -> Person {
        let name = random_name(rng);
        let id = random_id(rng);
        let mobile = random_mobile(rng);
        Person { name, id, mobile }
    }

    /// The first applicant of a generator seeded with `seed`.
    pub fn seeded(seed: u64) -> Person {
        Person::random(&mut fastrand::Rng::with_seed(seed))
    }
}
