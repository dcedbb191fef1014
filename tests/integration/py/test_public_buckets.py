"""Public buckets (docs/access-keys.md) read with plain HTTP and no signature, as curl or a
browser reads them: GET, HEAD, ranges and conditionals work; listings, writes and response
overrides do not; errors are small HTML pages; private buckets stay 403 XML."""
import secrets

import cairn_server
from admin_api import AccessTestCase, AdminApi
from cairn_server import connection, urlopen
from test_addressing import localhost_subdomains_resolve

BODY = b"<h1>hello from a public bucket</h1>\n" * 10


def tearDownModule():
    cairn_server.shutdown()


def plain(method, path, headers=None, body=None):
    """One http.client request without any credentials; a cairn_server.Response."""
    conn = connection()
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return cairn_server.Response(r.status, r.reason, r.headers, r.read())
    finally:
        conn.close()


class PublicBucketTests(AccessTestCase):
    def setUp(self):
        self.bucket = self.new_bucket("public")
        self.s3.put_object(Bucket=self.bucket, Key="site/index.html", Body=BODY,
                           ContentType="text/html")
        self.path = "/%s/site/index.html" % self.bucket

    def assertHtmlError(self, r, status):
        self.assertEqual(r.status, status, r)
        self.assertTrue(r.header("Content-Type", "").startswith("text/html"), r.headers)
        self.assertIn(b"<html", r.body.lower())
        self.assertNotIn(b"<Error>", r.body)

    def assertUnchanged(self):
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="site/index.html")["Body"]
                         .read(), BODY)

    def test_private_by_default(self):
        self.assertIs(self.admin.get_public(self.bucket), False)
        r = urlopen(self.t.endpoint + self.path)
        self.assertS3Error(r, 403, "AccessDenied")
        self.assertS3Error(plain("HEAD", self.path), 403, head=True)

    def test_anonymous_reads_of_a_public_bucket(self):
        self.assertIs(self.admin.set_public(self.bucket, True), True)
        self.assertIs(self.admin.get_public(self.bucket), True)
        r = urlopen(self.t.endpoint + self.path)
        self.assertEqual((r.status, r.body), (200, BODY))
        self.assertEqual(r.header("Content-Type"), "text/html")
        etag = r.header("ETag")
        self.assertTrue(etag)

        h = plain("HEAD", self.path)
        self.assertEqual((h.status, h.body), (200, b""))
        self.assertEqual(int(h.header("Content-Length")), len(BODY))
        self.assertEqual(h.header("ETag"), etag)

        part = plain("GET", self.path, {"Range": "bytes=4-9"})
        self.assertEqual((part.status, part.body), (206, BODY[4:10]))
        self.assertEqual(part.header("Content-Range"), "bytes 4-9/%d" % len(BODY))

        same = plain("GET", self.path, {"If-None-Match": etag})
        self.assertEqual((same.status, same.body), (304, b""))
        changed = plain("GET", self.path, {"If-None-Match": '"0000"'})
        self.assertEqual(changed.status, 200)

    def test_virtual_hosted_anonymous_read(self):
        if self.t.host not in ("127.0.0.1", "localhost"):
            self.skipTest("virtual-hosted requests need a loopback endpoint")
        url = "%s://%s.localhost:%d/site/index.html" % (self.t.scheme, self.bucket, self.t.port)
        with localhost_subdomains_resolve():
            self.assertS3Error(urlopen(url), 403, "AccessDenied")
            self.admin.set_public(self.bucket, True)
            r = urlopen(url)
        self.assertEqual((r.status, r.body), (200, BODY))

    def test_missing_key_is_an_html_404(self):
        self.admin.set_public(self.bucket, True)
        r = plain("GET", "/%s/site/missing.html" % self.bucket)
        self.assertHtmlError(r, 404)
        self.assertEqual(plain("HEAD", "/%s/site/missing.html" % self.bucket).status, 404)

    def test_listing_and_writes_are_refused(self):
        self.admin.set_public(self.bucket, True)
        cases = [("GET", "/%s" % self.bucket, None), ("GET", "/%s/" % self.bucket, None),
                 ("GET", "/%s?list-type=2" % self.bucket, None),
                 ("PUT", self.path, b"defaced"), ("PUT", "/%s/new.txt" % self.bucket, b"new"),
                 ("DELETE", self.path, None),
                 ("POST", "/%s?delete" % self.bucket,
                  b"<Delete><Object><Key>site/index.html</Key></Object></Delete>"),
                 ("GET", "/%s?uploads" % self.bucket, None),
                 ("GET", "/%s?location" % self.bucket, None),
                 ("GET", "/%s?cors" % self.bucket, None),
                 ("GET", self.path + "?uploadId=abc", None),
                 ("GET", self.path + "?tagging", None),
                 ("POST", self.path + "?uploads", None)]
        for method, path, body in cases:
            with self.subTest(method=method, path=path):
                self.assertHtmlError(plain(method, path, body=body), 403)
        self.assertUnchanged()
        self.assertAbsent(self.bucket, "new.txt")
        self.assertEqual(self.s3.list_multipart_uploads(Bucket=self.bucket).get("Uploads", []),
                         [])
        self.assertEqual(plain("HEAD", "/" + self.bucket).status, 403)

    def test_response_overrides_are_refused(self):
        self.admin.set_public(self.bucket, True)
        r = plain("GET", self.path + "?response-content-type=application/octet-stream")
        self.assertEqual(r.status, 400, r)
        self.assertNotEqual(r.header("Content-Type"), "application/octet-stream")
        self.assertNotIn(BODY, r.body)
        r = plain("GET", self.path + "?response-content-disposition=attachment")
        self.assertHtmlError(r, 400)
        self.assertIsNone(r.header("Content-Disposition"))

    def test_failed_conditions_and_ranges_are_html_errors(self):
        self.admin.set_public(self.bucket, True)
        self.assertHtmlError(plain("GET", self.path, {"If-Match": '"0000"'}), 412)
        self.assertHtmlError(plain("GET", self.path, {"Range": "bytes=%d-" % (len(BODY) + 10)}),
                             416)

    def test_a_recreated_bucket_is_private(self):
        name = self.new_bucket("recreated", cleanup=False)
        self.admin.set_public(name, True)
        self.s3.delete_bucket(Bucket=name)
        self.s3.create_bucket(Bucket=name)
        self.addCleanup(self.empty_and_delete, name)
        self.s3.put_object(Bucket=name, Key="x", Body=b"x")
        self.assertIs(self.admin.get_public(name), False)
        self.assertS3Error(plain("GET", "/%s/x" % name), 403, "AccessDenied")

    def test_disabling_makes_it_private_again(self):
        self.admin.set_public(self.bucket, True)
        self.assertEqual(urlopen(self.t.endpoint + self.path).status, 200)
        self.assertIs(self.admin.set_public(self.bucket, False), False)
        self.assertS3Error(urlopen(self.t.endpoint + self.path), 403, "AccessDenied")

    def test_other_buckets_stay_private(self):
        self.admin.set_public(self.bucket, True)
        private = self.new_bucket("private")
        self.s3.put_object(Bucket=private, Key="site/index.html", Body=BODY)
        self.assertS3Error(plain("GET", "/%s/site/index.html" % private), 403, "AccessDenied")
        self.assertS3Error(plain("GET", "/no-such-%s/x" % secrets.token_hex(4)), 403,
                           "AccessDenied")

    def test_signed_requests_work_as_before(self):
        self.admin.set_public(self.bucket, True)
        self.s3.put_object(Bucket=self.bucket, Key="site/new.html", Body=b"new")
        self.assertEqual([o["Key"] for o in self.s3.list_objects_v2(Bucket=self.bucket)
                          ["Contents"]], ["site/index.html", "site/new.html"])

    def test_revoked_keys_presigned_url_stays_refused_on_a_public_bucket(self):
        self.admin.set_public(self.bucket, True)
        key = self.admin.create_key("object-ro", name="public-presigner")
        url = key.s3(self.t).generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": "site/index.html"})
        self.assertEqual(urlopen(url).status, 200)
        self.admin.revoke(key.access_key)
        self.assertS3Error(urlopen(url), 403, "InvalidAccessKeyId")

    def test_toggle_needs_admin_rw(self):
        for p in ("admin-ro", "object-rw", "object-ro"):
            with self.subTest(permission=p):
                key = self.admin.create_key(p, name="toggler-" + p)
                r = AdminApi(self.t, key).request("PUT", "buckets/%s/public" % self.bucket,
                                                  {"public": True})
                self.assertS3Error(r, 403, "AccessDenied")
        self.assertIs(self.admin.get_public(self.bucket), False)
        self.assertS3Error(urlopen(self.t.endpoint + self.path), 403, "AccessDenied")

    def test_bad_toggle_body_is_invalid_argument(self):
        for body in (b"{", {"public": "yes"}, {}):
            with self.subTest(body=body):
                r = self.admin.request("PUT", "buckets/%s/public" % self.bucket, body)
                self.assertS3Error(r, 400, "InvalidArgument")
        self.assertIs(self.admin.get_public(self.bucket), False)


if __name__ == "__main__":
    cairn_server.main()
