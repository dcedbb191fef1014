"""Payload modes on the wire (raw requests, no SDK): aws-chunked signed and unsigned, with and
without trailers, UNSIGNED-PAYLOAD, and their failures."""
import hashlib
import os
import zlib

import cairn_server
import s3sig
from cairn_server import CairnTestCase, raw_request


def tearDownModule():
    cairn_server.shutdown()


class StreamingTests(CairnTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = "stream-" + os.urandom(4).hex()
        cls.s3.create_bucket(Bucket=cls.bucket)

    @classmethod
    def tearDownClass(cls):
        cls.empty_and_delete(cls.bucket)
        super().tearDownClass()

    def path(self, key):
        return s3sig.key_path(self.bucket, key)

    def get(self, key):
        return self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def missing(self, key):
        return raw_request("HEAD", self.path(key)).status == 404

    def signed_chunked(self, key, data, chunk_size=65536, trailer=None, corrupt_chunk=None,
                       extra=None, transfer_chunked=False, decoded_length=None):
        signer = self.t.signer()
        amz_date = s3sig.amz_now()
        mode = s3sig.STREAMING_SIGNED_TRAILER if trailer else s3sig.STREAMING_SIGNED
        headers = {"host": self.t.netloc, "Content-Encoding": "aws-chunked",
                   "x-amz-decoded-content-length": str(len(data) if decoded_length is None
                                                       else decoded_length)}
        if trailer:
            headers["x-amz-trailer"] = trailer[0]
        headers.update(extra or {})
        hdrs, seed = signer.sign("PUT", self.path(key), (), headers, mode, amz_date=amz_date)
        body = s3sig.aws_chunked_signed(signer, amz_date, seed, data, chunk_size, trailer,
                                        corrupt_chunk)
        if transfer_chunked:
            return self.send_transfer_chunked(self.path(key), hdrs, body)
        hdrs["Content-Length"] = str(len(body))
        return raw_request("PUT", self.path(key), headers=hdrs, body=body, sign=False)

    def unsigned_trailer(self, key, data, trailers, chunk_size=65536, extra=None,
                         transfer_chunked=False, announce=None):
        headers = {"host": self.t.netloc, "Content-Encoding": "aws-chunked",
                   "x-amz-decoded-content-length": str(len(data))}
        names = announce if announce is not None else ",".join(n for n, _ in trailers)
        if names:
            headers["x-amz-trailer"] = names
        headers.update(extra or {})
        hdrs, _ = self.t.signer().sign("PUT", self.path(key), (), headers,
                                       s3sig.STREAMING_UNSIGNED_TRAILER)
        body = s3sig.aws_chunked_unsigned(data, chunk_size, trailers)
        if transfer_chunked:
            return self.send_transfer_chunked(self.path(key), hdrs, body)
        hdrs["Content-Length"] = str(len(body))
        return raw_request("PUT", self.path(key), headers=hdrs, body=body, sign=False)

    def send_transfer_chunked(self, path, hdrs, body):
        """Sends `body` with Transfer-Encoding: chunked (HTTP framing around aws-chunked), as
        botocore and the JavaScript SDK do when they stream."""
        conn = cairn_server.connection(self.t)
        try:
            conn.putrequest("PUT", path, skip_host=True, skip_accept_encoding=True)
            for k, v in hdrs.items():
                conn.putheader(k, v)
            conn.putheader("Transfer-Encoding", "chunked")
            conn.endheaders()
            for i in range(0, len(body), 10000):
                piece = body[i:i + 10000]
                conn.send(b"%x\r\n" % len(piece) + piece + b"\r\n")
            conn.send(b"0\r\n\r\n")
            resp = conn.getresponse()
            return cairn_server.Response(resp.status, resp.reason, resp.headers, resp.read())
        finally:
            conn.close()

    # ---- STREAMING-AWS4-HMAC-SHA256-PAYLOAD ----
    def test_signed_chunks(self):
        data = os.urandom(200_000)
        r = self.signed_chunked("signed", data)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("ETag"), s3sig.quoted_md5(data))
        self.assertEqual(self.get("signed"), data)
        h = self.s3.head_object(Bucket=self.bucket, Key="signed")
        self.assertNotIn("aws-chunked", h.get("ContentEncoding", "") or "")

    def test_signed_chunks_small_and_exact(self):
        for size, chunk in [(0, 8192), (1, 8192), (8192, 8192), (8193, 8192), (65536, 65536)]:
            with self.subTest(size=size, chunk=chunk):
                data = os.urandom(size)
                r = self.signed_chunked("signed-%d" % size, data, chunk_size=chunk)
                self.assertEqual(r.status, 200, r)
                self.assertEqual(self.get("signed-%d" % size), data)

    def test_signed_chunks_bad_signature(self):
        data = os.urandom(150_000)
        for idx in (0, 1, 3):  # first, middle, final (empty) chunk
            with self.subTest(chunk=idx):
                key = "badsig-%d" % idx
                r = self.signed_chunked(key, data, corrupt_chunk=idx)
                self.assertS3Error(r, 403, "SignatureDoesNotMatch")
                self.assertTrue(self.missing(key))

    def test_signed_chunks_with_content_encoding(self):
        data = b"z" * 10000
        r = self.signed_chunked("gz", data, extra={"Content-Encoding": "aws-chunked,gzip"})
        self.assertEqual(r.status, 200, r)
        h = self.s3.head_object(Bucket=self.bucket, Key="gz")
        self.assertEqual(h.get("ContentEncoding"), "gzip")

    def test_aws_chunked_is_removed_from_any_place_in_content_encoding(self):
        # Coding names are case-insensitive; the other codings keep their order.
        for sent, kept in (("gzip, AWS-Chunked", "gzip"),
                           ("deflate, aws-chunked, gzip", "deflate, gzip"),
                           ("aws-chunked", None)):
            with self.subTest(sent=sent):
                r = self.signed_chunked("ce", b"z" * 100, extra={"Content-Encoding": sent})
                self.assertEqual(r.status, 200, r)
                h = self.s3.head_object(Bucket=self.bucket, Key="ce")
                self.assertEqual(h.get("ContentEncoding"), kept)

    def test_signed_chunks_decoded_length_mismatch(self):
        data = os.urandom(20_000)
        r = self.signed_chunked("declen", data, decoded_length=len(data) + 5)
        self.assertIn(r.status, (400,), r)
        self.assertTrue(self.missing("declen"))

    def test_signed_chunks_transfer_encoding_chunked(self):
        data = os.urandom(70_000)
        r = self.signed_chunked("te-signed", data, transfer_chunked=True)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.get("te-signed"), data)

    # ---- STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER ----
    def test_signed_chunks_with_trailer(self):
        data = os.urandom(100_000)
        crc = s3sig.checksum_value("crc32", data)
        r = self.signed_chunked("signed-trailer", data, trailer=("x-amz-checksum-crc32", crc))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.get("signed-trailer"), data)
        h = self.s3.head_object(Bucket=self.bucket, Key="signed-trailer", ChecksumMode="ENABLED")
        self.assertEqual(h.get("ChecksumCRC32"), crc)

    def test_signed_trailer_wrong_checksum(self):
        data = os.urandom(30_000)
        wrong = s3sig.checksum_value("crc32", b"x")
        r = self.signed_chunked("signed-trailer-bad", data,
                                trailer=("x-amz-checksum-crc32", wrong))
        self.assertS3Error(r, 400, "BadDigest")
        self.assertTrue(self.missing("signed-trailer-bad"))

    # ---- STREAMING-UNSIGNED-PAYLOAD-TRAILER ----
    def test_unsigned_trailer_each_algorithm(self):
        data = os.urandom(80_000)
        for algorithm in ["crc32", "crc32c", "crc64nvme", "sha1", "sha256"]:
            with self.subTest(algorithm=algorithm):
                value = s3sig.checksum_value(algorithm, data)
                key = "ut-" + algorithm
                r = self.unsigned_trailer(key, data, [("x-amz-checksum-" + algorithm, value)],
                                          extra={"x-amz-sdk-checksum-algorithm":
                                                 algorithm.upper()})
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.header("ETag"), s3sig.quoted_md5(data))
                self.assertEqual(self.get(key), data)
                raw = raw_request("HEAD", self.path(key),
                                  headers={"x-amz-checksum-mode": "ENABLED"})
                self.assertEqual(raw.header("x-amz-checksum-" + algorithm), value)

    def test_unsigned_trailer_wrong_value(self):
        data = os.urandom(40_000)
        r = self.unsigned_trailer("ut-bad", data, [("x-amz-checksum-crc32",
                                                    s3sig.checksum_value("crc32", b"nope"))])
        self.assertS3Error(r, 400, "BadDigest")
        self.assertTrue(self.missing("ut-bad"))

    def test_unsigned_trailer_as_botocore_sends_it(self):
        # Transfer-Encoding: chunked around aws-chunked, no Content-Length at all.
        data = os.urandom(123_457)
        r = self.unsigned_trailer("ut-te", data, [("x-amz-checksum-crc32",
                                                   s3sig.checksum_value("crc32", data))],
                                  transfer_chunked=True)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.get("ut-te"), data)

    def test_unsigned_trailer_missing_trailer(self):
        data = b"announced but not sent"
        r = self.unsigned_trailer("ut-missing", data, [], announce="x-amz-checksum-crc32")
        self.assertIn(r.status, (400,), r)
        self.assertTrue(self.missing("ut-missing"))

    def test_header_plus_trailer_is_an_error(self):
        data = b"both header and trailer"
        v = s3sig.checksum_value("crc32", data)
        r = self.unsigned_trailer("ut-both", data, [("x-amz-checksum-crc32", v)],
                                  extra={"x-amz-checksum-crc32": v})
        self.assertS3Error(r, 400, "InvalidRequest")
        self.assertTrue(self.missing("ut-both"))

    def test_unsigned_trailer_with_chunks_of_odd_sizes(self):
        data = os.urandom(100_001)
        r = self.unsigned_trailer("ut-odd", data, [("x-amz-checksum-crc32",
                                                    s3sig.checksum_value("crc32", data))],
                                  chunk_size=7777)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.get("ut-odd"), data)

    # ---- UNSIGNED-PAYLOAD and literal hashes ----
    def test_unsigned_payload(self):
        data = os.urandom(10_000)
        r = raw_request("PUT", self.path("unsigned"), body=data,
                        payload_hash=s3sig.UNSIGNED_PAYLOAD)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.get("unsigned"), data)

    def test_unsigned_payload_with_checksum_header(self):
        data = os.urandom(10_000)
        r = raw_request("PUT", self.path("unsigned-crc"), body=data,
                        payload_hash=s3sig.UNSIGNED_PAYLOAD,
                        headers={"x-amz-checksum-crc32c": s3sig.checksum_value("crc32c", data)})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("x-amz-checksum-crc32c"), s3sig.checksum_value("crc32c", data))

    def test_literal_sha256(self):
        data = os.urandom(10_000)
        r = raw_request("PUT", self.path("sha"), body=data,
                        payload_hash=hashlib.sha256(data).hexdigest())
        self.assertEqual(r.status, 200, r)

    def test_missing_content_sha256(self):
        # SigV4 on S3 requires x-amz-content-sha256.
        signer = self.t.signer()
        hdrs, _ = signer.sign("GET", "/", (), {"host": self.t.netloc}, s3sig.EMPTY_SHA256)
        del hdrs["x-amz-content-sha256"]
        r = raw_request("GET", "/", headers=hdrs, sign=False)
        self.assertIn(r.status, (400, 403), r)

    def test_crc32_helper_matches_zlib(self):
        self.assertEqual(s3sig.checksum_value("crc32", b"abc"),
                         s3sig.b64((zlib.crc32(b"abc") & 0xFFFFFFFF).to_bytes(4, "big")))


if __name__ == "__main__":
    cairn_server.main()
