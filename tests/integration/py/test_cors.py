"""Bucket CORS rules: Put/Get/DeleteBucketCors (boto3), browser preflights (OPTIONS, unsigned, as
browsers send them) and the Access-Control-* headers of actual requests from an allowed Origin."""
import unittest

from botocore.exceptions import ClientError

import cairn_server
import s3sig
from cairn_server import CairnTestCase, raw_request

APP = "https://app.example.com"
RULES = {
    "CORSRules": [
        {
            "ID": "uploads-from-app",
            "AllowedOrigins": ["https://*.example.com"],
            "AllowedMethods": ["GET", "PUT", "HEAD"],
            "AllowedHeaders": ["content-type", "x-amz-*"],
            "ExposeHeaders": ["ETag"],
            "MaxAgeSeconds": 600,
        },
        {"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]},
    ]
}


def tearDownModule():
    cairn_server.shutdown()


def header(resp, name):
    return resp.getheader(name) if hasattr(resp, "getheader") else resp.headers.get(name)


class CorsConfigurationTests(CairnTestCase):
    def test_round_trip_and_delete(self):
        bucket = self.new_bucket("cors")
        with self.assertRaises(ClientError) as cm:
            self.s3.get_bucket_cors(Bucket=bucket)
        self.assertClientError(cm.exception, code="NoSuchCORSConfiguration", status=404)
        self.s3.put_bucket_cors(Bucket=bucket, CORSConfiguration=RULES)
        rules = self.s3.get_bucket_cors(Bucket=bucket)["CORSRules"]
        self.assertEqual(len(rules), 2)
        self.assertEqual(rules[0]["ID"], "uploads-from-app")
        self.assertEqual(rules[0]["AllowedOrigins"], ["https://*.example.com"])
        self.assertEqual(rules[0]["AllowedMethods"], ["GET", "PUT", "HEAD"])
        self.assertEqual(rules[0]["ExposeHeaders"], ["ETag"])
        self.assertEqual(rules[0]["MaxAgeSeconds"], 600)
        self.s3.delete_bucket_cors(Bucket=bucket)
        with self.assertRaises(ClientError) as cm:
            self.s3.get_bucket_cors(Bucket=bucket)
        self.assertClientError(cm.exception, code="NoSuchCORSConfiguration", status=404)

    def test_invalid_method_is_refused(self):
        bucket = self.new_bucket("cors")
        bad = {"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["PATCH"]}]}
        with self.assertRaises(ClientError) as cm:
            self.s3.put_bucket_cors(Bucket=bucket, CORSConfiguration=bad)
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)

    def test_no_such_bucket(self):
        with self.assertRaises(ClientError) as cm:
            self.s3.put_bucket_cors(Bucket="no-such-bucket-cors", CORSConfiguration=RULES)
        self.assertClientError(cm.exception, code="NoSuchBucket", status=404)


class PreflightTests(CairnTestCase):
    def setUp(self):
        super().setUp()
        self.bucket = self.new_bucket("pre")
        self.s3.put_bucket_cors(Bucket=self.bucket, CORSConfiguration=RULES)

    def preflight(self, origin, method, request_headers=None, bucket=None):
        headers = {"Origin": origin, "Access-Control-Request-Method": method}
        if request_headers:
            headers["Access-Control-Request-Headers"] = request_headers
        return raw_request("OPTIONS", f"/{bucket or self.bucket}/photo.jpg", headers=headers,
                           sign=False)

    def test_allowed_preflight(self):
        resp = self.preflight(APP, "PUT", "content-type,x-amz-date")
        self.assertEqual(resp.status, 200)
        self.assertEqual(header(resp, "Access-Control-Allow-Origin"), APP)
        self.assertIn("PUT", header(resp, "Access-Control-Allow-Methods"))
        allowed = header(resp, "Access-Control-Allow-Headers").lower()
        self.assertIn("content-type", allowed)
        self.assertIn("x-amz-date", allowed)
        self.assertEqual(header(resp, "Access-Control-Max-Age"), "600")
        self.assertIn("ETag", header(resp, "Access-Control-Expose-Headers"))

    def test_wildcard_origin_rule_answers_star(self):
        resp = self.preflight("https://elsewhere.test", "GET")
        self.assertEqual(resp.status, 200)
        self.assertEqual(header(resp, "Access-Control-Allow-Origin"), "*")

    def test_disallowed_method_origin_or_header_is_forbidden(self):
        for origin, method, hdrs in [("https://elsewhere.test", "PUT", None),
                                     (APP, "DELETE", None),
                                     (APP, "PUT", "authorization-extra")]:
            resp = self.preflight(origin, method, hdrs)
            self.assertEqual(resp.status, 403, (origin, method, hdrs))
            self.assertIn(b"AccessForbidden", resp.body)
            self.assertIsNone(header(resp, "Access-Control-Allow-Origin"))

    def test_bucket_without_rules_is_forbidden(self):
        plain = self.new_bucket("plain")
        resp = self.preflight(APP, "PUT", bucket=plain)
        self.assertEqual(resp.status, 403)

    def test_preflight_without_origin_is_a_bad_request(self):
        resp = raw_request("OPTIONS", f"/{self.bucket}/photo.jpg", sign=False)
        self.assertEqual(resp.status, 400)


class ActualRequestTests(CairnTestCase):
    def test_signed_request_from_allowed_origin_exposes_etag(self):
        bucket = self.new_bucket("act")
        self.s3.put_bucket_cors(Bucket=bucket, CORSConfiguration=RULES)
        self.s3.put_object(Bucket=bucket, Key="k", Body=b"hello")
        resp = raw_request("GET", f"/{bucket}/k", headers={"Origin": APP})
        self.assertEqual(resp.status, 200)
        self.assertEqual(header(resp, "Access-Control-Allow-Origin"), APP)
        self.assertIn("ETag", header(resp, "Access-Control-Expose-Headers"))
        # Errors carry the CORS headers too, so that a page can read them.
        missing = raw_request("GET", f"/{bucket}/missing", headers={"Origin": APP})
        self.assertEqual(missing.status, 404)
        self.assertEqual(header(missing, "Access-Control-Allow-Origin"), APP)

    def test_actual_requests_carry_the_rules_methods_and_max_age(self):
        # S3 answers a matching non-preflight request with the whole rule, not only the origin:
        # Allow-Methods and Max-Age too, as on a preflight (seen on S3 in gaul/s3proxy#343).
        bucket = self.new_bucket("act")
        self.s3.put_bucket_cors(Bucket=bucket, CORSConfiguration=RULES)
        self.s3.put_object(Bucket=bucket, Key="k", Body=b"hello")
        for method in ("GET", "HEAD"):
            with self.subTest(method=method):
                resp = raw_request(method, f"/{bucket}/k", headers={"Origin": APP})
                self.assertEqual(resp.status, 200)
                self.assertEqual(header(resp, "Access-Control-Allow-Origin"), APP)
                self.assertEqual(header(resp, "Access-Control-Allow-Methods"), "GET, PUT, HEAD")
                self.assertEqual(header(resp, "Access-Control-Max-Age"), "600")
                self.assertEqual(header(resp, "Access-Control-Expose-Headers"), "ETag")
                self.assertEqual(header(resp, "Access-Control-Allow-Credentials"), "true")
                self.assertIn("Origin", header(resp, "Vary"))
                self.assertIsNone(header(resp, "Access-Control-Allow-Headers"))
        # The "*" rule: its own methods, no max age (the rule has none), no credentials.
        resp = raw_request("GET", f"/{bucket}/k", headers={"Origin": "https://elsewhere.test"})
        self.assertEqual(header(resp, "Access-Control-Allow-Origin"), "*")
        self.assertEqual(header(resp, "Access-Control-Allow-Methods"), "GET")
        self.assertIsNone(header(resp, "Access-Control-Max-Age"))
        self.assertIsNone(header(resp, "Access-Control-Allow-Credentials"))

    def test_no_cors_headers_without_a_matching_rule(self):
        bucket = self.new_bucket("act")
        self.s3.put_object(Bucket=bucket, Key="k", Body=b"hello")
        resp = raw_request("GET", f"/{bucket}/k", headers={"Origin": APP})
        self.assertEqual(resp.status, 200)
        self.assertIsNone(header(resp, "Access-Control-Allow-Origin"))


class CorsRuleTextTests(CairnTestCase):
    """Rule text goes into the JSON store and back out as XML: found while fuzzing the XML bodies
    (fuzz/xml_body_fuzzer.cc checks that what PUT stores, GET returns)."""

    def put_cors_raw(self, bucket, body):
        return raw_request("PUT", "/" + bucket, [("cors", "")], body=body,
                           headers={"Content-MD5": s3sig.content_md5(body)})

    def rules(self, field, value):
        return (b"<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin>"
                b"<AllowedMethod>GET</AllowedMethod><%s>%s</%s></CORSRule></CORSConfiguration>"
                % (field, value, field))

    def test_text_that_is_not_utf8_is_refused(self):
        # Accepted before, then stored with U+FFFD in place of the byte: GET gave other rules. A
        # body that is not UTF-8 is not XML at all (core::ValidateCors refuses such rule text too,
        # for callers that do not come through XML).
        bucket = self.new_bucket("cors")
        resp = self.put_cors_raw(bucket, self.rules(b"ExposeHeader", b"x-\xb5"))
        self.assertEqual((resp.status, resp.error_code()), (400, "MalformedXML"))
        stored = raw_request("GET", "/" + bucket, [("cors", "")])
        self.assertEqual((stored.status, stored.error_code()), (404, "NoSuchCORSConfiguration"))


if __name__ == "__main__":
    cairn_server.main()
