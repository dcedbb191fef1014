"""ACLs through boto3, on a store with one owner (src/core/acl.h): the canned ACL `private` (and
bucket-owner-full-control) is accepted wherever a client may send it, Get*Acl shows the owner's
FULL_CONTROL, `public-read` on a bucket is the bucket's public setting (AllUsers READ in
GetBucketAcl), and every other ACL is refused with 400 AccessControlListNotSupported, as S3 refuses
ACLs on a bucket whose Object Ownership is "bucket owner enforced", never stored and ignored."""
import secrets

from botocore.exceptions import ClientError

import cairn_server
from cairn_server import CairnTestCase
from test_post_object import form, send

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
BODY = b"an object with an ACL\n"


def tearDownModule():
    cairn_server.shutdown()


def grants(answer):
    """[(grantee type, ID or URI, permission)] of a Get*Acl answer."""
    return [(g["Grantee"]["Type"], g["Grantee"].get("ID") or g["Grantee"].get("URI"),
             g["Permission"]) for g in answer["Grants"]]


class AclTests(CairnTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner = cls.s3.list_buckets()["Owner"]

    def setUp(self):
        self.bucket = self.new_bucket("acl")

    def assertRefused(self, call, code="AccessControlListNotSupported", status=400):
        with self.assertRaises(ClientError) as cm:
            call()
        self.assertClientError(cm.exception, code, status)
        return cm.exception

    def assertMissing(self, key):
        with self.assertRaises(ClientError) as cm:
            self.s3.head_object(Bucket=self.bucket, Key=key)
        self.assertClientError(cm.exception, status=404)

    def anonymous_get(self, bucket, key):
        return cairn_server.anonymous("GET", "/%s/%s" % (bucket, key)).status

    def owner_only(self):
        return [("CanonicalUser", self.owner["ID"], "FULL_CONTROL")]

    # -- object writes --

    def test_private_acls_on_object_writes_are_accepted(self):
        for acl in ("private", "bucket-owner-full-control"):
            with self.subTest(acl=acl):
                self.s3.put_object(Bucket=self.bucket, Key="put-" + acl, Body=BODY, ACL=acl)
                self.s3.copy_object(Bucket=self.bucket, Key="copy-" + acl, ACL=acl,
                                    CopySource={"Bucket": self.bucket, "Key": "put-" + acl})
                upload = self.s3.create_multipart_upload(Bucket=self.bucket, Key="mp-" + acl,
                                                         ACL=acl)
                self.s3.abort_multipart_upload(Bucket=self.bucket, Key="mp-" + acl,
                                               UploadId=upload["UploadId"])
                got = self.s3.get_object(Bucket=self.bucket, Key="copy-" + acl)["Body"].read()
                self.assertEqual(got, BODY)

    def test_public_and_granted_object_writes_are_refused_and_store_nothing(self):
        self.s3.put_object(Bucket=self.bucket, Key="source", Body=BODY)
        advice = "make the bucket public"  # what a refused canned ACL tells the user
        refused = [
            ("public-read put", advice, lambda: self.s3.put_object(
                Bucket=self.bucket, Key="k", Body=BODY, ACL="public-read")),
            ("authenticated-read put", advice, lambda: self.s3.put_object(
                Bucket=self.bucket, Key="k", Body=BODY, ACL="authenticated-read")),
            ("grant header put", "x-amz-grant-read", lambda: self.s3.put_object(
                Bucket=self.bucket, Key="k", Body=BODY, GrantRead="uri=" + ALL_USERS)),
            ("public-read copy", advice, lambda: self.s3.copy_object(
                Bucket=self.bucket, Key="k", ACL="public-read",
                CopySource={"Bucket": self.bucket, "Key": "source"})),
            ("public-read multipart", advice, lambda: self.s3.create_multipart_upload(
                Bucket=self.bucket, Key="k", ACL="public-read")),
        ]
        for what, words, call in refused:
            with self.subTest(what):
                e = self.assertRefused(call)
                self.assertIn(words, e.response["Error"]["Message"])
        self.assertMissing("k")
        self.assertEqual(self.s3.list_multipart_uploads(Bucket=self.bucket).get("Uploads", []), [])

    def test_post_form_acl_field(self):
        post = self.s3.generate_presigned_post(self.bucket, "form-private", ExpiresIn=300,
                                               Fields={"acl": "private"},
                                               Conditions=[{"acl": "private"}])
        content_type, body = form(post["fields"], BODY)
        r = send(post["url"], content_type, body)
        self.assertEqual(r.status, 204, r)
        post = self.s3.generate_presigned_post(self.bucket, "form-public", ExpiresIn=300,
                                               Fields={"acl": "public-read"},
                                               Conditions=[{"acl": "public-read"}])
        content_type, body = form(post["fields"], BODY)
        self.assertS3Error(send(post["url"], content_type, body), 400,
                           "AccessControlListNotSupported")
        self.assertMissing("form-public")

    # -- object ACLs --

    def test_get_object_acl_shows_the_owner_with_full_control(self):
        self.s3.put_object(Bucket=self.bucket, Key="o", Body=BODY)
        acl = self.s3.get_object_acl(Bucket=self.bucket, Key="o")
        self.assertEqual(acl["Owner"]["ID"], self.owner["ID"])
        self.assertEqual(acl["Owner"].get("DisplayName"), self.owner.get("DisplayName"))
        self.assertEqual(grants(acl), self.owner_only())
        self.assertRefused(lambda: self.s3.get_object_acl(Bucket=self.bucket, Key="missing"),
                           "NoSuchKey", 404)

    def test_put_object_acl_accepts_only_what_the_object_is(self):
        self.s3.put_object(Bucket=self.bucket, Key="o", Body=BODY)
        self.s3.put_object_acl(Bucket=self.bucket, Key="o", ACL="private")
        policy = self.s3.get_object_acl(Bucket=self.bucket, Key="o")
        policy.pop("ResponseMetadata")
        self.s3.put_object_acl(Bucket=self.bucket, Key="o", AccessControlPolicy=policy)
        self.assertRefused(lambda: self.s3.put_object_acl(Bucket=self.bucket, Key="o",
                                                          ACL="public-read"))
        policy["Grants"].append({"Grantee": {"Type": "Group", "URI": ALL_USERS},
                                 "Permission": "READ"})
        self.assertRefused(lambda: self.s3.put_object_acl(Bucket=self.bucket, Key="o",
                                                          AccessControlPolicy=policy))
        self.assertRefused(lambda: self.s3.put_object_acl(Bucket=self.bucket, Key="missing",
                                                          ACL="private"), "NoSuchKey", 404)
        self.assertEqual(self.anonymous_get(self.bucket, "o"), 403)

    # -- bucket ACLs: the public setting --

    def test_bucket_acl_public_read_and_back_to_private(self):
        self.s3.put_object(Bucket=self.bucket, Key="page.html", Body=BODY)
        self.assertEqual(grants(self.s3.get_bucket_acl(Bucket=self.bucket)), self.owner_only())
        self.assertEqual(self.anonymous_get(self.bucket, "page.html"), 403)

        self.s3.put_bucket_acl(Bucket=self.bucket, ACL="public-read")
        acl = self.s3.get_bucket_acl(Bucket=self.bucket)
        self.assertEqual(acl["Owner"]["ID"], self.owner["ID"])
        self.assertEqual(grants(acl), self.owner_only() + [("Group", ALL_USERS, "READ")])
        self.assertEqual(self.anonymous_get(self.bucket, "page.html"), 200)

        self.s3.put_bucket_acl(Bucket=self.bucket, ACL="private")
        self.assertEqual(grants(self.s3.get_bucket_acl(Bucket=self.bucket)), self.owner_only())
        self.assertEqual(self.anonymous_get(self.bucket, "page.html"), 403)

    def test_bucket_acl_document_round_trip(self):
        self.s3.put_object(Bucket=self.bucket, Key="page.html", Body=BODY)
        policy = self.s3.get_bucket_acl(Bucket=self.bucket)
        policy.pop("ResponseMetadata")
        policy["Grants"].append({"Grantee": {"Type": "Group", "URI": ALL_USERS},
                                 "Permission": "READ"})
        self.s3.put_bucket_acl(Bucket=self.bucket, AccessControlPolicy=policy)
        self.assertEqual(self.anonymous_get(self.bucket, "page.html"), 200)
        policy["Grants"].pop()
        self.s3.put_bucket_acl(Bucket=self.bucket, AccessControlPolicy=policy)
        self.assertEqual(self.anonymous_get(self.bucket, "page.html"), 403)

    def test_bucket_acls_cairn_cannot_keep_are_refused(self):
        for acl in ("public-read-write", "authenticated-read"):
            with self.subTest(acl=acl):
                self.assertRefused(lambda: self.s3.put_bucket_acl(Bucket=self.bucket, ACL=acl))
        self.assertRefused(lambda: self.s3.put_bucket_acl(Bucket=self.bucket,
                                                          GrantRead="uri=" + ALL_USERS))
        policy = self.s3.get_bucket_acl(Bucket=self.bucket)
        policy.pop("ResponseMetadata")
        policy["Grants"].append({"Grantee": {"Type": "Group", "URI": ALL_USERS},
                                 "Permission": "WRITE"})
        self.assertRefused(lambda: self.s3.put_bucket_acl(Bucket=self.bucket,
                                                          AccessControlPolicy=policy))
        self.assertEqual(grants(self.s3.get_bucket_acl(Bucket=self.bucket)), self.owner_only())

    def test_create_bucket_with_a_canned_acl(self):
        public = "acl-public-" + secrets.token_hex(4)
        self.s3.create_bucket(Bucket=public, ACL="public-read")
        self.addCleanup(self.empty_and_delete, public)
        self.s3.put_object(Bucket=public, Key="index.html", Body=BODY)
        self.assertEqual(self.anonymous_get(public, "index.html"), 200)

        private = "acl-private-" + secrets.token_hex(4)
        self.s3.create_bucket(Bucket=private, ACL="private")
        self.addCleanup(self.empty_and_delete, private)
        self.assertEqual(grants(self.s3.get_bucket_acl(Bucket=private)), self.owner_only())

        refused = "acl-refused-" + secrets.token_hex(4)
        self.assertRefused(lambda: self.s3.create_bucket(Bucket=refused, ACL="public-read-write"))
        self.assertRefused(lambda: self.s3.head_bucket(Bucket=refused), "404", 404)

    def test_missing_bucket(self):
        missing = "acl-missing-" + secrets.token_hex(4)
        self.assertRefused(lambda: self.s3.get_bucket_acl(Bucket=missing), "NoSuchBucket", 404)
        self.assertRefused(lambda: self.s3.put_bucket_acl(Bucket=missing, ACL="private"),
                           "NoSuchBucket", 404)


if __name__ == "__main__":
    cairn_server.main()
