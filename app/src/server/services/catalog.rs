use crate::{
    domain::categories::{TreePlace, tree_order},
    domain::error::AppError,
    domain::listing::{self, CategoryLink, Listing, ListingQuery, SortOrder},
    domain::model::{CategoryRef, Money, PageWindow, ProductCard, ProductDetail, ProductPage, Slug},
    server::entities::{category, product},
};
use sea_orm::{
    Condition, ConnectionTrait, DbBackend, DerivePartialModel, FromQueryResult, JoinType, PaginatorTrait, QueryOrder,
    QuerySelect, QueryTrait,
    prelude::*,
    sea_query::{Alias, Expr, ExprTrait, IntoCondition, Order, Query, SelectStatement},
};

/// The columns a card needs, joined with the category name in the same query (no N+1).
#[derive(Debug, DerivePartialModel)]
#[sea_orm(entity = "product::Entity")]
struct CardRow {
    id: i32,
    name: String,
    slug: String,
    #[sea_orm(from_expr = "Expr::col((category::Entity, category::Column::Name))")]
    category_name: String,

    price_cents: i64,
    currency: String,
    stock: i32,
    image_path: String,
    image_width: i32,
    image_height: i32,
}

impl From<CardRow> for ProductCard {
    fn from(row: CardRow) -> Self {
        Self {
            id: row.id,
            name: row.name,
            slug: row.slug,
            category_name: row.category_name,
            price: Money::new(row.price_cents, row.currency),
            stock: row.stock,
            image_path: row.image_path,
            image_width: row.image_width,
            image_height: row.image_height,
        }
    }
}

fn card_query() -> Select<product::Entity> {
    product::Entity::find().inner_join(category::Entity).filter(product::Column::Active.eq(true))
}

/// The cards a [`card_query`] (narrowed, ordered and limited by the caller) finds.
async fn cards(db: &impl ConnectionTrait, query: Select<product::Entity>) -> Result<Vec<ProductCard>, AppError> {
    let rows = query.into_partial_model::<CardRow>().all(db).await?;
    Ok(rows.into_iter().map(ProductCard::from).collect())
}

/// Active products, newest first, in the given window. Fetches one extra row to learn
/// whether another page exists, instead of a separate COUNT query.
pub async fn latest_products(db: &impl ConnectionTrait, window: PageWindow) -> Result<ProductPage, AppError> {
    let newest = card_query()
        .order_by(product::Column::CreatedAt, Order::Desc)
        .order_by(product::Column::Id, Order::Desc)
        .offset(window.offset())
        .limit(window.limit() + 1);
    let mut items = cards(db, newest).await?;
    let has_more = items.len() as u64 > window.limit();
    items.truncate(window.limit() as usize);
    Ok(ProductPage { items, has_more })
}

/// Featured active products for the home page, in catalog order.
pub async fn featured_products(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<ProductCard>, AppError> {
    let featured = card_query()
        .filter(product::Column::Featured.eq(true))
        .order_by(category::Column::Position, Order::Asc)
        .order_by(product::Column::Id, Order::Asc)
        .limit(limit);
    cards(db, featured).await
}

/// Which categories a count covers, and which of their products it counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CategoryCount {
    /// The storefront's: listed categories, active products.
    Listed,
    /// The back office's: every category, every product (archived ones too).
    Everything,
}

#[derive(Debug, FromQueryResult)]
pub(crate) struct CountedCategory {
    pub id: i32,
    pub parent_id: Option<i32>,
    pub position: i32,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub archived: bool,
    /// Products filed directly under it (not under its children).
    pub product_count: i64,
}

impl CountedCategory {
    pub fn products(&self) -> u64 {
        u64::try_from(self.product_count).unwrap_or(0)
    }
}

/// Categories with how many products each holds, in tree order (each top-level category
/// followed by its children). One query.
pub(crate) async fn counted_categories(
    db: &impl ConnectionTrait,
    scope: CategoryCount,
) -> Result<Vec<CountedCategory>, AppError> {
    let products = match scope {
        CategoryCount::Listed => category::Relation::Product
            .def()
            .on_condition(|_, right| Expr::col((right, product::Column::Active)).eq(true).into_condition()),
        CategoryCount::Everything => category::Relation::Product.def(),
    };
    let mut select = category::Entity::find()
        .select_only()
        .columns([
            category::Column::Id,
            category::Column::ParentId,
            category::Column::Position,
            category::Column::Name,
            category::Column::Slug,
            category::Column::Description,
        ])
        .column_as(Expr::col((category::Entity, category::Column::ArchivedAt)).is_not_null(), "archived")
        .column_as(Expr::col((product::Entity, product::Column::Id)).count(), "product_count")
        .join(JoinType::LeftJoin, products);
    if scope == CategoryCount::Listed {
        select = select.filter(category::Column::ArchivedAt.is_null());
    }
    let rows = select
        .group_by(category::Column::Id)
        .group_by(category::Column::ParentId)
        .group_by(category::Column::Position)
        .group_by(category::Column::Name)
        .group_by(category::Column::Slug)
        .group_by(category::Column::Description)
        .group_by(category::Column::ArchivedAt)
        .into_model::<CountedCategory>()
        .all(db)
        .await?;
    Ok(tree_order(rows, |row| TreePlace { id: row.id, parent: row.parent_id, position: row.position }))
}

/// Every category in the navigation (archived ones left out), in tree order. A parent counts
/// its children's products too, as its listing shows them. One query.
pub async fn categories(db: &impl ConnectionTrait) -> Result<Vec<CategoryLink>, AppError> {
    let rows = counted_categories(db, CategoryCount::Listed).await?;
    let links = rows
        .iter()
        .map(|row| {
            let children: u64 =
                rows.iter().filter(|child| child.parent_id == Some(row.id)).map(CountedCategory::products).sum();
            let parent = row.parent_id.and_then(|id| rows.iter().find(|p| p.id == id));
            CategoryLink {
                name: row.name.clone(),
                slug: row.slug.clone(),
                description: row.description.clone(),
                product_count: row.products() + children,
                parent: parent.map(|p| CategoryRef { name: p.name.clone(), slug: p.slug.clone() }),
            }
        })
        .collect();
    Ok(links)
}

/// One page of the product listing: filtered by category (a parent's listing holds its listed
/// children's products too, as its count in the navigation says), searched, sorted and paginated. Costs at most four queries
/// (the category, its parent for a subcategory, the count, the page) whatever the page size.
pub async fn list_products(db: &impl ConnectionTrait, query: &ListingQuery) -> Result<Listing, AppError> {
    let category = match &query.category {
        Some(slug) => Some(find_category(db, slug).await?),
        None => None,
    };

    let mut select = card_query();
    if let Some((category_id, _)) = &category {
        let children = Query::select()
            .column(category::Column::Id)
            .from(category::Entity)
            .and_where(category::Column::ParentId.eq(*category_id))
            .and_where(category::Column::ArchivedAt.is_null())
            .to_owned();
        select = select.filter(
            Condition::any()
                .add(product::Column::CategoryId.eq(*category_id))
                .add(product::Column::CategoryId.in_subquery(children)),
        );
    }
    let terms = listing::search_terms(query.q.as_deref().unwrap_or_default());
    let searching = !terms.is_empty();
    if searching {
        let hits = search_hits(db.get_database_backend(), &terms)?;
        QueryTrait::query(&mut select).join_subquery(
            JoinType::InnerJoin,
            hits,
            Alias::new("search_hits"),
            Expr::col((Alias::new("search_hits"), Alias::new("product_id")))
                .equals((product::Entity, product::Column::Id)),
        );
    }

    let total = select.clone().count(db).await?;
    select = match query.effective_sort() {
        SortOrder::Relevance if searching => {
            select.order_by(Expr::col((Alias::new("search_hits"), Alias::new("rank"))), Order::Asc)
        }
        SortOrder::Relevance | SortOrder::Newest => select.order_by(product::Column::CreatedAt, Order::Desc),
        SortOrder::PriceLowToHigh => select.order_by(product::Column::PriceCents, Order::Asc),
        SortOrder::PriceHighToLow => select.order_by(product::Column::PriceCents, Order::Desc),
        SortOrder::Name => select.order_by(product::Column::Name, Order::Asc),
    };
    // The id breaks ties, so no product appears on two pages or on none.
    let page = select.order_by(product::Column::Id, Order::Asc).offset(query.offset()).limit(listing::PAGE_SIZE);
    Ok(Listing { query: query.clone(), items: cards(db, page).await?, total, category: category.map(|(_, link)| link) })
}

// The category's id travels next to its public link so the listing can filter on it.
type CategoryWithId = (i32, CategoryLink);

/// A category the shop lists (an archived one is "not found"), with its parent.
async fn find_category(db: &impl ConnectionTrait, slug: &str) -> Result<CategoryWithId, AppError> {
    let found = category::Entity::find()
        .filter(category::Column::Slug.eq(slug))
        .filter(category::Column::ArchivedAt.is_null())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("That category"))?;
    let link = CategoryLink {
        parent: parent_of(db, &found).await?,
        name: found.name,
        slug: found.slug,
        description: found.description,
        product_count: 0,
    };
    Ok((found.id, link))
}

/// The listed category a subcategory is filed under, for a breadcrumb link (one query, only for
/// a subcategory; an archived parent has no listing to link to).
async fn parent_of(db: &impl ConnectionTrait, child: &category::Model) -> Result<Option<CategoryRef>, AppError> {
    let Some(parent_id) = child.parent_id else { return Ok(None) };
    let parent = category::Entity::find_by_id(parent_id).filter(category::Column::ArchivedAt.is_null()).one(db).await?;
    Ok(parent.map(|parent| CategoryRef { name: parent.name, slug: parent.slug }))
}

/// A subquery of matching product ids with a rank where lower is better. Terms are
/// alphanumeric only (see `listing::search_terms`), and every one is matched as a word prefix.
fn search_hits(backend: DbBackend, terms: &[String]) -> Result<SelectStatement, AppError> {
    let mut hits = Query::select();
    // Placeholders: SQLite takes `?`, PostgreSQL numbers them within each expression.
    match backend {
        DbBackend::Sqlite => {
            let fts_query = terms.iter().map(|term| format!("\"{term}\"*")).collect::<Vec<_>>().join(" ");
            hits.expr_as(Expr::cust("rowid"), Alias::new("product_id"))
                // bm25 is negative, more so for better matches; names and SKUs weigh most.
                .expr_as(Expr::cust("bm25(products_fts, 10.0, 1.0, 10.0)"), Alias::new("rank"))
                .from(Alias::new("products_fts"))
                .and_where(Expr::cust_with_values("products_fts MATCH ?", [fts_query]));
        }
        DbBackend::Postgres => {
            let tsquery = terms.iter().map(|term| format!("{term}:*")).collect::<Vec<_>>().join(" & ");
            hits.expr_as(Expr::col(Alias::new("id")), Alias::new("product_id"))
                .expr_as(
                    Expr::cust_with_values("-ts_rank(search, to_tsquery('english', $1))", [tsquery.clone()]),
                    Alias::new("rank"),
                )
                .from(Alias::new("products"))
                .and_where(Expr::cust_with_values("search @@ to_tsquery('english', $1)", [tsquery]));
        }
        other => return Err(AppError::internal("product search", format!("unsupported backend {other:?}"))),
    }
    Ok(hits.to_owned())
}

/// How many related products a product page shows.
pub const RELATED_LIMIT: u64 = 4;

/// An active product by slug with up to four others from its category (two queries, three
/// for a product in a subcategory).
pub async fn product_detail(db: &impl ConnectionTrait, slug: &Slug) -> Result<ProductDetail, AppError> {
    let found = product::Entity::find()
        .filter(product::Column::Slug.eq(slug.as_str()))
        .filter(product::Column::Active.eq(true))
        .find_also_related(category::Entity)
        .one(db)
        .await?;
    let Some((product, Some(category))) = found else {
        return Err(AppError::not_found("That product"));
    };
    let same_category = card_query()
        .filter(product::Column::CategoryId.eq(product.category_id))
        .filter(product::Column::Id.ne(product.id))
        .order_by(product::Column::Featured, Order::Desc)
        .order_by(product::Column::CreatedAt, Order::Desc)
        .order_by(product::Column::Id, Order::Asc)
        .limit(RELATED_LIMIT);
    let related = cards(db, same_category).await?;
    let category_parent = parent_of(db, &category).await?;
    Ok(ProductDetail {
        card: ProductCard {
            id: product.id,
            name: product.name,
            slug: product.slug,
            category_name: category.name,
            price: Money::new(product.price_cents, product.currency),
            stock: product.stock,
            image_path: product.image_path,
            image_width: product.image_width,
            image_height: product.image_height,
        },
        sku: product.sku,
        description: product.description,
        category_parent,
        category_listed: category.archived_at.is_none(),
        category_slug: category.slug,
        related,
    })
}

/// What `/sitemap.xml` lists: every active product (with its last change) and every category
/// the shop lists.
#[derive(Debug, Default)]
pub struct SitemapEntries {
    pub products: Vec<(String, DateTimeUtc)>,
    pub categories: Vec<String>,
}

pub async fn sitemap_entries(db: &impl ConnectionTrait) -> Result<SitemapEntries, AppError> {
    let products = product::Entity::find()
        .select_only()
        .columns([product::Column::Slug, product::Column::UpdatedAt])
        .filter(product::Column::Active.eq(true))
        .order_by(product::Column::Id, Order::Asc)
        .into_tuple::<(String, DateTimeUtc)>()
        .all(db)
        .await?;
    let categories = category::Entity::find()
        .select_only()
        .column(category::Column::Slug)
        .filter(category::Column::ArchivedAt.is_null())
        .order_by(category::Column::Position, Order::Asc)
        .into_tuple::<String>()
        .all(db)
        .await?;
    Ok(SitemapEntries { products, categories })
}
