//! B2B types (`Query.company`, `Customer.activeCompany`), which need the B2B scope.

use async_graphql::SimpleObject;

#[derive(SimpleObject, Clone, Debug)]
pub struct CompanyUser {
    pub entity_id: i32,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CompanyQueries {
    pub company_user: Option<CompanyUser>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct ActiveCompany {
    pub company_user: Option<CompanyUser>,
}
