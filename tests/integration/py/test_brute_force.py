"""Brute force is throttled (issue 12, item 7). Dashboard sign-in: after 10 failures in a minute
from one client address, or for one access key id, sign-in answers 429 with Retry-After. The S3
API: beyond 10 SigV4 failures a minute for one access key id, failures are answered 503 SlowDown
with Retry-After, while correctly signed requests with that key are still served.

Each class starts its own server (the failures it counts must not leak into other suites). The
dashboard is looked for on the console listener first, then on the S3 port, so the suite works
whichever of them serves /_cairn/api/."""
import http.client
import json
import os
import secrets

import cairn_server
from cairn_server import CairnServer, CairnTestCase, free_port, raw_request

API = "/_cairn/api/"
LIMIT = 10


def tearDownModule():
    cairn_server.shutdown()


def start_server(test_case):
    console_port = free_port()
    server = CairnServer(name="brute-force",
                         extra_args=["--console-listen", "127.0.0.1:%d" % console_port])
    server.start()
    test_case.addClassCleanup(server.cleanup)
    return server, console_port


def dashboard_request(port, method, path, body=None, source="127.0.0.1"):
    """A same-origin dashboard API request (see dashboard.h) from the loopback address `source`."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30,
                                      source_address=(source, 0))
    try:
        headers = {"X-Cairn-Dashboard": "1", "Origin": "http://127.0.0.1:%d" % port}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.getheader("Retry-After"), resp.read()
    finally:
        conn.close()


def dashboard_port(server, console_port):
    """The port whose /_cairn/api/ is the dashboard's: the console listener's, else the S3 one's."""
    for port in (console_port, server.port):
        try:
            status, _, body = dashboard_request(port, "GET", API + "session")
        except OSError:
            continue
        if status == 401 and b"SignedOut" in body:
            return port
    raise AssertionError("no listener serves the dashboard API")


class SignInThrottleTests(CairnTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server, console_port = start_server(cls)
        cls.port = dashboard_port(cls.server, console_port)

    def sign_in(self, key, secret, source="127.0.0.1"):
        return dashboard_request(self.port, "POST", API + "session",
                                 {"accessKeyId": key, "secretAccessKey": secret}, source)

    def assertThrottled(self, status, retry_after, body):
        self.assertEqual(status, 429, body)
        self.assertIsNotNone(retry_after)
        self.assertTrue(1 <= int(retry_after) <= 60, retry_after)
        error = json.loads(body)["error"]
        self.assertEqual(error["code"], "TooManyAttempts")
        self.assertIn("Try again", error["message"])

    def test_failed_sign_ins_from_one_address_are_throttled(self):
        source = "127.0.0.10"
        for i in range(LIMIT):
            status, _, body = self.sign_in("GUESS%d" % i, "wrong", source)
            self.assertEqual(status, 401, (i, body))
        for i in range(2):
            self.assertThrottled(*self.sign_in("GUESS-MORE%d" % i, "wrong", source))
        # Even the right secret is not looked at while the address is throttled.
        self.assertThrottled(*self.sign_in(self.server.access_key, self.server.secret_key, source))
        # Another address is not affected.
        status, _, body = self.sign_in(self.server.access_key, self.server.secret_key,
                                       "127.0.0.11")
        self.assertEqual(status, 200, body)

    def test_failed_sign_ins_for_one_key_id_are_throttled_across_addresses(self):
        key = "TARGET" + secrets.token_hex(4).upper()
        for i in range(LIMIT):
            status, _, body = self.sign_in(key, "wrong%d" % i, "127.0.1.%d" % (i + 1))
            self.assertEqual(status, 401, (i, body))
        self.assertThrottled(*self.sign_in(key, "wrong", "127.0.1.100"))
        status, _, body = self.sign_in("OTHER" + key, "wrong", "127.0.1.101")
        self.assertEqual(status, 401, body)


class SignatureFailureThrottleTests(CairnTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server, _ = start_server(cls)
        cls.t = cls.server.target()
        cls.s3 = cairn_server.client(cls.t)
        cls.bucket = "brute-" + os.urandom(4).hex()
        cls.s3.create_bucket(Bucket=cls.bucket)

    def signed_get(self, secret=None, access_key=None):
        signer = cairn_server.s3sig.Signer(access_key or self.t.access_key,
                                           secret or self.t.secret_key, self.t.region)
        return raw_request("GET", "/" + self.bucket, t=self.t, signer=signer)

    def assertSlowDown(self, resp):
        self.assertEqual(resp.status, 503, resp)
        self.assertEqual(resp.error_code(), "SlowDown", resp)
        retry_after = resp.header("Retry-After")
        self.assertIsNotNone(retry_after)
        self.assertTrue(1 <= int(retry_after) <= 60, retry_after)

    def test_wrong_signatures_for_the_admin_key_slow_down_but_good_requests_pass(self):
        for i in range(LIMIT):
            resp = self.signed_get(secret="wrong-secret")
            self.assertEqual(resp.status, 403, (i, resp))
            self.assertEqual(resp.error_code(), "SignatureDoesNotMatch")
        for _ in range(2):
            self.assertSlowDown(self.signed_get(secret="wrong-secret"))
            # The key's owner is not locked out: a correct signature is still served.
            self.assertEqual(self.signed_get().status, 200)
            self.s3.put_object(Bucket=self.bucket, Key="still-works", Body=b"ok")
        self.assertEqual(
            self.s3.get_object(Bucket=self.bucket, Key="still-works")["Body"].read(), b"ok")

    def test_unknown_key_ids_slow_down_per_claimed_id(self):
        key = "NOSUCH" + secrets.token_hex(4).upper()
        for i in range(LIMIT):
            resp = self.signed_get(access_key=key)
            self.assertEqual(resp.status, 403, (i, resp))
            self.assertEqual(resp.error_code(), "InvalidAccessKeyId")
        self.assertSlowDown(self.signed_get(access_key=key))
        resp = self.signed_get(access_key="OTHER" + key)
        self.assertEqual(resp.error_code(), "InvalidAccessKeyId", resp)
