//! The auto-scaling simulator's pure core: no I/O, no clock, no randomness of its own, so every
//! rule can be tested with plain `cargo test` and a run can be replayed exactly.
//!
//! The rules follow what AWS EC2 Auto Scaling and the Kubernetes HPA document (see
//! `../shared/notes/autoscaling-semantics.md` in the project's research notes).

pub mod alarm;
pub mod fleet;
pub mod hpa;
pub mod load;
pub mod policy;
pub mod simulation;
pub mod snapshot;
pub mod step_scaling;
