//! The server's black-box tests, one test binary: the real application
//! built in-process (or the real binary, for the command line), driven
//! over HTTP. One binary rather than one per file: the server is linked
//! once instead of thirteen times, the read-only tests of every area share
//! one seeded demo server ([`support::shared`]), and the slow tests of one
//! area overlap with those of another instead of each file waiting for its
//! slowest (docs/performance.md, "CI").

mod support;

mod appeals;
mod classes_applied;
mod cli;
mod disclosure;
mod hardening;
mod http;
mod import_fuzz;
mod integrity;
mod reports;
mod rulesets;
mod signoff;
mod targets;
mod workspace;
