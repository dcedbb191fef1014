"""The R2 binding's wire (docs/r2-binding-protocol.md) as anyone reaching the S3 listener can use
it, byte for byte: workerd's well-formed calls are tested through workerd itself
(js/r2-binding.test.mjs); here are the malformed, unauthenticated and oversized ones. Each must be
answered with a CF-R2-Error header (JSON with a v4code and a message) and the right status, store
nothing, keep the secret out of every response and log line, and leave the server serving."""
import json
import secrets
import unittest

import cairn_server
import raw_http
from cairn_server import CairnTestCase


def tearDownModule():
    cairn_server.shutdown()


class BindingWire(CairnTestCase):
    def setUp(self):
        self.bucket = self.new_bucket("wire")

    def headers(self, bucket=None, key_id=None, secret=None):
        return [("cairn-bucket", bucket if bucket is not None else self.bucket),
                ("cairn-access-key-id", key_id if key_id is not None else self.t.access_key),
                ("cairn-secret-access-key", secret if secret is not None else self.t.secret_key)]

    def send(self, method, headers, body=b"", content_length=None, timeout=10.0):
        lines = ["%s / HTTP/1.1" % method, "Host: fake-host"]
        lines += ["%s: %s" % (k, v) for k, v in headers]
        if method == "PUT" or body:
            lines.append("Content-Length: %d" % (len(body) if content_length is None else content_length))
        data = ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + body
        result = raw_http.exchange(self.t.host, self.t.port, data, timeout=timeout)
        self.assertTrue(result.responses, "no response: %r" % (result,))
        return result

    def get(self, request, **kw):
        return self.send("GET", self.headers(**kw) + [("CF-R2-Request", json.dumps(request))])

    def put(self, request, value=b"", **kw):
        doc = json.dumps(request).encode("utf-8")
        return self.send("PUT", self.headers(**kw) + [("CF-R2-Metadata-Size", str(len(doc)))],
                         doc + value)

    def assert_binding_error(self, result, status, v4code):
        r = result.first
        self.assertEqual(r.status, status, r)
        error = json.loads(r.header("cf-r2-error"))
        self.assertEqual(error["version"], 1)
        self.assertEqual(error["v4code"], v4code, error)
        self.assertTrue(error["message"])
        return error["message"]

    def assert_absent(self, key):
        with self.assertRaises(Exception):
            self.s3.head_object(Bucket=self.bucket, Key=key)

    def test_a_well_formed_call_works_byte_for_byte(self):
        r = self.put({"version": 1, "method": "put", "object": "raw.txt"}, b"raw bytes").first
        self.assertEqual(r.status, 200, r)
        record = json.loads(r.body)
        self.assertEqual(record["name"], "raw.txt")
        self.assertEqual(record["size"], 9)
        got = self.get({"version": 1, "method": "get", "object": "raw.txt"}).first
        self.assertEqual(got.status, 200)
        size = int(got.header("cf-r2-metadata-size"))
        self.assertEqual(json.loads(got.body[:size])["etag"], record["etag"])
        self.assertEqual(got.body[size:], b"raw bytes")
        self.assertIsNone(got.header("content-encoding"))
        missing = self.get({"version": 1, "method": "head", "object": "nothing"})
        self.assert_binding_error(missing, 404, 10007)

    def test_credentials(self):
        for kw, status, code in [
                ({"secret": "wrong-" + secrets.token_hex(8)}, 403, 10035),
                ({"secret": ""}, 403, 10035),
                ({"key_id": "NOSUCHKEY"}, 401, 10002),
                ({"key_id": ""}, 401, 10002)]:
            with self.subTest(**kw):
                result = self.put({"version": 1, "method": "put", "object": "intruder"}, b"x", **kw)
                message = self.assert_binding_error(result, status, code)
                if kw.get("secret"):
                    self.assertNotIn(kw["secret"], message)
                    self.assertNotIn(kw["secret"].encode(), b"".join(
                        v.encode() for _, v in result.first.headers))
        self.assert_absent("intruder")
        log = self.t.server.log_tail(1 << 20) if self.t.server else ""
        self.assertNotIn(self.t.secret_key, log)

    def test_the_bucket_header_is_required(self):
        message = self.assert_binding_error(
            self.get({"version": 1, "method": "head", "object": "k"}, bucket=""), 400, 10029)
        self.assertIn("cairn-bucket", message)
        self.assert_binding_error(
            self.get({"version": 1, "method": "head", "object": "k"}, bucket="no-such-bucket-x"),
            404, 10006)

    def test_malformed_requests(self):
        for doc in [b"not json", b"[]", b'{"version":2,"method":"put","object":"k"}',
                    b'{"version":1,"method":"createBucket"}',
                    b'{"version":1,"method":"put","object":5}',
                    b'{"version":1,"method":"get","object":"k"}',
                    b'{"version":1,"method":"put","object":"k","ssec":{"key":"00"}}']:
            with self.subTest(doc=doc):
                result = self.send("PUT", self.headers() + [("CF-R2-Metadata-Size", str(len(doc)))],
                                   doc)
                self.assertIn(result.first.status, (400, 501), result.first)
                self.assertIsNotNone(result.first.header("cf-r2-error"))
        # A metadata size past the body, or not a number.
        for size in ["100", "-1", "abc", ""]:
            with self.subTest(size=size):
                result = self.send("PUT", self.headers() + [("CF-R2-Metadata-Size", size)], b"{}")
                self.assert_binding_error(result, 400, 10029)
        # A method that carries no value, given one.
        doc = json.dumps({"version": 1, "method": "delete", "object": "k"}).encode()
        result = self.send("PUT", self.headers() + [("CF-R2-Metadata-Size", str(len(doc)))],
                           doc + b"extra")
        self.assert_binding_error(result, 400, 10029)
        # Header values that would go back out as headers of S3's GET.
        result = self.put({"version": 1, "method": "put", "object": "inj",
                           "httpFields": {"contentType": "text/html\r\nX-Injected: 1"}}, b"v")
        self.assert_binding_error(result, 400, 10029)
        self.assert_absent("inj")

    def test_an_unauthenticated_large_body_is_not_read(self):
        doc = json.dumps({"version": 1, "method": "put", "object": "big"}).encode()
        result = self.send("PUT", self.headers(secret="wrong") +
                           [("CF-R2-Metadata-Size", str(len(doc)))],
                           doc + b"x" * (64 << 10), content_length=len(doc) + (1 << 30))
        self.assert_binding_error(result, 403, 10035)
        self.assertTrue(result.closed, "the connection should close rather than read 1 GiB")
        self.assert_absent("big")
        self.assertEqual(self.s3.list_buckets()["ResponseMetadata"]["HTTPStatusCode"], 200)

    def test_plain_s3_requests_to_the_root_are_still_s3(self):
        # ListBuckets is GET / too: without the binding's header it stays S3's.
        names = [b["Name"] for b in self.s3.list_buckets()["Buckets"]]
        self.assertIn(self.bucket, names)


if __name__ == "__main__":
    unittest.main()
