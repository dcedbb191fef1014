"""Conditional GET/HEAD, conditional PUT (If-None-Match: *, If-Match), conditional DeleteObject
(If-Match) and CopyObject's conditions on its destination, with boto3."""
import datetime
import os
import threading

from botocore.exceptions import ClientError

import cairn_server
import s3sig
from cairn_server import CairnTestCase, extra_headers, http_date, raw_request

ZERO_ETAG = '"00000000000000000000000000000000"'


def tearDownModule():
    cairn_server.shutdown()


def supports_conditional_put_params(s3):
    shape = s3.meta.service_model.operation_model("PutObject").input_shape
    return "IfNoneMatch" in shape.members and "IfMatch" in shape.members


class ConditionalGetTests(CairnTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = "cond-" + os.urandom(4).hex()
        cls.s3.create_bucket(Bucket=cls.bucket)
        cls.put = cls.s3.put_object(Bucket=cls.bucket, Key="k", Body=b"conditional body")
        cls.etag = cls.put["ETag"]
        cls.mtime = cls.s3.head_object(Bucket=cls.bucket, Key="k")["LastModified"]

    @classmethod
    def tearDownClass(cls):
        cls.empty_and_delete(cls.bucket)
        super().tearDownClass()

    def later(self):
        return self.mtime + datetime.timedelta(hours=1)

    def earlier(self):
        return self.mtime - datetime.timedelta(hours=1)

    def assertStatus(self, fn, status, code=None, **kwargs):
        with self.assertRaises(ClientError) as cm:
            fn(Bucket=self.bucket, Key="k", **kwargs)
        self.assertClientError(cm.exception, code, status)

    def test_if_none_match(self):
        for fn in (self.s3.get_object, self.s3.head_object):
            with self.subTest(op=fn.__name__):
                self.assertStatus(fn, 304, IfNoneMatch=self.etag)
                self.assertStatus(fn, 304, IfNoneMatch="*")
                self.assertEqual(fn(Bucket=self.bucket, Key="k", IfNoneMatch=ZERO_ETAG)
                                 ["ResponseMetadata"]["HTTPStatusCode"], 200)

    def test_if_none_match_unquoted_and_list(self):
        bare = self.etag.strip('"')
        r = raw_request("GET", s3sig.key_path(self.bucket, "k"),
                        headers={"If-None-Match": '%s, "other"' % self.etag})
        self.assertEqual(r.status, 304)
        self.assertEqual(r.body, b"")
        self.assertEqual(r.header("ETag"), self.etag)
        r = raw_request("GET", s3sig.key_path(self.bucket, "k"), headers={"If-None-Match": bare})
        self.assertEqual(r.status, 304)

    def test_if_match(self):
        for fn in (self.s3.get_object, self.s3.head_object):
            with self.subTest(op=fn.__name__):
                code = "PreconditionFailed" if fn is self.s3.get_object else None
                self.assertStatus(fn, 412, code, IfMatch=ZERO_ETAG)
                self.assertEqual(fn(Bucket=self.bucket, Key="k", IfMatch=self.etag)
                                 ["ResponseMetadata"]["HTTPStatusCode"], 200)
                self.assertEqual(fn(Bucket=self.bucket, Key="k", IfMatch="*")
                                 ["ResponseMetadata"]["HTTPStatusCode"], 200)

    def test_if_match_error_body(self):
        r = raw_request("GET", s3sig.key_path(self.bucket, "k"), headers={"If-Match": ZERO_ETAG})
        self.assertS3Error(r, 412, "PreconditionFailed")

    def test_if_modified_since(self):
        for fn in (self.s3.get_object, self.s3.head_object):
            with self.subTest(op=fn.__name__):
                self.assertStatus(fn, 304, IfModifiedSince=self.later())
                self.assertStatus(fn, 304, IfModifiedSince=self.mtime)
                self.assertEqual(fn(Bucket=self.bucket, Key="k", IfModifiedSince=self.earlier())
                                 ["ResponseMetadata"]["HTTPStatusCode"], 200)

    def test_if_unmodified_since(self):
        for fn in (self.s3.get_object, self.s3.head_object):
            with self.subTest(op=fn.__name__):
                code = "PreconditionFailed" if fn is self.s3.get_object else None
                self.assertStatus(fn, 412, code, IfUnmodifiedSince=self.earlier())
                self.assertEqual(fn(Bucket=self.bucket, Key="k", IfUnmodifiedSince=self.later())
                                 ["ResponseMetadata"]["HTTPStatusCode"], 200)

    def test_precedence_like_s3(self):
        # If-Match true and If-Unmodified-Since false: 200 (S3 documents this case).
        r = self.s3.get_object(Bucket=self.bucket, Key="k", IfMatch=self.etag,
                               IfUnmodifiedSince=self.earlier())
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 200)
        # If-None-Match false and If-Modified-Since true: 304.
        self.assertStatus(self.s3.get_object, 304, IfNoneMatch=self.etag,
                          IfModifiedSince=self.earlier())

    def test_invalid_date_is_ignored(self):
        r = raw_request("GET", s3sig.key_path(self.bucket, "k"),
                        headers={"If-Modified-Since": "not a date"})
        self.assertEqual(r.status, 200)

    def test_raw_http_dates(self):
        ts = self.later().timestamp()
        r = raw_request("GET", s3sig.key_path(self.bucket, "k"),
                        headers={"If-Modified-Since": http_date(ts)})
        self.assertEqual(r.status, 304)
        self.assertTrue(r.header("x-amz-request-id"))
        self.assertEqual(r.header("ETag"), self.etag)


class ConditionalPutTests(CairnTestCase):
    def put(self, bucket, key, body, if_none_match=None, if_match=None):
        """put_object with IfNoneMatch/IfMatch: parameters on a new boto3, headers on an old."""
        params = {"Bucket": bucket, "Key": key, "Body": body}
        if supports_conditional_put_params(self.s3):
            if if_none_match is not None:
                params["IfNoneMatch"] = if_none_match
            if if_match is not None:
                params["IfMatch"] = if_match
            return self.s3.put_object(**params)
        headers = {}
        if if_none_match is not None:
            headers["If-None-Match"] = if_none_match
        if if_match is not None:
            headers["If-Match"] = if_match
        with extra_headers(self.s3, headers, "PutObject"):
            return self.s3.put_object(**params)

    def test_if_none_match_star(self):
        b = self.new_bucket("cput")
        r = self.put(b, "once", b"first", if_none_match="*")
        self.assertEqual(r["ETag"], s3sig.quoted_md5(b"first"))
        with self.assertRaises(ClientError) as cm:
            self.put(b, "once", b"second", if_none_match="*")
        self.assertClientError(cm.exception, "PreconditionFailed", 412)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="once")["Body"].read(), b"first")

    def test_if_match_put(self):
        b = self.new_bucket("cputm")
        first = self.put(b, "k", b"v1")
        with self.assertRaises(ClientError) as cm:
            self.put(b, "k", b"v2", if_match=ZERO_ETAG)
        self.assertClientError(cm.exception, "PreconditionFailed", 412)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k")["Body"].read(), b"v1")
        second = self.put(b, "k", b"v2", if_match=first["ETag"])
        self.assertEqual(second["ETag"], s3sig.quoted_md5(b"v2"))
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k")["Body"].read(), b"v2")

    def test_if_match_put_missing_key(self):
        b = self.new_bucket("cputmiss")
        with self.assertRaises(ClientError) as cm:
            self.put(b, "absent", b"v", if_match=ZERO_ETAG)
        # S3 answers 404 NoSuchKey (412 is for an object that exists and differs); nothing is
        # created.
        self.assertClientError(cm.exception, "NoSuchKey", 404)
        with self.assertRaises(ClientError):
            self.s3.head_object(Bucket=b, Key="absent")

    def test_put_if_unmodified_since_raw(self):
        # R2 honours If-Unmodified-Since / If-Modified-Since on PutObject.
        b = self.new_bucket("cputdate")
        self.s3.put_object(Bucket=b, Key="k", Body=b"v1")
        past = http_date(datetime.datetime.now(datetime.timezone.utc).timestamp() - 86400)
        r = raw_request("PUT", s3sig.key_path(b, "k"), body=b"v2",
                        headers={"If-Unmodified-Since": past})
        self.assertS3Error(r, 412, "PreconditionFailed")
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k")["Body"].read(), b"v1")

    def test_racing_creates_exactly_one_wins(self):
        b = self.new_bucket("race")
        n = 8
        barrier = threading.Barrier(n, timeout=30)
        results = [None] * n
        clients = [cairn_server.client(self.t) for _ in range(n)]

        def worker(i):
            body = ("writer %d " % i).encode() * 1000
            try:
                barrier.wait()
                s3 = clients[i]
                params = {"Bucket": b, "Key": "contended", "Body": body}
                if supports_conditional_put_params(s3):
                    s3.put_object(IfNoneMatch="*", **params)
                else:
                    with extra_headers(s3, {"If-None-Match": "*"}, "PutObject"):
                        s3.put_object(**params)
                results[i] = ("ok", body)
            except ClientError as e:
                results[i] = ("err", e.response["ResponseMetadata"]["HTTPStatusCode"])
            except Exception as e:  # noqa: BLE001 - recorded, asserted below
                results[i] = ("exc", repr(e))

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(60)
        winners = [r for r in results if r and r[0] == "ok"]
        losers = [r for r in results if r and r[0] == "err"]
        self.assertEqual(len(winners), 1, results)
        self.assertEqual(len(losers), n - 1, results)
        for _, status in losers:
            self.assertIn(status, (412, 409))
        self.assertEqual(self.s3.get_object(Bucket=b, Key="contended")["Body"].read(),
                         winners[0][1])


class ConditionalDeleteTests(CairnTestCase):
    def delete(self, bucket, key, if_match):
        """delete_object with IfMatch: the parameter on a new boto3, the header on an old one."""
        shape = self.s3.meta.service_model.operation_model("DeleteObject").input_shape
        if "IfMatch" in shape.members:
            return self.s3.delete_object(Bucket=bucket, Key=key, IfMatch=if_match)
        with extra_headers(self.s3, {"If-Match": if_match}, "DeleteObject"):
            return self.s3.delete_object(Bucket=bucket, Key=key)

    def assertStillThere(self, bucket, key, body):
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key=key)["Body"].read(), body)

    def assertGone(self, bucket, key):
        with self.assertRaises(ClientError) as cm:
            self.s3.head_object(Bucket=bucket, Key=key)
        self.assertClientError(cm.exception, status=404)

    def test_matching_etag_deletes(self):
        b = self.new_bucket("cdel")
        etag = self.s3.put_object(Bucket=b, Key="k", Body=b"v1")["ETag"]
        r = self.delete(b, "k", etag)
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertGone(b, "k")

    def test_star_deletes_an_existing_object(self):
        b = self.new_bucket("cdelstar")
        self.s3.put_object(Bucket=b, Key="k", Body=b"v1")
        self.delete(b, "k", "*")
        self.assertGone(b, "k")

    def test_changed_object_is_refused_and_survives(self):
        b = self.new_bucket("cdelchg")
        first = self.s3.put_object(Bucket=b, Key="k", Body=b"v1")["ETag"]
        self.s3.put_object(Bucket=b, Key="k", Body=b"v2")
        with self.assertRaises(ClientError) as cm:
            self.delete(b, "k", first)
        self.assertClientError(cm.exception, "PreconditionFailed", 412)
        self.assertStillThere(b, "k", b"v2")

    def test_absent_key_is_no_such_key(self):
        b = self.new_bucket("cdelmiss")
        for if_match in (ZERO_ETAG, "*"):
            with self.subTest(if_match=if_match):
                with self.assertRaises(ClientError) as cm:
                    self.delete(b, "absent", if_match)
                self.assertClientError(cm.exception, "NoSuchKey", 404)
        # Without the condition a delete of a missing key still succeeds.
        r = self.s3.delete_object(Bucket=b, Key="absent")
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)

    def test_directory_bucket_conditions_are_refused(self):
        b = self.new_bucket("cdeldir")
        self.s3.put_object(Bucket=b, Key="k", Body=b"v1")
        for header in ("x-amz-if-match-size", "x-amz-if-match-last-modified-time"):
            with self.subTest(header=header):
                value = "2" if header.endswith("size") else http_date(0)
                r = raw_request("DELETE", s3sig.key_path(b, "k"), headers={header: value})
                self.assertS3Error(r, 501, "NotImplemented")
        self.assertStillThere(b, "k", b"v1")


class ConditionalCopyTests(CairnTestCase):
    def copy(self, bucket, key, source, **conditions):
        """copy_object with IfNoneMatch/IfMatch: parameters on a new boto3, headers on an old."""
        params = {"Bucket": bucket, "Key": key, "CopySource": {"Bucket": bucket, "Key": source}}
        shape = self.s3.meta.service_model.operation_model("CopyObject").input_shape
        if all(name in shape.members for name in conditions):
            return self.s3.copy_object(**params, **conditions)
        headers = {{"IfNoneMatch": "If-None-Match", "IfMatch": "If-Match"}[k]: v
                   for k, v in conditions.items()}
        with extra_headers(self.s3, headers, "CopyObject"):
            return self.s3.copy_object(**params)

    def test_if_none_match_star_copies_only_to_a_free_key(self):
        b = self.new_bucket("ccopy")
        self.s3.put_object(Bucket=b, Key="src", Body=b"source")
        self.s3.put_object(Bucket=b, Key="taken", Body=b"taken")
        with self.assertRaises(ClientError) as cm:
            self.copy(b, "taken", "src", IfNoneMatch="*")
        self.assertClientError(cm.exception, "PreconditionFailed", 412)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="taken")["Body"].read(), b"taken")
        self.copy(b, "free", "src", IfNoneMatch="*")
        self.assertEqual(self.s3.get_object(Bucket=b, Key="free")["Body"].read(), b"source")

    def test_if_match_names_the_destination_version(self):
        b = self.new_bucket("ccopym")
        self.s3.put_object(Bucket=b, Key="src", Body=b"source")
        dst = self.s3.put_object(Bucket=b, Key="dst", Body=b"v1")["ETag"]
        with self.assertRaises(ClientError) as cm:
            self.copy(b, "dst", "src", IfMatch=ZERO_ETAG)
        self.assertClientError(cm.exception, "PreconditionFailed", 412)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="dst")["Body"].read(), b"v1")
        self.copy(b, "dst", "src", IfMatch=dst)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="dst")["Body"].read(), b"source")


if __name__ == "__main__":
    cairn_server.main()
