//! Shared test support for the crates' integration tests (a dev-dependency only):
//!
//! - [`clock`]: pinned clocks: fixed at an instant, or starting at one and moved by the test;
//! - [`desk`]: a desk in a temporary directory on such a clock;
//! - [`identity`]: generated applicants (valid-looking ID numbers with the right check digit,
//!   names, mobile numbers), never real people;
//! - [`catalog`]: the catalog items the tests build on;
//! - [`form`]: valid intake forms, from the bundled example or for a catalog item;
//! - [`sim`]: a running hub simulator on a loopback port, and a bound on every wait.
//!
//! Panics are the point here: a fixture that cannot be set up fails the test.

pub mod catalog;
pub mod clock;
pub mod desk;
pub mod form;
pub mod identity;
pub mod sim;

pub use clock::{START, StepClock, fixed};
pub use desk::{accepted, desk_at, temp_desk, with_profile};
pub use form::{example, for_item, intake};
pub use identity::Person;
pub use sim::{bounded, start_sim};
