//! One module per noun of the command line, with one function per verb.

pub(crate) mod account;
pub(crate) mod calendar;
pub(crate) mod case;
pub(crate) mod case_view;
pub(crate) mod catalog;
pub(crate) mod demo;
pub(crate) mod desk;
pub(crate) mod device;
pub(crate) mod hub;
pub(crate) mod hub_sim;
pub(crate) mod material;
pub(crate) mod notice;
pub(crate) mod notifications;
pub(crate) mod share;
pub(crate) mod supervise;
pub(crate) mod supervise_order;
pub(crate) mod sync;
