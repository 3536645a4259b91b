//! Categories as the operator manages them: one level of nesting (a parent and its children),
//! an order among siblings, archiving instead of deleting a category that holds products. The
//! wire types and the pure rules; `server::services::admin_categories` applies them.

use crate::domain::{
    error::{AppError, FieldError},
    model::{CategoryRef, slug_from_form},
};
use serde::{Deserialize, Serialize};

pub const MAX_CATEGORY_NAME_CHARS: usize = 80;
/// The `categories.slug` column's width.
pub const MAX_CATEGORY_SLUG_LEN: usize = 80;
pub const MAX_CATEGORY_DESCRIPTION_CHARS: usize = 1_000;

/// A row of the back office's category table, in navigation order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminCategoryRow {
    pub id: i32,
    pub name: String,
    pub slug: String,
    /// `None` for a top-level category.
    pub parent_name: Option<String>,
    /// Products filed directly under it, archived ones included.
    pub product_count: u64,
    pub archived: bool,
    /// Whether a sibling comes before (it can move up) or after it (it can move down).
    pub has_previous: bool,
    pub has_next: bool,
}

/// Everything the category editor shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryEditor {
    pub id: i32,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub parent_slug: Option<String>,
    pub archived: bool,
    pub product_count: u64,
    pub child_count: u64,
    /// The categories it may be filed under: top-level, not archived, not itself.
    pub parent_choices: Vec<CategoryRef>,
}

/// The category form exactly as posted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryForm {
    pub name: String,
    pub slug: String,
    pub description: String,
    /// A parent's slug; blank for a top-level category.
    pub parent: String,
}

/// A category form that passed every rule that needs no database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryDraft {
    pub name: String,
    pub slug: String,
    pub description: String,
    pub parent_slug: Option<String>,
}

impl CategoryDraft {
    /// Checks every field and reports all failures at once, each on its own field.
    pub fn parse(form: &CategoryForm) -> Result<Self, AppError> {
        let mut errors = Vec::new();
        let name = form.name.trim().to_owned();
        if name.is_empty() {
            errors.push(FieldError::new("name", "Enter the category's name."));
        } else if name.chars().count() > MAX_CATEGORY_NAME_CHARS {
            errors.push(FieldError::new("name", format!("Names are limited to {MAX_CATEGORY_NAME_CHARS} characters.")));
        }
        let slug = slug_from_form(&form.slug, &name, MAX_CATEGORY_SLUG_LEN).unwrap_or_else(|message| {
            // An empty name already has its own message.
            if !(name.is_empty() && form.slug.trim().is_empty()) {
                errors.push(FieldError::new("slug", message));
            }
            String::new()
        });
        let description = form.description.trim().to_owned();
        if description.chars().count() > MAX_CATEGORY_DESCRIPTION_CHARS {
            errors.push(FieldError::new(
                "description",
                format!("Descriptions are limited to {MAX_CATEGORY_DESCRIPTION_CHARS} characters."),
            ));
        }
        let parent_slug = Some(form.parent.trim().to_owned()).filter(|parent| !parent.is_empty());
        if errors.is_empty() {
            Ok(Self { name, slug, description, parent_slug })
        } else {
            Err(AppError::Fields { errors })
        }
    }
}

/// What the nesting rule needs to know of the parent a form chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParentFacts {
    pub id: i32,
    pub has_parent: bool,
    pub archived: bool,
}

/// One level of nesting: a parent is a top-level category that is not archived and is not the
/// category itself, and a category that has children stays at the top. `category`: the id of
/// the category being saved (`None` while creating it).
pub fn check_parent(category: Option<i32>, has_children: bool, parent: &ParentFacts) -> Result<(), &'static str> {
    if category == Some(parent.id) {
        Err("A category cannot be filed under itself.")
    } else if parent.has_parent {
        Err("Choose a top-level category: categories nest one level deep.")
    } else if parent.archived {
        Err("That category is archived. Restore it first or choose another.")
    } else if has_children {
        Err("This category has subcategories, so it stays at the top level.")
    } else {
        Ok(())
    }
}

/// Which way a category moves among its siblings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

impl Direction {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "up" => Some(Self::Up),
            "down" => Some(Self::Down),
            _ => None,
        }
    }
}

/// Where a category sits: its id, its parent's and its position among its siblings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TreePlace {
    pub id: i32,
    pub parent: Option<i32>,
    pub position: i32,
}

/// Navigation order: top-level categories by position (then id), each followed by its
/// children in the same order. A child whose parent is not in `items` is shown as top-level,
/// and anything the one-level rule forbids (a grandchild) goes last: no category is ever lost.
pub fn tree_order<T>(mut items: Vec<T>, place: impl Fn(&T) -> TreePlace) -> Vec<T> {
    items.sort_by_key(|item| {
        let at = place(item);
        (at.position, at.id)
    });
    let ids: Vec<i32> = items.iter().map(|item| place(item).id).collect();
    let is_top = |at: &TreePlace| at.parent.is_none_or(|parent| !ids.contains(&parent));
    let (tops, mut children): (Vec<T>, Vec<T>) = items.into_iter().partition(|item| is_top(&place(item)));
    let mut ordered = Vec::with_capacity(tops.len() + children.len());
    for top in tops {
        let id = place(&top).id;
        ordered.push(top);
        let (mine, rest): (Vec<T>, Vec<T>) = children.into_iter().partition(|child| place(child).parent == Some(id));
        ordered.extend(mine);
        children = rest;
    }
    ordered.extend(children);
    ordered
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn form(name: &str, slug: &str) -> CategoryForm {
        CategoryForm { name: name.into(), slug: slug.into(), ..Default::default() }
    }

    #[test]
    fn a_blank_slug_is_made_from_the_name() {
        let draft = CategoryDraft::parse(&form("Desk Lamps & Lights", "")).unwrap();
        assert_eq!(draft.slug, "desk-lamps-lights");
        assert_eq!(draft.parent_slug, None);
    }

    #[test]
    fn every_broken_field_gets_its_own_message() {
        let long = CategoryForm { description: "x".repeat(1_001), ..form(&"n".repeat(81), "Not A Slug") };
        let Err(AppError::Fields { errors }) = CategoryDraft::parse(&long) else { panic!("accepted") };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "slug", "description"]);
    }

    #[test]
    fn an_empty_form_asks_only_for_the_name() {
        let Err(AppError::Fields { errors }) = CategoryDraft::parse(&form("  ", "")) else { panic!("accepted") };
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "name");
    }

    #[test]
    fn categories_nest_one_level_under_a_live_top_level_parent() {
        let top = ParentFacts { id: 1, has_parent: false, archived: false };
        assert!(check_parent(Some(2), false, &top).is_ok());
        assert!(check_parent(None, false, &top).is_ok());
        assert!(check_parent(Some(1), false, &top).is_err(), "its own parent");
        assert!(check_parent(Some(2), true, &top).is_err(), "a parent under a parent");
        assert!(check_parent(Some(3), false, &ParentFacts { has_parent: true, ..top }).is_err(), "two levels");
        assert!(check_parent(Some(3), false, &ParentFacts { archived: true, ..top }).is_err(), "archived parent");
    }

    #[test]
    fn directions_are_up_or_down_only() {
        assert_eq!(Direction::parse("up"), Some(Direction::Up));
        assert_eq!(Direction::parse("down"), Some(Direction::Down));
        assert_eq!(Direction::parse("UP"), None);
    }

    #[test]
    fn children_follow_their_parent_in_position_order() {
        let at = |id, parent, position| TreePlace { id, parent, position };
        let items = vec![at(4, Some(1), 2), at(2, None, 1), at(1, None, 0), at(3, Some(1), 1), at(5, Some(2), 0)];
        let ids: Vec<i32> = tree_order(items, |p| *p).iter().map(|p| p.id).collect();
        assert_eq!(ids, [1, 3, 4, 2, 5]);
    }

    #[test]
    fn a_child_without_its_parent_is_listed_at_the_top() {
        let items = vec![TreePlace { id: 7, parent: Some(99), position: 0 }];
        assert_eq!(tree_order(items, |p| *p).len(), 1);
    }

    fn places(raw: &[(Option<i32>, i32)]) -> Vec<TreePlace> {
        raw.iter()
            .enumerate()
            .map(|(index, (parent, position))| TreePlace { id: index as i32, parent: *parent, position: *position })
            .collect()
    }

    proptest! {
        #[test]
        fn tree_order_never_loses_or_repeats_a_category(
            raw in proptest::collection::vec((proptest::option::of(0..12i32), -3..3i32), 0..12)
        ) {
            let items = places(&raw);
            let mut ids: Vec<i32> = tree_order(items.clone(), |p| *p).iter().map(|p| p.id).collect();
            ids.sort_unstable();
            prop_assert_eq!(ids, (0..items.len() as i32).collect::<Vec<_>>());
        }

        #[test]
        fn in_a_one_level_tree_children_come_right_after_their_parent(
            raw in proptest::collection::vec((proptest::option::of(0..12i32), -3..3i32), 0..12)
        ) {
            // Keep only what the shop allows: a parent is an existing top-level category.
            let mut items = places(&raw);
            let tops: Vec<Option<i32>> = items.iter().map(|p| p.parent).collect();
            for item in &mut items {
                item.parent = item.parent.filter(|&parent| {
                    parent != item.id && tops.get(parent as usize).is_some_and(Option::is_none)
                });
            }
            let ordered = tree_order(items, |p| *p);
            for (index, item) in ordered.iter().enumerate() {
                if let Some(parent) = item.parent {
                    let parent_at = ordered.iter().position(|p| p.id == parent).unwrap();
                    prop_assert!(parent_at < index);
                    prop_assert!(ordered[parent_at + 1..index].iter().all(|p| p.parent == Some(parent)));
                }
            }
        }
    }
}
