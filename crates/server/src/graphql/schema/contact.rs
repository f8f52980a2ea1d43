//! `submitContactUs`: a shopper's message from a contact page. The stand-in sends no mail: a
//! valid message is acknowledged and logged (page, sizes, never its text or the sender's
//! details); an invalid one answers BigCommerce's `ValidationError` naming the field.

use async_graphql::{InputObject, SimpleObject, Union};

use super::errors::ValidationError;
use super::GqlContext;

/// The longest comment accepted, in characters; other fields take 255.
pub const MAX_COMMENTS: usize = 5000;
const MAX_FIELD: usize = 255;

// `Debug` is not derived: the message and the sender's details stay out of logs.
#[derive(InputObject, Clone)]
pub struct SubmitContactUsDataInput {
    pub full_name: Option<String>,
    pub phone_number: Option<String>,
    pub email: String,
    pub order_number: Option<String>,
    pub company_name: Option<String>,
    pub rma_number: Option<String>,
    pub comments: String,
}

#[derive(InputObject, Clone)]
pub struct SubmitContactUsInput {
    pub page_entity_id: i32,
    pub data: SubmitContactUsDataInput,
}

#[derive(Union, Clone, Debug)]
pub enum SubmitContactUsError {
    ValidationError(ValidationError),
}

#[derive(SimpleObject, Clone, Debug)]
pub struct SubmitContactUsResult {
    pub errors: Vec<SubmitContactUsError>,
}

fn invalid(path: &str, message: &str) -> SubmitContactUsError {
    SubmitContactUsError::ValidationError(ValidationError {
        path: vec!["input".into(), "data".into(), path.into()],
        message: message.into(),
    })
}

/// The first problem with a message, if any.
fn problem(d: &SubmitContactUsDataInput) -> Option<SubmitContactUsError> {
    let email = d.email.trim();
    let valid_email = email.len() <= MAX_FIELD
        && email
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'));
    if !valid_email {
        return Some(invalid("email", "Enter a valid email address."));
    }
    if d.comments.trim().is_empty() {
        return Some(invalid("comments", "Comments are required."));
    }
    if d.comments.chars().count() > MAX_COMMENTS {
        return Some(invalid("comments", "Comments are too long."));
    }
    let optional = [
        ("fullName", &d.full_name),
        ("phoneNumber", &d.phone_number),
        ("orderNumber", &d.order_number),
        ("companyName", &d.company_name),
        ("rmaNumber", &d.rma_number),
    ];
    optional
        .into_iter()
        .find(|(_, v)| v.as_ref().is_some_and(|v| v.chars().count() > MAX_FIELD))
        .map(|(path, _)| invalid(path, "This value is too long."))
}

pub async fn submit(
    gql: &GqlContext,
    input: SubmitContactUsInput,
) -> async_graphql::Result<SubmitContactUsResult> {
    let held = gql.held().await?;
    let is_contact_page = held
        .content
        .web_pages
        .iter()
        .any(|p| p.id == i64::from(input.page_entity_id) && p.kind == "contact");
    if !is_contact_page {
        return Ok(SubmitContactUsResult {
            errors: vec![SubmitContactUsError::ValidationError(ValidationError {
                path: vec!["input".into(), "pageEntityId".into()],
                message: format!("Page {} is not a contact page.", input.page_entity_id),
            })],
        });
    }
    if let Some(e) = problem(&input.data) {
        return Ok(SubmitContactUsResult { errors: vec![e] });
    }
    tracing::info!(
        target: "contact",
        store = gql.store.id,
        page = input.page_entity_id,
        comment_chars = input.data.comments.chars().count(),
        "contact form submitted"
    );
    Ok(SubmitContactUsResult { errors: Vec::new() })
}
