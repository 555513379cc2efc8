//! The panels, one file each: a panel is a function (or a struct with `fn ui`) that shows
//! what the state and the caches hold and reports what the user changed.

pub mod controls;
pub mod data_view;
pub mod dock;
pub mod files;
pub mod gradcheck;
pub mod legend;
pub mod losses;
pub mod metrics;
pub mod native_dialog;
pub mod phase;
pub mod playback;
pub mod plots;
pub mod rule_card;
pub mod three_d;
pub mod top_bar;
