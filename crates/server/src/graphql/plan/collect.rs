//! Compiling a selection set for one object type: the fields it selects, in response order,
//! with `@skip`/`@include` applied, fragments spread in place, fields of the same response
//! key merged, and arguments resolved against the variables, each the way async-graphql's
//! executor does it (`schema::prepare_request`, `Fields::add_set`, `Context::param_value`).
//! Anything this does not follow exactly — another directive, a fragment on an interface,
//! fields of one key that differ — compiles to `None`, and the executor answers instead.

use async_graphql::parser::types::{
    Directive, ExecutableDocument, Field, Selection, SelectionSet, VariableDefinition,
};
use async_graphql::parser::Positioned;
use async_graphql::{indexmap::IndexMap, InputType, Name, Variables};
use async_graphql_value::{ConstValue, Value};

use super::json;

/// Fragments spread inside fragments deeper than this are not planned (validation already
/// refuses cycles; this only bounds the walk).
const MAX_FRAGMENT_NESTING: usize = 32;

/// A GraphQL object type a plan can compile fields of.
pub trait Compile {
    /// The type's name, as `__typename` answers and fragment type conditions name it.
    const NAME: &'static str;
    /// One compiled field: which field, with its arguments checked and its sub-selection.
    type Field;
    /// `None` when the plan does not write this field (or its arguments are ones the
    /// resolver would refuse): the executor then answers the whole document.
    fn compile(field: &FieldRef<'_>) -> Option<Self::Field>;
}

/// One entry of a compiled selection set: where it goes in the response, and what it is.
#[derive(Debug)]
pub struct Selected<F> {
    /// The response key, already encoded as `"key":`.
    pub key: Box<[u8]>,
    pub what: What<F>,
}

/// The compiled selection of an object of type `T`.
pub type Sel<T> = Vec<Selected<<T as Compile>::Field>>;

#[derive(Debug)]
pub enum What<F> {
    Typename,
    Field(F),
}

/// What compiling needs from the document: its fragments and the operation's variables.
pub struct Cx<'a> {
    pub doc: &'a ExecutableDocument,
    pub definitions: &'a [Positioned<VariableDefinition>],
    /// The variables as the executor receives them (the operation's defaults filled in).
    pub variables: &'a Variables,
}

/// A field being compiled: its name, its resolved arguments, and every selection set that
/// the fields merged under its response key carry.
pub struct FieldRef<'a> {
    pub name: &'a str,
    key: &'a str,
    args: Vec<(&'a str, Option<ConstValue>)>,
    sets: Vec<&'a SelectionSet>,
    cx: &'a Cx<'a>,
}

impl FieldRef<'_> {
    /// An argument as the resolver receives it: its default when absent, else the value
    /// parsed as its type (`None` if that fails: the executor reports it).
    pub fn arg<T: InputType>(&self, name: &str, default: Option<fn() -> T>) -> Option<T> {
        let given = self.args.iter().find(|(n, _)| *n == name);
        if let (None, Some(default)) = (given, default) {
            return Some(default());
        }
        T::parse(given.and_then(|(_, v)| v.clone())).ok()
    }

    /// The sub-selection, compiled for the object type `T` the field returns.
    pub fn object<T: Compile>(&self) -> Option<Vec<Selected<T::Field>>> {
        collect::<T>(&self.sets, self.cx)
    }
}

/// The selection sets, merged, as fields of `T` in response order.
pub fn collect<'a, T: Compile>(
    sets: &[&'a SelectionSet],
    cx: &'a Cx<'a>,
) -> Option<Vec<Selected<T::Field>>> {
    let mut groups: Vec<FieldRef<'a>> = Vec::new();
    for set in sets {
        visit(set, T::NAME, cx, &mut groups, 0)?;
    }
    groups
        .into_iter()
        .map(|field| {
            let key = json::key(field.key);
            let what = if field.name == "__typename" {
                What::Typename
            } else {
                What::Field(T::compile(&field)?)
            };
            Some(Selected { key, what })
        })
        .collect()
}

fn visit<'a>(
    set: &'a SelectionSet,
    type_name: &str,
    cx: &'a Cx<'a>,
    groups: &mut Vec<FieldRef<'a>>,
    nesting: usize,
) -> Option<()> {
    if nesting > MAX_FRAGMENT_NESTING {
        return None;
    }
    for item in &set.items {
        if !included(item.node.directives(), cx.variables)? {
            continue;
        }
        let (condition, inner) = match &item.node {
            Selection::Field(field) => {
                add_field(&field.node, cx, groups)?;
                continue;
            }
            Selection::FragmentSpread(spread) => {
                let fragment = &cx.doc.fragments.get(&spread.node.fragment_name.node)?.node;
                if !fragment.directives.is_empty() {
                    return None;
                }
                (
                    Some(&fragment.type_condition.node.on.node),
                    &fragment.selection_set.node,
                )
            }
            Selection::InlineFragment(inline) => (
                inline.node.type_condition.as_ref().map(|c| &c.node.on.node),
                &inline.node.selection_set.node,
            ),
        };
        // A condition naming an interface or union is left to the executor.
        if condition.is_some_and(|c| c.as_str() != type_name) {
            return None;
        }
        visit(inner, type_name, cx, groups, nesting + 1)?;
    }
    Some(())
}

fn add_field<'a>(field: &'a Field, cx: &'a Cx<'a>, groups: &mut Vec<FieldRef<'a>>) -> Option<()> {
    let key = field.response_key().node.as_str();
    let name = field.name.node.as_str();
    let args = field
        .arguments
        .iter()
        .map(|(n, v)| Some((n.node.as_str(), resolve(&v.node, cx)?)))
        .collect::<Option<Vec<_>>>()?;
    match groups.iter_mut().find(|g| g.key == key) {
        // The executor resolves both and merges the results; validation makes them the same
        // field with the same arguments, and anything else is left to it.
        Some(group) if group.name == name && group.args == args => {
            group.sets.push(&field.selection_set.node);
        }
        Some(_) => return None,
        None => groups.push(FieldRef {
            name,
            key,
            args,
            sets: vec![&field.selection_set.node],
            cx,
        }),
    }
    Some(())
}

/// `@skip(if:)` and `@include(if:)` as async-graphql applies them before executing; `None`
/// for any other directive.
fn included(directives: &[Positioned<Directive>], variables: &Variables) -> Option<bool> {
    let mut included = true;
    for directive in directives {
        let include = match directive.node.name.node.as_str() {
            "skip" => false,
            "include" => true,
            _ => return None,
        };
        if let Some(condition) = directive.node.get_argument("if") {
            let value = condition
                .node
                .clone()
                .into_const_with(|name| variables.get(&name).cloned().ok_or(()))
                .unwrap_or_default();
            let value: bool = InputType::parse(Some(value)).unwrap_or_default();
            if include != value {
                included = false;
            }
        }
    }
    Some(included)
}

/// An argument's value with variables substituted (`Context::resolve_input_value`): `Some(None)`
/// is a variable that was neither given nor defaulted; `None` a variable the operation does
/// not define.
fn resolve(value: &Value, cx: &Cx<'_>) -> Option<Option<ConstValue>> {
    Some(match value {
        Value::Variable(name) => {
            let definition = cx.definitions.iter().find(|d| d.node.name.node == *name)?;
            cx.variables.get(name).cloned().or_else(|| {
                definition
                    .node
                    .default_value
                    .as_ref()
                    .map(|v| v.node.clone())
            })
        }
        Value::Null => Some(ConstValue::Null),
        Value::Number(n) => Some(ConstValue::Number(n.clone())),
        Value::String(s) => Some(ConstValue::String(s.clone())),
        Value::Boolean(b) => Some(ConstValue::Boolean(*b)),
        Value::Binary(b) => Some(ConstValue::Binary(b.clone())),
        Value::Enum(e) => Some(ConstValue::Enum(e.clone())),
        Value::List(items) => Some(ConstValue::List(
            items
                .iter()
                .map(|item| Some(resolve(item, cx)?.unwrap_or(ConstValue::Null)))
                .collect::<Option<_>>()?,
        )),
        Value::Object(fields) => {
            let mut object = IndexMap::with_capacity(fields.len());
            for (name, value) in fields {
                if let Some(v) = resolve(value, cx)? {
                    object.insert(Name::clone(name), v);
                }
            }
            Some(ConstValue::Object(object))
        }
    })
}
