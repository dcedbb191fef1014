"""Integrity with boto3: Content-MD5, the five x-amz-checksum algorithms, ChecksumMode."""
import base64
import hashlib
import os

from botocore.exceptions import ClientError

import cairn_server
import s3sig
from cairn_server import CairnTestCase, capture_requests, extra_headers, raw_request

ALGORITHMS = ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"]


def tearDownModule():
    cairn_server.shutdown()


def has_crt():
    try:
        import awscrt  # noqa: F401
        return True
    except ImportError:
        return False


def modelled(s3, member):
    return member in s3.meta.service_model.operation_model("PutObject").input_shape.members


class ChecksumTests(CairnTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = "sums-" + os.urandom(4).hex()
        cls.s3.create_bucket(Bucket=cls.bucket)

    @classmethod
    def tearDownClass(cls):
        cls.empty_and_delete(cls.bucket)
        super().tearDownClass()

    def check_stored(self, key, algorithm, body):
        expect = s3sig.checksum_value(algorithm, body)
        field = "Checksum" + algorithm
        for op in (self.s3.get_object, self.s3.head_object):
            with self.subTest(op=op.__name__, algorithm=algorithm):
                r = op(Bucket=self.bucket, Key=key, ChecksumMode="ENABLED")
                if field in r:
                    self.assertEqual(r[field], expect)
                else:  # an older botocore does not model CRC64NVME: read the header
                    hdrs = r["ResponseMetadata"]["HTTPHeaders"]
                    self.assertEqual(hdrs.get("x-amz-checksum-" + algorithm.lower()), expect, r)
                if op is self.s3.get_object:
                    self.assertEqual(r["Body"].read(), body)
        # Without checksum mode S3 does not send the checksum.
        r = raw_request("HEAD", s3sig.key_path(self.bucket, key))
        self.assertIsNone(r.header("x-amz-checksum-" + algorithm.lower()))
        r = raw_request("HEAD", s3sig.key_path(self.bucket, key),
                        headers={"x-amz-checksum-mode": "ENABLED"})
        self.assertEqual(r.header("x-amz-checksum-" + algorithm.lower()), expect)

    def test_put_with_checksum_algorithm(self):
        body = os.urandom(70_000)
        for algorithm in ALGORITHMS:
            with self.subTest(algorithm=algorithm):
                key = "algo-" + algorithm
                native = algorithm in ("CRC32", "SHA1", "SHA256") or has_crt()
                if algorithm == "CRC64NVME" and not modelled(self.s3, "ChecksumCRC64NVME"):
                    native = False
                if native:
                    with capture_requests(self.s3) as seen:
                        r = self.s3.put_object(Bucket=self.bucket, Key=key, Body=body,
                                               ChecksumAlgorithm=algorithm)
                    sent = {k.lower(): v for k, v in seen[-1][2].items()}
                    self.assertTrue("x-amz-checksum-" + algorithm.lower() in sent
                                    or "x-amz-trailer" in sent, sent)
                else:
                    # botocore computes CRC32C/CRC64NVME only with awscrt (not installed): we
                    # compute the value ourselves and send it as the header a client would.
                    value = s3sig.checksum_value(algorithm, body)
                    hdrs = {"x-amz-checksum-" + algorithm.lower(): value,
                            "x-amz-sdk-checksum-algorithm": algorithm}
                    with extra_headers(self.s3, hdrs, "PutObject"):
                        r = self.s3.put_object(Bucket=self.bucket, Key=key, Body=body)
                self.assertEqual(r["ETag"], s3sig.quoted_md5(body))
                field = "Checksum" + algorithm
                if field in r:
                    self.assertEqual(r[field], s3sig.checksum_value(algorithm, body))
                self.check_stored(key, algorithm, body)

    def test_put_with_precomputed_checksum_params(self):
        body = b"precomputed checksum body" * 100
        for algorithm in ALGORITHMS:
            param = "Checksum" + algorithm
            if not modelled(self.s3, param):
                continue  # CRC64NVME on an older botocore: covered by the test above
            with self.subTest(algorithm=algorithm):
                key = "pre-" + algorithm
                r = self.s3.put_object(Bucket=self.bucket, Key=key, Body=body,
                                       **{param: s3sig.checksum_value(algorithm, body)})
                self.assertEqual(r.get(param), s3sig.checksum_value(algorithm, body))
                self.check_stored(key, algorithm, body)

    def test_wrong_checksum_is_bad_digest(self):
        body = b"the real content"
        for algorithm in ALGORITHMS:
            with self.subTest(algorithm=algorithm):
                wrong = s3sig.checksum_value(algorithm, b"other content")
                hdrs = {"x-amz-checksum-" + algorithm.lower(): wrong,
                        "x-amz-sdk-checksum-algorithm": algorithm}
                key = "wrong-" + algorithm
                with extra_headers(self.s3, hdrs, "PutObject"):
                    with self.assertRaises(ClientError) as cm:
                        self.s3.put_object(Bucket=self.bucket, Key=key, Body=body)
                self.assertClientError(cm.exception, "BadDigest", 400)
                with self.assertRaises(ClientError):
                    self.s3.head_object(Bucket=self.bucket, Key=key)

    def test_malformed_checksum_value(self):
        r = raw_request("PUT", s3sig.key_path(self.bucket, "malformed-sum"), body=b"abc",
                        headers={"x-amz-checksum-crc32": "not base64!!"})
        self.assertS3Error(r, 400, ("InvalidRequest", "InvalidArgument", "BadDigest",
                                    "InvalidDigest"))
        r = raw_request("PUT", s3sig.key_path(self.bucket, "malformed-sum"), body=b"abc",
                        headers={"x-amz-checksum-sha256": s3sig.b64(b"short")})
        self.assertS3Error(r, 400, ("InvalidRequest", "InvalidArgument", "BadDigest",
                                    "InvalidDigest"))

    def test_two_checksum_headers_is_an_error(self):
        body = b"two sums"
        r = raw_request("PUT", s3sig.key_path(self.bucket, "two-sums"), body=body,
                        headers={"x-amz-checksum-crc32": s3sig.checksum_value("crc32", body),
                                 "x-amz-checksum-sha256": s3sig.checksum_value("sha256", body)})
        # S3: 400 InvalidRequest "Expecting a single x-amz-checksum- header. Multiple checksum
        # Types are not allowed."
        self.assertS3Error(r, 400, "InvalidRequest")
        self.assertEqual(raw_request("HEAD", s3sig.key_path(self.bucket, "two-sums")).status, 404)

    def test_sdk_algorithm_mismatch(self):
        # x-amz-sdk-checksum-algorithm names CRC32 but the checksum header is SHA256.
        body = b"mismatch"
        r = raw_request("PUT", s3sig.key_path(self.bucket, "alg-mismatch"), body=body,
                        headers={"x-amz-checksum-sha256": s3sig.checksum_value("sha256", body),
                                 "x-amz-sdk-checksum-algorithm": "CRC32"})
        self.assertS3Error(r, 400, "InvalidRequest")

    def test_content_md5_good(self):
        body = b"md5 checked body"
        r = self.s3.put_object(Bucket=self.bucket, Key="md5-good", Body=body,
                               ContentMD5=s3sig.content_md5(body))
        self.assertEqual(r["ETag"], s3sig.quoted_md5(body))

    def test_content_md5_wrong_is_bad_digest(self):
        body = b"md5 checked body"
        with self.assertRaises(ClientError) as cm:
            self.s3.put_object(Bucket=self.bucket, Key="md5-bad", Body=body,
                               ContentMD5=s3sig.content_md5(b"different"))
        self.assertClientError(cm.exception, "BadDigest", 400)
        with self.assertRaises(ClientError):
            self.s3.head_object(Bucket=self.bucket, Key="md5-bad")
        # Raw, so that the error body is checked too.
        r = raw_request("PUT", s3sig.key_path(self.bucket, "md5-bad"), body=body,
                        headers={"Content-MD5": s3sig.content_md5(b"different")})
        self.assertS3Error(r, 400, "BadDigest")

    def test_content_md5_malformed_is_invalid_digest(self):
        for value in ["not-base64", base64.b64encode(b"short").decode()]:
            with self.subTest(value=value):
                r = raw_request("PUT", s3sig.key_path(self.bucket, "md5-malformed"),
                                body=b"x", headers={"Content-MD5": value})
                self.assertS3Error(r, 400, "InvalidDigest")

    def test_sha256_payload_mismatch(self):
        # A signed x-amz-content-sha256 that is not the body's hash, for a small body (kept in
        # the metadata) and a large one (streamed to a blob, its SHA-256 beside its MD5).
        for size in (6, 2 * 1024 * 1024 + 5):
            with self.subTest(size=size):
                key = "sha-mismatch-%d" % size
                body = os.urandom(size)
                claimed = hashlib.sha256(body[:-1] + b"?").hexdigest()
                r = raw_request("PUT", s3sig.key_path(self.bucket, key), body=body,
                                payload_hash=claimed)
                self.assertS3Error(r, 400, ("XAmzContentSHA256Mismatch", "BadDigest"))
                self.assertEqual(raw_request("HEAD", s3sig.key_path(self.bucket, key)).status, 404)

    def test_sha256_signed_large_body_is_stored(self):
        body = os.urandom(3 * 1024 * 1024 + 7)
        r = raw_request("PUT", s3sig.key_path(self.bucket, "sha-large"), body=body,
                        payload_hash=hashlib.sha256(body).hexdigest())
        self.assertEqual(r.status, 200, r.body)
        got = self.s3.get_object(Bucket=self.bucket, Key="sha-large")
        self.assertEqual(got["ETag"], '"%s"' % hashlib.md5(body).hexdigest())
        self.assertEqual(got["Body"].read(), body)

    def test_default_checksum_of_new_sdk_is_stored(self):
        body = b"default checksum" * 10
        with capture_requests(self.s3) as seen:
            self.s3.put_object(Bucket=self.bucket, Key="default-sum", Body=body)
        sent = {k.lower(): v for k, v in seen[-1][2].items()}
        if not cairn_server.new_defaults():
            self.assertIn("content-md5", sent)
            self.skipTest("boto3 %s sends no default checksum" % ".".join(
                map(str, cairn_server.boto3_version())))
        self.assertIn("x-amz-checksum-crc32", sent)
        r = self.s3.head_object(Bucket=self.bucket, Key="default-sum", ChecksumMode="ENABLED")
        self.assertEqual(r.get("ChecksumCRC32"), s3sig.checksum_value("crc32", body))

    def test_checksum_mode_on_object_without_checksum(self):
        # An object stored with no checksum: GET with checksum mode still works.
        raw_request("PUT", s3sig.key_path(self.bucket, "no-sum"), body=b"plain")
        r = self.s3.get_object(Bucket=self.bucket, Key="no-sum", ChecksumMode="ENABLED")
        self.assertEqual(r["Body"].read(), b"plain")

    def test_copy_keeps_checksum(self):
        body = b"copy my checksum"
        self.s3.put_object(Bucket=self.bucket, Key="sum-src", Body=body,
                           ChecksumSHA256=s3sig.checksum_value("sha256", body))
        self.s3.copy_object(Bucket=self.bucket, Key="sum-dst",
                            CopySource={"Bucket": self.bucket, "Key": "sum-src"})
        r = self.s3.head_object(Bucket=self.bucket, Key="sum-dst", ChecksumMode="ENABLED")
        self.assertEqual(r.get("ChecksumSHA256"), s3sig.checksum_value("sha256", body))


if __name__ == "__main__":
    cairn_server.main()
