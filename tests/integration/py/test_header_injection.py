"""CR/LF header injection (issue 12, item 2): nothing a client sends may reach a response header
with a control byte in it. Each attack is made with a real client (boto3's presigned GET, its
put_object, its generate_presigned_post), the response is read with http.client, and each must be
refused with 400 InvalidArgument, store nothing, and inject no header into any response."""
import base64
import email.header
import http.client
import secrets
import unittest
import urllib.parse

from botocore.exceptions import ClientError, ParamValidationError

import cairn_server
from cairn_server import CairnTestCase, Response
from test_post_object import form, send

INJECTED = "X-Injected"


def tearDownModule():
    cairn_server.shutdown()


def encoded_word(raw):
    """An RFC 2047 encoded word (UTF-8, base64) that decodes to `raw`."""
    return "=?UTF-8?B?%s?=" % base64.b64encode(raw.encode("utf-8")).decode("ascii")


def fetch(url, method="GET"):
    """`url` (presigned) with http.client, as any HTTP client would follow it: the response with
    its headers as the client parsed them from the raw head."""
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    try:
        conn.request(method, u.path + ("?" + u.query if u.query else ""))
        resp = conn.getresponse()
        return Response(resp.status, resp.reason, resp.headers, resp.read())
    finally:
        conn.close()


class HeaderInjectionTests(CairnTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = "inject-" + secrets.token_hex(5)
        cls.s3.create_bucket(Bucket=cls.bucket)
        cls.s3.put_object(Bucket=cls.bucket, Key="plain.txt", Body=b"plain text\n",
                          ContentType="text/plain")

    @classmethod
    def tearDownClass(cls):
        cls.empty_and_delete(cls.bucket)
        super().tearDownClass()

    def assertNoInjection(self, resp):
        names = [k.lower() for k in resp.headers.keys()]
        self.assertNotIn(INJECTED.lower(), names, resp.headers.as_string())
        self.assertNotIn("set-cookie", names, resp.headers.as_string())
        for value in resp.headers.values():
            self.assertFalse(any(ord(c) < 0x20 and c != "\t" or ord(c) == 0x7F for c in value),
                             repr(value))

    def assertNotStored(self, key):
        with self.assertRaises(ClientError) as cm:
            self.s3.head_object(Bucket=self.bucket, Key=key)
        self.assertClientError(cm.exception, status=404)
        resp = fetch(self.s3.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key}))
        self.assertEqual(resp.status, 404, resp)
        self.assertNoInjection(resp)

    # -- response-* overrides on a presigned GET --

    def test_response_content_type_with_crlf_is_refused(self):
        for value in ("text/plain\r\nX-Injected: yes", "text/plain\nX-Injected: yes",
                      "text/html\r\n\r\n<script>alert(1)</script>", "text/plain\x00",
                      "text/plain\x7f"):
            for method in ("GET", "HEAD"):
                with self.subTest(value=value, method=method):
                    try:
                        url = self.s3.generate_presigned_url(
                            "get_object" if method == "GET" else "head_object",
                            Params={"Bucket": self.bucket, "Key": "plain.txt",
                                    "ResponseContentType": value})
                    except ParamValidationError:  # botocore < 1.28 has no HeadObject overrides
                        continue
                    resp = fetch(url, method)
                    self.assertNoInjection(resp)
                    if method == "GET":
                        self.assertS3Error(resp, 400, "InvalidArgument")
                    else:
                        self.assertEqual(resp.status, 400, resp)
                    self.assertNotEqual(resp.header("Content-Type"), "text/plain")

    def test_other_response_overrides_with_control_bytes_are_refused(self):
        for param in ("ResponseContentDisposition", "ResponseCacheControl",
                      "ResponseContentEncoding", "ResponseContentLanguage"):
            with self.subTest(param=param):
                url = self.s3.generate_presigned_url(
                    "get_object", Params={"Bucket": self.bucket, "Key": "plain.txt",
                                          param: "x\r\nX-Injected: yes"})
                resp = fetch(url)
                self.assertS3Error(resp, 400, "InvalidArgument")
                self.assertNoInjection(resp)

    def test_clean_response_overrides_still_apply(self):
        url = self.s3.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": "plain.txt",
                                  "ResponseContentType": "text/csv; charset=utf-8",
                                  "ResponseContentDisposition": 'attachment; filename="a\tb.txt"'})
        resp = fetch(url)
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.header("Content-Type"), "text/csv; charset=utf-8")
        self.assertEqual(resp.header("Content-Disposition"), 'attachment; filename="a\tb.txt"')
        self.assertEqual(resp.body, b"plain text\n")

    # -- RFC 2047 metadata that decodes to control bytes --

    def test_metadata_decoding_to_crlf_is_refused_and_not_stored(self):
        cases = {
            "crlf": "x\r\nX-Injected: yes",
            "body": "x\r\n\r\n<html>injected body</html>",
            "lf": "x\nX-Injected: yes",
            "nul": "a\x00b",
            "del": "a\x7fb",
            "bell": "a\x07b",
        }
        for name, raw in cases.items():
            with self.subTest(case=name):
                key = "meta-%s.txt" % name
                with self.assertRaises(ClientError) as cm:
                    self.s3.put_object(Bucket=self.bucket, Key=key, Body=b"x",
                                       Metadata={"note": encoded_word(raw)})
                self.assertClientError(cm.exception, "InvalidArgument", 400)
                self.assertNotStored(key)

    def test_metadata_with_control_bytes_is_refused_by_every_writer(self):
        word = encoded_word("x\r\nX-Injected: yes")
        with self.assertRaises(ClientError) as cm:
            self.s3.create_multipart_upload(Bucket=self.bucket, Key="mpu.txt",
                                            Metadata={"note": word})
        self.assertClientError(cm.exception, "InvalidArgument", 400)
        with self.assertRaises(ClientError) as cm:
            self.s3.copy_object(Bucket=self.bucket, Key="copied.txt",
                                CopySource={"Bucket": self.bucket, "Key": "plain.txt"},
                                MetadataDirective="REPLACE", Metadata={"note": word})
        self.assertClientError(cm.exception, "InvalidArgument", 400)
        self.assertNotStored("copied.txt")
        uploads = self.s3.list_multipart_uploads(Bucket=self.bucket).get("Uploads", [])
        self.assertEqual([u["Key"] for u in uploads], [])

    def test_encoded_metadata_without_control_bytes_is_still_decoded(self):
        self.s3.put_object(Bucket=self.bucket, Key="meta-ok.txt", Body=b"x",
                           Metadata={"note": encoded_word("caf\u00e9\tand more")})
        resp = fetch(self.s3.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": "meta-ok.txt"}))
        self.assertEqual(resp.status, 200, resp)
        # Stored decoded; sent back as encoded words (R2's rule), so neither the UTF-8 bytes
        # nor the tab reach the header raw.
        sent = resp.header("x-amz-meta-note")
        self.assertRegex(sent, r"^[\x21-\x7e]+$")
        self.assertEqual(str(email.header.make_header(email.header.decode_header(sent))),
                         "caf\u00e9\tand more")

    # -- POST policy form fields --

    def post_form(self, key, fields):
        post = self.s3.generate_presigned_post(
            self.bucket, key, Fields=fields,
            Conditions=[{k: v} for k, v in fields.items()], ExpiresIn=600)
        content_type, body = form(post["fields"], b"form file")
        return send(post["url"], content_type, body)

    def test_post_form_content_type_with_crlf_is_refused(self):
        resp = self.post_form("post-ct.png",
                              {"Content-Type": "image/png\r\nSet-Cookie: session=attacker"})
        self.assertS3Error(resp, 400, "InvalidArgument")
        self.assertNoInjection(resp)
        self.assertNotStored("post-ct.png")

    def test_post_form_metadata_with_control_bytes_is_refused(self):
        for name, fields in {
                "raw": {"x-amz-meta-note": "a\r\nX-Injected: yes"},
                "encoded": {"x-amz-meta-note": encoded_word("a\r\nX-Injected: yes")},
                "name": {"x-amz-meta-a b": "v"},
                "cache": {"Cache-Control": "max-age=1\r\nX-Injected: yes"}}.items():
            with self.subTest(case=name):
                key = "post-meta-%s.txt" % name
                resp = self.post_form(key, fields)
                self.assertS3Error(resp, 400, "InvalidArgument")
                self.assertNoInjection(resp)
                self.assertNotStored(key)

    def test_post_form_redirect_with_crlf_is_refused(self):
        resp = self.post_form("post-redirect.txt", {
            "success_action_redirect": "https://app.example.com/done\r\nSet-Cookie: a=b"})
        self.assertS3Error(resp, 400, "InvalidArgument")
        self.assertNoInjection(resp)
        self.assertIsNone(resp.header("Location"))
        self.assertNotStored("post-redirect.txt")

    def test_clean_post_form_is_stored_and_echoed(self):
        resp = self.post_form("post-ok.png", {"Content-Type": "image/png",
                                              "success_action_redirect": "https://app.example.com/done"})
        self.assertEqual(resp.status, 303, resp)
        self.assertTrue(resp.header("Location").startswith("https://app.example.com/done?bucket="))
        got = self.s3.head_object(Bucket=self.bucket, Key="post-ok.png")
        self.assertEqual(got["ContentType"], "image/png")

    # -- bucket documents whose text comes back in headers --

    def test_bucket_documents_with_control_bytes_are_refused(self):
        bad = "a\r\nX-Injected: yes"
        with self.assertRaises(ClientError) as cm:  # x-amz-abort-rule-id
            self.s3.put_bucket_lifecycle_configuration(
                Bucket=self.bucket, LifecycleConfiguration={"Rules": [{
                    "ID": bad, "Status": "Enabled", "Filter": {"Prefix": ""},
                    "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}}]})
        self.assertClientError(cm.exception, "InvalidArgument", 400)
        with self.assertRaises(ClientError) as cm:  # Access-Control-Expose-Headers
            self.s3.put_bucket_cors(Bucket=self.bucket, CORSConfiguration={"CORSRules": [{
                "AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["GET"],
                "ExposeHeaders": [bad]}]})
        self.assertClientError(cm.exception, "InvalidArgument", 400)
        bucket = "inject-loc-" + secrets.token_hex(4)
        with self.assertRaises(ClientError) as cm:  # x-amz-bucket-region
            self.s3.create_bucket(Bucket=bucket,
                                  CreateBucketConfiguration={"LocationConstraint": bad})
        self.assertClientError(cm.exception, "InvalidArgument", 400)
        with self.assertRaises(ClientError) as cm:
            self.s3.head_bucket(Bucket=bucket)
        self.assertClientError(cm.exception, status=404)


if __name__ == "__main__":
    cairn_server.main()
