"""ListObjects v1 and v2 with boto3: prefix, delimiter, pagination, start-after, encoding, owner."""
import os
import urllib.parse

from botocore.exceptions import ClientError

import cairn_server
import s3sig
from cairn_server import CairnTestCase, raw_request, xml_all, xml_text

KEYS = [
    "a/1", "a/2", "a/b/3", "a/b/4", "a/c/5", "b/1", "b/2/x", "c", "d", "d/e", "d/f/g",
    "e-1", "e-2", "e-3", "f", "z/last",
]


def tearDownModule():
    cairn_server.shutdown()


def utf8_sorted(keys):
    return sorted(keys, key=lambda k: k.encode("utf-8"))


class ListingTests(CairnTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = "list-" + os.urandom(4).hex()
        cls.s3.create_bucket(Bucket=cls.bucket)
        cls.etags = {}
        for k in KEYS:
            r = cls.s3.put_object(Bucket=cls.bucket, Key=k, Body=k.encode() * 3)
            cls.etags[k] = r["ETag"]

    @classmethod
    def tearDownClass(cls):
        cls.empty_and_delete(cls.bucket)
        super().tearDownClass()

    # ---- v2 ----
    def test_v2_all(self):
        r = self.s3.list_objects_v2(Bucket=self.bucket)
        self.assertEqual([o["Key"] for o in r["Contents"]], utf8_sorted(KEYS))
        self.assertEqual(r["KeyCount"], len(KEYS))
        self.assertFalse(r["IsTruncated"])
        self.assertEqual(r["Name"], self.bucket)
        self.assertEqual(r["MaxKeys"], 1000)
        for o in r["Contents"]:
            self.assertEqual(o["ETag"], self.etags[o["Key"]])
            self.assertEqual(o["Size"], len(o["Key"]) * 3)
            self.assertEqual(o["StorageClass"], "STANDARD")
            self.assertIn("LastModified", o)
            self.assertNotIn("Owner", o)  # v2 lists owners only with fetch-owner

    def test_v2_prefix(self):
        r = self.s3.list_objects_v2(Bucket=self.bucket, Prefix="a/b/")
        self.assertEqual([o["Key"] for o in r["Contents"]], ["a/b/3", "a/b/4"])
        self.assertEqual(r["Prefix"], "a/b/")
        r = self.s3.list_objects_v2(Bucket=self.bucket, Prefix="nothing-here")
        self.assertNotIn("Contents", r)
        self.assertEqual(r["KeyCount"], 0)

    def test_v2_delimiter(self):
        r = self.s3.list_objects_v2(Bucket=self.bucket, Delimiter="/")
        self.assertEqual([o["Key"] for o in r["Contents"]],
                         ["c", "d", "e-1", "e-2", "e-3", "f"])
        self.assertEqual([p["Prefix"] for p in r["CommonPrefixes"]], ["a/", "b/", "d/", "z/"])
        self.assertEqual(r["KeyCount"], 10)
        self.assertEqual(r["Delimiter"], "/")

    def test_v2_prefix_and_delimiter(self):
        r = self.s3.list_objects_v2(Bucket=self.bucket, Prefix="a/", Delimiter="/")
        self.assertEqual([o["Key"] for o in r["Contents"]], ["a/1", "a/2"])
        self.assertEqual([p["Prefix"] for p in r["CommonPrefixes"]], ["a/b/", "a/c/"])

    def test_v2_other_delimiter(self):
        r = self.s3.list_objects_v2(Bucket=self.bucket, Delimiter="-")
        self.assertEqual([p["Prefix"] for p in r.get("CommonPrefixes", [])], ["e-"])
        self.assertNotIn("e-1", [o["Key"] for o in r["Contents"]])

    def test_v2_pagination(self):
        seen = []
        token = None
        pages = 0
        while True:
            kwargs = {"Bucket": self.bucket, "MaxKeys": 3}
            if token:
                kwargs["ContinuationToken"] = token
            r = self.s3.list_objects_v2(**kwargs)
            pages += 1
            self.assertLessEqual(r["KeyCount"], 3)
            seen += [o["Key"] for o in r.get("Contents", [])]
            if token:
                self.assertEqual(r["ContinuationToken"], token)
            if not r["IsTruncated"]:
                self.assertNotIn("NextContinuationToken", r)
                break
            token = r["NextContinuationToken"]
            self.assertTrue(token)
            self.assertLess(pages, 50)
        self.assertEqual(seen, utf8_sorted(KEYS))
        self.assertEqual(pages, 6)

    def test_v2_pagination_with_delimiter(self):
        keys, prefixes = [], []
        token = None
        for _ in range(50):
            kwargs = {"Bucket": self.bucket, "MaxKeys": 2, "Delimiter": "/"}
            if token:
                kwargs["ContinuationToken"] = token
            r = self.s3.list_objects_v2(**kwargs)
            self.assertLessEqual(len(r.get("Contents", [])) + len(r.get("CommonPrefixes", [])), 2)
            keys += [o["Key"] for o in r.get("Contents", [])]
            prefixes += [p["Prefix"] for p in r.get("CommonPrefixes", [])]
            if not r["IsTruncated"]:
                break
            token = r["NextContinuationToken"]
        self.assertEqual(keys, ["c", "d", "e-1", "e-2", "e-3", "f"])
        self.assertEqual(prefixes, ["a/", "b/", "d/", "z/"])

    def test_v2_paginator(self):
        pages = self.s3.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, PaginationConfig={"PageSize": 5})
        keys = [o["Key"] for p in pages for o in p.get("Contents", [])]
        self.assertEqual(keys, utf8_sorted(KEYS))

    def test_v2_start_after(self):
        r = self.s3.list_objects_v2(Bucket=self.bucket, StartAfter="d/e")
        self.assertEqual([o["Key"] for o in r["Contents"]],
                         ["d/f/g", "e-1", "e-2", "e-3", "f", "z/last"])
        self.assertEqual(r["StartAfter"], "d/e")
        # start-after a key that does not exist, between two that do
        r = self.s3.list_objects_v2(Bucket=self.bucket, StartAfter="b/10")
        self.assertEqual(r["Contents"][0]["Key"], "b/2/x")
        # start-after past the end
        r = self.s3.list_objects_v2(Bucket=self.bucket, StartAfter="zzz")
        self.assertEqual(r["KeyCount"], 0)

    def test_v2_start_after_with_delimiter_inside_prefix(self):
        # StartAfter past every key of a common prefix: that prefix is not listed.
        r = self.s3.list_objects_v2(Bucket=self.bucket, Delimiter="/", StartAfter="a/z")
        self.assertEqual([p["Prefix"] for p in r["CommonPrefixes"]], ["b/", "d/", "z/"])

    def test_v2_fetch_owner(self):
        r = self.s3.list_objects_v2(Bucket=self.bucket, FetchOwner=True, MaxKeys=2)
        for o in r["Contents"]:
            self.assertIn("Owner", o)
            self.assertTrue(o["Owner"].get("ID"))

    def test_v2_max_keys_zero(self):
        r = self.s3.list_objects_v2(Bucket=self.bucket, MaxKeys=0)
        self.assertEqual(r["KeyCount"], 0)
        self.assertNotIn("Contents", r)

    def test_v2_encoding_type_url(self):
        b = self.new_bucket("enc")
        keys = ["sp ace", "plus+", "pct%", "uni-ü", "amp&", "lt<", "nl\nline", "q?", "sl/ash"]
        for k in keys:
            self.s3.put_object(Bucket=b, Key=k, Body=b"x")
        # Passed explicitly, boto3 leaves the keys encoded: check the wire form.
        r = self.s3.list_objects_v2(Bucket=b, EncodingType="url")
        self.assertEqual(r.get("EncodingType"), "url")
        got = [o["Key"] for o in r["Contents"]]
        for g in got:
            self.assertNotIn(" ", g)
            self.assertNotIn("\n", g)
            self.assertRegex(g, r"^[A-Za-z0-9%+\-_.~*/]*$")
        self.assertEqual([urllib.parse.unquote_plus(g) for g in got], utf8_sorted(keys))
        # With a delimiter and prefix, those come back encoded too.
        r = self.s3.list_objects_v2(Bucket=b, EncodingType="url", Delimiter="/", Prefix="sl")
        self.assertEqual([urllib.parse.unquote_plus(p["Prefix"]) for p in r["CommonPrefixes"]],
                         ["sl/"])
        r = self.s3.list_objects_v2(Bucket=b, EncodingType="url", Prefix="sp ")
        self.assertIn(r["Prefix"], ("sp+", "sp%20"))

    def test_v2_raw_xml(self):
        r = raw_request("GET", "/" + self.bucket, query=[("list-type", "2"), ("max-keys", "2")])
        self.assertEqual(r.status, 200, r)
        self.assertIn(r.header("Content-Type"), ("application/xml", "text/xml",
                                                   "application/xml; charset=utf-8"))
        root = r.xml()
        self.assertEqual(root.tag, "{http://s3.amazonaws.com/doc/2006-03-01/}ListBucketResult")
        self.assertEqual(xml_text(root, "IsTruncated"), "true")
        self.assertEqual(len(xml_all(root, "Contents")), 2)
        self.assertEqual(xml_text(root, "KeyCount"), "2")

    def test_invalid_max_keys(self):
        r = raw_request("GET", "/" + self.bucket, query=[("list-type", "2"), ("max-keys", "-1")])
        self.assertS3Error(r, 400, "InvalidArgument")
        r = raw_request("GET", "/" + self.bucket, query=[("list-type", "2"),
                                                         ("max-keys", "abc")])
        self.assertS3Error(r, 400, "InvalidArgument")

    def test_invalid_continuation_token(self):
        with self.assertRaises(ClientError) as cm:
            self.s3.list_objects_v2(Bucket=self.bucket, ContinuationToken="not-a-token!!")
        self.assertClientError(cm.exception, "InvalidArgument", 400)

    def test_listing_sees_writes_immediately(self):
        b = self.new_bucket("consistent")
        for i in range(20):
            k = "k%02d" % i
            self.s3.put_object(Bucket=b, Key=k, Body=b"x")
            r = self.s3.list_objects_v2(Bucket=b, StartAfter="k%02d" % (i - 1) if i else "")
            self.assertEqual(r["Contents"][0]["Key"], k)
        self.s3.delete_object(Bucket=b, Key="k05")
        keys = [o["Key"] for o in self.s3.list_objects_v2(Bucket=b)["Contents"]]
        self.assertNotIn("k05", keys)
        self.assertEqual(len(keys), 19)

    def test_utf8_binary_order(self):
        b = self.new_bucket("order")
        keys = ["a", "B", "_", "~", "é", "\u00ff", "\u0100", "\uffef", "😀", "A", "0", " ",
                "a/", "a0", "a-"]
        for k in keys:
            self.s3.put_object(Bucket=b, Key=k, Body=b"o")
        got = [o["Key"] for o in self.s3.list_objects_v2(Bucket=b)["Contents"]]
        # UTF-8 byte order: U+FFEF (EF BF AF) sorts before U+1F600 (F0 9F 98 80).
        self.assertEqual(got, utf8_sorted(keys))

    # ---- v1 ----
    def test_v1_all(self):
        r = self.s3.list_objects(Bucket=self.bucket)
        self.assertEqual([o["Key"] for o in r["Contents"]], utf8_sorted(KEYS))
        self.assertFalse(r["IsTruncated"])
        self.assertEqual(r["MaxKeys"], 1000)
        self.assertEqual(r["Name"], self.bucket)

    def test_v1_marker_pagination(self):
        seen = []
        marker = ""
        for _ in range(50):
            r = self.s3.list_objects(Bucket=self.bucket, MaxKeys=4, Marker=marker)
            page = [o["Key"] for o in r.get("Contents", [])]
            seen += page
            if not r["IsTruncated"]:
                break
            # Without a delimiter S3 sends no NextMarker: the last key is the next marker.
            marker = r.get("NextMarker") or page[-1]
        self.assertEqual(seen, utf8_sorted(KEYS))

    def test_v1_delimiter_next_marker(self):
        r = self.s3.list_objects(Bucket=self.bucket, Delimiter="/", MaxKeys=3)
        self.assertTrue(r["IsTruncated"])
        self.assertEqual([p["Prefix"] for p in r["CommonPrefixes"]], ["a/", "b/"])
        self.assertEqual([o["Key"] for o in r["Contents"]], ["c"])
        self.assertEqual(r["NextMarker"], "c")
        r2 = self.s3.list_objects(Bucket=self.bucket, Delimiter="/", MaxKeys=3,
                                  Marker=r["NextMarker"])
        self.assertEqual([o["Key"] for o in r2.get("Contents", [])], ["d", "e-1"])
        self.assertEqual([p["Prefix"] for p in r2.get("CommonPrefixes", [])], ["d/"])

    def test_v1_next_marker_is_prefix(self):
        r = self.s3.list_objects(Bucket=self.bucket, Delimiter="/", MaxKeys=1)
        self.assertEqual([p["Prefix"] for p in r["CommonPrefixes"]], ["a/"])
        self.assertEqual(r["NextMarker"], "a/")
        r2 = self.s3.list_objects(Bucket=self.bucket, Delimiter="/", MaxKeys=1,
                                  Marker="a/")
        self.assertEqual([p["Prefix"] for p in r2["CommonPrefixes"]], ["b/"])

    def test_v1_prefix_delimiter(self):
        r = self.s3.list_objects(Bucket=self.bucket, Prefix="d", Delimiter="/")
        self.assertEqual([o["Key"] for o in r["Contents"]], ["d"])
        self.assertEqual([p["Prefix"] for p in r["CommonPrefixes"]], ["d/"])

    def test_v1_paginator(self):
        pages = self.s3.get_paginator("list_objects").paginate(
            Bucket=self.bucket, Delimiter="/", PaginationConfig={"PageSize": 2})
        keys, prefixes = [], []
        for p in pages:
            keys += [o["Key"] for o in p.get("Contents", [])]
            prefixes += [c["Prefix"] for c in p.get("CommonPrefixes", [])]
        self.assertEqual(keys, ["c", "d", "e-1", "e-2", "e-3", "f"])
        self.assertEqual(prefixes, ["a/", "b/", "d/", "z/"])

    def test_v1_raw_xml_has_marker(self):
        r = raw_request("GET", "/" + self.bucket, query=[("marker", "c"), ("max-keys", "1")])
        self.assertEqual(r.status, 200, r)
        root = r.xml()
        self.assertEqual(xml_text(root, "Marker"), "c")
        self.assertEqual([xml_text(c, "Key") for c in xml_all(root, "Contents")], ["d"])


if __name__ == "__main__":
    cairn_server.main()
