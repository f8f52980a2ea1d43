//! Gateway mode's schema from introspection (issue 21, `gateway.schema = "introspect"`): the
//! upstream's answer to the standard introspection query printed as SDL, which then goes
//! where an SDL file would (the scope map, the analysis, validation). Pure.
//!
//! What the SDL needs for those is printed: types with their fields, arguments, input fields,
//! interfaces, union members and enum values, default values as the upstream wrote them, the
//! root types, and directives other than GraphQL's own. Descriptions and deprecations are not
//! (nothing here reads them). The printing is deterministic, so equal schemas hash equally.

use std::fmt::Write as _;

use serde_json::Value;

/// The introspection query sent to the upstream.
pub const INTROSPECTION_QUERY: &str = "query StorefrontAuthIntrospection { __schema { \
queryType { name } mutationType { name } subscriptionType { name } \
types { kind name fields(includeDeprecated: true) { name args { ...InputValue } type { ...TypeRef } } \
inputFields { ...InputValue } interfaces { ...TypeRef } enumValues(includeDeprecated: true) { name } \
possibleTypes { ...TypeRef } } directives { name locations args { ...InputValue } } } } \
fragment InputValue on __InputValue { name type { ...TypeRef } defaultValue } \
fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name \
ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }";

const BUILT_IN_SCALARS: [&str; 5] = ["String", "Int", "Float", "Boolean", "ID"];
const BUILT_IN_DIRECTIVES: [&str; 5] = ["skip", "include", "deprecated", "specifiedBy", "oneOf"];

fn text<'a>(v: &'a Value, key: &str) -> Result<&'a str, String> {
    v[key]
        .as_str()
        .ok_or_else(|| format!("introspection: {key} missing in {}", short(v)))
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    s.chars().take(80).collect()
}

fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v[key].as_array().map(Vec::as_slice).unwrap_or_default()
}

/// A type reference (`NON_NULL`, `LIST`, named) as SDL; bounded by the query's nesting.
fn type_ref(v: &Value) -> Result<String, String> {
    match v["kind"].as_str() {
        Some("NON_NULL") => Ok(format!("{}!", type_ref(&v["ofType"])?)),
        Some("LIST") => Ok(format!("[{}]", type_ref(&v["ofType"])?)),
        Some(_) => Ok(text(v, "name")?.to_string()),
        None => Err(format!(
            "introspection: a type reference without kind: {}",
            short(v)
        )),
    }
}

/// `(a: T = d, …)`, or nothing without arguments.
fn arguments(args: &[Value]) -> Result<String, String> {
    if args.is_empty() {
        return Ok(String::new());
    }
    let printed: Result<Vec<String>, String> = args.iter().map(input_value).collect();
    Ok(format!("({})", printed?.join(", ")))
}

fn input_value(v: &Value) -> Result<String, String> {
    let mut out = format!("{}: {}", text(v, "name")?, type_ref(&v["type"])?);
    if let Some(default) = v["defaultValue"].as_str() {
        let _ = write!(out, " = {default}");
    }
    Ok(out)
}

/// The schema of an introspection response (`{"data":{"__schema":…}}` or its `data`).
pub fn sdl_from_introspection(response: &Value) -> Result<String, String> {
    let schema = match &response["data"]["__schema"] {
        Value::Null => &response["__schema"],
        s => s,
    };
    if !schema.is_object() {
        return Err("introspection: the answer has no __schema".into());
    }
    let mut out = String::from("schema {\n");
    for (op, key) in [
        ("query", "queryType"),
        ("mutation", "mutationType"),
        ("subscription", "subscriptionType"),
    ] {
        if let Some(name) = schema[key]["name"].as_str() {
            let _ = writeln!(out, "  {op}: {name}");
        }
    }
    out.push_str("}\n");
    let mut types: Vec<&Value> = list(schema, "types").iter().collect();
    types.sort_by_key(|t| t["name"].as_str().unwrap_or_default().to_string());
    for t in types {
        let name = text(t, "name")?;
        if name.starts_with("__") || BUILT_IN_SCALARS.contains(&name) {
            continue;
        }
        out.push('\n');
        print_type(&mut out, t, name)?;
    }
    for d in list(schema, "directives") {
        let name = text(d, "name")?;
        if BUILT_IN_DIRECTIVES.contains(&name) {
            continue;
        }
        let locations: Vec<&str> = list(d, "locations")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let _ = writeln!(
            out,
            "\ndirective @{name}{} on {}",
            arguments(list(d, "args"))?,
            locations.join(" | ")
        );
    }
    Ok(out)
}

fn print_type(out: &mut String, t: &Value, name: &str) -> Result<(), String> {
    let kind = text(t, "kind")?;
    let implements = |out: &mut String| -> Result<(), String> {
        let names: Result<Vec<String>, String> =
            list(t, "interfaces").iter().map(type_ref).collect();
        let names = names?;
        if !names.is_empty() {
            let _ = write!(out, " implements {}", names.join(" & "));
        }
        Ok(())
    };
    match kind {
        "SCALAR" => {
            let _ = writeln!(out, "scalar {name}");
        }
        "OBJECT" | "INTERFACE" => {
            let keyword = if kind == "OBJECT" {
                "type"
            } else {
                "interface"
            };
            let _ = write!(out, "{keyword} {name}");
            implements(out)?;
            out.push_str(" {\n");
            for f in list(t, "fields") {
                let (field, args) = (text(f, "name")?, arguments(list(f, "args"))?);
                let _ = writeln!(out, "  {field}{args}: {}", type_ref(&f["type"])?);
            }
            out.push_str("}\n");
        }
        "UNION" => {
            let members: Result<Vec<String>, String> =
                list(t, "possibleTypes").iter().map(type_ref).collect();
            let _ = writeln!(out, "union {name} = {}", members?.join(" | "));
        }
        "ENUM" => {
            let _ = writeln!(out, "enum {name} {{");
            for v in list(t, "enumValues") {
                let _ = writeln!(out, "  {}", text(v, "name")?);
            }
            out.push_str("}\n");
        }
        "INPUT_OBJECT" => {
            let _ = writeln!(out, "input {name} {{");
            for f in list(t, "inputFields") {
                let _ = writeln!(out, "  {}", input_value(f)?);
            }
            out.push_str("}\n");
        }
        other => {
            return Err(format!(
                "introspection: type {name} of unknown kind {other}"
            ))
        }
    }
    Ok(())
}
