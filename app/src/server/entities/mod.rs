pub mod category;
pub mod product;
