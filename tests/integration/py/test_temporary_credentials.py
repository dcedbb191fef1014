"""Temporary credentials (docs/access-keys.md) through boto3's aws_session_token: they work within
their scope and nowhere else, expire, die with their parent, cannot be tampered with, presign
(X-Amz-Security-Token), cannot mint more, and never exceed their parent."""
import json
import secrets
import time

from botocore.exceptions import ClientError

import admin_api
import cairn_server
from admin_api import AccessTestCase, AdminApi
from cairn_server import urlopen
from test_post_object import form, send


def tearDownModule():
    cairn_server.shutdown()


class TemporaryCredentialTests(AccessTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = "temp-" + secrets.token_hex(4)
        cls.other = "temp-other-" + secrets.token_hex(4)
        for b in (cls.bucket, cls.other):
            cls.s3.create_bucket(Bucket=b)
            cls.s3.put_object(Bucket=b, Key="users/ana/profile.txt", Body=b"ana")
            cls.s3.put_object(Bucket=b, Key="users/bob/profile.txt", Body=b"bob")
        # The web backend's key: objects in both buckets.
        cls.backend = cls.admin.create_key("object-rw", name="backend",
                                           buckets=[cls.bucket, cls.other])
        cls.backend_api = AdminApi(cls.t, cls.backend)

    @classmethod
    def tearDownClass(cls):
        for b in (cls.bucket, cls.other):
            cls.empty_and_delete(b)
        super().tearDownClass()

    def browser_credentials(self, ttl=600, api=None, **scope):
        """What the backend hands a browser: rw in users/ana/ of one bucket."""
        scope.setdefault("buckets", [self.bucket])
        scope.setdefault("prefixes", ["users/ana/"])
        return (api or self.backend_api).temporary_credentials(ttl, **scope)

    def test_issue_answer(self):
        temp = self.browser_credentials()
        info = temp.info
        self.assertEqual((info["parent"], info["permission"], info["buckets"], info["prefixes"]),
                         (self.backend.access_key, "object-rw", [self.bucket], ["users/ana/"]))
        self.assertTrue(temp.secret_key and temp.session_token)
        self.assertNotEqual(temp.access_key, self.backend.access_key)
        left = (admin_api.parse_time(info["expiresAt"]) - admin_api.now()).total_seconds()
        self.assertTrue(590 < left <= 601, info["expiresAt"])

    def test_whoami_describes_the_temporary_credential(self):
        temp = self.browser_credentials()
        me = AdminApi(self.t, temp).whoami()
        self.assertEqual((me["accessKeyId"], me["temporary"], me["parent"], me["permission"],
                          me["buckets"], me["prefixes"]),
                         (temp.access_key, True, self.backend.access_key, "object-rw",
                          [self.bucket], ["users/ana/"]))
        # When it stops working: what a browser needs to know to ask for a new one in time.
        self.assertEqual(me.get("expiresAt"), temp.info["expiresAt"], me)
        self.assertNotIn("secretAccessKey", me)
        self.assertNotIn("sessionToken", me)

    def test_default_scope_is_the_parents(self):
        parent = self.admin.create_key("object-rw", name="two-prefixes", buckets=[self.bucket],
                                       prefixes=["uploads/", "docs/"])
        temp = AdminApi(self.t, parent).temporary_credentials(600)
        self.assertEqual((temp.info["permission"], temp.info["buckets"], temp.info["prefixes"]),
                         ("object-rw", [self.bucket], ["uploads/", "docs/"]))
        c = temp.s3(self.t)
        c.put_object(Bucket=self.bucket, Key="docs/d.txt", Body=b"d")
        self.assertDenied(lambda: c.put_object(Bucket=self.bucket, Key="top.txt", Body=b"t"))
        self.assertAbsent(self.bucket, "top.txt")

    def test_works_within_its_scope(self):
        browser = self.browser_credentials().s3(self.t)
        browser.put_object(Bucket=self.bucket, Key="users/ana/avatar.png", Body=b"png",
                           ContentType="image/png")
        got = self.s3.get_object(Bucket=self.bucket, Key="users/ana/avatar.png")
        self.assertEqual((got["Body"].read(), got["ContentType"]), (b"png", "image/png"))
        self.assertEqual(browser.get_object(Bucket=self.bucket, Key="users/ana/profile.txt")
                         ["Body"].read(), b"ana")
        listed = browser.list_objects_v2(Bucket=self.bucket, Prefix="users/ana/")
        self.assertLessEqual({"users/ana/avatar.png", "users/ana/profile.txt"},
                             {o["Key"] for o in listed["Contents"]})
        upload = browser.create_multipart_upload(Bucket=self.bucket, Key="users/ana/big.bin")
        part = browser.upload_part(Bucket=self.bucket, Key="users/ana/big.bin",
                                   UploadId=upload["UploadId"], PartNumber=1, Body=b"part")
        browser.complete_multipart_upload(
            Bucket=self.bucket, Key="users/ana/big.bin", UploadId=upload["UploadId"],
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="users/ana/big.bin")
                         ["Body"].read(), b"part")

    def test_refused_outside_its_scope_where_the_parent_may(self):
        browser = self.browser_credentials().s3(self.t)
        parent = self.backend.s3(self.t)
        cases = {
            "other prefix": (lambda c: c.get_object(Bucket=self.bucket,
                                                    Key="users/bob/profile.txt")),
            "other bucket": (lambda c: c.get_object(Bucket=self.other,
                                                    Key="users/ana/profile.txt")),
            "listing without prefix": (lambda c: c.list_objects_v2(Bucket=self.bucket)),
        }
        for name, call in cases.items():
            with self.subTest(case=name):
                call(parent)  # the parent may
                self.assertDenied(lambda: call(browser))
        self.assertDenied(lambda: browser.put_object(Bucket=self.bucket, Key="users/bob/x",
                                                     Body=b"x"))
        self.assertAbsent(self.bucket, "users/bob/x")

    def test_without_the_session_token_it_is_refused(self):
        temp = self.browser_credentials()
        no_token = admin_api.Credentials(temp.access_key, temp.secret_key)
        with self.assertRaises(ClientError) as cm:
            no_token.s3(self.t).get_object(Bucket=self.bucket, Key="users/ana/profile.txt")
        self.assertIn(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], (400, 403))

    def test_expired(self):
        temp = self.browser_credentials(ttl=2)
        browser = temp.s3(self.t)
        self.assertEqual(browser.get_object(Bucket=self.bucket, Key="users/ana/profile.txt")
                         ["Body"].read(), b"ana")
        url = browser.generate_presigned_url("get_object", Params={
            "Bucket": self.bucket, "Key": "users/ana/profile.txt"}, ExpiresIn=600)
        self.assertEqual(urlopen(url).status, 200)
        time.sleep(3)
        # The URL's own X-Amz-Expires is longer: the credential's expiry wins.
        self.assertS3Error(urlopen(url), 400, "ExpiredToken")
        self.assertDenied(lambda: browser.get_object(Bucket=self.bucket,
                                                     Key="users/ana/profile.txt"),
                          "ExpiredToken", 400)
        self.assertDenied(lambda: browser.put_object(Bucket=self.bucket, Key="users/ana/late",
                                                     Body=b"x"), "ExpiredToken", 400)
        self.assertAbsent(self.bucket, "users/ana/late")

    def test_dies_with_its_parent(self):
        parent = self.admin.create_key("object-rw", name="short-parent", buckets=[self.bucket])
        temp = self.browser_credentials(api=AdminApi(self.t, parent))
        browser = temp.s3(self.t)
        url = browser.generate_presigned_url("get_object", Params={
            "Bucket": self.bucket, "Key": "users/ana/profile.txt"}, ExpiresIn=300)
        self.assertEqual(browser.get_object(Bucket=self.bucket, Key="users/ana/profile.txt")
                         ["Body"].read(), b"ana")
        self.admin.revoke(parent.access_key)
        self.assertDenied(lambda: browser.get_object(Bucket=self.bucket,
                                                     Key="users/ana/profile.txt"),
                          "InvalidAccessKeyId", 403)
        self.assertDenied(lambda: browser.put_object(Bucket=self.bucket, Key="users/ana/after",
                                                     Body=b"x"), "InvalidAccessKeyId", 403)
        self.assertS3Error(urlopen(url), 403, "InvalidAccessKeyId")
        self.assertAbsent(self.bucket, "users/ana/after")

    def test_tampered_or_foreign_token_is_refused(self):
        temp = self.browser_credentials()
        other = self.browser_credentials()
        token = temp.session_token
        flipped = token[:len(token) // 2] + ("A" if token[len(token) // 2] != "A" else "B") + \
            token[len(token) // 2 + 1:]
        for name, bad in (("flipped", flipped), ("truncated", token[:-4]),
                          ("another credential's", other.session_token)):
            with self.subTest(token=name):
                c = admin_api.Credentials(temp.access_key, temp.secret_key, bad).s3(self.t)
                self.assertDenied(lambda: c.get_object(Bucket=self.bucket,
                                                       Key="users/ana/profile.txt"),
                                  "InvalidToken", 400)
        with self.subTest(token="sent with a permanent key"):
            c = admin_api.Credentials(self.backend.access_key, self.backend.secret_key,
                                      token).s3(self.t)
            self.assertDenied(lambda: c.get_object(Bucket=self.bucket,
                                                   Key="users/ana/profile.txt"),
                              "InvalidToken", 400)

    def test_presigned_url_carries_the_token(self):
        browser = self.browser_credentials().s3(self.t)
        url = browser.generate_presigned_url("get_object", Params={
            "Bucket": self.bucket, "Key": "users/ana/profile.txt"}, ExpiresIn=300)
        self.assertIn("X-Amz-Security-Token=", url)
        r = urlopen(url)
        self.assertEqual((r.status, r.body), (200, b"ana"))
        url = browser.generate_presigned_url("get_object", Params={
            "Bucket": self.bucket, "Key": "users/bob/profile.txt"}, ExpiresIn=300)
        self.assertS3Error(urlopen(url), 403, "AccessDenied")

    def test_post_form_with_the_token(self):
        browser = self.browser_credentials().s3(self.t)
        post = browser.generate_presigned_post(self.bucket, "users/ana/form.txt", ExpiresIn=300)
        self.assertIn("x-amz-security-token", post["fields"])
        content_type, body = form(post["fields"], b"from a form")
        r = send(post["url"], content_type, body)
        self.assertEqual(r.status // 100, 2, r)
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="users/ana/form.txt")
                         ["Body"].read(), b"from a form")

    def test_cannot_mint_temporary_credentials(self):
        temp = self.browser_credentials()
        r = AdminApi(self.t, temp).request("POST", "temporary-credentials",
                                           admin_api.temp_request(60))
        self.assertIn(r.status, (400, 403), r)
        self.assertNotIn(b"secretAccessKey", r.body)

    def test_an_admin_temporary_credential_cannot_make_or_change_keys(self):
        # A permanent key made with a credential that expires would outlive it.
        temp = self.admin.temporary_credentials(600, permission="admin-rw")
        api = AdminApi(self.t, temp)
        victim = self.admin.create_key("object-ro", name="victim")
        for method, path, body in [
                ("POST", "keys", {"name": "persist", "permission": "admin-rw"}),
                ("POST", "keys/%s/rotate" % victim.access_key, {}),
                ("DELETE", "keys/%s" % victim.access_key, None)]:
            r = api.request(method, path, body)
            self.assertEqual(r.status, 403, (method, path, r))
            self.assertIn(b"AccessDenied", r.body)
            self.assertNotIn(b"secretAccessKey", r.body)
        names = [k["name"] for k in self.admin.list_keys()]
        self.assertNotIn("persist", names)
        self.assertIn("victim", names)
        victim.s3(self.t).list_objects_v2(Bucket=self.bucket, Prefix="users/")  # secret unchanged
        # Reading the key list is what its permission allows.
        self.assertEqual(api.request("GET", "keys").status, 200)

    def test_cannot_exceed_its_parent(self):
        reader = self.admin.create_key("object-ro", name="reader-parent", buckets=[self.bucket],
                                       prefixes=["users/"])
        api = AdminApi(self.t, reader)
        asks = {
            "object-rw from object-ro": admin_api.temp_request(60, permission="object-rw"),
            "admin-ro from object-ro": admin_api.temp_request(60, permission="admin-ro"),
            "a bucket outside": admin_api.temp_request(60, buckets=[self.other]),
            "a prefix outside": admin_api.temp_request(60, prefixes=["public/"]),
            "a wider prefix": admin_api.temp_request(60, prefixes=["us"]),
        }
        for name, body in asks.items():
            with self.subTest(ask=name):
                r = api.request("POST", "temporary-credentials", body)
                self.assertIn(r.status, (400, 403), r)
                self.assertNotIn(b"secretAccessKey", r.body)
        admin_ro = AdminApi(self.t, self.admin.create_key("admin-ro", name="ro-admin-parent"))
        r = admin_ro.request("POST", "temporary-credentials",
                             admin_api.temp_request(60, permission="object-rw"))
        self.assertIn(r.status, (400, 403), r)
        narrower = self.backend_api.temporary_credentials(60, permission="object-ro")
        self.assertDenied(lambda: narrower.s3(self.t).put_object(Bucket=self.bucket, Key="x",
                                                                 Body=b"x"))
        # Within the parent's: allowed, and the answer says so.
        ok = api.temporary_credentials(60, buckets=[self.bucket], prefixes=["users/ana/"])
        self.assertEqual((ok.info["permission"], ok.info["prefixes"]),
                         ("object-ro", ["users/ana/"]))

    def test_parent_must_be_a_permanent_key_that_exists(self):
        temp = self.browser_credentials()
        for parent in (temp.access_key, "NOSUCHKEY00000000000"):
            with self.subTest(parent=parent):
                r = self.admin.request("POST", "temporary-credentials",
                                       admin_api.temp_request(60, parent=parent))
                self.assertIn(r.status, (400, 404), r)
                self.assertNotIn(b"secretAccessKey", r.body)

    def test_expiry_is_at_most_the_parents(self):
        parent = self.admin.create_key("object-ro", name="expiring-parent",
                                       buckets=[self.bucket], expires_in=120)
        r = AdminApi(self.t, parent).request("POST", "temporary-credentials",
                                             admin_api.temp_request(3600))
        if r.status == 200:  # clamped to the parent's
            self.assertLessEqual(admin_api.parse_time(json.loads(r.body)["expiresAt"]),
                                 admin_api.parse_time(parent.info["expiresAt"]))
        else:
            self.assertIn(r.status, (400, 403), r)

    def test_bad_ttl_is_invalid_argument(self):
        for ttl in (0, 36 * 3600 + 1, "60"):
            with self.subTest(ttl=ttl):
                r = self.backend_api.request("POST", "temporary-credentials",
                                             {"ttlSeconds": ttl})
                self.assertS3Error(r, 400, "InvalidArgument")


if __name__ == "__main__":
    cairn_server.main()
