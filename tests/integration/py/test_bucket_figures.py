"""Bucket figures: each bucket's object count and total size, which the metadata store keeps as
objects change. Read through the admin API (GET /_cairn/admin/buckets and buckets/B), `cairn
bucket info` (tests/cli) and the Prometheus metrics; each step here checks them against what a
full listing of the bucket adds up to."""
import secrets

import cairn_server
from admin_api import AccessTestCase, AdminApi
from cairn_server import raw_request
from test_observability import parse_metrics, value

MIB = 1024 * 1024


def tearDownModule():
    cairn_server.shutdown()


class BucketFiguresTests(AccessTestCase):
    def setUp(self):
        self.bucket = self.new_bucket("figures")

    def figures(self, bucket=None):
        info = self.admin.ok("GET", "buckets/" + (bucket or self.bucket))
        return info["objectCount"], info["bytes"]

    def listed(self):
        """(count, bytes) as a client would add them up from a full listing."""
        count = size = 0
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket):
            for o in page.get("Contents", []):
                count += 1
                size += o["Size"]
        return count, size

    def assertFigures(self, count, size):
        self.assertEqual(self.listed(), (count, size))
        self.assertEqual(self.figures(), (count, size))

    def test_figures_follow_puts_overwrites_copies_multipart_and_deletes(self):
        b = self.bucket
        self.assertFigures(0, 0)
        self.s3.put_object(Bucket=b, Key="a.txt", Body=b"a" * 100)
        self.s3.put_object(Bucket=b, Key="docs/", Body=b"")  # a folder marker is an object
        self.s3.put_object(Bucket=b, Key="big.bin", Body=b"b" * (3 * MIB))  # a blob, not inline
        self.assertFigures(3, 100 + 3 * MIB)

        self.s3.put_object(Bucket=b, Key="a.txt", Body=b"a" * 40)  # overwrite: size only
        self.assertFigures(3, 40 + 3 * MIB)
        self.s3.copy_object(Bucket=b, Key="docs/copy.bin", CopySource={"Bucket": b, "Key": "big.bin"})
        self.assertFigures(4, 40 + 6 * MIB)

        # An upload in progress counts only once completed, and then as its object.
        upload = self.s3.create_multipart_upload(Bucket=b, Key="a.txt")["UploadId"]
        parts = []
        for number, body in ((1, b"p" * (5 * MIB)), (2, b"q" * 1000)):
            etag = self.s3.upload_part(Bucket=b, Key="a.txt", UploadId=upload, PartNumber=number,
                                       Body=body)["ETag"]
            parts.append({"PartNumber": number, "ETag": etag})
        self.assertFigures(4, 40 + 6 * MIB)
        self.s3.complete_multipart_upload(Bucket=b, Key="a.txt", UploadId=upload,
                                          MultipartUpload={"Parts": parts})
        self.assertFigures(4, 5 * MIB + 1000 + 6 * MIB)

        self.s3.delete_object(Bucket=b, Key="big.bin")
        self.s3.delete_object(Bucket=b, Key="big.bin")  # gone already: no change
        self.assertFigures(3, 5 * MIB + 1000 + 3 * MIB)
        self.s3.delete_objects(Bucket=b, Delete={"Objects": [{"Key": "docs/"},
                                                             {"Key": "docs/copy.bin"},
                                                             {"Key": "never-was"}]})
        self.assertFigures(1, 5 * MIB + 1000)

    def test_many_small_objects(self):
        for i in range(250):
            self.s3.put_object(Bucket=self.bucket, Key="item-%04d" % i, Body=b"x" * i)
        self.assertFigures(250, sum(range(250)))

    def test_the_bucket_list_gives_every_bucket_its_figures(self):
        other = self.new_bucket("figures")
        self.s3.put_object(Bucket=self.bucket, Key="k", Body=b"12345")
        listed = {b["name"]: b for b in self.admin.ok("GET", "buckets")["buckets"]}
        self.assertEqual((listed[self.bucket]["objectCount"], listed[self.bucket]["bytes"]), (1, 5))
        self.assertEqual((listed[other]["objectCount"], listed[other]["bytes"]), (0, 0))
        self.assertTrue(listed[other]["createdAt"].endswith("Z"))
        names = list(listed)
        self.assertEqual(names, sorted(names))

    def test_a_deleted_bucket_has_no_figures_and_a_new_one_starts_from_zero(self):
        name = "figures-" + secrets.token_hex(4)
        self.s3.create_bucket(Bucket=name)
        self.s3.put_object(Bucket=name, Key="k", Body=b"x" * 10)
        self.s3.delete_object(Bucket=name, Key="k")
        self.s3.delete_bucket(Bucket=name)
        r = self.admin.request("GET", "buckets/" + name)
        self.assertEqual((r.status, r.error_code()), (404, "NoSuchBucket"), r)
        self.s3.create_bucket(Bucket=name)
        self.addCleanup(self.s3.delete_bucket, Bucket=name)
        self.assertEqual(self.figures(name), (0, 0))

    def test_figures_need_an_admin_key(self):
        for permission in ("object-rw", "object-ro"):
            creds = self.admin.create_key(permission, buckets=[self.bucket])
            self.addCleanup(self.admin.revoke, creds.access_key)
            for path in ("buckets/" + self.bucket, "buckets"):
                r = AdminApi(self.t, creds).request("GET", path)
                self.assertEqual((r.status, r.error_code()), (403, "AccessDenied"), r)
        readonly = self.admin.create_key("admin-ro")
        self.addCleanup(self.admin.revoke, readonly.access_key)
        self.assertEqual(AdminApi(self.t, readonly).ok("GET", "buckets/" + self.bucket)["bytes"], 0)

    def test_only_get_is_allowed(self):
        for method in ("PUT", "DELETE", "POST"):
            r = self.admin.request(method, "buckets/" + self.bucket, body={})
            self.assertEqual(r.status, 405, r)

    def test_metrics_show_each_buckets_figures(self):
        self.s3.put_object(Bucket=self.bucket, Key="one", Body=b"x" * 300)
        self.s3.put_object(Bucket=self.bucket, Key="two", Body=b"y" * 12)
        metrics = self.metrics()
        self.assertEqual(value(metrics, "cairn_bucket_objects", bucket=self.bucket), 2)
        self.assertEqual(value(metrics, "cairn_bucket_bytes", bucket=self.bucket), 312)

        name = "figures-" + secrets.token_hex(4)
        self.s3.create_bucket(Bucket=name)
        self.assertIn(("cairn_bucket_objects", frozenset({("bucket", name)})), self.metrics())
        self.s3.delete_bucket(Bucket=name)
        self.assertNotIn(("cairn_bucket_objects", frozenset({("bucket", name)})), self.metrics())

    def metrics(self):
        r = raw_request("GET", "/_cairn/metrics", t=self.t)
        self.assertEqual(r.status, 200, r)
        return parse_metrics(r.body.decode())


if __name__ == "__main__":
    import unittest
    unittest.main()
