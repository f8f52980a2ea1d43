"""The PyPI `bigcommerce` client, unmodified, against storefront-auth served with --dev-tls.

Env: BC_AUTH_SERVICE=localhost:PORT and BC_API_ENDPOINT=localhost:PORT (the library's own
settings), REQUESTS_CA_BUNDLE=<the dev CA>, ACCESS_TOKEN (the demo API account).
Each step prints one line naming the library and its version; a failed check exits non-zero.
"""
import os
import sys
import time
import urllib.parse
from importlib.metadata import version

import bigcommerce
import jwt as pyjwt
import requests
from bigcommerce.api import BigcommerceApi
from bigcommerce.customer_login_token import CustomerLoginTokens

LIB = f"bigcommerce (PyPI) {version('bigcommerce')}"
BASE = f"https://{os.environ['BC_API_ENDPOINT']}"
ADMIN = {"X-Auth-Token": os.environ["ACCESS_TOKEN"], "Accept": "application/json"}


def say(what):
    print(f"{LIB}: {what}", flush=True)


def expect(cond, what, detail=""):
    if not cond:
        print(f"FAILED: {what}: {detail}", file=sys.stderr, flush=True)
        sys.exit(1)


# An app that asks for the Customer Login scope, installed on the demo store: the install sends
# the browser to the auth callback with a code (followed by hand here).
callback = "https://app.example/auth"
r = requests.post(f"{BASE}/stores/demo/v3/apps", headers=ADMIN, json={
    "name": "Python app", "auth_callback": callback, "load_callback": "https://app.example/load",
    "scopes": ["store_v2_customers_login", "store_v2_information_read_only"]})
expect(r.status_code == 201, "register app", r.text)
app = r.json()["data"]
r = requests.post(f"{BASE}/stores/demo/v3/apps/{app['client_id']}/install", headers=ADMIN, allow_redirects=False)
expect(r.status_code == 302, "install", r.text)
query = urllib.parse.parse_qs(urllib.parse.urlsplit(r.headers["Location"]).query)

# OAuthConnection.fetch_token: the library's form-encoded exchange at BC_AUTH_SERVICE.
api = BigcommerceApi(client_id=app["client_id"], store_hash="demo")
grant = api.oauth_fetch_token(app["client_secret"], query["code"][0], query["context"][0], query["scope"][0], callback)
expect(grant["context"] == "stores/demo" and grant["access_token"], "fetch_token grant", grant)
say(f"OAuthConnection.fetch_token exchanged the code (scope: {grant['scope']})")
try:
    api.oauth_fetch_token(app["client_secret"], query["code"][0], query["context"][0], query["scope"][0], callback)
    expect(False, "a replayed code must be refused")
except bigcommerce.exception.ClientRequestException as e:
    expect(e.response.status_code == 400, "replayed code status", e.response.text)
    say("a replayed code raised ClientRequestException (HTTP 400)")

# The same connection now carries the install's token.
now = api.Time.all()
expect(abs(now["time"] - int(time.time())) < 60, "GET v2/time with the app token", now)
say("the install's access token reads v2/time through the library")

# CustomerLoginTokens.create: an HS256 Customer Login JWT signed with the app's secret.
os.environ["APP_CLIENT_SECRET"] = app["client_secret"]
jwt = CustomerLoginTokens.create(api, 1, redirect_url="/account.php")
r = requests.get(f"{BASE}/login/token/{jwt}", allow_redirects=False)
expect(r.status_code == 302 and r.headers["Location"] == "/account.php", "login/token accepted", (r.status_code, r.headers.get("Location")))
expect("SHOP_TOKEN=" in r.headers.get("Set-Cookie", ""), "session cookie set", r.headers)
say("CustomerLoginTokens.create made a JWT that /login/token accepted (302 /account.php, SHOP_TOKEN set)")
r = requests.get(f"{BASE}/login/token/{jwt}", allow_redirects=False)
expect(r.headers["Location"].startswith("/login.php?error="), "a reused login JWT is refused", r.headers)
say("the same JWT a second time was refused")

# verify_payload_jwt and verify_payload on what the load callback receives.
r = requests.get(f"{BASE}/stores/demo/v3/apps/{app['client_id']}/load", headers=ADMIN, allow_redirects=False)
expect(r.status_code == 302, "load", r.text)
load = urllib.parse.parse_qs(urllib.parse.urlsplit(r.headers["Location"]).query)
claims = BigcommerceApi.oauth_verify_payload_jwt(load["signed_payload_jwt"][0], app["client_secret"], app["client_id"])
expect(claims["sub"] == "stores/demo" and claims["aud"] == app["client_id"], "verify_payload_jwt", claims)
say("verify_payload_jwt accepted the load callback's signed_payload_jwt")
data = BigcommerceApi.oauth_verify_payload(load["signed_payload"][0], app["client_secret"])
expect(data and data["store_hash"] == "demo", "verify_payload", data)
say("verify_payload accepted the legacy signed_payload")
try:
    BigcommerceApi.oauth_verify_payload_jwt(load["signed_payload_jwt"][0], "wrong-secret", app["client_id"])
    refused = None
except pyjwt.exceptions.InvalidSignatureError as e:
    refused = e
expect(refused is not None, "a wrong secret must fail with InvalidSignatureError")
say(f"a wrong secret was refused ({type(refused).__name__})")
