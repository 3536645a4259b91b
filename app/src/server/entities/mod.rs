pub mod address;
pub mod category;
pub mod failed_sign_in;
pub mod product;
pub mod session;
pub mod session_activity;
pub mod user;
