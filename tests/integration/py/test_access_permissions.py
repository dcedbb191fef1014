"""The permission table of docs/access-keys.md, through boto3: every S3 operation cairn routes,
signed by a key of each of the four permissions. An allowed call must do what it should; a refused
one must answer 403 AccessDenied and change nothing (checked with the admin key afterwards). Then
the admin API itself by permission, and a check that admin_api.py signs as botocore does."""
import hashlib
import http.server
import json
import secrets
import threading
import unittest

from botocore.exceptions import ClientError

import admin_api
import cairn_server
from admin_api import PERMISSIONS, AdminApi
from cairn_server import CairnTestCase
from test_post_object import form, send


def tearDownModule():
    cairn_server.shutdown()


# The action classes of docs/access-keys.md and the permissions each allows.
ALLOWED = {
    "list-buckets": {"admin-rw", "admin-ro"},
    "manage-buckets": {"admin-rw"},
    "read-bucket-config": {"admin-rw", "admin-ro"},
    "read-objects": {"admin-rw", "admin-ro", "object-rw", "object-ro"},
    "write-objects": {"admin-rw", "object-rw"},
}

# Every operation the router knows (src/s3/router.h), but the unauthenticated preflight.
ROUTED = [
    "ListBuckets", "CreateBucket", "HeadBucket", "DeleteBucket", "GetBucketLocation",
    "ListObjects", "ListObjectsV2", "DeleteObjects", "PutObject", "CopyObject", "GetObject",
    "HeadObject", "GetObjectAttributes", "DeleteObject", "CreateMultipartUpload", "UploadPart",
    "UploadPartCopy", "CompleteMultipartUpload", "AbortMultipartUpload", "ListParts", "ListMultipartUploads",
    "GetBucketLifecycleConfiguration", "PutBucketLifecycleConfiguration",
    "DeleteBucketLifecycleConfiguration", "GetBucketCors", "PutBucketCors", "DeleteBucketCors",
    "GetBucketAcl", "PutBucketAcl", "GetObjectAcl", "PutObjectAcl",
    "PostObject", "GetBucketTagging", "PutObjectTagging",
]

OBJ = "obj.txt"
OBJ_BODY = b"the object every case starts with\n"
NEW = "new.txt"
NEW_BODY = b"written by the key under test\n"
MP = "mp.bin"
PART = b"p" * 1000
LIFECYCLE = {"Rules": [{"ID": "expire-logs", "Status": "Enabled", "Filter": {"Prefix": "logs/"},
                        "Expiration": {"Days": 7}}]}
CORS = {"CORSRules": [{"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["GET"]}]}


class Fixture:
    """One case's world: a bucket holding OBJ, made by the admin key, plus what `setup` adds."""

    def __init__(self, admin, bucket):
        self.admin = admin
        self.bucket = bucket
        self.upload_id = None
        self.new_bucket = None

    def exists(self, key, bucket=None):
        return unless_missing(lambda: self.admin.head_object(Bucket=bucket or self.bucket,
                                                             Key=key) and True, False)

    def body(self, key):
        return self.admin.get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def bucket_exists(self, bucket):
        return unless_missing(lambda: self.admin.head_bucket(Bucket=bucket) and True, False)

    def upload_ids(self):
        return [u["UploadId"] for u in
                self.admin.list_multipart_uploads(Bucket=self.bucket).get("Uploads", [])]

    def parts(self):
        return self.admin.list_parts(Bucket=self.bucket, Key=MP,
                                     UploadId=self.upload_id).get("Parts", [])

    def lifecycle_rules(self):
        return unless_missing(lambda: self.admin.get_bucket_lifecycle_configuration(
            Bucket=self.bucket)["Rules"], [])

    def is_public(self):
        grants = self.admin.get_bucket_acl(Bucket=self.bucket)["Grants"]
        return any(g["Grantee"].get("URI", "").endswith("/AllUsers") for g in grants)

    def cors_rules(self):
        return unless_missing(lambda: self.admin.get_bucket_cors(Bucket=self.bucket)
                              ["CORSRules"], [])


def unless_missing(call, missing):
    """call()'s answer, or `missing` when it answers 404 (no such key, bucket or configuration)."""
    try:
        return call()
    except ClientError as e:
        if e.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
            return missing
        raise


# -- setups (run with the admin key before the call) --

def with_upload(f):
    f.upload_id = f.admin.create_multipart_upload(Bucket=f.bucket, Key=MP)["UploadId"]


def with_part(f):
    with_upload(f)
    f.admin.upload_part(Bucket=f.bucket, Key=MP, UploadId=f.upload_id, PartNumber=1, Body=PART)


def with_lifecycle(f):
    f.admin.put_bucket_lifecycle_configuration(Bucket=f.bucket, LifecycleConfiguration=LIFECYCLE)


def with_cors(f):
    f.admin.put_bucket_cors(Bucket=f.bucket, CORSConfiguration=CORS)


def empty_bucket(f):
    f.admin.delete_object(Bucket=f.bucket, Key=OBJ)


def new_bucket_name(f):
    f.new_bucket = "perm-new-" + secrets.token_hex(5)


# -- calls (with the key under test) --

def post_object(s3, f):
    """A browser form upload whose policy the key under test signed."""
    post = s3.generate_presigned_post(f.bucket, NEW, ExpiresIn=300)
    content_type, body = form(post["fields"], NEW_BODY, filename="new.txt")
    r = send(post["url"], content_type, body)
    if r.status // 100 != 2:
        # As boto3 would raise it, so that every row is checked the same way.
        raise ClientError({"Error": {"Code": r.error_code(), "Message": r.body.decode()},
                           "ResponseMetadata": {"HTTPStatusCode": r.status}}, "PostObject")
    return r


def complete(s3, f):
    return s3.complete_multipart_upload(
        Bucket=f.bucket, Key=MP, UploadId=f.upload_id,
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": '"%s"' % hashlib.md5(PART)
                                    .hexdigest()}]})


def listed_keys(answer):
    return [o["Key"] for o in answer.get("Contents", [])]


class Row:
    """One operation: its action class, and how to run and check it.

    setup(f)             prepares the fixture with the admin key
    call(s3, f)          the operation, signed by the key under test
    done(test, f, r)     asserts what an allowed call did (r: its answer)
    unchanged(test, f)   asserts that a refused call changed nothing
    not_implemented      the allowed call answers 501 NotImplemented (not AccessDenied)
    """

    def __init__(self, op, action, call, done=None, unchanged=None, setup=None,
                 not_implemented=False):
        self.op, self.action, self.call = op, action, call
        self.done, self.unchanged, self.setup = done, unchanged, setup
        self.not_implemented = not_implemented


def no_change(t, f):
    """A read: the fixture's object is still there, as it was."""
    t.assertEqual(f.body(OBJ), OBJ_BODY)


TABLE = [
    Row("ListBuckets", "list-buckets",
        lambda s3, f: s3.list_buckets(),
        done=lambda t, f, r: t.assertIn(f.bucket, [b["Name"] for b in r["Buckets"]])),
    Row("CreateBucket", "manage-buckets",
        lambda s3, f: s3.create_bucket(Bucket=f.new_bucket), setup=new_bucket_name,
        done=lambda t, f, r: t.assertTrue(f.bucket_exists(f.new_bucket)),
        unchanged=lambda t, f: t.assertFalse(f.bucket_exists(f.new_bucket))),
    Row("HeadBucket", "read-objects",
        lambda s3, f: s3.head_bucket(Bucket=f.bucket),
        done=lambda t, f, r: t.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 200)),
    Row("DeleteBucket", "manage-buckets",
        lambda s3, f: s3.delete_bucket(Bucket=f.bucket), setup=empty_bucket,
        done=lambda t, f, r: t.assertFalse(f.bucket_exists(f.bucket)),
        unchanged=lambda t, f: t.assertTrue(f.bucket_exists(f.bucket))),
    Row("GetBucketLocation", "read-objects",
        lambda s3, f: s3.get_bucket_location(Bucket=f.bucket),
        done=lambda t, f, r: t.assertIn("LocationConstraint", r)),
    Row("ListObjects", "read-objects",
        lambda s3, f: s3.list_objects(Bucket=f.bucket),
        done=lambda t, f, r: t.assertEqual(listed_keys(r), [OBJ])),
    Row("ListObjectsV2", "read-objects",
        lambda s3, f: s3.list_objects_v2(Bucket=f.bucket),
        done=lambda t, f, r: t.assertEqual(listed_keys(r), [OBJ])),
    Row("DeleteObjects", "write-objects",
        lambda s3, f: s3.delete_objects(Bucket=f.bucket, Delete={"Objects": [{"Key": OBJ}]}),
        done=lambda t, f, r: (t.assertEqual(r.get("Errors", []), []),
                              t.assertFalse(f.exists(OBJ))),
        unchanged=no_change),
    Row("PutObject", "write-objects",
        lambda s3, f: s3.put_object(Bucket=f.bucket, Key=NEW, Body=NEW_BODY),
        done=lambda t, f, r: t.assertEqual(f.body(NEW), NEW_BODY),
        unchanged=lambda t, f: t.assertFalse(f.exists(NEW))),
    Row("CopyObject", "write-objects",
        lambda s3, f: s3.copy_object(Bucket=f.bucket, Key=NEW,
                                     CopySource={"Bucket": f.bucket, "Key": OBJ}),
        done=lambda t, f, r: t.assertEqual(f.body(NEW), OBJ_BODY),
        unchanged=lambda t, f: t.assertFalse(f.exists(NEW))),
    Row("GetObject", "read-objects",
        lambda s3, f: s3.get_object(Bucket=f.bucket, Key=OBJ)["Body"].read(),
        done=lambda t, f, r: t.assertEqual(r, OBJ_BODY)),
    Row("HeadObject", "read-objects",
        lambda s3, f: s3.head_object(Bucket=f.bucket, Key=OBJ),
        done=lambda t, f, r: t.assertEqual(r["ContentLength"], len(OBJ_BODY))),
    Row("GetObjectAttributes", "read-objects",
        lambda s3, f: s3.get_object_attributes(Bucket=f.bucket, Key=OBJ,
                                               ObjectAttributes=["ObjectSize"]),
        done=lambda t, f, r: t.assertEqual(r["ObjectSize"], len(OBJ_BODY))),
    Row("DeleteObject", "write-objects",
        lambda s3, f: s3.delete_object(Bucket=f.bucket, Key=OBJ),
        done=lambda t, f, r: t.assertFalse(f.exists(OBJ)),
        unchanged=no_change),
    Row("CreateMultipartUpload", "write-objects",
        lambda s3, f: s3.create_multipart_upload(Bucket=f.bucket, Key=MP),
        done=lambda t, f, r: t.assertEqual(f.upload_ids(), [r["UploadId"]]),
        unchanged=lambda t, f: t.assertEqual(f.upload_ids(), [])),
    Row("UploadPart", "write-objects",
        lambda s3, f: s3.upload_part(Bucket=f.bucket, Key=MP, UploadId=f.upload_id,
                                     PartNumber=1, Body=PART),
        setup=with_upload,
        done=lambda t, f, r: t.assertEqual([p["Size"] for p in f.parts()], [len(PART)]),
        unchanged=lambda t, f: t.assertEqual(f.parts(), [])),
    Row("UploadPartCopy", "write-objects",
        lambda s3, f: s3.upload_part_copy(Bucket=f.bucket, Key=MP, UploadId=f.upload_id,
                                          PartNumber=1,
                                          CopySource={"Bucket": f.bucket, "Key": OBJ}),
        setup=with_upload,
        done=lambda t, f, r: t.assertEqual([p["Size"] for p in f.parts()], [len(OBJ_BODY)]),
        unchanged=lambda t, f: t.assertEqual(f.parts(), [])),
    Row("CompleteMultipartUpload", "write-objects", complete, setup=with_part,
        done=lambda t, f, r: (t.assertEqual(f.body(MP), PART), t.assertEqual(f.upload_ids(), [])),
        unchanged=lambda t, f: (t.assertFalse(f.exists(MP)),
                                t.assertEqual(f.upload_ids(), [f.upload_id]))),
    Row("AbortMultipartUpload", "write-objects",
        lambda s3, f: s3.abort_multipart_upload(Bucket=f.bucket, Key=MP, UploadId=f.upload_id),
        setup=with_part,
        done=lambda t, f, r: t.assertEqual(f.upload_ids(), []),
        unchanged=lambda t, f: (t.assertEqual(f.upload_ids(), [f.upload_id]),
                                t.assertEqual(len(f.parts()), 1))),
    Row("ListParts", "read-objects",
        lambda s3, f: s3.list_parts(Bucket=f.bucket, Key=MP, UploadId=f.upload_id),
        setup=with_part,
        done=lambda t, f, r: t.assertEqual([p["PartNumber"] for p in r["Parts"]], [1])),
    Row("ListMultipartUploads", "read-objects",
        lambda s3, f: s3.list_multipart_uploads(Bucket=f.bucket), setup=with_upload,
        done=lambda t, f, r: t.assertEqual([u["UploadId"] for u in r["Uploads"]],
                                           [f.upload_id])),
    Row("GetBucketLifecycleConfiguration", "read-bucket-config",
        lambda s3, f: s3.get_bucket_lifecycle_configuration(Bucket=f.bucket),
        setup=with_lifecycle,
        done=lambda t, f, r: t.assertEqual([x["ID"] for x in r["Rules"]], ["expire-logs"])),
    Row("PutBucketLifecycleConfiguration", "manage-buckets",
        lambda s3, f: s3.put_bucket_lifecycle_configuration(Bucket=f.bucket,
                                                             LifecycleConfiguration=LIFECYCLE),
        done=lambda t, f, r: t.assertEqual([x["ID"] for x in f.lifecycle_rules()],
                                           ["expire-logs"]),
        unchanged=lambda t, f: t.assertEqual(f.lifecycle_rules(), [])),
    Row("DeleteBucketLifecycleConfiguration", "manage-buckets",
        lambda s3, f: s3.delete_bucket_lifecycle(Bucket=f.bucket), setup=with_lifecycle,
        done=lambda t, f, r: t.assertEqual(f.lifecycle_rules(), []),
        unchanged=lambda t, f: t.assertEqual(len(f.lifecycle_rules()), 1)),
    Row("GetBucketCors", "read-bucket-config",
        lambda s3, f: s3.get_bucket_cors(Bucket=f.bucket), setup=with_cors,
        done=lambda t, f, r: t.assertEqual(r["CORSRules"][0]["AllowedOrigins"],
                                           ["https://app.example.com"])),
    Row("PutBucketCors", "manage-buckets",
        lambda s3, f: s3.put_bucket_cors(Bucket=f.bucket, CORSConfiguration=CORS),
        done=lambda t, f, r: t.assertEqual(len(f.cors_rules()), 1),
        unchanged=lambda t, f: t.assertEqual(f.cors_rules(), [])),
    Row("DeleteBucketCors", "manage-buckets",
        lambda s3, f: s3.delete_bucket_cors(Bucket=f.bucket), setup=with_cors,
        done=lambda t, f, r: t.assertEqual(f.cors_rules(), []),
        unchanged=lambda t, f: t.assertEqual(len(f.cors_rules()), 1)),
    Row("GetBucketAcl", "read-bucket-config",
        lambda s3, f: s3.get_bucket_acl(Bucket=f.bucket),
        done=lambda t, f, r: t.assertEqual([g["Permission"] for g in r["Grants"]],
                                           ["FULL_CONTROL"])),
    # public-read makes the bucket public: as the admin API's public toggle, admin-rw only.
    Row("PutBucketAcl", "manage-buckets",
        lambda s3, f: s3.put_bucket_acl(Bucket=f.bucket, ACL="public-read"),
        done=lambda t, f, r: t.assertTrue(f.is_public()),
        unchanged=lambda t, f: t.assertFalse(f.is_public())),
    Row("GetObjectAcl", "read-objects",
        lambda s3, f: s3.get_object_acl(Bucket=f.bucket, Key=OBJ),
        done=lambda t, f, r: t.assertEqual([g["Permission"] for g in r["Grants"]],
                                           ["FULL_CONTROL"])),
    Row("PutObjectAcl", "write-objects",
        lambda s3, f: s3.put_object_acl(Bucket=f.bucket, Key=OBJ, ACL="private"),
        done=lambda t, f, r: t.assertEqual(f.body(OBJ), OBJ_BODY),
        unchanged=no_change),
    Row("PostObject", "write-objects", post_object,
        done=lambda t, f, r: t.assertEqual(f.body(NEW), NEW_BODY),
        unchanged=lambda t, f: t.assertFalse(f.exists(NEW))),
    # Sub-resources cairn does not implement: the permission is checked first, so an allowed key
    # learns NotImplemented and any other AccessDenied.
    Row("GetBucketTagging", "manage-buckets",
        lambda s3, f: s3.get_bucket_tagging(Bucket=f.bucket), not_implemented=True),
    Row("PutObjectTagging", "write-objects",
        lambda s3, f: s3.put_object_tagging(Bucket=f.bucket, Key=OBJ,
                                            Tagging={"TagSet": [{"Key": "k", "Value": "v"}]}),
        not_implemented=True, unchanged=no_change),
]


class PermissionTableTests(CairnTestCase):
    """Every row of TABLE × every permission."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api = AdminApi(cls.t)
        cls.keys = {p: cls.api.create_key(p, name="table-" + p) for p in PERMISSIONS}
        cls.clients = {p: c.s3(cls.t) for p, c in cls.keys.items()}

    def test_table_covers_every_routed_operation(self):
        self.assertEqual([r.op for r in TABLE], ROUTED)
        for r in TABLE:
            self.assertIn(r.action, ALLOWED, r.op)

    def check(self, row, permission):
        f = Fixture(self.s3, self.new_bucket("perm", cleanup=False))
        self.s3.put_object(Bucket=f.bucket, Key=OBJ, Body=OBJ_BODY)
        self.addCleanup(self.cleanup, f)
        if row.setup:
            row.setup(f)
        s3 = self.clients[permission]
        allowed = permission in ALLOWED[row.action]
        if row.not_implemented and allowed:
            with self.assertRaises(ClientError) as cm:
                row.call(s3, f)
            self.assertClientError(cm.exception, "NotImplemented", 501)
        elif allowed:
            try:
                answer = row.call(s3, f)
            except ClientError as e:
                self.fail("%s by %s was refused: %r" % (row.op, permission, e.response))
            if row.done:
                row.done(self, f, answer)
        else:
            with self.assertRaises(ClientError) as cm:
                row.call(s3, f)
            status = cm.exception.response["ResponseMetadata"]["HTTPStatusCode"]
            self.assertEqual(status, 403, cm.exception.response)
            if row.op not in ("HeadBucket", "HeadObject"):  # a HEAD answer has no body
                self.assertClientError(cm.exception, "AccessDenied")
        if not allowed or row.not_implemented:
            if row.unchanged:
                row.unchanged(self, f)

    def cleanup(self, f):
        if f.new_bucket and f.bucket_exists(f.new_bucket):
            self.s3.delete_bucket(Bucket=f.new_bucket)
        if f.bucket_exists(f.bucket):  # DeleteBucket deletes it
            self.abort_all_uploads(f.bucket)
            self.empty_and_delete(f.bucket)


def _add_table_tests():
    """One test method per operation (subtests per permission), so that a report names the op."""
    for row in TABLE:
        def test(self, row=row):
            for permission in PERMISSIONS:
                with self.subTest(permission=permission):
                    self.check(row, permission)
        setattr(PermissionTableTests, "test_%s" % row.op, test)


_add_table_tests()


class TemporaryPermissionTableTests(PermissionTableTests):
    """The same table with temporary credentials issued from each key (their permission is the
    parent's), sent as boto3's aws_session_token."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.keys = {p: AdminApi(cls.t, c).temporary_credentials(900)
                    for p, c in cls.keys.items()}
        cls.clients = {p: c.s3(cls.t) for p, c in cls.keys.items()}


class AdminApiPermissionTests(admin_api.AccessTestCase):
    """The admin API's own calls by permission."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.keys = {p: cls.admin.create_key(p, name="api-" + p) for p in PERMISSIONS}
        cls.apis = {p: AdminApi(cls.t, c) for p, c in cls.keys.items()}
        cls.bucket = "api-perm-" + secrets.token_hex(4)
        cls.s3.create_bucket(Bucket=cls.bucket)

    @classmethod
    def tearDownClass(cls):
        cls.empty_and_delete(cls.bucket)
        super().tearDownClass()

    def assertRefused(self, r):
        self.assertS3Error(r, 403, "AccessDenied")

    def test_whoami_names_the_signing_key(self):
        for p in PERMISSIONS:
            with self.subTest(permission=p):
                me = self.apis[p].whoami()
                self.assertEqual(me["accessKeyId"], self.keys[p].access_key)
                self.assertEqual(me["permission"], p)
                self.assertIs(me["temporary"], False)
                self.assertNotIn("secretAccessKey", me)
                listed = self.admin.get_key(self.keys[p].access_key)
                self.assertEqual({k: me[k] for k in listed if k != "lastUsedAt"},
                                 {k: v for k, v in listed.items() if k != "lastUsedAt"})
        me = self.admin.whoami()
        self.assertEqual((me["accessKeyId"], me["permission"], me["builtin"]),
                         (self.t.access_key, "admin-rw", True))

    def test_list_and_get_keys(self):
        for p in PERMISSIONS:
            with self.subTest(permission=p):
                listed = self.apis[p].request("GET", "keys")
                one = self.apis[p].request("GET", "keys/" + self.keys["object-ro"].access_key)
                if p.startswith("admin-"):
                    self.assertEqual(listed.status, 200, listed)
                    keys = json.loads(listed.body)["keys"]
                    ids = {k["accessKeyId"] for k in keys}
                    self.assertLessEqual({c.access_key for c in self.keys.values()}, ids)
                    self.assertIn(self.t.access_key, ids)
                    self.assertNotIn(b"secretAccessKey", listed.body)
                    for c in self.keys.values():
                        self.assertNotIn(c.secret_key.encode(), listed.body)
                    self.assertEqual(one.status, 200, one)
                    self.assertEqual(json.loads(one.body)["permission"], "object-ro")
                else:
                    self.assertRefused(listed)
                    self.assertRefused(one)

    def test_create_key_needs_admin_rw(self):
        for p in PERMISSIONS:
            with self.subTest(permission=p):
                name = "made-by-" + p
                r = self.apis[p].request("POST", "keys", {"name": name,
                                                          "permission": "object-ro"})
                made = [k for k in self.admin.list_keys() if k["name"] == name]
                if p == "admin-rw":
                    self.assertEqual(r.status, 200, r)
                    self.assertEqual(len(made), 1)
                else:
                    self.assertRefused(r)
                    self.assertEqual(made, [])

    def test_revoke_and_rotate_need_admin_rw(self):
        for p in PERMISSIONS:
            with self.subTest(permission=p):
                victim = self.admin.create_key("object-ro", name="victim-of-" + p)
                rotated = self.apis[p].request("POST", "keys/%s/rotate" % victim.access_key, {})
                revoked = self.apis[p].request("DELETE", "keys/" + victim.access_key)
                if p == "admin-rw":
                    self.assertEqual(rotated.status, 200, rotated)
                    self.assertEqual(revoked.status, 204, revoked)
                    r = self.admin.request("GET", "keys/" + victim.access_key)
                    self.assertS3Error(r, 404, "NoSuchEntity")
                else:
                    self.assertRefused(rotated)
                    self.assertRefused(revoked)
                    # The old secret still works: nothing was rotated or revoked.
                    self.assertEqual(victim.s3(self.t).list_objects_v2(
                        Bucket=self.bucket)["KeyCount"], 0)

    def test_public_toggle(self):
        for p in PERMISSIONS:
            with self.subTest(permission=p):
                got = self.apis[p].request("GET", "buckets/%s/public" % self.bucket)
                put = self.apis[p].request("PUT", "buckets/%s/public" % self.bucket,
                                           {"public": True})
                if p == "admin-rw":
                    self.assertEqual(put.status, 200, put)
                    self.assertEqual(json.loads(put.body),
                                     {"bucket": self.bucket, "public": True})
                    self.admin.set_public(self.bucket, False)
                else:
                    self.assertRefused(put)
                    self.assertIs(self.admin.get_public(self.bucket), False)
                if p.startswith("admin-"):
                    self.assertEqual(got.status, 200, got)
                    self.assertEqual(json.loads(got.body),
                                     {"bucket": self.bucket, "public": False})
                else:
                    self.assertRefused(got)

    def test_any_permanent_key_may_mint_temporary_credentials_for_itself(self):
        for p in PERMISSIONS:
            with self.subTest(permission=p):
                temp = self.apis[p].temporary_credentials(60)
                self.assertEqual(temp.info["parent"], self.keys[p].access_key)
                self.assertEqual(temp.info["permission"], p)
                me = AdminApi(self.t, temp).whoami()
                self.assertEqual((me["accessKeyId"], me["temporary"], me["parent"]),
                                 (temp.access_key, True, self.keys[p].access_key))

    def test_naming_another_parent_needs_admin_rw(self):
        other = self.keys["object-ro"].access_key
        for p in ("admin-ro", "object-rw"):
            with self.subTest(permission=p):
                r = self.apis[p].request("POST", "temporary-credentials",
                                         admin_api.temp_request(60, parent=other))
                self.assertRefused(r)
        temp = self.apis["admin-rw"].temporary_credentials(60, parent=other)
        self.assertEqual((temp.info["parent"], temp.info["permission"]), (other, "object-ro"))

    def test_builtin_key_cannot_be_revoked_or_rotated(self):
        for method, path in (("DELETE", "keys/" + self.t.access_key),
                             ("POST", "keys/%s/rotate" % self.t.access_key)):
            with self.subTest(method=method):
                self.assertS3Error(self.admin.request(method, path, {} if method == "POST"
                                                      else None), 400, "InvalidArgument")
        self.assertEqual(self.admin.whoami()["accessKeyId"], self.t.access_key)

    def test_bad_input_is_invalid_argument(self):
        ro = {"name": "x", "permission": "object-ro"}
        bodies = [b"{not json", b"[]", {"name": "x"}, {"name": "x", "permission": "root"},
                  dict(ro, name=""), dict(ro, name="n" * 129), dict(ro, name="bell\x07"),
                  dict(ro, name=5), dict(ro, unknown=1),
                  {"name": "x", "permission": "admin-rw", "buckets": ["b1"]},
                  {"name": "x", "permission": "admin-ro", "prefixes": ["p/"]},
                  dict(ro, buckets=["Not_A_Bucket"]), dict(ro, buckets="b1"),
                  dict(ro, buckets=["b%d" % i + "xx" for i in range(101)]),
                  dict(ro, prefixes=[""]), dict(ro, prefixes=["p" * 1025]),
                  dict(ro, prefixes=["p%d" % i for i in range(101)]),
                  dict(ro, expiresInSeconds=59), dict(ro, expiresInSeconds="3600"),
                  dict(ro, expiresInSeconds=10 * 366 * 86400 + 86400)]
        before = len(self.admin.list_keys())
        for body in bodies:
            with self.subTest(body=body):
                r = self.admin.request("POST", "keys", body)
                self.assertS3Error(r, 400, "InvalidArgument")
        self.assertEqual(len(self.admin.list_keys()), before)
        victim = self.admin.create_key("object-ro", name="grace-victim")
        for grace in (-1, 30 * 86400 + 1, "60"):
            with self.subTest(grace=grace):
                r = self.admin.request("POST", "keys/%s/rotate" % victim.access_key,
                                       {"graceSeconds": grace})
                self.assertS3Error(r, 400, "InvalidArgument")
        self.assertEqual(victim.s3(self.t).list_objects_v2(Bucket=self.bucket)["KeyCount"], 0)
        big = json.dumps({"name": "x" * (65 << 10), "permission": "object-ro"})
        self.assertIn(self.admin.request("POST", "keys", big).status, (400, 413))
        self.assertS3Error(self.admin.request("GET", "keys/NOSUCHKEY0000000000"), 404,
                           "NoSuchEntity")
        self.assertS3Error(self.admin.request("PUT", "buckets/no-such-%s/public"
                                              % secrets.token_hex(3), {"public": True}),
                           404, "NoSuchBucket")

    def test_limits_are_inclusive(self):
        name = "ü" * 128  # 128 characters, 256 bytes
        key = self.admin.create_key("object-ro", name=name,
                                    buckets=["b%03d" % i for i in range(100)],
                                    prefixes=["p" * 1024] + ["q%d/" % i for i in range(99)])
        got = self.admin.get_key(key.access_key)
        self.assertEqual((got["name"], len(got["buckets"]), len(got["prefixes"])),
                         (name, 100, 100))

    def test_key_list_is_sorted_by_name_then_id(self):
        for name in ("zz-sort", "aa-sort", "mm-sort", "aa-sort"):
            self.admin.create_key("object-ro", name=name)
        keys = self.admin.list_keys()
        # The built-in key comes first (src/keys/key_ring.h), the others by name, then id.
        self.assertEqual((keys[0]["accessKeyId"], keys[0]["builtin"]), (self.t.access_key, True))
        order = [(k["name"], k["accessKeyId"]) for k in keys[1:]]
        self.assertEqual(order, sorted(order))
        self.assertFalse(any(k["builtin"] for k in keys[1:]))

    def test_answers_are_json_and_unknown_calls_are_errors(self):
        r = self.admin.request("GET", "keys")
        self.assertEqual(r.header("Content-Type"), "application/json")
        self.assertS3Error(self.admin.request("PATCH", "keys"), 405, "MethodNotAllowed")
        self.assertS3Error(self.admin.request("PUT", "keys/" + self.keys["object-ro"].access_key,
                                              {}), 405, "MethodNotAllowed")
        r = self.admin.request("GET", "no-such-call")
        self.assertIn(r.status, (400, 404, 405), r)
        self.assertTrue(r.error_code(), r)

    def test_last_used_is_recorded(self):
        key = self.admin.create_key("object-ro", name="used-once")
        self.assertIsNone(key.info["lastUsedAt"])
        key.s3(self.t).list_objects_v2(Bucket=self.bucket)
        used = self.admin.get_key(key.access_key)["lastUsedAt"]
        self.assertIsNotNone(used)
        self.assertLess(abs((admin_api.parse_time(used) - admin_api.now()).total_seconds()), 60)

    def test_presigned_admin_call(self):
        path = admin_api.PREFIX + "keys"
        for p, status in (("admin-ro", 200), ("object-rw", 403)):
            with self.subTest(permission=p):
                q = self.keys[p].signer(self.t).presign("GET", self.t.netloc, path, expires=60)
                r = cairn_server.urlopen("%s%s?%s" % (self.t.endpoint, path, q))
                self.assertEqual(r.status, status, r)
                if status == 200:
                    self.assertIn(self.keys[p].access_key,
                                  [k["accessKeyId"] for k in json.loads(r.body)["keys"]])

    def test_unsigned_admin_call_is_refused(self):
        r = cairn_server.anonymous("GET", admin_api.PREFIX + "keys")
        self.assertS3Error(r, 403, "AccessDenied")


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Answers 200 {} and keeps the request, for AdminApiSigningTests."""
    seen = []

    def handle_one(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        _Recorder.seen.append((self.command, self.path, dict(self.headers), body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    do_GET = do_POST = do_PUT = do_DELETE = handle_one

    def log_message(self, *args):
        pass


class AdminApiSigningTests(unittest.TestCase):
    """admin_api.py signs its JSON calls (session token included) as botocore's SigV4 does."""

    def test_signature_matches_botocore(self):
        from botocore.auth import S3SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials as BotoCredentials

        server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        t = cairn_server.Target("http://127.0.0.1:%d" % server.server_port, "AKIDEXAMPLE",
                                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        temp = admin_api.Credentials("TEMPEXAMPLE", "temp/secret+x", "token/with+chars==")
        for creds in (None, temp):
            _Recorder.seen.clear()
            AdminApi(t, creds).ok("POST", "keys/ID/rotate", {"graceSeconds": 60})
            method, path, headers, body = _Recorder.seen[0]
            creds = creds or admin_api.Credentials(t.access_key, t.secret_key)
            auth = headers["Authorization"]
            signed = auth.split("SignedHeaders=")[1].split(",")[0].split(";")
            if creds.session_token:
                self.assertIn("x-amz-security-token", signed)
            lower = {k.lower(): v for k, v in headers.items()}
            self.assertEqual(lower["x-amz-content-sha256"], hashlib.sha256(body).hexdigest())
            req = AWSRequest(method=method, url=t.endpoint + path, data=body,
                             headers={h: lower[h] for h in signed})
            req.context["timestamp"] = lower["x-amz-date"]
            signer = S3SigV4Auth(BotoCredentials(creds.access_key, creds.secret_key,
                                                 creds.session_token), "s3", t.region)
            want = signer.signature(signer.string_to_sign(req, signer.canonical_request(req)),
                                    req)
            self.assertTrue(auth.endswith("Signature=" + want), (auth, want))


if __name__ == "__main__":
    cairn_server.main()
