"""Buckets: create, list, head, location, delete, and their errors (boto3)."""
import secrets
import unittest

from botocore.exceptions import ClientError

import cairn_server
from cairn_server import CairnTestCase, raw_request


def tearDownModule():
    cairn_server.shutdown()


class BucketTests(CairnTestCase):
    def test_create_list_head_delete(self):
        name = "bkt-" + secrets.token_hex(6)
        resp = self.s3.create_bucket(Bucket=name)
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 200)
        names = [b["Name"] for b in self.s3.list_buckets()["Buckets"]]
        self.assertIn(name, names)
        for b in self.s3.list_buckets()["Buckets"]:
            self.assertIn("CreationDate", b)
        head = self.s3.head_bucket(Bucket=name)
        self.assertEqual(head["ResponseMetadata"]["HTTPStatusCode"], 200)
        resp = self.s3.delete_bucket(Bucket=name)
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 204)
        with self.assertRaises(ClientError) as cm:
            self.s3.head_bucket(Bucket=name)
        self.assertClientError(cm.exception, status=404)
        self.assertNotIn(name, [b["Name"] for b in self.s3.list_buckets()["Buckets"]])

    def test_list_buckets_has_owner(self):
        resp = self.s3.list_buckets()
        self.assertIn("Owner", resp)
        self.assertTrue(resp["Owner"].get("ID"))

    def test_list_buckets_sorted(self):
        a = self.new_bucket("zz-sort")
        b = self.new_bucket("aa-sort")
        names = [x["Name"] for x in self.s3.list_buckets()["Buckets"]]
        self.assertIn(a, names)
        self.assertIn(b, names)
        self.assertEqual(names, sorted(names))

    def test_location(self):
        name = self.new_bucket()
        loc = self.s3.get_bucket_location(Bucket=name)
        # R2 answers "auto", the region cairn is (issue 2: "GetBucketLocation answers auto").
        self.assertEqual(loc.get("LocationConstraint"), "auto")

    def test_create_with_location_constraint_auto(self):
        name = "loc-" + secrets.token_hex(6)
        self.s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "auto"})
        self.addCleanup(self.empty_and_delete, name)
        self.s3.head_bucket(Bucket=name)

    def test_already_owned_by_you(self):
        name = self.new_bucket()
        with self.assertRaises(ClientError) as cm:
            self.s3.create_bucket(Bucket=name)
        self.assertClientError(cm.exception, "BucketAlreadyOwnedByYou", 409)

    def test_invalid_bucket_names(self):
        # Names botocore lets through (its own check is only [a-zA-Z0-9.\-_]{1,255}).
        bad = ["ab", "Upper-Case", "under_score", "-leading-dash", "trailing-dash-",
               "double..dot", "192.168.5.4", "a" * 64, "xn--punycode",
               "bucket-s3alias", "x" * 255]
        for name in bad:
            with self.subTest(name=name):
                with self.assertRaises(ClientError) as cm:
                    self.s3.create_bucket(Bucket=name)
                self.assertClientError(cm.exception, "InvalidBucketName", 400)

    def test_invalid_bucket_name_raw(self):
        # Characters botocore refuses to send: a raw request.
        for name in ["bad!name", "space%20name"]:
            with self.subTest(name=name):
                r = raw_request("PUT", "/" + name)
                self.assertS3Error(r, 400, "InvalidBucketName")

    def test_valid_edge_names(self):
        for name in ["abc", "a" * 63, "with.dots.in-" + secrets.token_hex(3), "0numeric-" +
                     secrets.token_hex(3)]:
            with self.subTest(name=name):
                try:
                    self.s3.delete_bucket(Bucket=name)
                except ClientError:
                    pass
                self.s3.create_bucket(Bucket=name)
                self.s3.head_bucket(Bucket=name)
                self.s3.delete_bucket(Bucket=name)

    def test_bucket_not_empty(self):
        name = self.new_bucket()
        self.s3.put_object(Bucket=name, Key="k", Body=b"x")
        with self.assertRaises(ClientError) as cm:
            self.s3.delete_bucket(Bucket=name)
        self.assertClientError(cm.exception, "BucketNotEmpty", 409)
        self.s3.head_bucket(Bucket=name)
        self.assertEqual(self.s3.get_object(Bucket=name, Key="k")["Body"].read(), b"x")
        self.s3.delete_object(Bucket=name, Key="k")
        self.s3.delete_bucket(Bucket=name)

    def test_no_such_bucket(self):
        name = "missing-" + secrets.token_hex(6)
        with self.assertRaises(ClientError) as cm:
            self.s3.delete_bucket(Bucket=name)
        self.assertClientError(cm.exception, "NoSuchBucket", 404)
        with self.assertRaises(ClientError) as cm:
            self.s3.head_bucket(Bucket=name)
        self.assertClientError(cm.exception, status=404)
        with self.assertRaises(ClientError) as cm:
            self.s3.list_objects_v2(Bucket=name)
        self.assertClientError(cm.exception, "NoSuchBucket", 404)
        with self.assertRaises(ClientError) as cm:
            self.s3.put_object(Bucket=name, Key="k", Body=b"data")
        self.assertClientError(cm.exception, "NoSuchBucket", 404)
        with self.assertRaises(ClientError) as cm:
            self.s3.get_object(Bucket=name, Key="k")
        self.assertClientError(cm.exception, "NoSuchBucket", 404)
        with self.assertRaises(ClientError) as cm:
            self.s3.get_bucket_location(Bucket=name)
        self.assertClientError(cm.exception, "NoSuchBucket", 404)

    def test_no_such_bucket_xml(self):
        name = "missing-" + secrets.token_hex(6)
        r = raw_request("GET", "/" + name, query=[("list-type", "2")])
        code = self.assertS3Error(r, 404, "NoSuchBucket")
        self.assertEqual(code, "NoSuchBucket")
        root = r.xml()
        self.assertEqual(cairn_server.xml_text(root, "BucketName"), name)

    def test_head_missing_bucket_has_request_id(self):
        r = raw_request("HEAD", "/missing-" + secrets.token_hex(6))
        self.assertS3Error(r, 404, head=True)
        self.assertEqual(r.body, b"")

    def test_recreate_after_delete(self):
        name = "again-" + secrets.token_hex(6)
        self.s3.create_bucket(Bucket=name)
        self.s3.put_object(Bucket=name, Key="old", Body=b"1")
        self.s3.delete_object(Bucket=name, Key="old")
        self.s3.delete_bucket(Bucket=name)
        self.s3.create_bucket(Bucket=name)
        self.addCleanup(self.empty_and_delete, name)
        self.assertEqual(self.s3.list_objects_v2(Bucket=name)["KeyCount"], 0)


if __name__ == "__main__":
    cairn_server.main()
