//! Gateway mode validates every document against the upstream's schema before anything is
//! sent (issue 21): an invalid document never reaches the upstream, and the client gets the
//! errors built-in mode gives (async-graphql's own rules, run on a dynamic schema built from the
//! upstream's SDL that is never executed: `validate_document`, vendor/async-graphql/PATCHES.md).

use async_graphql::dynamic::{
    Enum, Field, FieldFuture, InputObject, InputValue, Interface, InterfaceField, Object, Scalar,
    Schema, TypeRef, Union,
};
use async_graphql::parser::types::{
    BaseType, ExecutableDocument, InputValueDefinition, Type, TypeDefinition, TypeKind,
    TypeSystemDefinition,
};
use async_graphql::{ServerError, Variables};

/// Scalars every schema has.
const BUILT_IN_SCALARS: [&str; 5] = ["String", "Int", "Float", "Boolean", "ID"];
/// Executable directives every schema has.
const BUILT_IN_DIRECTIVES: [&str; 5] = ["include", "skip", "deprecated", "specifiedBy", "oneOf"];

pub struct UpstreamValidator {
    schema: Schema,
}

impl std::fmt::Debug for UpstreamValidator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UpstreamValidator(..)")
    }
}

impl UpstreamValidator {
    /// The validator of `sdl`. Executable directives of its own are refused: documents using
    /// them could not be validated.
    pub fn from_sdl(sdl: &str) -> Result<UpstreamValidator, String> {
        let doc = async_graphql::parser::parse_schema(sdl).map_err(|e| e.to_string())?;
        let (mut query, mut mutation) = ("Query".to_string(), None);
        let mut types = Vec::new();
        for def in &doc.definitions {
            match def {
                TypeSystemDefinition::Schema(s) => {
                    if let Some(q) = &s.node.query {
                        query = q.node.to_string();
                    }
                    mutation = s.node.mutation.as_ref().map(|m| m.node.to_string());
                }
                TypeSystemDefinition::Type(t) => types.push(&t.node),
                TypeSystemDefinition::Directive(d) => {
                    let name = d.node.name.node.as_str();
                    if !BUILT_IN_DIRECTIVES.contains(&name) {
                        return Err(format!(
                            "the directive @{name} is not supported in gateway mode yet"
                        ));
                    }
                }
            }
        }
        let has_mutation = types.iter().any(|t| t.name.node.as_str() == "Mutation");
        let mutation = mutation.or_else(|| has_mutation.then(|| "Mutation".to_string()));
        let mut builder = Schema::build(&query, mutation.as_deref(), None);
        for t in types {
            builder = match dynamic_type(t) {
                Some(DynamicType::Object(o)) => builder.register(o),
                Some(DynamicType::Interface(i)) => builder.register(i),
                Some(DynamicType::Union(u)) => builder.register(u),
                Some(DynamicType::Enum(e)) => builder.register(e),
                Some(DynamicType::Input(i)) => builder.register(i),
                Some(DynamicType::Scalar(s)) => builder.register(s),
                None => builder,
            };
        }
        let schema = builder.finish().map_err(|e| e.to_string())?;
        Ok(UpstreamValidator { schema })
    }

    /// The errors of `doc` with `variables` and `operation`; empty when it is valid.
    pub fn validate(
        &self,
        doc: &ExecutableDocument,
        variables: &Variables,
        operation: Option<&str>,
    ) -> Vec<ServerError> {
        async_graphql::validate_document(self.schema.registry(), doc, Some(variables), operation)
    }
}

enum DynamicType {
    Object(Object),
    Interface(Interface),
    Union(Union),
    Enum(Enum),
    Input(InputObject),
    Scalar(Scalar),
}

/// The dynamic type of one SDL definition (`None` for a built-in scalar).
fn dynamic_type(t: &TypeDefinition) -> Option<DynamicType> {
    let name = t.name.node.as_str();
    Some(match &t.kind {
        TypeKind::Scalar if BUILT_IN_SCALARS.contains(&name) => return None,
        TypeKind::Scalar => DynamicType::Scalar(Scalar::new(name)),
        TypeKind::Object(o) => {
            let mut object = Object::new(name);
            for i in &o.implements {
                object = object.implement(i.node.as_str());
            }
            for f in &o.fields {
                let f = &f.node;
                let mut field = Field::new(f.name.node.as_str(), type_ref(&f.ty.node), |_| {
                    FieldFuture::new(async { Ok(None::<async_graphql::Value>) })
                });
                for a in &f.arguments {
                    field = field.argument(input_value(&a.node));
                }
                object = object.field(field);
            }
            DynamicType::Object(object)
        }
        TypeKind::Interface(i) => {
            let mut interface = Interface::new(name);
            for imp in &i.implements {
                interface = interface.implement(imp.node.as_str());
            }
            for f in &i.fields {
                let f = &f.node;
                let mut field = InterfaceField::new(f.name.node.as_str(), type_ref(&f.ty.node));
                for a in &f.arguments {
                    field = field.argument(input_value(&a.node));
                }
                interface = interface.field(field);
            }
            DynamicType::Interface(interface)
        }
        TypeKind::Union(u) => DynamicType::Union(
            u.members
                .iter()
                .fold(Union::new(name), |u, m| u.possible_type(m.node.as_str())),
        ),
        TypeKind::Enum(e) => DynamicType::Enum(
            Enum::new(name).items(e.values.iter().map(|v| v.node.value.node.to_string())),
        ),
        TypeKind::InputObject(i) => {
            let mut input = InputObject::new(name);
            for f in &i.fields {
                input = input.field(input_value(&f.node));
            }
            if t.directives.iter().any(|d| d.node.name.node == "oneOf") {
                input = input.oneof();
            }
            DynamicType::Input(input)
        }
    })
}

fn input_value(a: &InputValueDefinition) -> InputValue {
    let value = InputValue::new(a.name.node.as_str(), type_ref(&a.ty.node));
    match &a.default_value {
        Some(d) => value.default_value(d.node.clone()),
        None => value,
    }
}

fn type_ref(ty: &Type) -> TypeRef {
    let base = match &ty.base {
        BaseType::Named(n) => TypeRef::Named(n.to_string().into()),
        BaseType::List(inner) => TypeRef::List(Box::new(type_ref(inner))),
    };
    match ty.nullable {
        true => base,
        false => TypeRef::NonNull(Box::new(base)),
    }
}
