"""POST Object: browser form uploads. The policy and its signature come from boto3's real
generate_presigned_post (with Fields and Conditions); the form is posted as a browser posts it, as
multipart/form-data built here with the standard library (streamed for the large file)."""
import base64
import hashlib
import http.client
import json
import os
import secrets
import threading
import time
import unittest
import urllib.parse

from botocore.exceptions import ClientError

import cairn_server
import s3sig
from cairn_server import CairnTestCase, Response, xml_text

MiB = 1024 * 1024
APP = "https://app.example.com"


def tearDownModule():
    cairn_server.shutdown()


def field_part(boundary, name, value):
    if isinstance(value, str):
        value = value.encode("utf-8")
    return (b"--" + boundary + b"\r\n" +
            b'Content-Disposition: form-data; name="' + name.encode("utf-8") + b'"\r\n\r\n' +
            value + b"\r\n")


def file_head(boundary, filename, content_type="application/octet-stream"):
    return (b"--" + boundary + b"\r\n" +
            b'Content-Disposition: form-data; name="file"; filename="' +
            filename.encode("utf-8") + b'"\r\n' +
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n")


def form(fields, data=b"", filename="upload.bin", after=(), close=True):
    """(content type, body): the fields in order, then the file, then `after` fields (which S3
    ignores), then the close delimiter unless close is False."""
    boundary = b"----cairnFormBoundary" + secrets.token_hex(8).encode()
    items = fields.items() if isinstance(fields, dict) else fields
    body = b"".join(field_part(boundary, k, v) for k, v in items)
    if data is not None:
        body += file_head(boundary, filename) + data + b"\r\n"
    body += b"".join(field_part(boundary, k, v) for k, v in after)
    if close:
        body += b"--" + boundary + b"--\r\n"
    return "multipart/form-data; boundary=" + boundary.decode(), body


def send(url, content_type, body, headers=None, host=None, path=None, timeout=60):
    """POSTs `body` (bytes, or (length, iterable of bytes) to stream it) to `url`."""
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        length, chunks = (len(body), [body]) if isinstance(body, bytes) else body
        conn.putrequest("POST", path or u.path or "/", skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", host or u.netloc)
        conn.putheader("Content-Type", content_type)
        conn.putheader("Content-Length", str(length))
        for k, v in (headers or {}).items():
            conn.putheader(k, v)
        conn.endheaders()
        for chunk in chunks:
            conn.send(chunk)
        resp = conn.getresponse()
        return Response(resp.status, resp.reason, resp.headers, resp.read())
    finally:
        conn.close()


class PostObjectTests(CairnTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = "post-" + secrets.token_hex(5)
        cls.s3.create_bucket(Bucket=cls.bucket)

    @classmethod
    def tearDownClass(cls):
        cls.empty_and_delete(cls.bucket)
        super().tearDownClass()

    def presign(self, key, fields=None, conditions=None, expires=600, bucket=None):
        return self.s3.generate_presigned_post(bucket or self.bucket, key, Fields=fields,
                                               Conditions=conditions, ExpiresIn=expires)

    def post(self, post, data=b"hello", filename="upload.bin", extra=None, after=(),
             headers=None, close=True):
        fields = dict(post["fields"])
        fields.update(extra or {})
        content_type, body = form(fields, data, filename, after, close)
        return send(post["url"], content_type, body, headers)

    def assertNotStored(self, key):
        with self.assertRaises(ClientError) as cm:
            self.s3.head_object(Bucket=self.bucket, Key=key)
        self.assertClientError(cm.exception, status=404)

    def assertPolicyError(self, resp, status, code, message=None):
        self.assertS3Error(resp, status, code)
        if message is not None:
            self.assertEqual(xml_text(resp.xml(), "Message"), message, resp)

    # -- success --

    def test_small_upload_then_get_returns_bytes_etag_type_and_metadata(self):
        data = b"hello from a browser form\n"
        post = self.presign("notes/hello.txt",
                            fields={"Content-Type": "text/plain", "x-amz-meta-owner": "ana",
                                    "Cache-Control": "max-age=60"},
                            conditions=[{"Content-Type": "text/plain"},
                                        {"x-amz-meta-owner": "ana"},
                                        ["starts-with", "$Cache-Control", "max-age="]])
        resp = self.post(post, data)
        self.assertEqual(resp.status, 204, resp)
        self.assertEqual(resp.body, b"")
        self.assertEqual(resp.header("ETag"), s3sig.quoted_md5(data))
        got = self.s3.get_object(Bucket=self.bucket, Key="notes/hello.txt")
        self.assertEqual(got["Body"].read(), data)
        self.assertEqual(got["ETag"], s3sig.quoted_md5(data))
        self.assertEqual(got["ContentType"], "text/plain")
        self.assertEqual(got["CacheControl"], "max-age=60")
        self.assertEqual(got["Metadata"], {"owner": "ana"})

    def test_filename_variable_takes_the_chosen_files_name(self):
        post = self.presign("uploads/${filename}")
        data = os.urandom(3000)
        resp = self.post(post, data, filename="report 2026.pdf")
        self.assertEqual(resp.status, 204, resp)
        got = self.s3.get_object(Bucket=self.bucket, Key="uploads/report 2026.pdf")
        self.assertEqual(got["Body"].read(), data)
        # No Content-Type field: stored without one, served as S3's default.
        self.assertEqual(got["ContentType"], "binary/octet-stream")

    def test_success_action_status_201_answers_a_post_response(self):
        key = "status/created & named.txt"
        post = self.presign(key, fields={"success_action_status": "201"},
                            conditions=[{"success_action_status": "201"}])
        resp = self.post(post, b"created")
        self.assertEqual(resp.status, 201, resp)
        root = resp.xml()
        self.assertEqual(root.tag.split("}")[-1], "PostResponse")
        self.assertEqual(xml_text(root, "Bucket"), self.bucket)
        self.assertEqual(xml_text(root, "Key"), key)
        self.assertEqual(xml_text(root, "ETag"), s3sig.quoted_md5(b"created"))
        location = xml_text(root, "Location")
        self.assertTrue(location.startswith("http"), location)
        self.assertEqual(urllib.parse.unquote(urllib.parse.urlsplit(location).path),
                         "/%s/%s" % (self.bucket, key))

    def test_success_action_status_200_and_the_204_default(self):
        for asked, want in (("200", 200), ("204", 204), ("404", 204), (None, 204)):
            key = "status/%s" % asked
            fields = {"success_action_status": asked} if asked else None
            conditions = [{"success_action_status": asked}] if asked else None
            resp = self.post(self.presign(key, fields=fields, conditions=conditions), b"x")
            self.assertEqual(resp.status, want, (asked, resp))
            self.assertEqual(resp.body, b"", asked)
            self.assertEqual(resp.header("ETag"), s3sig.quoted_md5(b"x"))
            self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read(), b"x")

    def test_success_action_redirect_answers_303_with_bucket_key_and_etag(self):
        key = "redirect/a b.txt"
        target = APP + "/done?from=form"
        post = self.presign(key, fields={"success_action_redirect": target},
                            conditions=[{"success_action_redirect": target}])
        resp = self.post(post, b"redirected")
        self.assertEqual(resp.status, 303, resp)
        location = resp.header("Location")
        self.assertTrue(location.startswith(target + "&"), location)
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
        self.assertEqual(query["from"], ["form"])
        self.assertEqual(query["bucket"], [self.bucket])
        self.assertEqual(query["key"], [key])
        self.assertEqual(query["etag"], [s3sig.quoted_md5(b"redirected")])
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read(),
                         b"redirected")

    def test_starts_with_conditions(self):
        post = self.presign("images/cat.png",
                            fields={"Content-Type": "image/png", "x-amz-meta-tag": "anything"},
                            conditions=[["starts-with", "$Content-Type", "image/"],
                                        ["starts-with", "$x-amz-meta-tag", ""]])
        self.assertEqual(self.post(post, b"png").status, 204)
        self.assertEqual(
            self.s3.head_object(Bucket=self.bucket, Key="images/cat.png")["ContentType"],
            "image/png")
        resp = self.post(post, b"html", extra={"Content-Type": "text/html"})
        self.assertPolicyError(resp, 403, "AccessDenied",
                               'Invalid according to Policy: Policy Condition failed: '
                               '["starts-with", "$Content-Type", "image/"]')

    def test_fields_after_the_file_are_ignored(self):
        post = self.presign("order/first.txt")
        resp = self.post(post, b"first", after=[("key", "order/second.txt"),
                                                ("x-amz-meta-late", "1")])
        self.assertEqual(resp.status, 204, resp)
        got = self.s3.get_object(Bucket=self.bucket, Key="order/first.txt")
        self.assertEqual(got["Body"].read(), b"first")
        self.assertEqual(got["Metadata"], {})
        self.assertNotStored("order/second.txt")

    def test_virtual_hosted_style(self):
        post = self.presign("vhost/form.txt")
        content_type, body = form(post["fields"], b"virtual")
        host = "%s.localhost:%d" % (self.bucket, self.t.port)
        resp = send(post["url"], content_type, body, host=host, path="/")
        self.assertEqual(resp.status, 204, resp)
        self.assertEqual(
            self.s3.get_object(Bucket=self.bucket, Key="vhost/form.txt")["Body"].read(), b"virtual")

    def test_content_md5_field_is_verified(self):
        data = b"checked bytes"
        md5 = base64.b64encode(hashlib.md5(data).digest()).decode()
        post = self.presign("md5/ok", fields={"Content-MD5": md5}, conditions=[{"Content-MD5": md5}])
        self.assertEqual(self.post(post, data).status, 204)
        bad = self.presign("md5/bad", fields={"Content-MD5": md5}, conditions=[{"Content-MD5": md5}])
        self.assertS3Error(self.post(bad, b"other bytes"), 400, "BadDigest")
        self.assertNotStored("md5/bad")

    # -- refused --

    def test_content_length_range_too_small_and_too_large(self):
        conditions = [["content-length-range", 10, 20]]
        post = self.presign("sized/file", conditions=conditions)
        self.assertS3Error(self.post(post, b"x" * 9), 400, "EntityTooSmall")
        self.assertS3Error(self.post(post, b"x" * 21), 400, "EntityTooLarge")
        self.assertS3Error(self.post(post, b"x" * 5000), 400, "EntityTooLarge")
        self.assertNotStored("sized/file")
        for size in (10, 20):
            self.assertEqual(self.post(post, b"y" * size).status, 204, size)
            self.assertEqual(
                self.s3.head_object(Bucket=self.bucket, Key="sized/file")["ContentLength"], size)

    def test_expired_policy(self):
        post = self.presign("expired/file", expires=-60)
        resp = self.post(post)
        self.assertPolicyError(resp, 403, "AccessDenied",
                               "Invalid according to Policy: Policy expired.")
        self.assertNotStored("expired/file")

    def test_wrong_signature(self):
        post = self.presign("signed/file")
        sig = post["fields"]["x-amz-signature"]
        flipped = ("0" if sig[0] != "0" else "1") + sig[1:]
        self.assertS3Error(self.post(post, extra={"x-amz-signature": flipped}), 403,
                           "SignatureDoesNotMatch")
        # A policy changed after signing (here: a wider key prefix) no longer matches.
        policy = json.loads(base64.b64decode(post["fields"]["policy"]))
        policy["conditions"] = [c for c in policy["conditions"]
                                if not (isinstance(c, dict) and "key" in c)]
        policy["conditions"].append(["starts-with", "$key", ""])
        forged = base64.b64encode(json.dumps(policy).encode()).decode()
        self.assertS3Error(self.post(post, extra={"policy": forged, "key": "anywhere"}), 403,
                           "SignatureDoesNotMatch")
        other = cairn_server.client(self.t, secret_key="not-the-secret-key")
        wrong_key = other.generate_presigned_post(self.bucket, "signed/file")
        self.assertS3Error(self.post(wrong_key), 403, "SignatureDoesNotMatch")
        self.assertNotStored("signed/file")
        self.assertNotStored("anywhere")

    def test_field_not_in_the_policy(self):
        post = self.presign("extra/file")
        resp = self.post(post, extra={"x-amz-meta-sneaky": "1"})
        self.assertPolicyError(resp, 403, "AccessDenied",
                               "Invalid according to Policy: Extra input fields: x-amz-meta-sneaky")
        self.assertNotStored("extra/file")
        # x-ignore-* fields need no condition.
        self.assertEqual(self.post(post, extra={"x-ignore-note": "1"}).status, 204)

    def test_key_outside_the_allowed_prefix(self):
        post = self.presign("uploads/ana/${filename}")
        resp = self.post(post, extra={"key": "private/${filename}"}, filename="x.txt")
        self.assertPolicyError(resp, 403, "AccessDenied",
                               'Invalid according to Policy: Policy Condition failed: '
                               '["starts-with", "$key", "uploads/ana/"]')
        self.assertNotStored("private/x.txt")

    def test_form_without_a_policy_is_anonymous_and_denied(self):
        content_type, body = form({"key": "anon/file"}, b"anonymous")
        resp = send(self.presign("anon/file")["url"], content_type, body)
        self.assertS3Error(resp, 403, "AccessDenied")
        self.assertNotStored("anon/file")

    def test_no_such_bucket(self):
        post = self.presign("file", bucket="no-such-bucket-" + secrets.token_hex(4))
        self.assertS3Error(self.post(post), 404, "NoSuchBucket")

    def test_form_without_a_key(self):
        post = self.presign("nokey/file")
        fields = {k: v for k, v in post["fields"].items() if k != "key"}
        content_type, body = form(fields, b"data")
        self.assertS3Error(send(post["url"], content_type, body), 400, "InvalidArgument")

    def test_malformed_multipart(self):
        post = self.presign("malformed/file")
        url = post["url"]
        content_type, body = form(post["fields"], b"data")
        boundary = content_type.split("boundary=")[1]
        no_file_type, no_file = form(post["fields"], None)
        cases = [
            ("no closing boundary", content_type, form(post["fields"], b"data", close=False)[1],
             400, "MalformedPOSTRequest"),
            ("cut inside the file", content_type, body[:-len(boundary) - 12], 400,
             "MalformedPOSTRequest"),
            ("no boundary parameter", "multipart/form-data", body, 400, "MalformedPOSTRequest"),
            ("another boundary", "multipart/form-data; boundary=somethingelse", body, 400,
             "MalformedPOSTRequest"),
            ("part without Content-Disposition", content_type,
             b"--" + boundary.encode() + b"\r\nContent-Type: text/plain\r\n\r\nx\r\n--" +
             boundary.encode() + b"--\r\n", 400, "MalformedPOSTRequest"),
            ("not a form", "application/x-www-form-urlencoded", b"key=malformed%2Ffile", 412,
             "PreconditionFailed"),
            ("no file", no_file_type, no_file, 400, "IncorrectNumberOfFilesInPostRequest"),
        ]
        for what, ctype, data, status, code in cases:
            with self.subTest(what):
                self.assertS3Error(send(url, ctype, data), status, code)
        self.assertNotStored("malformed/file")

    def test_fields_before_the_file_are_bounded(self):
        post = self.presign("big-fields/file", fields={"x-amz-meta-big": "v" * (30 * 1024)},
                            conditions=[["starts-with", "$x-amz-meta-big", ""]])
        self.assertS3Error(self.post(post), 400, "MaxPostPreDataLengthExceededError")
        self.assertNotStored("big-fields/file")

    def test_failed_post_leaves_the_previous_object_intact(self):
        key = "keep/this"
        old = b"the previous version"
        etag = self.s3.put_object(Bucket=self.bucket, Key=key, Body=old)["ETag"]
        server = None if cairn_server.external() else self.t.server
        before = cairn_server.data_usage(server) if server else None
        post = self.presign(key, conditions=[["content-length-range", 0, 100]])
        failures = [
            self.post(post, b"n" * 101),                       # too large
            self.post(post, b"new version", close=False),      # body without its close
            self.post(post, b"new version", extra={"Content-Type": "text/plain"}),  # extra field
        ]
        for resp in failures:
            self.assertGreaterEqual(resp.status, 400, resp)
        got = self.s3.get_object(Bucket=self.bucket, Key=key)
        self.assertEqual(got["Body"].read(), old)
        self.assertEqual(got["ETag"], etag)
        if server:
            after = cairn_server.wait_usage(server, lambda u: u.files == before.files)
            self.assertEqual(after.files, before.files, "a refused upload left a blob behind")
            self.assertEqual(after.tmp_files, 0)

    def test_cors_headers_on_success_and_on_error(self):
        bucket = self.new_bucket("post-cors")
        self.s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": [{
            "AllowedOrigins": [APP], "AllowedMethods": ["POST"], "ExposeHeaders": ["ETag"]}]})
        post = self.presign("from/browser.txt", bucket=bucket)
        content_type, body = form(post["fields"], b"cors")
        ok = send(post["url"], content_type, body, headers={"Origin": APP})
        self.assertEqual(ok.status, 204, ok)
        self.assertEqual(ok.header("Access-Control-Allow-Origin"), APP)
        self.assertIn("ETag", ok.header("Access-Control-Expose-Headers", ""))
        expired = self.presign("from/late.txt", bucket=bucket, expires=-5)
        content_type, body = form(expired["fields"], b"late")
        err = send(expired["url"], content_type, body, headers={"Origin": APP})
        self.assertS3Error(err, 403, "AccessDenied")
        self.assertEqual(err.header("Access-Control-Allow-Origin"), APP)
        # An origin the rule does not name gets no CORS headers.
        other = send(post["url"], content_type, body, headers={"Origin": "https://evil.test"})
        self.assertIsNone(other.header("Access-Control-Allow-Origin"))


class LargeUploadTests(CairnTestCase):
    SIZE = 64 * MiB

    def setUp(self):
        super().setUp()
        if cairn_server.external() or self.t.server is None:
            self.skipTest("reads the memory of a cairn it started")
        self.bucket = self.new_bucket("post-large")

    def test_64_mib_file_streams_in_bounded_memory(self):
        pid = self.t.server.proc.pid

        def rss():
            with open("/proc/%d/status" % pid) as f:
                return int(next(l for l in f if l.startswith("VmRSS:")).split()[1])

        post = self.s3.generate_presigned_post(
            self.bucket, "big/${filename}", Conditions=[["content-length-range", 1, self.SIZE]])
        warm = self.s3.generate_presigned_post(self.bucket, "warm")
        content_type, body = form(warm["fields"], os.urandom(2 * MiB))
        self.assertEqual(send(warm["url"], content_type, body).status, 204)
        base = rss()
        peak = [base]
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                try:
                    peak[0] = max(peak[0], rss())
                except OSError:
                    return
                time.sleep(0.01)

        pattern = os.urandom(MiB)
        want = hashlib.md5()
        boundary = b"----cairnLargeBoundary" + secrets.token_hex(8).encode()
        head = b"".join(field_part(boundary, k, v) for k, v in post["fields"].items())
        head += file_head(boundary, "video.bin")
        tail = b"\r\n--" + boundary + b"--\r\n"

        def chunks():
            yield head
            for _ in range(self.SIZE // MiB):
                want.update(pattern)
                yield pattern
            yield tail

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            resp = send(post["url"], "multipart/form-data; boundary=" + boundary.decode(),
                        (len(head) + self.SIZE + len(tail), chunks()), timeout=120)
        finally:
            stop.set()
            sampler.join(5)
        self.assertEqual(resp.status, 204, resp)
        self.assertEqual(resp.header("ETag"), '"%s"' % want.hexdigest())
        grow = (peak[0] - base) / 1024
        print("RSS base %.1f MiB, peak +%.1f MiB for a %d MiB form upload"
              % (base / 1024, grow, self.SIZE // MiB))
        self.assertLess(grow, 32, "RSS grew by %.1f MiB: the file was buffered" % grow)
        got = self.s3.get_object(Bucket=self.bucket, Key="big/video.bin")
        self.assertEqual(got["ContentLength"], self.SIZE)
        h = hashlib.md5()
        for chunk in iter(lambda: got["Body"].read(4 * MiB), b""):
            h.update(chunk)
        self.assertEqual(h.hexdigest(), want.hexdigest())


if __name__ == "__main__":
    cairn_server.main()
