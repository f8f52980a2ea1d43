use super::*;

fn method(id: i64, kind: RateKind, rate_cents: i64, countries: &[&str]) -> Method {
    Method {
        id,
        name: format!("Method {id}"),
        kind,
        rate_cents,
        countries: countries.iter().map(|c| c.to_string()).collect(),
    }
}

#[test]
fn quotes_by_country_kind_and_units() {
    let methods = [
        method(1, RateKind::Flat, 1_000, &["US", "CA"]),
        method(2, RateKind::Free, 0, &["US"]),
        method(3, RateKind::PerItem, 1_500, &[]),
    ];
    // (country, units, expected (option id, cost), recommended option)
    type Case<'a> = (&'a str, i64, &'a [(&'a str, i64)], &'a str);
    let cases: &[Case] = &[
        ("US", 3, &[("1", 1_000), ("2", 0), ("3", 4_500)], "2"),
        ("us", 1, &[("1", 1_000), ("2", 0), ("3", 1_500)], "2"),
        ("CA", 1, &[("1", 1_000), ("3", 1_500)], "1"),
        ("CA", 0, &[("1", 1_000), ("3", 0)], "3"),
        ("FR", 2, &[("3", 3_000)], "3"),
    ];
    for (country, units, expected, recommended) in cases {
        let found = quotes(&methods, country, *units);
        let costs: Vec<(&str, i64)> = found
            .iter()
            .map(|q| (q.option_id.as_str(), q.cost_cents))
            .collect();
        assert_eq!(costs, *expected, "{country} × {units}");
        let rec: Vec<&str> = found
            .iter()
            .filter(|q| q.recommended)
            .map(|q| q.option_id.as_str())
            .collect();
        assert_eq!(rec, [*recommended], "{country} × {units}");
    }
    assert!(quotes(&[], "US", 1).is_empty());
    assert!(quotes(&methods[..2], "FR", 1).is_empty());
}

#[test]
fn equal_costs_recommend_the_first_and_overflow_is_left_out() {
    let methods = [
        method(7, RateKind::Flat, 500, &[]),
        method(8, RateKind::Flat, 500, &[]),
        method(9, RateKind::PerItem, MAX_RATE_CENTS, &[]),
    ];
    let found = quotes(&methods, "NL", i64::MAX / 2);
    assert_eq!(found.len(), 2, "the per-item cost overflows: {found:?}");
    assert!(found[0].recommended && !found[1].recommended);
    assert_eq!(found[0].option_type, "shipping_flatrate");
}

#[test]
fn methods_are_checked() {
    let us = vec!["us".to_string()];
    assert_eq!(
        check_method("Flat", RateKind::Flat, 1_000, &us),
        Ok(vec!["US".to_string()])
    );
    assert_eq!(check_method("Free", RateKind::Free, 0, &[]), Ok(vec![]));
    let refused: &[(&str, RateKind, i64, &[&str])] = &[
        ("  ", RateKind::Flat, 1, &[]),
        (&"x".repeat(101), RateKind::Flat, 1, &[]),
        ("Free", RateKind::Free, 1, &[]),
        ("Flat", RateKind::Flat, -1, &[]),
        ("Flat", RateKind::Flat, MAX_RATE_CENTS + 1, &[]),
        ("Flat", RateKind::PerItem, 1, &["USA"]),
        ("Flat", RateKind::PerItem, 1, &["1A"]),
    ];
    for (name, kind, rate, countries) in refused {
        let countries: Vec<String> = countries.iter().map(|c| c.to_string()).collect();
        assert!(
            check_method(name, *kind, *rate, &countries).is_err(),
            "{name:?} {kind:?} {rate}"
        );
    }
    for kind in RateKind::ALL {
        assert_eq!(RateKind::parse(kind.as_str()), Some(kind));
    }
    assert_eq!(RateKind::parse("weight"), None);
}
