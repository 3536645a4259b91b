pub mod home;
pub mod not_found;
pub mod product;
pub mod products;
