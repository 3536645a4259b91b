pub mod error_notice;
pub mod fleet_widget;
pub mod forms;
pub mod guards;
pub mod layout;
pub mod page_meta;
pub mod product_card;
pub mod product_grid;
