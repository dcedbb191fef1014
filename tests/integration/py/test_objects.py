"""Objects with boto3: put (as in the R2 upload guide), get, ranges, head, metadata, storage class,
awkward keys, a 20 MiB single PUT."""
import base64
import datetime
import email.header
import gzip
import hashlib
import io
import os
import tempfile
import unittest

from botocore.exceptions import ClientError

import cairn_server
import s3sig
from cairn_server import CairnTestCase, raw_request

AWKWARD_KEYS = [
    "with space",
    "  leading and trailing spaces  ",
    "ünïcödé/文件.txt",
    "emoji-😀",
    "../dotdot",
    "a/../b",
    "a/./c",
    "double//slash",
    "/leading-slash",
    "//two-leading",
    "trailing-slash/",
    "plus+sign",
    "a+b c",
    "percent%",
    "percent%20encoded-looking",
    "percent%2Fslash",
    "question?mark",
    "hash#tag",
    "amp&eq=",
    "semi;colon,comma",
    "quote'and\"double",
    "tilde~star*paren()",
    "back\\slash",
    "<xml>&amp;",
    "tab\tchar",
    "nfc-\u00e9",  # NFC é
    "nfd-e\u0301",  # NFD e + combining acute (S3 keeps bytes; R2 would normalise to NFC)
]


def decode_words(value):
    """The text of a header value made of RFC 2047 encoded words (the standard library's reader)."""
    return str(email.header.make_header(email.header.decode_header(value)))


def tearDownModule():
    cairn_server.shutdown()


class PutGetTests(CairnTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = "objects-" + os.urandom(4).hex()
        cls.s3.create_bucket(Bucket=cls.bucket)

    @classmethod
    def tearDownClass(cls):
        cls.empty_and_delete(cls.bucket)
        super().tearDownClass()

    def test_put_object_as_in_guide(self):
        content = b"\x89PNG\r\n\x1a\n" + os.urandom(3000)
        response = self.s3.put_object(Bucket=self.bucket, Key="image.png", Body=content,
                                      ContentType="image/png")
        print(f"Uploaded successfully. ETag: {response['ETag']}")
        self.assertEqual(response["ETag"], s3sig.quoted_md5(content))
        got = self.s3.get_object(Bucket=self.bucket, Key="image.png")
        self.assertEqual(got["Body"].read(), content)
        self.assertEqual(got["ContentType"], "image/png")
        self.assertEqual(got["ETag"], response["ETag"])
        self.assertEqual(got["ContentLength"], len(content))

    def test_put_from_file_object_as_in_guide(self):
        content = os.urandom(100_000)
        with tempfile.NamedTemporaryFile(suffix=".png") as tmp:
            tmp.write(content)
            tmp.flush()
            with open(tmp.name, "rb") as f:
                response = self.s3.put_object(Bucket=self.bucket, Key="from-file.png", Body=f,
                                              ContentType="image/png")
        print(f"Uploaded successfully. ETag: {response['ETag']}")
        self.assertEqual(response["ETag"], s3sig.quoted_md5(content))
        got = self.s3.get_object(Bucket=self.bucket, Key="from-file.png")
        self.assertEqual(got["Body"].read(), content)
        self.assertEqual(got["ContentType"], "image/png")

    def test_put_empty_object(self):
        r = self.s3.put_object(Bucket=self.bucket, Key="empty", Body=b"")
        self.assertEqual(r["ETag"], '"d41d8cd98f00b204e9800998ecf8427e"')
        got = self.s3.get_object(Bucket=self.bucket, Key="empty")
        self.assertEqual(got["Body"].read(), b"")
        self.assertEqual(got["ContentLength"], 0)

    def test_upload_after_an_empty_object_on_the_same_connection(self):
        # boto3 asks for 100 Continue even with an empty body; without it, botocore read the
        # next upload's response on that connection wrong and waited until its timeout.
        s3 = cairn_server.client(self.t, read_timeout=5)
        s3.put_object(Bucket=self.bucket, Key="folder/", Body=b"")
        r = s3.put_object(Bucket=self.bucket, Key="folder/after", Body=b"0123456789")
        self.assertEqual(r["ETag"], s3sig.quoted_md5(b"0123456789"))
        self.assertEqual(s3.get_object(Bucket=self.bucket, Key="folder/after")["Body"].read(),
                         b"0123456789")

    def test_default_content_type(self):
        # S3 stores binary/octet-stream when no Content-Type is sent (raw: boto3 sends none).
        raw_request("PUT", s3sig.key_path(self.bucket, "no-type"), body=b"abc")
        h = self.s3.head_object(Bucket=self.bucket, Key="no-type")
        self.assertIn(h["ContentType"], ("binary/octet-stream", "application/octet-stream"))

    def test_overwrite(self):
        self.s3.put_object(Bucket=self.bucket, Key="over", Body=b"first version")
        r = self.s3.put_object(Bucket=self.bucket, Key="over", Body=b"second")
        got = self.s3.get_object(Bucket=self.bucket, Key="over")
        self.assertEqual(got["Body"].read(), b"second")
        self.assertEqual(got["ETag"], r["ETag"])
        self.assertEqual(got["ContentLength"], 6)

    def test_get_missing_key(self):
        with self.assertRaises(ClientError) as cm:
            self.s3.get_object(Bucket=self.bucket, Key="does/not/exist")
        self.assertClientError(cm.exception, "NoSuchKey", 404)
        r = raw_request("GET", s3sig.key_path(self.bucket, "does/not/exist"))
        self.assertS3Error(r, 404, "NoSuchKey")
        self.assertEqual(cairn_server.xml_text(r.xml(), "Key"), "does/not/exist")

    def test_cf_create_bucket_if_missing(self):
        # R2's extension: PutObject with cf-create-bucket-if-missing creates the bucket.
        name = "cfcreate-" + os.urandom(4).hex()
        r = raw_request("PUT", s3sig.key_path(name, "first"), body=b"made it",
                        headers={"cf-create-bucket-if-missing": "true"})
        self.assertEqual(r.status, 200, r)
        self.addCleanup(self.empty_and_delete, name)
        self.assertEqual(self.s3.get_object(Bucket=name, Key="first")["Body"].read(), b"made it")
        # Without the header a missing bucket stays NoSuchBucket.
        r = raw_request("PUT", s3sig.key_path("cfnot-" + os.urandom(4).hex(), "k"), body=b"x")
        self.assertS3Error(r, 404, "NoSuchBucket")

    def test_head(self):
        content = b"head me" * 100
        put = self.s3.put_object(Bucket=self.bucket, Key="head", Body=content,
                                 ContentType="text/plain")
        h = self.s3.head_object(Bucket=self.bucket, Key="head")
        self.assertEqual(h["ContentLength"], len(content))
        self.assertEqual(h["ETag"], put["ETag"])
        self.assertEqual(h["ContentType"], "text/plain")
        self.assertIsInstance(h["LastModified"], datetime.datetime)
        age = datetime.datetime.now(datetime.timezone.utc) - h["LastModified"]
        self.assertLess(abs(age.total_seconds()), 300)
        r = raw_request("HEAD", s3sig.key_path(self.bucket, "head"))
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, b"")
        self.assertEqual(r.header("Content-Length"), str(len(content)))
        self.assertTrue(r.header("x-amz-request-id"))
        self.assertEqual(r.header("Accept-Ranges"), "bytes")

    def test_head_missing(self):
        with self.assertRaises(ClientError) as cm:
            self.s3.head_object(Bucket=self.bucket, Key="nope")
        self.assertClientError(cm.exception, status=404)
        r = raw_request("HEAD", s3sig.key_path(self.bucket, "nope"))
        self.assertS3Error(r, 404, head=True)
        self.assertEqual(r.body, b"")


class RangeTests(CairnTestCase):
    content = bytes(range(256)) * 40  # 10240 bytes

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = "ranges-" + os.urandom(4).hex()
        cls.s3.create_bucket(Bucket=cls.bucket)
        cls.s3.put_object(Bucket=cls.bucket, Key="r", Body=cls.content)

    @classmethod
    def tearDownClass(cls):
        cls.empty_and_delete(cls.bucket)
        super().tearDownClass()

    def get_range(self, rng):
        return self.s3.get_object(Bucket=self.bucket, Key="r", Range=rng)

    def check(self, rng, start, end):
        n = len(self.content)
        got = self.get_range(rng)
        self.assertEqual(got["ResponseMetadata"]["HTTPStatusCode"], 206)
        self.assertEqual(got["ContentRange"], "bytes %d-%d/%d" % (start, end, n))
        self.assertEqual(got["ContentLength"], end - start + 1)
        self.assertEqual(got["Body"].read(), self.content[start:end + 1])

    def test_first_bytes(self):
        self.check("bytes=0-4", 0, 4)

    def test_middle(self):
        self.check("bytes=1000-5999", 1000, 5999)

    def test_single_byte(self):
        self.check("bytes=77-77", 77, 77)

    def test_open_ended(self):
        self.check("bytes=10000-", 10000, 10239)

    def test_suffix(self):
        self.check("bytes=-5", 10235, 10239)

    def test_suffix_longer_than_object(self):
        self.check("bytes=-999999", 0, 10239)

    def test_end_past_object_is_clamped(self):
        self.check("bytes=10230-99999", 10230, 10239)

    def test_unsatisfiable(self):
        for rng in ["bytes=10240-", "bytes=20000-30000"]:
            with self.subTest(rng=rng):
                with self.assertRaises(ClientError) as cm:
                    self.get_range(rng)
                self.assertClientError(cm.exception, "InvalidRange", 416)
        r = raw_request("GET", s3sig.key_path(self.bucket, "r"),
                        headers={"Range": "bytes=10240-"})
        self.assertS3Error(r, 416, "InvalidRange")
        # RFC 9110 says a 416 SHOULD carry "Content-Range: bytes */<size>": if sent, it is that.
        if r.header("Content-Range") is not None:
            self.assertEqual(r.header("Content-Range"), "bytes */10240")

    def test_range_on_empty_object(self):
        self.s3.put_object(Bucket=self.bucket, Key="empty-r", Body=b"")
        with self.assertRaises(ClientError) as cm:
            self.s3.get_object(Bucket=self.bucket, Key="empty-r", Range="bytes=0-0")
        self.assertClientError(cm.exception, "InvalidRange", 416)

    def test_malformed_range_is_ignored(self):
        # RFC 9110: a Range header that does not parse is ignored; S3 then answers 200.
        got = self.get_range("bytes=abc")
        self.assertEqual(got["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(got["Body"].read(), self.content)

    def test_head_with_range(self):
        h = self.s3.head_object(Bucket=self.bucket, Key="r", Range="bytes=0-9")
        self.assertEqual(h["ResponseMetadata"]["HTTPStatusCode"], 206)
        self.assertEqual(h["ContentLength"], 10)
        # (botocore 1.29 does not model ContentRange on HeadObject: read the header)
        self.assertEqual(h["ResponseMetadata"]["HTTPHeaders"].get("content-range"),
                         "bytes 0-9/10240")


class MetadataTests(CairnTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = "meta-" + os.urandom(4).hex()
        cls.s3.create_bucket(Bucket=cls.bucket)

    @classmethod
    def tearDownClass(cls):
        cls.empty_and_delete(cls.bucket)
        super().tearDownClass()

    def test_all_http_metadata_round_trip(self):
        body = gzip.compress(b"hello metadata " * 50)
        expires = datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
        self.s3.put_object(
            Bucket=self.bucket, Key="m", Body=body,
            ContentType="text/plain; charset=utf-8",
            ContentDisposition='attachment; filename="report.txt"',
            ContentEncoding="gzip",
            ContentLanguage="de-CH",
            CacheControl="max-age=3600, must-revalidate",
            Expires=expires,
            Metadata={"color": "blue", "multi-word-name": "Value With  Spaces", "empty": ""},
        )
        for op in (self.s3.get_object, self.s3.head_object):
            with self.subTest(op=op.__name__):
                r = op(Bucket=self.bucket, Key="m")
                self.assertEqual(r["ContentType"], "text/plain; charset=utf-8")
                self.assertEqual(r["ContentDisposition"], 'attachment; filename="report.txt"')
                self.assertEqual(r["ContentEncoding"], "gzip")
                self.assertEqual(r["ContentLanguage"], "de-CH")
                self.assertEqual(r["CacheControl"], "max-age=3600, must-revalidate")
                self.assertEqual(r["Expires"], expires)
                self.assertEqual(r["Metadata"].get("color"), "blue")
                self.assertEqual(r["Metadata"].get("multi-word-name"), "Value With  Spaces")
                self.assertEqual(r["Metadata"].get("empty"), "")
                if op is self.s3.get_object:
                    self.assertEqual(r["Body"].read(), body)

    def test_content_encoding_list_comes_back_as_sent(self):
        # S3 keeps Content-Encoding as sent; only the aws-chunked transfer coding is dropped
        # (test_streaming covers that part).
        self.s3.put_object(Bucket=self.bucket, Key="two-codings", Body=b"x",
                           ContentEncoding="deflate, gzip")
        for op in (self.s3.get_object, self.s3.head_object):
            with self.subTest(op=op.__name__):
                r = op(Bucket=self.bucket, Key="two-codings")
                self.assertEqual(r["ContentEncoding"], "deflate, gzip")

    def test_expires_raw_header_exact(self):
        raw = "Thu, 01 Dec 2033 16:00:00 GMT"
        raw_request("PUT", s3sig.key_path(self.bucket, "exp"), body=b"e",
                    headers={"Expires": raw})
        r = raw_request("HEAD", s3sig.key_path(self.bucket, "exp"))
        self.assertEqual(r.header("Expires"), raw)

    def test_metadata_keys_are_lowercased(self):
        self.s3.put_object(Bucket=self.bucket, Key="case", Body=b"x",
                           Metadata={"MixedCase": "Value"})
        r = self.s3.head_object(Bucket=self.bucket, Key="case")
        self.assertEqual(r["Metadata"], {"mixedcase": "Value"})

    def test_rfc2047_unicode_metadata(self):
        # boto3 refuses non-ASCII metadata values ("S3 metadata can only contain ASCII
        # characters"), so clients encode them per RFC 2047. R2 decodes them before storage and
        # "any metadata values with unicode are RFC 2047-encoded before rendering the response"
        # (R2 docs, S3 API extensions): what comes back is encoded words, never raw UTF-8 bytes,
        # and decodes to the text.
        value = "Grüße aus Zürich – 東京 😀"
        encoded = "=?UTF-8?B?%s?=" % base64.b64encode(value.encode()).decode()
        r = raw_request("PUT", s3sig.key_path(self.bucket, "uni-meta"), body=b"u",
                        headers={"x-amz-meta-title": encoded, "x-amz-meta-plain": "ascii",
                                 "x-amz-meta-q": "=?utf-8?q?caf=C3=A9?="})
        self.assertEqual(r.status, 200, r)
        for op in ("GET", "HEAD"):
            with self.subTest(op=op):
                rr = raw_request(op, s3sig.key_path(self.bucket, "uni-meta"))
                self.assertEqual(rr.status, 200)
                got = rr.header("x-amz-meta-title")
                self.assertRegex(got, r"^(=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=)( =\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=)*$")
                self.assertEqual(decode_words(got), value)
                # A Q-encoded value is stored decoded, so it comes back in the one form.
                self.assertEqual(rr.header("x-amz-meta-q"), "=?UTF-8?B?Y2Fmw6k=?=")
                self.assertEqual(rr.header("x-amz-meta-plain"), "ascii")

    def test_unicode_metadata_through_boto3(self):
        # What a boto3 user writes: the value encoded with the standard library, since boto3
        # sends ASCII only; head_object hands back the encoded words, which decode to the text.
        value = "café ☕"
        self.s3.put_object(Bucket=self.bucket, Key="uni-boto3", Body=b"x",
                           Metadata={"name": email.header.Header(value, "utf-8").encode()})
        for op in (self.s3.get_object, self.s3.head_object):
            with self.subTest(op=op.__name__):
                got = op(Bucket=self.bucket, Key="uni-boto3")["Metadata"]["name"]
                self.assertEqual(got, "=?UTF-8?B?Y2Fmw6kg4piV?=")
                self.assertEqual(decode_words(got), value)
        # A copy keeps the text (stored decoded, sent encoded again).
        self.s3.copy_object(Bucket=self.bucket, Key="uni-copy", CopySource={
            "Bucket": self.bucket, "Key": "uni-boto3"})
        got = self.s3.head_object(Bucket=self.bucket, Key="uni-copy")["Metadata"]["name"]
        self.assertEqual(decode_words(got), value)

    def test_metadata_too_large(self):
        # S3: user metadata is limited to 2 KiB; R2 (and cairn) to 8 KiB. 9 KiB fails on both.
        with self.assertRaises(ClientError) as cm:
            self.s3.put_object(Bucket=self.bucket, Key="big-meta", Body=b"x",
                               Metadata={"big": "v" * 9 * 1024})
        self.assertClientError(cm.exception, "MetadataTooLarge", 400)
        with self.assertRaises(ClientError):
            self.s3.head_object(Bucket=self.bucket, Key="big-meta")

    def test_response_overrides(self):
        self.s3.put_object(Bucket=self.bucket, Key="ovr", Body=b"o", ContentType="text/plain")
        r = self.s3.get_object(Bucket=self.bucket, Key="ovr",
                               ResponseContentType="application/json",
                               ResponseContentDisposition="inline",
                               ResponseCacheControl="no-store",
                               ResponseContentLanguage="fr",
                               ResponseContentEncoding="identity")
        self.assertEqual(r["ContentType"], "application/json")
        self.assertEqual(r["ContentDisposition"], "inline")
        self.assertEqual(r["CacheControl"], "no-store")
        self.assertEqual(r["ContentLanguage"], "fr")
        self.assertEqual(r["ContentEncoding"], "identity")
        # The stored metadata is unchanged.
        self.assertEqual(self.s3.head_object(Bucket=self.bucket, Key="ovr")["ContentType"],
                         "text/plain")

    def test_storage_class_standard_ia(self):
        self.s3.put_object(Bucket=self.bucket, Key="ia", Body=b"cold", StorageClass="STANDARD_IA")
        h = self.s3.head_object(Bucket=self.bucket, Key="ia")
        self.assertEqual(h.get("StorageClass"), "STANDARD_IA")
        g = self.s3.get_object(Bucket=self.bucket, Key="ia")
        self.assertEqual(g.get("StorageClass"), "STANDARD_IA")
        self.assertEqual(g["Body"].read(), b"cold")
        listing = self.s3.list_objects_v2(Bucket=self.bucket, Prefix="ia")
        self.assertEqual(listing["Contents"][0]["StorageClass"], "STANDARD_IA")

    def test_storage_class_standard(self):
        self.s3.put_object(Bucket=self.bucket, Key="std", Body=b"w", StorageClass="STANDARD")
        h = self.s3.head_object(Bucket=self.bucket, Key="std")
        # S3 omits x-amz-storage-class for STANDARD; R2 may send it.
        self.assertIn(h.get("StorageClass", "STANDARD"), ("STANDARD",))
        listing = self.s3.list_objects_v2(Bucket=self.bucket, Prefix="std")
        self.assertEqual(listing["Contents"][0]["StorageClass"], "STANDARD")

    def test_invalid_storage_class(self):
        with self.assertRaises(ClientError) as cm:
            self.s3.put_object(Bucket=self.bucket, Key="bad-sc", Body=b"x",
                               StorageClass="NOT_A_CLASS")
        self.assertClientError(cm.exception, "InvalidStorageClass", 400)


class KeyTests(CairnTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = "keys-" + os.urandom(4).hex()
        cls.s3.create_bucket(Bucket=cls.bucket)
        for i, key in enumerate(AWKWARD_KEYS):
            cls.s3.put_object(Bucket=cls.bucket, Key=key, Body=("body %d" % i).encode())

    @classmethod
    def tearDownClass(cls):
        cls.empty_and_delete(cls.bucket)
        super().tearDownClass()

    def test_round_trip(self):
        for i, key in enumerate(AWKWARD_KEYS):
            with self.subTest(key=key):
                got = self.s3.get_object(Bucket=self.bucket, Key=key)
                self.assertEqual(got["Body"].read(), ("body %d" % i).encode())
                self.s3.head_object(Bucket=self.bucket, Key=key)

    def test_listed_exactly_in_utf8_order(self):
        keys = []
        kwargs = {}
        while True:
            page = self.s3.list_objects_v2(Bucket=self.bucket, **kwargs)
            keys += [o["Key"] for o in page.get("Contents", [])]
            if not page["IsTruncated"]:
                break
            kwargs = {"ContinuationToken": page["NextContinuationToken"]}
        self.assertEqual(keys, sorted(AWKWARD_KEYS, key=lambda k: k.encode("utf-8")))

    def test_listed_v1(self):
        # boto3 asks v1 listings for encoding-type=url itself and decodes the keys.
        keys = [o["Key"] for o in self.s3.list_objects(Bucket=self.bucket)["Contents"]]
        self.assertEqual(keys, sorted(AWKWARD_KEYS, key=lambda k: k.encode("utf-8")))

    def test_nfc_and_nfd_are_distinct(self):
        # S3 stores keys byte-exact (R2 would normalise both to NFC and keep one object).
        a = self.s3.get_object(Bucket=self.bucket, Key="nfc-\u00e9")["Body"].read()
        b = self.s3.get_object(Bucket=self.bucket, Key="nfd-e\u0301")["Body"].read()
        self.assertNotEqual(a, b)

    def test_prefix_with_special_characters(self):
        for prefix, expect in [("plus+", ["plus+sign"]), ("a+b", ["a+b c"]),
                               ("percent%", ["percent%", "percent%20encoded-looking",
                                             "percent%2Fslash"]),
                               ("with ", ["with space"]), ("ünï", ["ünïcödé/文件.txt"]),
                               ("../", ["../dotdot"])]:
            with self.subTest(prefix=prefix):
                got = self.s3.list_objects_v2(Bucket=self.bucket, Prefix=prefix)
                self.assertEqual([o["Key"] for o in got.get("Contents", [])], expect)

    def test_key_length_limit(self):
        b = self.new_bucket("keylen")  # its own bucket: the listing tests stay exact
        ok = "k" * 1024
        self.s3.put_object(Bucket=b, Key=ok, Body=b"long")
        self.assertEqual(self.s3.get_object(Bucket=b, Key=ok)["Body"].read(), b"long")
        # 1024 bytes of UTF-8 (341 three-byte characters + 1 byte) is still fine.
        ok_utf8 = "文" * 341 + "k"
        self.assertEqual(len(ok_utf8.encode()), 1024)
        self.s3.put_object(Bucket=b, Key=ok_utf8, Body=b"u")
        self.assertEqual(self.s3.get_object(Bucket=b, Key=ok_utf8)["Body"].read(), b"u")
        with self.assertRaises(ClientError) as cm:
            self.s3.put_object(Bucket=b, Key="k" * 1025, Body=b"too long")
        self.assertClientError(cm.exception, "KeyTooLongError", 400)
        with self.assertRaises(ClientError) as cm:
            self.s3.put_object(Bucket=b, Key="文" * 342, Body=b"1026 bytes")
        self.assertClientError(cm.exception, "KeyTooLongError", 400)

    def test_key_is_not_a_path(self):
        # "a/../b" and "b" are different objects; "a/./c" and "a/c" too.
        with self.assertRaises(ClientError):
            self.s3.head_object(Bucket=self.bucket, Key="b")
        with self.assertRaises(ClientError):
            self.s3.head_object(Bucket=self.bucket, Key="a/c")


class LargeObjectTests(CairnTestCase):
    def test_20_mib_single_put_streamed(self):
        bucket = self.new_bucket("large")
        size = 20 * 1024 * 1024
        data = os.urandom(size)
        with tempfile.TemporaryFile() as f:
            f.write(data)
            f.seek(0)
            with cairn_server.capture_requests(self.s3) as seen:
                r = self.s3.put_object(Bucket=bucket, Key="big.bin", Body=f)
        # One request, a single PutObject (not multipart).
        self.assertEqual([(m, u.split("?")[0].rsplit("/", 1)[-1]) for m, u, _ in seen],
                         [("PUT", "big.bin")])
        self.assertEqual(r["ETag"], '"%s"' % hashlib.md5(data).hexdigest())
        got = self.s3.get_object(Bucket=bucket, Key="big.bin")
        self.assertEqual(got["ContentLength"], size)
        h = hashlib.md5()
        body = got["Body"]
        while True:
            chunk = body.read(1 << 20)
            if not chunk:
                break
            h.update(chunk)
        self.assertEqual(h.hexdigest(), hashlib.md5(data).hexdigest())
        part = self.s3.get_object(Bucket=bucket, Key="big.bin", Range="bytes=%d-%d" %
                                  (size - 1000, size - 1))["Body"].read()
        self.assertEqual(part, data[-1000:])
        self.s3.delete_object(Bucket=bucket, Key="big.bin")

    def test_upload_fileobj_below_threshold(self):
        bucket = self.new_bucket("fileobj")
        data = os.urandom(3 * 1024 * 1024)
        self.s3.upload_fileobj(io.BytesIO(data), bucket, "fo.bin")
        buf = io.BytesIO()
        self.s3.download_fileobj(bucket, "fo.bin", buf)
        self.assertEqual(buf.getvalue(), data)



class RacingOverwriteTests(CairnTestCase):
    """Readers of an object that is being replaced get one whole version, never a cut one: the old
    version's bytes stay until the readers that may still send them are done."""

    VERSIONS = 6
    SIZE = 256 * 1024

    def versions(self):
        return [bytes([65 + v]) * self.SIZE for v in range(self.VERSIONS)]

    def race(self, read, seconds=3.0):
        import concurrent.futures
        import threading
        bucket = self.new_bucket("race")
        bodies = self.versions()
        digests = {hashlib.md5(b).hexdigest() for b in bodies}
        self.s3.put_object(Bucket=bucket, Key="hot", Body=bodies[0])
        stop = threading.Event()

        def overwrite():
            n = 0
            while not stop.is_set():
                n += 1
                self.s3.put_object(Bucket=bucket, Key="hot", Body=bodies[n % self.VERSIONS])
            return n

        def reader():
            seen = 0
            while not stop.is_set():
                body = read(bucket)
                self.assertEqual(len(body), self.SIZE, "a cut body")
                self.assertIn(hashlib.md5(body).hexdigest(), digests, "bytes of no version")
                seen += 1
            return seen

        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            writers = [pool.submit(overwrite)]
            readers = [pool.submit(reader) for _ in range(3)]
            stop.wait(seconds)
            stop.set()
            self.assertGreater(writers[0].result(timeout=60), 5)
            self.assertGreater(sum(r.result(timeout=60) for r in readers), 5)
        return bucket

    def test_gets_racing_overwrites_see_whole_versions(self):
        self.race(lambda b: self.s3.get_object(Bucket=b, Key="hot")["Body"].read())

    def test_a_get_after_an_acknowledged_put_sees_it_while_others_read(self):
        # Other readers keep the key hot (and cached) while it is overwritten: the writer's own
        # GET after each acknowledged PUT must still get what it just wrote.
        import concurrent.futures
        import threading
        bucket = self.new_bucket("raw")
        self.s3.put_object(Bucket=bucket, Key="hot", Body=b"v-start")
        stop = threading.Event()

        def reader():
            while not stop.is_set():
                self.s3.get_object(Bucket=bucket, Key="hot")["Body"].read()

        with concurrent.futures.ThreadPoolExecutor(3) as pool:
            readers = [pool.submit(reader) for _ in range(2)]
            try:
                for i in range(150):
                    body = ("v-%d" % i).encode() * (1 + i % 50)
                    self.s3.put_object(Bucket=bucket, Key="hot", Body=body)
                    self.assertEqual(self.s3.get_object(Bucket=bucket, Key="hot")["Body"].read(),
                                     body, "version %d" % i)
                    self.assertEqual(self.s3.head_object(Bucket=bucket, Key="hot")["ContentLength"],
                                     len(body))
            finally:
                stop.set()
                for r in readers:
                    r.result(timeout=60)
        self.s3.delete_object(Bucket=bucket, Key="hot")
        with self.assertRaises(ClientError):
            self.s3.get_object(Bucket=bucket, Key="hot")

    def test_copies_racing_overwrites_of_their_source_stay_readable(self):
        counter = [0]

        def copy_then_read(bucket):
            counter[0] += 1
            key = "copy-%d" % counter[0]
            self.s3.copy_object(Bucket=bucket, Key=key, CopySource={"Bucket": bucket, "Key": "hot"})
            return self.s3.get_object(Bucket=bucket, Key=key)["Body"].read()

        bucket = self.race(copy_then_read, seconds=2.0)
        # Once the writers stopped, every copy still reads whole.
        digests = {hashlib.md5(b).hexdigest() for b in self.versions()}
        for i in range(1, counter[0] + 1):
            body = self.s3.get_object(Bucket=bucket, Key="copy-%d" % i)["Body"].read()
            self.assertIn(hashlib.md5(body).hexdigest(), digests)

if __name__ == "__main__":
    cairn_server.main()
