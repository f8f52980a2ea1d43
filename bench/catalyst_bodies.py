"""Scenario 8's bodies: what Catalyst sends to render its root layout and a product page (the
recorded documents of ../shared/catalyst/recorded-operations.json, with the test suite's
variables for the demo's brewer), one JSON request body per line.

    python3 bench/catalyst_bodies.py RECORDED_OPERATIONS_JSON OUT_JSONL
"""
import json
import sys

ops = {o["operationName"]: o["query"] for o in json.load(open(sys.argv[1]))["operations"]}
product = {"entityId": 2, "optionValueIds": [], "useDefaultOptionSelections": True, "currencyCode": "USD"}
variables = {
    "RootLayoutMetadataQuery": {}, "LayoutQuery": {}, "GetRouteQuery": {"path": "/able-brewing-system/"},
    "ProductQuery": {"entityId": 2}, "ProductPageMetadataQuery": {"entityId": 2},
    "StreamableProductQuery": {k: product[k] for k in ("entityId", "optionValueIds", "useDefaultOptionSelections")},
    "ProductPricingAndRelatedProductsQuery": product,
}
with open(sys.argv[2], "w") as out:
    for name, v in variables.items():
        out.write(json.dumps({"operationName": name, "query": ops[name], "variables": v}) + "\n")
