"""The dashboard's HTTP surface, driven as a browser would drive it, on its console listener
(--console-listen), an origin apart from the S3 API's: the embedded assets under /_cairn/ui/,
sign-in with an access key (an HttpOnly, SameSite=Strict session cookie with an expiry), sign-out,
the presign API whose URLs name the S3 listener and then work against it cross-origin (checked with
boto3), the CSRF guards, the S3 API's CORS grant to its own console, and the separation itself: no
dashboard on the S3 listener, no S3 on the console, nosniff on objects. Against an external server
(CAIRN_TEST_ENDPOINT) the console is CAIRN_TEST_CONSOLE."""
import http.client
import json
import os
import socket
import unittest
import urllib.parse

import cairn_server
from cairn_server import CairnServer, CairnTestCase, ServerStartError, free_port

API = "/_cairn/api/"


def free_port_pair():
    """A free port P whose P + 1 is free too: the S3 listener and its default console."""
    for _ in range(50):
        port = free_port()
        if port >= 65535:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise RuntimeError("no two adjacent free ports")


def csp_sources(policy):
    """A Content-Security-Policy as {directive: [source, ...]}."""
    directives = (d.split() for d in policy.split(";") if d.strip())
    return {d[0]: d[1:] for d in directives}


def tearDownModule():
    cairn_server.shutdown()


class Browser:
    """A cookie jar and same-origin request headers: what the dashboard's own page sends."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.origin = "http://%s:%d" % (host, port)
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
        """Follows a presigned URL like the page's fetch() does: cross-origin (the console's
        Origin), no credentials of its own, no cookie."""
        u = urllib.parse.urlsplit(url)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        try:
            h = {"Origin": self.origin}
            h.update(headers or {})
            conn.request(method, u.path + "?" + u.query, body=body, headers=h)
            resp = conn.getresponse()
            return resp, resp.read()
        finally:
            conn.close()


def raw(method, host, port, path, headers=None, body=None):
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp, resp.read()
    finally:
        conn.close()


class DashboardApiTests(CairnTestCase):
    @classmethod
    def setUpClass(cls):
        if cairn_server.external():
            console = os.environ.get("CAIRN_TEST_CONSOLE")
            if not console:
                raise unittest.SkipTest("set CAIRN_TEST_CONSOLE to the external server's console")
            u = urllib.parse.urlsplit(console)
            cls.console_host, cls.console_port = u.hostname, u.port
        else:
            cls.console_host, cls.console_port = "127.0.0.1", free_port()
            cls.server_args = ("--console-listen", "127.0.0.1:%d" % cls.console_port)
        super().setUpClass()

    def browser(self):
        return Browser(self.console_host, self.console_port)

    def test_assets_are_embedded_and_served_with_a_strict_policy(self):
        b = self.browser()
        resp, page = b.request("GET", "/_cairn/ui/", dashboard_header=False)
        self.assertEqual(resp.status, 200)
        self.assertTrue(resp.getheader("Content-Type").startswith("text/html"))
        self.assertIn(b'src="app.js"', page)
        csp = resp.getheader("Content-Security-Policy")
        self.assertIn("default-src 'self'", csp)
        self.assertIn("frame-ancestors 'none'", csp)
        # Scripts may reach the S3 API's origin, the console's host name with the S3 port, and
        # object previews load from it; nothing else is allowed beyond the console's own origin.
        s3_origin = "http://%s:%d" % (self.console_host, self.t.port)
        self.assertEqual(csp_sources(csp), {
            "default-src": ["'self'"],
            "img-src": ["'self'", "data:", "blob:", s3_origin],
            "media-src": [s3_origin],
            "frame-src": [s3_origin],
            "style-src": ["'self'"],
            "script-src": ["'self'"],
            "connect-src": ["'self'", s3_origin],
            "frame-ancestors": ["'none'"],
            "base-uri": ["'none'"],
            "form-action": ["'self'"],
        })
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
        # Signed for the S3 listener, never for the console that answered.
        self.assertTrue(out["urls"][0].startswith("http://%s:%d/%s?" % (
            self.console_host, self.t.port, bucket)), out["urls"][0])
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
        # The S3 API lets its console read the answer (CORS without a bucket rule), and no cookie
        # or credential ever rides along.
        self.assertEqual(resp.getheader("Access-Control-Allow-Origin"), b.origin)
        self.assertIsNone(resp.getheader("Access-Control-Allow-Credentials"))
        self.assertIn("ETag", resp.getheader("Access-Control-Expose-Headers"))
        # The console itself serves no S3 path, not even with a valid signature.
        path = urllib.parse.urlsplit(out["urls"][1])
        resp, data = raw("GET", self.console_host, self.console_port, path.path + "?" + path.query)
        self.assertEqual(resp.status, 404)
        self.assertNotIn(b"hello dashboard", data)

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

    def test_the_s3_listener_serves_no_dashboard(self):
        b = self.browser()
        b.sign_in(self.t.access_key, self.t.secret_key)
        self.assertIsNotNone(b.cookie)
        # Cookies are not port-scoped: the browser sends the console's cookie to the S3 listener
        # too. There /_cairn/ui and /_cairn/api are S3 paths (bucket "_cairn"), nothing more.
        origin = "http://%s:%d" % (self.t.host, self.t.port)
        for method, path, body in (("GET", "/_cairn/ui/", None), ("GET", "/_cairn/ui", None),
                                   ("GET", "/_cairn/ui/app.js", None),
                                   ("GET", API + "session", None),
                                   ("POST", API + "presign",
                                    b'{"requests": [{"method": "GET"}]}'),
                                   ("POST", API + "session", json.dumps({
                                       "accessKeyId": self.t.access_key,
                                       "secretAccessKey": self.t.secret_key}).encode())):
            resp, data = raw(method, self.t.host, self.t.port, path, body=body, headers={
                "Cookie": b.cookie, "Origin": origin, "X-Cairn-Dashboard": "1",
                "Sec-Fetch-Site": "same-origin", "Content-Type": "application/json"})
            what = "%s %s" % (method, path)
            self.assertGreaterEqual(resp.status, 400, what)
            self.assertIsNone(resp.getheader("Set-Cookie"), what)
            self.assertIn(b"<Error>", data, what)
            self.assertNotIn(b"urls", data, what)
            self.assertNotIn(b"accessKeyId", data, what)
            self.assertTrue(resp.getheader("Content-Type", "").startswith("application/xml"), what)

    def test_the_s3_api_lets_its_console_in_without_a_cors_rule(self):
        bucket = self.new_bucket("cors")
        s3_origin = (self.t.host, self.t.port)
        console = "http://%s:%d" % (self.console_host, self.console_port)
        resp, _ = raw("OPTIONS", *s3_origin, "/%s/some/key" % bucket, headers={
            "Origin": console, "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "content-type, content-md5"})
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.getheader("Access-Control-Allow-Origin"), console)
        self.assertIn("PUT", resp.getheader("Access-Control-Allow-Methods"))
        self.assertIn("DELETE", resp.getheader("Access-Control-Allow-Methods"))
        self.assertEqual(resp.getheader("Access-Control-Allow-Headers"), "content-type, content-md5")
        self.assertIsNone(resp.getheader("Access-Control-Allow-Credentials"))
        self.assertIn("Origin", resp.getheader("Vary"))
        # The console under another host name (localhost) is the same console on that host.
        resp, _ = raw("OPTIONS", *s3_origin, "/%s/k" % bucket, headers={
            "Host": "localhost:%d" % self.t.port, "Origin": "http://localhost:%d" % self.console_port,
            "Access-Control-Request-Method": "DELETE"})
        self.assertEqual(resp.status, 200)
        # Any other origin, the S3 listener's own among them, still needs a bucket rule.
        for other in ("http://127.0.0.1:1", "http://%s:%d" % s3_origin, "null",
                      "https://%s:%d" % (self.console_host, self.console_port)):
            resp, data = raw("OPTIONS", *s3_origin, "/%s/k" % bucket, headers={
                "Origin": other, "Access-Control-Request-Method": "PUT"})
            self.assertEqual(resp.status, 403, other)
            self.assertIsNone(resp.getheader("Access-Control-Allow-Origin"), other)
        # ListBuckets (no bucket, so no bucket rule could apply) answers the console too.
        b = self.browser()
        b.sign_in(self.t.access_key, self.t.secret_key)
        _, out = b.presign({"method": "GET"})
        resp, data = b.s3("GET", out["urls"][0])
        self.assertEqual(resp.status, 200, data)
        self.assertIn(bucket.encode(), data)
        self.assertEqual(resp.getheader("Access-Control-Allow-Origin"), console)

    def test_object_responses_forbid_sniffing(self):
        bucket = self.new_bucket("sniff")
        self.s3.put_object(Bucket=bucket, Key="page.html", Body=b"<script>1</script>",
                           ContentType="text/html")
        got = self.s3.get_object(Bucket=bucket, Key="page.html")
        got["Body"].read()
        headers = got["ResponseMetadata"]["HTTPHeaders"]
        self.assertEqual(headers.get("x-content-type-options"), "nosniff")
        head = self.s3.head_object(Bucket=bucket, Key="page.html")
        self.assertEqual(head["ResponseMetadata"]["HTTPHeaders"].get("x-content-type-options"),
                         "nosniff")
        ranged = self.s3.get_object(Bucket=bucket, Key="page.html", Range="bytes=0-3")
        self.assertEqual(ranged["Body"].read(), b"<scr")
        self.assertEqual(ranged["ResponseMetadata"]["HTTPHeaders"].get("x-content-type-options"),
                         "nosniff")

    def test_unknown_api_calls(self):
        b = self.browser()
        resp, data = b.request("GET", API + "nothing")
        self.assertEqual(resp.status, 404)
        resp, data = b.request("PUT", API + "session", {})
        self.assertEqual(resp.status, 405)


class ConsoleListenTests(unittest.TestCase):
    """Where the console listens: --listen's port + 1 by default, skipped when taken; an explicit
    address that is taken stops start-up; off; public URLs behind a reverse proxy."""

    def setUp(self):
        if cairn_server.external():
            self.skipTest("needs its own cairn")

    def serve(self, extra_args=(), port=None, name="console"):
        server = CairnServer(name=name, extra_args=list(extra_args))
        self.addCleanup(server.cleanup)
        server.start(port=port)
        return server

    def log(self, server):
        with open(server.log_path) as log:
            return log.read()

    def test_the_console_listens_on_the_next_port_by_default(self):
        port = free_port_pair()
        server = self.serve(port=port)
        self.assertIn("dashboard:      http://127.0.0.1:%d/_cairn/ui/" % (port + 1),
                      self.log(server))
        b = Browser("127.0.0.1", port + 1)
        resp, _ = b.request("GET", "/", dashboard_header=False)
        self.assertEqual(resp.status, 302)
        self.assertEqual(resp.getheader("Location"), "/_cairn/ui/")
        resp, page = b.request("GET", "/_cairn/ui/", dashboard_header=False)
        self.assertEqual(resp.status, 200)
        self.assertIn(b'src="app.js"', page)
        resp, _ = b.request("GET", "/_cairn/health", dashboard_header=False)
        self.assertEqual(resp.status, 200)
        resp, _ = b.sign_in(server.access_key, server.secret_key)
        self.assertEqual(resp.status, 200)
        resp, out = b.presign({"method": "PUT", "bucket": "console-bucket"})
        self.assertTrue(out["urls"][0].startswith("http://127.0.0.1:%d/" % port), out)
        resp, _ = b.s3("PUT", out["urls"][0])
        self.assertEqual(resp.status, 200)
        s3 = cairn_server.client(server.target())
        self.assertIn("console-bucket", [x["Name"] for x in s3.list_buckets()["Buckets"]])
        # The S3 API is not on the console, even signed (boto3 pointed at the console port).
        console_s3 = cairn_server.client(server.target(), endpoint="http://127.0.0.1:%d" % (port + 1))
        with self.assertRaises(Exception):
            console_s3.list_buckets()

    def test_a_taken_default_port_means_no_console(self):
        port = free_port_pair()
        with socket.socket() as squatter:
            squatter.bind(("127.0.0.1", port + 1))
            squatter.listen(1)
            server = self.serve(port=port)
            log = self.log(server)
            self.assertIn("no dashboard", log)
            self.assertIn("127.0.0.1:%d is taken" % (port + 1), log)
            self.assertIn("dashboard:      none", log)
            self.assertEqual(server.health(), 200)

    def test_a_taken_explicit_address_stops_start_up(self):
        with socket.socket() as squatter:
            squatter.bind(("127.0.0.1", 0))
            squatter.listen(1)
            taken = squatter.getsockname()[1]
            server = CairnServer(name="console-taken",
                                 extra_args=["--console-listen", "127.0.0.1:%d" % taken])
            self.addCleanup(server.cleanup)
            with self.assertRaises(ServerStartError):
                server.start(timeout=10)
            self.assertNotEqual(server.proc.returncode, 0)
            self.assertIn("cannot listen on --console-listen 127.0.0.1:%d" % taken, self.log(server))

    def test_console_listen_off(self):
        port = free_port_pair()
        server = self.serve(["--console-listen", "off"], port=port)
        self.assertIn("dashboard:      none (--console-listen off)", self.log(server))
        with self.assertRaises(OSError):
            socket.create_connection(("127.0.0.1", port + 1), timeout=2).close()
        resp, _ = raw("GET", "127.0.0.1", port, "/_cairn/ui/")
        self.assertNotEqual(resp.status, 200)

    def test_public_urls_for_a_reverse_proxy_on_two_host_names(self):
        console_port = free_port()
        server = self.serve(["--console-listen", "127.0.0.1:%d" % console_port,
                             "--public-url", "https://S3.example.com/",
                             "--console-public-url", "https://console.example.com"])
        console = "https://console.example.com"
        # What the proxy forwards: the public Host and Origin, over plain HTTP.
        h = {"Host": "console.example.com", "Origin": console, "X-Cairn-Dashboard": "1",
             "Content-Type": "application/json"}
        resp, _ = raw("POST", "127.0.0.1", console_port, API + "session", headers=h, body=json.dumps(
            {"accessKeyId": server.access_key, "secretAccessKey": server.secret_key}).encode())
        self.assertEqual(resp.status, 200)
        cookie = resp.getheader("Set-Cookie")
        self.assertIn("Secure", cookie)  # the browser sees https
        h["Cookie"] = cookie.split(";", 1)[0]
        resp, data = raw("POST", "127.0.0.1", console_port, API + "presign", headers=h,
                         body=b'{"requests": [{"method": "GET", "bucket": "b", "key": "k"}]}')
        self.assertEqual(resp.status, 200, data)
        url = json.loads(data)["urls"][0]
        self.assertTrue(url.startswith("https://s3.example.com/b/k?"), url)
        resp, page = raw("GET", "127.0.0.1", console_port, "/_cairn/ui/",
                         headers={"Host": "console.example.com"})
        sources = csp_sources(resp.getheader("Content-Security-Policy"))
        self.assertEqual(sources["connect-src"], ["'self'", "https://s3.example.com"])
        for directive in ("media-src", "frame-src"):
            self.assertEqual(sources[directive], ["https://s3.example.com"], directive)
        self.assertEqual(sources["img-src"], ["'self'", "data:", "blob:", "https://s3.example.com"])
        # The S3 API grants CORS to the configured console origin, and to nothing derived.
        bucket = "proxied"
        cairn_server.client(server.target()).create_bucket(Bucket=bucket)
        resp, _ = raw("OPTIONS", "127.0.0.1", server.port, "/%s/k" % bucket, headers={
            "Host": "s3.example.com", "Origin": console, "Access-Control-Request-Method": "PUT"})
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.getheader("Access-Control-Allow-Origin"), console)
        resp, _ = raw("OPTIONS", "127.0.0.1", server.port, "/%s/k" % bucket, headers={
            "Origin": "http://127.0.0.1:%d" % console_port, "Access-Control-Request-Method": "PUT"})
        self.assertEqual(resp.status, 403)

    def test_public_urls_must_be_origins(self):
        for flag, value in (("--public-url", "s3.example.com"),
                            ("--console-public-url", "https://console.example.com/ui")):
            server = CairnServer(name="bad-url", extra_args=[flag, value])
            self.addCleanup(server.cleanup)
            with self.assertRaises(ServerStartError):
                server.start(timeout=10)
            self.assertNotEqual(server.proc.returncode, 0)
            self.assertIn(flag + " wants an origin", self.log(server))


if __name__ == "__main__":
    cairn_server.main()
