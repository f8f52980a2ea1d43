//! The schema as the analysis needs it: each field's named type, which object types an
//! interface or union may be, and which fields are non-null. Read once from the SDL.

use std::collections::{HashMap, HashSet};

use async_graphql_parser::types::{BaseType, Type, TypeKind, TypeSystemDefinition};

use crate::gateway_scopes::ScopeMap;
use crate::scope::{field_requirement, Scope};

/// Field types of the schema, enough to follow a document through it.
#[derive(Clone, Debug, Default)]
pub struct SchemaIndex {
    /// Parent type -> field -> named return type (lists unwrapped).
    fields: HashMap<String, HashMap<String, String>>,
    /// Every composite type -> the object types a value of it may be: itself for an object
    /// type, the implementers of an interface, the members of a union.
    objects: HashMap<String, Vec<String>>,
    /// Type -> its fields whose type is non-null (`T!`, `[T]!`).
    pub(super) non_null: HashMap<String, HashSet<String>>,
    /// Parent type -> field -> its full type (list wrappers and nullability at each level):
    /// what gateway mode's restore needs to bubble a null as an executor would.
    types: HashMap<String, HashMap<String, Type>>,
    pub(super) query: String,
    pub(super) mutation: String,
    /// Gateway mode: each `type -> field -> scope` of an operator's scope map, in place of
    /// the built-in table (`scope::field_requirement`). Fields not listed are neutral.
    scopes: Option<HashMap<String, HashMap<String, Scope>>>,
}

impl SchemaIndex {
    pub fn from_sdl(sdl: &str) -> Result<SchemaIndex, String> {
        let doc = async_graphql_parser::parse_schema(sdl).map_err(|e| e.to_string())?;
        let mut index = SchemaIndex {
            query: "Query".into(),
            mutation: "Mutation".into(),
            ..Default::default()
        };
        let mut implementers: HashMap<String, Vec<String>> = HashMap::new();
        for def in &doc.definitions {
            match def {
                TypeSystemDefinition::Schema(s) => {
                    if let Some(q) = &s.node.query {
                        index.query = q.node.to_string();
                    }
                    if let Some(m) = &s.node.mutation {
                        index.mutation = m.node.to_string();
                    }
                }
                TypeSystemDefinition::Type(t) => index.add_type(&t.node, &mut implementers),
                TypeSystemDefinition::Directive(_) => {}
            }
        }
        for (interface, mut objects) in implementers {
            objects.sort();
            index.objects.insert(interface, objects);
        }
        Ok(index)
    }

    /// Indexes one type definition: an object's or interface's fields (their named types and
    /// which are non-null), a union's members, and which objects implement which interface.
    fn add_type(
        &mut self,
        t: &async_graphql_parser::types::TypeDefinition,
        implementers: &mut HashMap<String, Vec<String>>,
    ) {
        let name = t.name.node.to_string();
        let fields = match &t.kind {
            TypeKind::Object(o) => {
                for i in &o.implements {
                    implementers
                        .entry(i.node.to_string())
                        .or_default()
                        .push(name.clone());
                }
                self.objects.insert(name.clone(), vec![name.clone()]);
                &o.fields
            }
            TypeKind::Interface(i) => &i.fields,
            TypeKind::Union(u) => {
                let members = u.members.iter().map(|m| m.node.to_string()).collect();
                self.objects.insert(name, members);
                return;
            }
            _ => return,
        };
        let table = self.fields.entry(name.clone()).or_default();
        for f in fields {
            let field = f.node.name.node.to_string();
            self.types
                .entry(name.clone())
                .or_default()
                .insert(field.clone(), f.node.ty.node.clone());
            if !f.node.ty.node.nullable {
                self.non_null
                    .entry(name.clone())
                    .or_default()
                    .insert(field.clone());
            }
            let mut ty = &f.node.ty.node;
            while let BaseType::List(inner) = &ty.base {
                ty = inner;
            }
            if let BaseType::Named(n) = &ty.base {
                table.insert(field, n.to_string());
            }
        }
    }

    /// The named type of `parent.field`, introspection included.
    pub fn field_type(&self, parent: &str, field: &str) -> Option<&str> {
        match field {
            "__typename" => Some("String"),
            "__schema" => Some("__Schema"),
            "__type" => Some("__Type"),
            _ => self.fields.get(parent)?.get(field).map(String::as_str),
        }
    }

    /// The full type of `parent.field` (`__typename` is `String!`).
    pub fn field_def_type(&self, parent: &str, field: &str) -> Option<&Type> {
        static TYPENAME: std::sync::OnceLock<Type> = std::sync::OnceLock::new();
        if field == "__typename" {
            return Some(TYPENAME.get_or_init(|| Type {
                base: BaseType::Named(async_graphql_value::Name::new("String")),
                nullable: false,
            }));
        }
        self.types.get(parent)?.get(field)
    }

    /// The object types a value of `type_name` may be (empty for scalars, introspection and
    /// unknown names).
    pub fn objects(&self, type_name: &str) -> &[String] {
        self.objects
            .get(type_name)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Every field of the schema as `(type, field)`, for completeness checks of the scope
    /// table.
    pub fn coordinates(&self) -> impl Iterator<Item = (&str, &str)> {
        self.fields
            .iter()
            .flat_map(|(t, fields)| fields.keys().map(move |f| (t.as_str(), f.as_str())))
    }

    /// Is `type_name` an object type (not an interface or union)?
    pub fn is_object(&self, type_name: &str) -> bool {
        self.objects(type_name) == [type_name]
    }

    /// This schema with its scope decisions taken from `map` (gateway mode) instead of the
    /// built-in table. Worked out once for every field, so a lookup allocates nothing.
    pub fn with_scope_map(mut self, map: &ScopeMap) -> SchemaIndex {
        let mut table: HashMap<String, HashMap<String, Scope>> = HashMap::new();
        for (type_name, field) in self.coordinates() {
            if let Some(scope) = map.requirement(type_name, field) {
                table
                    .entry(type_name.to_string())
                    .or_default()
                    .insert(field.to_string(), scope);
            }
        }
        self.scopes = Some(table);
        self
    }

    /// The scope `parent.field` needs, or `None` when it is neutral (introspection always is).
    pub fn requirement(&self, parent: &str, field: &str) -> Option<Scope> {
        match &self.scopes {
            None => field_requirement(parent, field),
            Some(table) => table.get(parent)?.get(field).copied(),
        }
    }

    /// The query root type's name.
    pub fn query_type(&self) -> &str {
        &self.query
    }

    /// The mutation root type's name.
    pub fn mutation_type(&self) -> &str {
        &self.mutation
    }
}
