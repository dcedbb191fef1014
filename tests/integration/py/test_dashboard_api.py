"""The dashboard's HTTP surface, driven as a browser would drive it: the embedded assets under
/_cairn/ui/, sign-in with an access key (an HttpOnly, SameSite=Strict session cookie with an
expiry), sign-out, the presign API whose URLs then work against the S3 API (checked with boto3),
the CSRF guards, and the separate --console-listen address."""
import http.client
import json
import unittest
import urllib.parse

import cairn_server
from cairn_server import CairnServer, CairnTestCase, free_port

API = "/_cairn/api/"


def tearDownModule():
    cairn_server.shutdown()


class Browser:
    """A cookie jar and same-origin request headers: what the dashboard's own page sends."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.cookie = None

    def request(self, method, path, body=None, headers=None, dashboard_header=True):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            h = {"Origin": "http://%s:%d" % (self.host, self.port)}
            if dashboard_header:
                h["X-Cairn-Dashboard"] = "1"
            if self.cookie:
                h["Cookie"] = self.cookie
            if body is not None:
                body = json.dumps(body).encode() if not isinstance(body, bytes) else body
                h["Content-Type"] = "application/json"
            h.update(headers or {})
            conn.request(method, path, body=body, headers=h)
            resp = conn.getresponse()
            data = resp.read()
            set_cookie = resp.getheader("Set-Cookie")
            if set_cookie:
                pair = set_cookie.split(";", 1)[0]
                self.cookie = None if pair.endswith("=") else pair
            return resp, data
        finally:
            conn.close()

    def sign_in(self, key, secret):
        return self.request("POST", API + "session", {"accessKeyId": key, "secretAccessKey": secret})

    def presign(self, *requests, expires=None):
        body = {"requests": list(requests)}
        if expires:
            body["expiresIn"] = expires
        resp, data = self.request("POST", API + "presign", body)
        return resp, json.loads(data)

    def s3(self, method, url, body=None, headers=None):
        """Follows a presigned URL like fetch() does: no credentials of its own."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request(method, url, body=body, headers=headers or {})
            resp = conn.getresponse()
            return resp, resp.read()
        finally:
            conn.close()


class DashboardApiTests(CairnTestCase):
    def browser(self):
        return Browser(self.t.host, self.t.port)

    def test_assets_are_embedded_and_served_with_a_strict_policy(self):
        b = self.browser()
        resp, page = b.request("GET", "/_cairn/ui/", dashboard_header=False)
        self.assertEqual(resp.status, 200)
        self.assertTrue(resp.getheader("Content-Type").startswith("text/html"))
        self.assertIn(b'src="app.js"', page)
        csp = resp.getheader("Content-Security-Policy")
        self.assertIn("default-src 'self'", csp)
        self.assertIn("frame-ancestors 'none'", csp)
        for asset, kind in (("app.js", "text/javascript"), ("app.css", "text/css")):
            resp, data = b.request("GET", "/_cairn/ui/" + asset, dashboard_header=False)
            self.assertEqual(resp.status, 200, asset)
            self.assertTrue(resp.getheader("Content-Type").startswith(kind), asset)
            self.assertGreater(len(data), 100, asset)
            etag = resp.getheader("ETag")
            again, body = b.request("GET", "/_cairn/ui/" + asset, headers={"If-None-Match": etag},
                                    dashboard_header=False)
            self.assertEqual(again.status, 304, asset)
            self.assertEqual(body, b"")
        # The assets load nothing from other origins.
        resp, js = b.request("GET", "/_cairn/ui/app.js", dashboard_header=False)
        self.assertNotIn(b"https://cdn", js)
        resp, _ = b.request("GET", "/_cairn/ui/missing.js", dashboard_header=False)
        self.assertEqual(resp.status, 404)
        resp, _ = b.request("GET", "/_cairn/ui", dashboard_header=False)
        self.assertEqual(resp.status, 301)
        self.assertEqual(resp.getheader("Location"), "/_cairn/ui/")

    def test_sign_in_sets_a_strict_http_only_cookie_and_sign_out_ends_it(self):
        b = self.browser()
        resp, _ = b.request("GET", API + "session")
        self.assertEqual(resp.status, 401)
        resp, data = b.sign_in(self.t.access_key, self.t.secret_key)
        self.assertEqual(resp.status, 200, data)
        cookie = resp.getheader("Set-Cookie")
        self.assertRegex(cookie, r"^cairn_session=[0-9a-f]{64};")
        for attribute in ("HttpOnly", "SameSite=Strict", "Path=/_cairn/", "Max-Age=43200"):
            self.assertIn(attribute, cookie)
        self.assertNotIn(self.t.secret_key, data.decode())
        resp, data = b.request("GET", API + "session")
        self.assertEqual(resp.status, 200)
        self.assertEqual(json.loads(data)["accessKeyId"], self.t.access_key)
        old_cookie = b.cookie
        resp, _ = b.request("DELETE", API + "session")
        self.assertEqual(resp.status, 204)
        self.assertIn("Max-Age=0", resp.getheader("Set-Cookie"))
        # The old token is dead on the server, not only forgotten by the browser.
        b.cookie = old_cookie
        resp, _ = b.request("GET", API + "session")
        self.assertEqual(resp.status, 401)
        resp, _ = b.presign({"method": "GET"})
        self.assertEqual(resp.status, 401)

    def test_wrong_credentials_get_a_clear_message(self):
        b = self.browser()
        for key, secret in ((self.t.access_key, "wrong"), ("NOSUCHKEY", self.t.secret_key)):
            resp, data = b.sign_in(key, secret)
            self.assertEqual(resp.status, 401)
            self.assertIsNone(resp.getheader("Set-Cookie"))
            err = json.loads(data)["error"]
            self.assertEqual(err["code"], "InvalidCredentials")
            self.assertIn("wrong", err["message"])
        resp, data = b.request("POST", API + "session", b"{not json")
        self.assertEqual(resp.status, 400)

    def test_presigned_urls_work_against_the_s3_api(self):
        b = self.browser()
        b.sign_in(self.t.access_key, self.t.secret_key)
        bucket = "dash-" + cairn_server.secrets.token_hex(5)
        resp, out = b.presign({"method": "PUT", "bucket": bucket})
        self.assertEqual(resp.status, 200, out)
        resp, _ = b.s3("PUT", out["urls"][0])
        self.assertEqual(resp.status, 200)
        self.addCleanup(self.empty_and_delete, bucket)

        key = "folder/día 1 + more.txt"
        resp, out = b.presign({"method": "PUT", "bucket": bucket, "key": key,
                               "headers": {"Content-Type": "text/plain"}})
        url = out["urls"][0]
        resp, _ = b.s3("PUT", url, b"hello dashboard", {"Content-Type": "text/plain"})
        self.assertEqual(resp.status, 200)
        got = self.s3.get_object(Bucket=bucket, Key=key)
        self.assertEqual(got["Body"].read(), b"hello dashboard")
        self.assertEqual(got["ContentType"], "text/plain")
        # The signed Content-Type is binding.
        resp, body = b.s3("PUT", url, b"<html>", {"Content-Type": "text/html"})
        self.assertEqual(resp.status, 403)
        self.assertIn(b"SignatureDoesNotMatch", body)

        resp, out = b.presign({"method": "GET", "bucket": bucket, "query": {"list-type": "2"}},
                              {"method": "GET", "bucket": bucket, "key": key},
                              expires=60)
        self.assertEqual(len(out["urls"]), 2)
        self.assertIn("X-Amz-Expires=60", out["urls"][0])
        resp, listing = b.s3("GET", out["urls"][0])
        self.assertEqual(resp.status, 200)
        self.assertIn("<Key>folder/día 1 + more.txt</Key>".encode(), listing)
        resp, data = b.s3("GET", out["urls"][1])
        self.assertEqual(data, b"hello dashboard")

    def test_presign_refuses_bad_requests_with_reasons(self):
        b = self.browser()
        b.sign_in(self.t.access_key, self.t.secret_key)
        resp, out = b.presign({"method": "PATCH", "bucket": "x"})
        self.assertEqual(resp.status, 400)
        self.assertIn("method", out["error"]["message"])
        resp, out = b.presign({"method": "GET", "bucket": "x"}, expires=86400)
        self.assertEqual(resp.status, 400)
        self.assertIn("expiresIn", out["error"]["message"])

    def test_cross_origin_and_form_requests_are_refused(self):
        b = self.browser()
        b.sign_in(self.t.access_key, self.t.secret_key)
        # A page of another origin (even on the same host) cannot use the session.
        resp, _ = b.request("POST", API + "presign", {"requests": [{"method": "GET"}]},
                            headers={"Origin": "http://127.0.0.1:1"})
        self.assertEqual(resp.status, 403)
        resp, _ = b.request("POST", API + "presign", {"requests": [{"method": "GET"}]},
                            headers={"Sec-Fetch-Site": "same-site"})
        self.assertEqual(resp.status, 403)
        # An HTML form cannot send the dashboard header.
        resp, _ = b.request("POST", API + "presign", b"requests=1", dashboard_header=False,
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(resp.status, 403)
        # Preflights for the API get no CORS grant.
        resp, _ = b.request("OPTIONS", API + "presign", dashboard_header=False,
                            headers={"Access-Control-Request-Method": "POST"})
        self.assertIsNone(resp.getheader("Access-Control-Allow-Origin"))

    def test_unknown_api_calls(self):
        b = self.browser()
        resp, data = b.request("GET", API + "nothing")
        self.assertEqual(resp.status, 404)
        resp, data = b.request("PUT", API + "session", {})
        self.assertEqual(resp.status, 405)


class ConsoleListenTests(unittest.TestCase):
    def test_console_address_serves_the_dashboard_and_its_s3_requests(self):
        if cairn_server.external():
            self.skipTest("needs its own cairn")
        port = free_port()
        server = CairnServer(name="console", extra_args=["--console-listen", "127.0.0.1:%d" % port])
        server.start()
        self.addCleanup(server.cleanup)
        b = Browser("127.0.0.1", port)
        resp, _ = b.request("GET", "/", dashboard_header=False)
        self.assertEqual(resp.status, 302)
        self.assertEqual(resp.getheader("Location"), "/_cairn/ui/")
        resp, page = b.request("GET", "/_cairn/ui/", dashboard_header=False)
        self.assertEqual(resp.status, 200)
        resp, _ = b.sign_in(server.access_key, server.secret_key)
        self.assertEqual(resp.status, 200)
        resp, out = b.presign({"method": "PUT", "bucket": "console-bucket"})
        resp, _ = b.s3("PUT", out["urls"][0])
        self.assertEqual(resp.status, 200)
        s3 = cairn_server.client(server.target())
        self.assertIn("console-bucket", [x["Name"] for x in s3.list_buckets()["Buckets"]])
        with open(server.log_path) as log:
            self.assertIn("dashboard:      http://127.0.0.1:%d/_cairn/ui/" % port, log.read())


if __name__ == "__main__":
    cairn_server.main()
