"""Multipart uploads with boto3 and raw requests, with R2's rules (issue 3): the R2 guide's
upload_file and low-level create/upload_part/complete loop, abort, every rule with the error a
client sees, replaced parts, concurrent parts, ListParts/ListMultipartUploads pages, ranges and
partNumber reads of multipart objects, CopyObject and UploadPartCopy, checksums (COMPOSITE and
FULL_OBJECT), conditional Complete, and a completion time that does not grow with the size."""
import concurrent.futures
import filecmp
import hashlib
import os
import shutil
import socket
import struct
import tempfile
import threading
import time
import unittest
import xml.sax.saxutils

from botocore.exceptions import ClientError

import cairn_server
import s3sig
from cairn_server import CairnTestCase, extra_headers, raw_request, xml_text

MiB = 1024 * 1024
GiB = 1024 * MiB
PART = 5 * MiB  # R2's minimum for every part but the last
NS = "http://s3.amazonaws.com/doc/2006-03-01/"
ZERO_ETAG = '"00000000000000000000000000000000"'
UNEQUAL_MESSAGE = "All non-trailing parts must have the same length."


def tearDownModule():
    cairn_server.shutdown()


def q(etag):
    return '"%s"' % etag.strip('"')


def complete_xml(parts):
    """A CompleteMultipartUpload body; parts: [(number, etag, {"ChecksumCRC32": value, ...})]."""
    out = ['<CompleteMultipartUpload xmlns="%s">' % NS]
    for number, etag, extra in parts:
        out.append("<Part><PartNumber>%d</PartNumber><ETag>%s</ETag>"
                   % (number, xml.sax.saxutils.escape(etag)))
        for k, v in (extra or {}).items():
            out.append("<%s>%s</%s>" % (k, v, k))
        out.append("</Part>")
    out.append("</CompleteMultipartUpload>")
    return "".join(out).encode()


class MultipartBase(CairnTestCase):
    server_args = (cairn_server.TEST_HOOKS,)
    cleanup_uploads = True

    # -- boto3 --
    def create(self, bucket, key, **kwargs):
        r = self.s3.create_multipart_upload(Bucket=bucket, Key=key, **kwargs)
        self.assertEqual(r["Bucket"], bucket)
        self.assertEqual(r["Key"], key)
        return r["UploadId"]

    def upload(self, bucket, key, upload_id, datas, first=1, s3=None, **kwargs):
        """Uploads datas as parts first, first+1, ...; returns the Parts list for Complete."""
        s3 = s3 or self.s3
        parts = []
        for i, data in enumerate(datas):
            n = first + i
            r = s3.upload_part(Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=n,
                               Body=data, **kwargs)
            self.assertEqual(r["ETag"], s3sig.quoted_md5(data), "part %d" % n)
            parts.append({"PartNumber": n, "ETag": r["ETag"]})
        return parts

    def complete(self, bucket, key, upload_id, parts, s3=None):
        s3 = s3 or self.s3
        return s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id,
                                            MultipartUpload={"Parts": parts})

    def assertCompleteFails(self, bucket, key, upload_id, parts, code, status=400):
        with self.assertRaises(ClientError) as cm:
            self.complete(bucket, key, upload_id, parts)
        return self.assertClientError(cm.exception, code, status)

    def read_all(self, bucket, key, **kwargs):
        return self.s3.get_object(Bucket=bucket, Key=key, **kwargs)["Body"].read()

    def assertNoSuchUpload(self, fn, **kwargs):
        with self.assertRaises(ClientError) as cm:
            fn(**kwargs)
        self.assertClientError(cm.exception, "NoSuchUpload", 404)

    # -- raw requests --
    def raw_create(self, bucket, key, headers=None):
        r = raw_request("POST", s3sig.key_path(bucket, key), [("uploads", "")], headers=headers)
        self.assertEqual(r.status, 200, r)
        return r, xml_text(r.xml(), "UploadId")

    def raw_part(self, bucket, key, upload_id, number, data, headers=None):
        return raw_request("PUT", s3sig.key_path(bucket, key),
                           [("partNumber", str(number)), ("uploadId", upload_id)],
                           headers=headers, body=data)

    def raw_complete(self, bucket, key, upload_id, body, headers=None):
        return raw_request("POST", s3sig.key_path(bucket, key), [("uploadId", upload_id)],
                           headers=headers, body=body)

    # -- the data dir (only for a cairn this suite started) --
    @property
    def server(self):
        return self.t.server

    def usage(self):
        return cairn_server.data_usage(self.server) if self.server else None


# ============================================================================================


class GuideTests(MultipartBase):
    """The R2 upload guide's multipart examples, as written there, with real files."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.work = tempfile.mkdtemp(prefix="cairn-mpu-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, ignore_errors=True)
        super().tearDownClass()

    def make_file(self, size, name="large-file.bin"):
        path = os.path.join(self.work, name)
        with open(path, "wb") as f:
            left = size
            while left:
                n = min(left, 4 * MiB)
                f.write(os.urandom(n))
                left -= n
        self.addCleanup(lambda: os.path.exists(path) and os.remove(path))
        return path

    def assertSameFileAsObject(self, path, bucket, key):
        got = self.s3.get_object(Bucket=bucket, Key=key)
        self.assertEqual(got["ContentLength"], os.path.getsize(path))
        body = got["Body"]
        with open(path, "rb") as f:
            offset = 0
            while True:
                chunk = body.read(MiB)
                if not chunk:
                    break
                want = f.read(len(chunk))
                if chunk != want:
                    self.fail("object differs from the file within bytes %d..%d"
                              % (offset, offset + len(chunk)))
                offset += len(chunk)
            self.assertEqual(f.read(1), b"", "object shorter than the file")

    def test_low_level_loop_as_in_guide(self):
        import math
        bucket = self.new_bucket("mpu-guide")
        s3 = self.s3
        key = "large-file.bin"
        file_path = self.make_file(25 * MiB + 4321)
        part_size = 10 * 1024 * 1024  # 10 MiB per part

        # Step 1: Create the multipart upload
        mpu = s3.create_multipart_upload(Bucket=bucket, Key=key)
        upload_id = mpu["UploadId"]
        try:
            file_size = os.path.getsize(file_path)
            part_count = math.ceil(file_size / part_size)
            parts = []
            # Step 2: Upload each part
            with open(file_path, "rb") as f:
                for i in range(part_count):
                    data = f.read(part_size)
                    response = s3.upload_part(Bucket=bucket, Key=key, UploadId=upload_id,
                                              PartNumber=i + 1, Body=data)
                    self.assertEqual(response["ETag"], s3sig.quoted_md5(data))
                    parts.append({"PartNumber": i + 1, "ETag": response["ETag"]})
            # Step 3: Complete the upload
            done = s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id,
                                                MultipartUpload={"Parts": parts})
        except Exception:
            # Abort on failure to clean up incomplete parts
            try:
                s3.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id)
            except Exception:
                pass
            raise
        expect = q(s3sig.multipart_etag_of_file(file_path, part_size))
        self.assertTrue(expect.endswith('-3"'), expect)
        self.assertEqual(done["ETag"], expect)
        self.assertEqual(done["Key"], key)
        self.assertEqual(done["Bucket"], bucket)
        h = s3.head_object(Bucket=bucket, Key=key)
        self.assertEqual(h["ETag"], expect)
        self.assertEqual(h["ContentLength"], 25 * MiB + 4321)
        self.assertSameFileAsObject(file_path, bucket, key)
        # The upload is gone once completed.
        self.assertNoSuchUpload(s3.list_parts, Bucket=bucket, Key=key, UploadId=upload_id)
        self.assertEqual(s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []), [])
        listed = s3.list_objects_v2(Bucket=bucket)["Contents"]
        self.assertEqual([(o["Key"], o["ETag"], o["Size"]) for o in listed],
                         [(key, expect, 25 * MiB + 4321)])

    def test_upload_file_with_transfer_config(self):
        from boto3.s3.transfer import TransferConfig
        bucket = self.new_bucket("mpu-upfile")
        size = 40 * MiB + 12345
        chunk = 6 * MiB
        path = self.make_file(size)
        config = TransferConfig(multipart_threshold=8 * MiB, multipart_chunksize=chunk,
                                max_concurrency=4)
        with cairn_server.capture_requests(self.s3) as seen:
            # upload_file automatically uses multipart for large files
            self.s3.upload_file(Filename=path, Bucket=bucket, Key="large-file.bin",
                                Config=config)
        part_puts = [u for m, u, _ in seen if m == "PUT" and "partNumber=" in u]
        self.assertEqual(len(part_puts), 7, [u for _, u, _ in seen])
        expect = q(s3sig.multipart_etag_of_file(path, chunk))
        self.assertTrue(expect.endswith('-7"'), expect)
        h = self.s3.head_object(Bucket=bucket, Key="large-file.bin", ChecksumMode="ENABLED")
        self.assertEqual(h["ETag"], expect)
        self.assertEqual(h["ContentLength"], size)
        if cairn_server.new_defaults():
            # boto3 >= 1.36 creates the upload with ChecksumAlgorithm=CRC32 and sends every
            # part's CRC32 in Complete: the object has R2's COMPOSITE CRC32.
            sums = []
            with open(path, "rb") as f:
                while True:
                    block = f.read(chunk)
                    if not block:
                        break
                    sums.append(s3sig.checksum_value("crc32", block))
            self.assertEqual(h.get("ChecksumCRC32"), s3sig.composite_checksum("crc32", sums), h)
            self.assertEqual(h["ResponseMetadata"]["HTTPHeaders"].get("x-amz-checksum-type"),
                             "COMPOSITE")
        down = os.path.join(self.work, "downloaded.bin")
        self.addCleanup(lambda: os.path.exists(down) and os.remove(down))
        self.s3.download_file(Bucket=bucket, Key="large-file.bin", Filename=down, Config=config)
        self.assertTrue(filecmp.cmp(path, down, shallow=False), "downloaded bytes differ")

    def test_create_carries_object_metadata(self):
        bucket = self.new_bucket("mpu-meta")
        uid = self.create(bucket, "meta.bin", ContentType="video/mp4",
                          ContentDisposition='attachment; filename="v.mp4"',
                          CacheControl="max-age=60", ContentLanguage="en",
                          Metadata={"origin": "multipart", "n": "2"},
                          StorageClass="STANDARD_IA")
        datas = [os.urandom(PART), b"tail"]
        parts = self.upload(bucket, "meta.bin", uid, datas)
        self.complete(bucket, "meta.bin", uid, parts)
        h = self.s3.head_object(Bucket=bucket, Key="meta.bin")
        self.assertEqual(h["ContentType"], "video/mp4")
        self.assertEqual(h["ContentDisposition"], 'attachment; filename="v.mp4"')
        self.assertEqual(h["CacheControl"], "max-age=60")
        self.assertEqual(h["ContentLanguage"], "en")
        self.assertEqual(h["Metadata"], {"origin": "multipart", "n": "2"})
        self.assertEqual(h.get("StorageClass"), "STANDARD_IA")
        self.assertEqual(h["ETag"], q(s3sig.multipart_etag_of_parts(datas)))
        self.assertEqual(self.read_all(bucket, "meta.bin"), b"".join(datas))
        listed = self.s3.list_objects_v2(Bucket=bucket)["Contents"][0]
        self.assertEqual(listed["StorageClass"], "STANDARD_IA")


# ============================================================================================


class RuleTests(MultipartBase):
    """R2's rules, each with the error code (and message) a client sees."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = "mpu-rules-" + os.urandom(4).hex()
        cls.s3.create_bucket(Bucket=cls.bucket)

    @classmethod
    def tearDownClass(cls):
        cls.empty_and_delete(cls.bucket)
        super().tearDownClass()

    def fresh(self, key="k"):
        return self.create(self.bucket, key)

    def test_part_numbers_1_to_10000(self):
        uid = self.fresh("numbers")
        for n in ("0", "-1", "10001", "abc", ""):
            with self.subTest(partNumber=n):
                r = self.raw_part(self.bucket, "numbers", uid, n, b"x")
                self.assertS3Error(r, 400, "InvalidArgument")
        for n in (1, 10000):
            with self.subTest(partNumber=n):
                r = self.raw_part(self.bucket, "numbers", uid, n, b"part %d" % n)
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.header("ETag"), s3sig.quoted_md5(b"part %d" % n))
        got = self.s3.list_parts(Bucket=self.bucket, Key="numbers", UploadId=uid)
        self.assertEqual([p["PartNumber"] for p in got["Parts"]], [1, 10000])

    def test_part_over_5_gib_is_entity_too_large(self):
        uid = self.fresh("huge")
        path = s3sig.key_path(self.bucket, "huge")
        query = [("partNumber", "1"), ("uploadId", uid)]
        url = path + "?" + s3sig.encode_query(query)
        hdrs, _ = self.t.signer().sign("PUT", path, query, {
            "host": self.t.netloc, "Content-Length": str(5 * GiB + 1)}, s3sig.UNSIGNED_PAYLOAD)
        with socket.create_connection((self.t.host, self.t.port), timeout=10) as s:
            s.sendall(("PUT %s HTTP/1.1\r\n" % url + "".join(
                "%s: %s\r\n" % kv for kv in hdrs.items()) + "\r\n").encode())
            # No body: the answer must come from the headers alone.
            s.settimeout(10)
            raw = b""
            try:
                while b"</Error>" not in raw:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    raw += chunk
            except socket.timeout:
                pass
        self.assertTrue(raw.startswith(b"HTTP/1.1 400"), raw[:500])
        self.assertIn(b"<Code>EntityTooLarge</Code>", raw)
        got = self.s3.list_parts(Bucket=self.bucket, Key="huge", UploadId=uid)
        self.assertEqual(got.get("Parts", []), [])

    def test_part_under_5_mib_is_entity_too_small_at_complete(self):
        uid = self.fresh("small")
        # Small parts are accepted when uploaded: R2 checks the sizes at Complete.
        parts = self.upload(self.bucket, "small", uid, [os.urandom(MiB), os.urandom(MiB)])
        self.assertCompleteFails(self.bucket, "small", uid, parts, "EntityTooSmall")
        # One byte short of 5 MiB is still too small.
        uid = self.fresh("small2")
        parts = self.upload(self.bucket, "small2", uid, [os.urandom(PART - 1), b"z"])
        self.assertCompleteFails(self.bucket, "small2", uid, parts, "EntityTooSmall")
        # The upload survives a refused Complete (the client may fix its list).
        self.s3.list_parts(Bucket=self.bucket, Key="small2", UploadId=uid)

    def test_exactly_5_mib_parts_and_a_one_byte_tail(self):
        uid = self.fresh("edge")
        datas = [os.urandom(PART), os.urandom(PART), b"!"]
        parts = self.upload(self.bucket, "edge", uid, datas)
        r = self.complete(self.bucket, "edge", uid, parts)
        self.assertEqual(r["ETag"], q(s3sig.multipart_etag_of_parts(datas)))
        self.assertEqual(self.read_all(self.bucket, "edge"), b"".join(datas))

    def test_a_single_small_part_is_allowed(self):
        uid = self.fresh("single")
        parts = self.upload(self.bucket, "single", uid, [b"only part"])
        r = self.complete(self.bucket, "single", uid, parts)
        self.assertEqual(r["ETag"], q(s3sig.multipart_etag_of_parts([b"only part"])))
        self.assertTrue(r["ETag"].endswith('-1"'))
        self.assertEqual(self.read_all(self.bucket, "single"), b"only part")

    def test_unequal_non_trailing_parts_are_invalid_part(self):
        uid = self.fresh("unequal")
        parts = self.upload(self.bucket, "unequal", uid,
                            [os.urandom(6 * MiB), os.urandom(PART), os.urandom(MiB)])
        err = self.assertCompleteFails(self.bucket, "unequal", uid, parts, "InvalidPart")
        self.assertTrue(err.get("Message", "").startswith(UNEQUAL_MESSAGE), err)
        # Nothing was created.
        with self.assertRaises(ClientError) as cm:
            self.s3.head_object(Bucket=self.bucket, Key="unequal")
        self.assertClientError(cm.exception, status=404)

    def test_last_part_larger_than_the_others_is_invalid_part(self):
        uid = self.fresh("biglast")
        parts = self.upload(self.bucket, "biglast", uid, [os.urandom(PART), os.urandom(PART + 1)])
        err = self.assertCompleteFails(self.bucket, "biglast", uid, parts, "InvalidPart")
        self.assertTrue(err.get("Message", "").startswith(UNEQUAL_MESSAGE), err)

    def test_parts_must_be_in_ascending_order(self):
        uid = self.fresh("order")
        # Parts of equal size, so that only the order is wrong.
        parts = self.upload(self.bucket, "order", uid, [os.urandom(PART), os.urandom(PART)])
        self.assertCompleteFails(self.bucket, "order", uid, list(reversed(parts)),
                                 "InvalidPartOrder")
        self.assertCompleteFails(self.bucket, "order", uid, [parts[0], parts[0]],
                                 "InvalidPartOrder")
        # Gaps in the numbering are fine: parts 1 and 3 make a two-part object.
        third = self.upload(self.bucket, "order", uid, [b"third"], first=3)
        r = self.complete(self.bucket, "order", uid, [parts[0]] + third)
        self.assertTrue(r["ETag"].endswith('-2"'), r["ETag"])

    def test_etags_must_match(self):
        uid = self.fresh("etag")
        parts = self.upload(self.bucket, "etag", uid, [os.urandom(PART), b"tail"])
        bad = [parts[0], {"PartNumber": 2, "ETag": ZERO_ETAG}]
        self.assertCompleteFails(self.bucket, "etag", uid, bad, "InvalidPart")
        # A part number that was never uploaded.
        self.assertCompleteFails(self.bucket, "etag", uid,
                                 parts + [{"PartNumber": 3, "ETag": parts[1]["ETag"]}],
                                 "InvalidPart")
        # ETags without quotes are the same ETags.
        unquoted = [{"PartNumber": p["PartNumber"], "ETag": p["ETag"].strip('"')} for p in parts]
        r = self.complete(self.bucket, "etag", uid, unquoted)
        self.assertTrue(r["ETag"].endswith('-2"'))

    def test_empty_part_list_is_malformed_xml(self):
        uid = self.fresh("empty")
        self.upload(self.bucket, "empty", uid, [b"a part"])
        self.assertCompleteFails(self.bucket, "empty", uid, [], "MalformedXML")
        for body in [b"", ('<CompleteMultipartUpload xmlns="%s"></CompleteMultipartUpload>'
                           % NS).encode(), b"<CompleteMultipartUpload><Part>",
                     b"not xml at all"]:
            with self.subTest(body=body):
                r = self.raw_complete(self.bucket, "empty", uid, body)
                self.assertS3Error(r, 400, "MalformedXML")
        self.s3.list_parts(Bucket=self.bucket, Key="empty", UploadId=uid)

    def test_unknown_upload_is_no_such_upload(self):
        fake = "Zm9vYmFy" + os.urandom(24).hex()
        kw = dict(Bucket=self.bucket, Key="k", UploadId=fake)
        self.assertNoSuchUpload(self.s3.upload_part, PartNumber=1, Body=b"x", **kw)
        self.assertNoSuchUpload(self.s3.list_parts, **kw)
        self.assertNoSuchUpload(self.s3.complete_multipart_upload,
                                MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": ZERO_ETAG}]},
                                **kw)
        self.assertNoSuchUpload(self.s3.abort_multipart_upload, **kw)
        # An upload id of another key is not an upload of this key.
        uid = self.fresh("owner")
        self.assertNoSuchUpload(self.s3.upload_part, Bucket=self.bucket, Key="not-owner",
                                UploadId=uid, PartNumber=1, Body=b"x")
        self.assertNoSuchUpload(self.s3.list_parts, Bucket=self.bucket, Key="not-owner",
                                UploadId=uid)
        r = raw_request("GET", s3sig.key_path(self.bucket, "k"), [("uploadId", fake)])
        self.assertS3Error(r, 404, "NoSuchUpload")

    def test_upload_in_missing_bucket(self):
        with self.assertRaises(ClientError) as cm:
            self.s3.create_multipart_upload(Bucket="no-such-bucket-" + os.urandom(4).hex(),
                                            Key="k")
        self.assertClientError(cm.exception, "NoSuchBucket", 404)

    def test_abort_then_every_operation_is_no_such_upload(self):
        before = self.usage()
        uid = self.fresh("abort")
        parts = self.upload(self.bucket, "abort", uid, [os.urandom(PART), os.urandom(PART)])
        if before is not None:
            mid = cairn_server.wait_usage(self.server,
                                          lambda u: u.bytes >= before.bytes + 2 * PART)
            self.assertGreaterEqual(mid.bytes, before.bytes + 2 * PART, "parts not on disk?")
        r = self.s3.abort_multipart_upload(Bucket=self.bucket, Key="abort", UploadId=uid)
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        kw = dict(Bucket=self.bucket, Key="abort", UploadId=uid)
        self.assertNoSuchUpload(self.s3.list_parts, **kw)
        self.assertNoSuchUpload(self.s3.upload_part, PartNumber=3, Body=b"late", **kw)
        self.assertNoSuchUpload(self.s3.complete_multipart_upload,
                                MultipartUpload={"Parts": parts}, **kw)
        self.assertNoSuchUpload(self.s3.abort_multipart_upload, **kw)
        uploads = self.s3.list_multipart_uploads(Bucket=self.bucket).get("Uploads", [])
        self.assertNotIn(uid, [u["UploadId"] for u in uploads])
        with self.assertRaises(ClientError):
            self.s3.head_object(Bucket=self.bucket, Key="abort")
        if before is not None:
            after = cairn_server.wait_usage(self.server, lambda u: u == before)
            self.assertEqual(after, before, "abort left blob files behind (files, bytes, tmp)")

    def test_parts_left_out_are_discarded(self):
        before = self.usage()
        uid = self.fresh("leftout")
        datas = [os.urandom(PART), os.urandom(PART), os.urandom(PART)]
        parts = self.upload(self.bucket, "leftout", uid, datas)
        r = self.complete(self.bucket, "leftout", uid, parts[:2])
        self.assertEqual(r["ETag"], q(s3sig.multipart_etag_of_parts(datas[:2])))
        self.assertEqual(self.read_all(self.bucket, "leftout"), datas[0] + datas[1])
        if before is not None:
            after = cairn_server.wait_usage(
                self.server, lambda u: u.bytes == before.bytes + 2 * PART and u.tmp_files == 0)
            self.assertEqual((after.bytes, after.tmp_files), (before.bytes + 2 * PART, 0),
                             "the left-out part's space was not freed")
        self.s3.delete_object(Bucket=self.bucket, Key="leftout")
        if before is not None:
            after = cairn_server.wait_usage(self.server, lambda u: u == before)
            self.assertEqual(after, before)

    def test_replacing_a_part(self):
        before = self.usage()
        uid = self.fresh("replace")
        old = self.upload(self.bucket, "replace", uid, [os.urandom(PART), b"tail"])
        new_data = os.urandom(PART)
        new = self.upload(self.bucket, "replace", uid, [new_data])
        self.assertNotEqual(new[0]["ETag"], old[0]["ETag"])
        listed = self.s3.list_parts(Bucket=self.bucket, Key="replace", UploadId=uid)["Parts"]
        self.assertEqual([(p["PartNumber"], p["ETag"], p["Size"]) for p in listed],
                         [(1, new[0]["ETag"], PART), (2, old[1]["ETag"], 4)])
        # The replaced part's ETag no longer completes the upload.
        self.assertCompleteFails(self.bucket, "replace", uid, old, "InvalidPart")
        r = self.complete(self.bucket, "replace", uid, [new[0], old[1]])
        self.assertEqual(r["ETag"], q(s3sig.multipart_etag_of_parts([new_data, b"tail"])))
        self.assertEqual(self.read_all(self.bucket, "replace"), new_data + b"tail")
        if before is not None:
            after = cairn_server.wait_usage(
                self.server, lambda u: u.bytes == before.bytes + PART + 4)
            self.assertEqual(after.bytes, before.bytes + PART + 4,
                             "the replaced part's space was not freed")
        self.s3.delete_object(Bucket=self.bucket, Key="replace")

    def test_delete_bucket_with_upload_in_progress(self):
        b = "mpu-busy-" + os.urandom(4).hex()
        self.s3.create_bucket(Bucket=b)
        self.addCleanup(self.empty_and_delete, b)
        uid = self.create(b, "pending")
        self.upload(b, "pending", uid, [b"data"])
        with self.assertRaises(ClientError) as cm:
            self.s3.delete_bucket(Bucket=b)
        self.assertClientError(cm.exception, "BucketNotEmpty", 409)
        self.s3.head_bucket(Bucket=b)
        self.s3.abort_multipart_upload(Bucket=b, Key="pending", UploadId=uid)
        self.s3.delete_bucket(Bucket=b)
        with self.assertRaises(ClientError) as cm:
            self.s3.head_bucket(Bucket=b)
        self.assertClientError(cm.exception, status=404)

    def test_upload_ids_are_distinct_and_unguessable(self):
        ids = [self.create(self.bucket, "ids") for _ in range(5)]
        self.assertEqual(len(set(ids)), 5)
        for uid in ids:
            self.assertGreaterEqual(len(uid), 20, uid)
            self.s3.abort_multipart_upload(Bucket=self.bucket, Key="ids", UploadId=uid)

    def test_complete_replaces_an_existing_object(self):
        self.s3.put_object(Bucket=self.bucket, Key="over", Body=b"old single put")
        uid = self.fresh("over")
        datas = [os.urandom(PART), b"new"]
        parts = self.upload(self.bucket, "over", uid, datas)
        self.complete(self.bucket, "over", uid, parts)
        self.assertEqual(self.read_all(self.bucket, "over"), b"".join(datas))


# ============================================================================================


class ConcurrencyTests(MultipartBase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = "mpu-conc-" + os.urandom(4).hex()
        cls.s3.create_bucket(Bucket=cls.bucket)

    @classmethod
    def tearDownClass(cls):
        cls.empty_and_delete(cls.bucket)
        super().tearDownClass()

    def test_parts_uploaded_concurrently_from_threads(self):
        n = 8
        datas = [os.urandom(PART) for _ in range(n - 1)] + [os.urandom(1234)]
        uid = self.create(self.bucket, "parallel.bin")
        barrier = threading.Barrier(n, timeout=30)

        def put(i):
            c = cairn_server.client(self.t)
            barrier.wait()
            r = c.upload_part(Bucket=self.bucket, Key="parallel.bin", UploadId=uid,
                              PartNumber=i + 1, Body=datas[i])
            return {"PartNumber": i + 1, "ETag": r["ETag"]}

        with concurrent.futures.ThreadPoolExecutor(n) as ex:
            parts = list(ex.map(put, range(n), timeout=120))
        self.assertEqual([p["ETag"] for p in parts], [s3sig.quoted_md5(d) for d in datas])
        listed = self.s3.list_parts(Bucket=self.bucket, Key="parallel.bin", UploadId=uid)
        self.assertEqual([p["PartNumber"] for p in listed["Parts"]], list(range(1, n + 1)))
        r = self.complete(self.bucket, "parallel.bin", uid, parts)
        self.assertEqual(r["ETag"], q(s3sig.multipart_etag_of_parts(datas)))
        self.assertEqual(hashlib.md5(self.read_all(self.bucket, "parallel.bin")).hexdigest(),
                         hashlib.md5(b"".join(datas)).hexdigest())

    def test_same_part_number_racing_leaves_one_whole_part(self):
        bodies = [bytes([65 + i]) * (PART + i) for i in range(6)]
        uid = self.create(self.bucket, "race.bin")
        barrier = threading.Barrier(len(bodies), timeout=30)

        def put(body):
            c = cairn_server.client(self.t)
            barrier.wait()
            return c.upload_part(Bucket=self.bucket, Key="race.bin", UploadId=uid, PartNumber=1,
                                 Body=body)["ETag"]

        with concurrent.futures.ThreadPoolExecutor(len(bodies)) as ex:
            etags = list(ex.map(put, bodies, timeout=120))
        listed = self.s3.list_parts(Bucket=self.bucket, Key="race.bin", UploadId=uid)["Parts"]
        self.assertEqual(len(listed), 1, listed)
        winner = listed[0]
        self.assertIn(winner["ETag"], etags)
        body = bodies[etags.index(winner["ETag"])]
        self.assertEqual(winner["Size"], len(body))
        self.complete(self.bucket, "race.bin", uid, [{"PartNumber": 1, "ETag": winner["ETag"]}])
        self.assertEqual(self.read_all(self.bucket, "race.bin"), body)
        self.s3.delete_object(Bucket=self.bucket, Key="race.bin")

    def _part_in_flight(self, key, upload_id, number, size, first_bytes):
        """Starts a part upload on a raw connection and sends only `first_bytes` of its body."""
        path = s3sig.key_path(self.bucket, key)
        query = [("partNumber", str(number)), ("uploadId", upload_id)]
        hdrs, _ = self.t.signer().sign("PUT", path, query, {
            "host": self.t.netloc, "Content-Length": str(size)}, s3sig.UNSIGNED_PAYLOAD)
        conn = cairn_server.connection(self.t, timeout=30)
        conn.putrequest("PUT", path + "?" + s3sig.encode_query(query), skip_host=True,
                        skip_accept_encoding=True)
        for k, v in hdrs.items():
            conn.putheader(k, v)
        conn.endheaders()
        conn.send(os.urandom(first_bytes))
        return conn

    def _finish(self, conn, rest):
        """Sends the rest of the body; returns (status, body) or (None, error) if the server hung
        up, which it may."""
        try:
            conn.send(os.urandom(rest))
            resp = conn.getresponse()
            return resp.status, resp.read()
        except (OSError, cairn_server.http.client.HTTPException) as e:
            return None, repr(e)
        finally:
            conn.close()

    def assertPartRefusedOrHarmless(self, status, body):
        self.assertTrue(status is None or status < 500, (status, body))
        if status is not None and status >= 400:
            self.assertIn(b"NoSuchUpload", body)

    @unittest.skipIf(cairn_server.external(), "reads the data dir of a cairn it started")
    def test_part_in_flight_when_the_upload_is_aborted_leaves_nothing(self):
        before = cairn_server.wait_usage(self.server, lambda u: u.tmp_files == 0)
        uid = self.create(self.bucket, "inflight-abort")
        conn = self._part_in_flight("inflight-abort", uid, 1, 8 * MiB, 2 * MiB)
        time.sleep(0.3)
        # The abort must not wait for the part (whose client waits for the abort): a short
        # timeout turns such a deadlock into a failure instead of a hang.
        quick = cairn_server.client(self.t, read_timeout=15)
        quick.abort_multipart_upload(Bucket=self.bucket, Key="inflight-abort", UploadId=uid)
        status, body = self._finish(conn, 6 * MiB)
        self.assertPartRefusedOrHarmless(status, body)
        self.assertNoSuchUpload(self.s3.list_parts, Bucket=self.bucket, Key="inflight-abort",
                                UploadId=uid)
        after = cairn_server.wait_usage(self.server, lambda u: u == before)
        self.assertEqual(after, before, "an aborted in-flight part left files behind "
                                        "(files, bytes, tmp)")

    @unittest.skipIf(cairn_server.external(), "reads the data dir of a cairn it started")
    def test_part_in_flight_when_the_upload_is_completed_leaves_nothing(self):
        before = cairn_server.wait_usage(self.server, lambda u: u.tmp_files == 0)
        uid = self.create(self.bucket, "inflight-done")
        first = os.urandom(PART)
        parts = self.upload(self.bucket, "inflight-done", uid, [first])
        conn = self._part_in_flight("inflight-done", uid, 2, 8 * MiB, 2 * MiB)
        time.sleep(0.3)
        quick = cairn_server.client(self.t, read_timeout=15)
        self.complete(self.bucket, "inflight-done", uid, parts, s3=quick)
        status, body = self._finish(conn, 6 * MiB)
        self.assertPartRefusedOrHarmless(status, body)
        self.assertEqual(self.read_all(self.bucket, "inflight-done"), first)
        after = cairn_server.wait_usage(
            self.server, lambda u: u.bytes == before.bytes + PART and u.tmp_files == 0)
        self.assertEqual((after.bytes, after.tmp_files), (before.bytes + PART, 0),
                         "a part finished after Complete left data behind")
        self.s3.delete_object(Bucket=self.bucket, Key="inflight-done")


# ============================================================================================


class ListingTests(MultipartBase):
    def test_list_parts_pages(self):
        b = self.new_bucket("mpu-lp")
        uid = self.create(b, "paged")
        datas = [("part %d " % n).encode() * n for n in range(1, 8)]
        parts = self.upload(b, "paged", uid, datas)
        full = self.s3.list_parts(Bucket=b, Key="paged", UploadId=uid)
        self.assertFalse(full["IsTruncated"])
        self.assertEqual(full["UploadId"], uid)
        self.assertEqual(full["Key"], "paged")
        self.assertEqual([(p["PartNumber"], p["ETag"], p["Size"]) for p in full["Parts"]],
                         [(i + 1, parts[i]["ETag"], len(d)) for i, d in enumerate(datas)])
        for p in full["Parts"]:
            self.assertIn("LastModified", p)
        pages, marker = [], 0
        for _ in range(10):
            page = self.s3.list_parts(Bucket=b, Key="paged", UploadId=uid, MaxParts=3,
                                      PartNumberMarker=marker)
            pages.append([p["PartNumber"] for p in page.get("Parts", [])])
            self.assertEqual(page["MaxParts"], 3)
            if not page["IsTruncated"]:
                break
            self.assertEqual(page["NextPartNumberMarker"], pages[-1][-1])
            marker = page["NextPartNumberMarker"]
        self.assertEqual(pages, [[1, 2, 3], [4, 5, 6], [7]])
        # The paginator of boto3 walks the same pages.
        seen = []
        for page in self.s3.get_paginator("list_parts").paginate(
                Bucket=b, Key="paged", UploadId=uid, PaginationConfig={"PageSize": 2}):
            seen += [p["PartNumber"] for p in page.get("Parts", [])]
        self.assertEqual(seen, list(range(1, 8)))
        # A marker past the last part: an empty, untruncated page.
        page = self.s3.list_parts(Bucket=b, Key="paged", UploadId=uid, PartNumberMarker=7)
        self.assertEqual(page.get("Parts", []), [])
        self.assertFalse(page["IsTruncated"])

    def _make_uploads(self, b):
        made = []
        for key in ["a/1", "a/2", "a/2", "a/sub/3", "b/1", "c", "d/ü x"]:
            made.append((key, self.create(b, key)))
        return made

    def test_list_multipart_uploads_prefix_and_delimiter(self):
        b = self.new_bucket("mpu-lu")
        made = self._make_uploads(b)
        full = self.s3.list_multipart_uploads(Bucket=b)
        got = [(u["Key"], u["UploadId"]) for u in full["Uploads"]]
        self.assertEqual(sorted(got), sorted(made))
        self.assertEqual([k for k, _ in got], sorted(k for k, _ in made))  # key order
        self.assertFalse(full["IsTruncated"])
        for u in full["Uploads"]:
            self.assertIn("Initiated", u)
        r = self.s3.list_multipart_uploads(Bucket=b, Prefix="a/")
        self.assertEqual(sorted((u["Key"], u["UploadId"]) for u in r["Uploads"]),
                         sorted(m for m in made if m[0].startswith("a/")))
        self.assertEqual(r.get("Prefix"), "a/")
        r = self.s3.list_multipart_uploads(Bucket=b, Delimiter="/")
        self.assertEqual([u["Key"] for u in r.get("Uploads", [])], ["c"])
        self.assertEqual([p["Prefix"] for p in r.get("CommonPrefixes", [])], ["a/", "b/", "d/"])
        r = self.s3.list_multipart_uploads(Bucket=b, Delimiter="/", Prefix="a/")
        self.assertEqual(sorted(u["Key"] for u in r.get("Uploads", [])), ["a/1", "a/2", "a/2"])
        self.assertEqual([p["Prefix"] for p in r.get("CommonPrefixes", [])], ["a/sub/"])
        # KeyMarker alone: uploads of keys after it.
        r = self.s3.list_multipart_uploads(Bucket=b, KeyMarker="a/2")
        self.assertEqual([u["Key"] for u in r["Uploads"]], ["a/sub/3", "b/1", "c", "d/ü x"])
        # Completed and aborted uploads are no longer listed.
        self.s3.abort_multipart_upload(Bucket=b, Key="c", UploadId=dict(made)["c"])
        r = self.s3.list_multipart_uploads(Bucket=b, Prefix="c")
        self.assertEqual(r.get("Uploads", []), [])

    def test_list_multipart_uploads_pages(self):
        b = self.new_bucket("mpu-lup")
        made = self._make_uploads(b)
        full = [(u["Key"], u["UploadId"])
                for u in self.s3.list_multipart_uploads(Bucket=b)["Uploads"]]
        paged, kwargs, truncations = [], {}, 0
        for _ in range(20):
            page = self.s3.list_multipart_uploads(Bucket=b, MaxUploads=2, **kwargs)
            ups = page.get("Uploads", [])
            self.assertLessEqual(len(ups), 2)
            paged += [(u["Key"], u["UploadId"]) for u in ups]
            self.assertEqual(page["MaxUploads"], 2)
            if not page["IsTruncated"]:
                break
            truncations += 1
            self.assertEqual(page["NextKeyMarker"], ups[-1]["Key"])
            self.assertEqual(page["NextUploadIdMarker"], ups[-1]["UploadId"])
            kwargs = {"KeyMarker": page["NextKeyMarker"],
                      "UploadIdMarker": page["NextUploadIdMarker"]}
        self.assertEqual(paged, full)
        self.assertEqual(len(paged), len(made))
        self.assertGreaterEqual(truncations, 3)
        seen = []
        for page in self.s3.get_paginator("list_multipart_uploads").paginate(
                Bucket=b, PaginationConfig={"PageSize": 3}):
            seen += [(u["Key"], u["UploadId"]) for u in page.get("Uploads", [])]
        self.assertEqual(seen, full)


# ============================================================================================


class ReadTests(MultipartBase):
    """Reading a multipart object: whole, ranges across part boundaries, partNumber, copies."""

    SIZES = [PART, PART, MiB + 17]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = "mpu-read-" + os.urandom(4).hex()
        cls.s3.create_bucket(Bucket=cls.bucket)
        cls.datas = [os.urandom(n) for n in cls.SIZES]
        cls.data = b"".join(cls.datas)
        uid = cls.s3.create_multipart_upload(Bucket=cls.bucket, Key="mp.bin")["UploadId"]
        parts = []
        for i, d in enumerate(cls.datas):
            r = cls.s3.upload_part(Bucket=cls.bucket, Key="mp.bin", UploadId=uid,
                                   PartNumber=i + 1, Body=d)
            parts.append({"PartNumber": i + 1, "ETag": r["ETag"]})
        cls.etag = cls.s3.complete_multipart_upload(
            Bucket=cls.bucket, Key="mp.bin", UploadId=uid,
            MultipartUpload={"Parts": parts})["ETag"]

    @classmethod
    def tearDownClass(cls):
        cls.empty_and_delete(cls.bucket)
        super().tearDownClass()

    def test_whole_object_and_etag(self):
        self.assertEqual(self.etag, q(s3sig.multipart_etag_of_parts(self.datas)))
        got = self.s3.get_object(Bucket=self.bucket, Key="mp.bin")
        self.assertEqual(got["ETag"], self.etag)
        self.assertEqual(got["ContentLength"], len(self.data))
        self.assertEqual(got["Body"].read(), self.data)

    def test_ranges_across_part_boundaries(self):
        total = len(self.data)
        cases = [(PART - 10, PART + 9), (PART - 1, PART), (PART - 1, 2 * PART),
                 (10, total - 11), (2 * PART - 3, total - 1), (PART, 2 * PART - 1)]
        for start, end in cases:
            with self.subTest(range=(start, end)):
                got = self.s3.get_object(Bucket=self.bucket, Key="mp.bin",
                                         Range="bytes=%d-%d" % (start, end))
                self.assertEqual(got["ResponseMetadata"]["HTTPStatusCode"], 206)
                self.assertEqual(got["ContentRange"], "bytes %d-%d/%d" % (start, end, total))
                self.assertEqual(got["Body"].read(), self.data[start:end + 1])
        got = self.s3.get_object(Bucket=self.bucket, Key="mp.bin",
                                 Range="bytes=-%d" % (MiB + 100))
        self.assertEqual(got["Body"].read(), self.data[-(MiB + 100):])
        got = self.s3.get_object(Bucket=self.bucket, Key="mp.bin", Range="bytes=%d-" % (PART - 5))
        self.assertEqual(got["Body"].read(), self.data[PART - 5:])

    def test_get_part_number(self):
        total = len(self.data)
        offset = 0
        for n, d in enumerate(self.datas, start=1):
            with self.subTest(part=n):
                got = self.s3.get_object(Bucket=self.bucket, Key="mp.bin", PartNumber=n)
                self.assertEqual(got["ResponseMetadata"]["HTTPStatusCode"], 206)
                self.assertEqual(got["PartsCount"], 3)
                self.assertEqual(got["ContentLength"], len(d))
                self.assertEqual(got["ContentRange"],
                                 "bytes %d-%d/%d" % (offset, offset + len(d) - 1, total))
                self.assertEqual(got["ETag"], self.etag)
                self.assertEqual(got["Body"].read(), d)
            offset += len(d)

    def test_head_part_number(self):
        for n, d in enumerate(self.datas, start=1):
            with self.subTest(part=n):
                h = self.s3.head_object(Bucket=self.bucket, Key="mp.bin", PartNumber=n)
                self.assertEqual(h["ResponseMetadata"]["HTTPStatusCode"], 206)
                self.assertEqual(h["PartsCount"], 3)
                self.assertEqual(h["ContentLength"], len(d))
        h = self.s3.head_object(Bucket=self.bucket, Key="mp.bin")
        self.assertEqual(h["ContentLength"], len(self.data))
        self.assertEqual(h["ETag"], self.etag)

    def test_part_number_past_the_last_part(self):
        with self.assertRaises(ClientError) as cm:
            self.s3.get_object(Bucket=self.bucket, Key="mp.bin", PartNumber=4)
        self.assertClientError(cm.exception, "InvalidPartNumber", 416)
        with self.assertRaises(ClientError) as cm:
            self.s3.head_object(Bucket=self.bucket, Key="mp.bin", PartNumber=4)
        self.assertClientError(cm.exception, status=416)
        for bad in ("0", "10001", "x"):
            with self.subTest(partNumber=bad):
                r = raw_request("GET", s3sig.key_path(self.bucket, "mp.bin"),
                                [("partNumber", bad)])
                self.assertS3Error(r, (400, 416), ("InvalidArgument", "InvalidPartNumber"))

    def test_part_number_of_a_single_put_object(self):
        self.s3.put_object(Bucket=self.bucket, Key="single", Body=b"single put body")
        got = self.s3.get_object(Bucket=self.bucket, Key="single", PartNumber=1)
        self.assertIn(got["ResponseMetadata"]["HTTPStatusCode"], (200, 206))
        self.assertEqual(got["Body"].read(), b"single put body")
        with self.assertRaises(ClientError) as cm:
            self.s3.get_object(Bucket=self.bucket, Key="single", PartNumber=2)
        self.assertClientError(cm.exception, "InvalidPartNumber", 416)

    def test_copy_object_of_a_multipart_object(self):
        r = self.s3.copy_object(Bucket=self.bucket, Key="copy.bin",
                                CopySource={"Bucket": self.bucket, "Key": "mp.bin"})
        self.assertIn(r["CopyObjectResult"]["ETag"],
                      (self.etag, s3sig.quoted_md5(self.data)))
        got = self.s3.get_object(Bucket=self.bucket, Key="copy.bin")
        self.assertEqual(got["ContentLength"], len(self.data))
        self.assertEqual(got["Body"].read(), self.data)
        got = self.s3.get_object(Bucket=self.bucket, Key="copy.bin",
                                 Range="bytes=%d-%d" % (PART - 3, PART + 2))
        self.assertEqual(got["Body"].read(), self.data[PART - 3:PART + 3])
        # The copy outlives its source.
        other = "mp-tmp.bin"
        self.s3.copy_object(Bucket=self.bucket, Key=other,
                            CopySource={"Bucket": self.bucket, "Key": "mp.bin"})
        self.s3.copy_object(Bucket=self.bucket, Key="copy2.bin",
                            CopySource={"Bucket": self.bucket, "Key": other})
        self.s3.delete_object(Bucket=self.bucket, Key=other)
        self.assertEqual(self.read_all(self.bucket, "copy2.bin"), self.data)

    def test_upload_part_copy(self):
        b = self.bucket
        src5 = os.urandom(PART)
        src6 = os.urandom(6 * MiB)
        self.s3.put_object(Bucket=b, Key="src5", Body=src5)
        self.s3.put_object(Bucket=b, Key="src6 ü+", Body=src6)
        uid = self.create(b, "assembled")
        # Part 1: a whole source object.
        r1 = self.s3.upload_part_copy(Bucket=b, Key="assembled", UploadId=uid, PartNumber=1,
                                      CopySource={"Bucket": b, "Key": "src5"})
        # Part 2: a range of the multipart object across its first part boundary.
        lo, hi = 3 * MiB, 8 * MiB - 1
        r2 = self.s3.upload_part_copy(Bucket=b, Key="assembled", UploadId=uid, PartNumber=2,
                                      CopySource={"Bucket": b, "Key": "mp.bin"},
                                      CopySourceRange="bytes=%d-%d" % (lo, hi))
        # Part 3 (last, smaller): a range of a single-PUT object with an awkward key.
        r3 = self.s3.upload_part_copy(Bucket=b, Key="assembled", UploadId=uid, PartNumber=3,
                                      CopySource={"Bucket": b, "Key": "src6 ü+"},
                                      CopySourceRange="bytes=%d-%d" % (100, 100 + PART - 1))
        # Part 4 (last, smaller): a range of a small object, whose bytes cairn keeps inline.
        tiny = os.urandom(3000)
        self.s3.put_object(Bucket=b, Key="tiny", Body=tiny)
        r4 = self.s3.upload_part_copy(Bucket=b, Key="assembled", UploadId=uid, PartNumber=4,
                                      CopySource={"Bucket": b, "Key": "tiny"},
                                      CopySourceRange="bytes=10-2009")
        datas = [src5, self.data[lo:hi + 1], src6[100:100 + PART], tiny[10:2010]]
        etags = [r["CopyPartResult"]["ETag"] for r in (r1, r2, r3, r4)]
        self.assertEqual(etags, [s3sig.quoted_md5(d) for d in datas])
        listed = self.s3.list_parts(Bucket=b, Key="assembled", UploadId=uid)["Parts"]
        self.assertEqual([p["Size"] for p in listed], [PART, PART, PART, 2000])
        done = self.complete(b, "assembled", uid,
                             [{"PartNumber": i + 1, "ETag": e} for i, e in enumerate(etags)])
        self.assertEqual(done["ETag"], q(s3sig.multipart_etag_of_parts(datas)))
        self.assertEqual(self.read_all(b, "assembled"), b"".join(datas))

    def test_upload_part_copy_errors(self):
        b = self.bucket
        self.s3.put_object(Bucket=b, Key="csrc", Body=b"0123456789")
        uid = self.create(b, "cdst")
        kw = dict(Bucket=b, Key="cdst", UploadId=uid, PartNumber=1)
        with self.assertRaises(ClientError) as cm:
            self.s3.upload_part_copy(CopySource={"Bucket": b, "Key": "csrc"},
                                     CopySourceIfMatch=ZERO_ETAG, **kw)
        self.assertClientError(cm.exception, "PreconditionFailed", 412)
        # S3 refuses a copy range that is not bytes=first-last inside the source (unlike a GET
        # Range, it is not clamped): InvalidArgument, "Range specified is not valid for source
        # object of size: 10".
        for rng in ("bytes=5-20", "bytes=10-12", "bytes=5-2", "bytes=0-", "bytes=-3"):
            with self.subTest(range=rng):
                with self.assertRaises(ClientError) as cm:
                    self.s3.upload_part_copy(CopySource={"Bucket": b, "Key": "csrc"},
                                             CopySourceRange=rng, **kw)
                self.assertClientError(cm.exception, ("InvalidArgument", "InvalidRange"),
                                       (400, 416))
        self.assertEqual(self.s3.list_parts(Bucket=b, Key="cdst", UploadId=uid).get("Parts", []),
                         [])
        with self.assertRaises(ClientError) as cm:
            self.s3.upload_part_copy(CopySource={"Bucket": b, "Key": "no-such-source"}, **kw)
        self.assertClientError(cm.exception, "NoSuchKey", 404)
        with self.assertRaises(ClientError) as cm:
            self.s3.upload_part_copy(CopySource={"Bucket": b, "Key": "csrc"}, Bucket=b,
                                     Key="cdst", UploadId="Zm9v" + os.urandom(16).hex(),
                                     PartNumber=1)
        self.assertClientError(cm.exception, "NoSuchUpload", 404)
        # A matching condition copies.
        etag = self.s3.head_object(Bucket=b, Key="csrc")["ETag"]
        r = self.s3.upload_part_copy(CopySource={"Bucket": b, "Key": "csrc"},
                                     CopySourceIfMatch=etag, CopySourceRange="bytes=2-5", **kw)
        self.assertEqual(r["CopyPartResult"]["ETag"], s3sig.quoted_md5(b"2345"))


# ============================================================================================


class ChecksumTests(MultipartBase):
    """R2's checksum table for multipart objects: CRC32, CRC32C, SHA1 and SHA256 COMPOSITE
    (checksum of the part checksums, "-N"); CRC64NVME FULL_OBJECT."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = "mpu-sums-" + os.urandom(4).hex()
        cls.s3.create_bucket(Bucket=cls.bucket)

    @classmethod
    def tearDownClass(cls):
        cls.empty_and_delete(cls.bucket)
        super().tearDownClass()

    def checksum_headers(self, key, part_number=None):
        query = [("partNumber", str(part_number))] if part_number else []
        r = raw_request("HEAD", s3sig.key_path(self.bucket, key), query,
                        headers={"x-amz-checksum-mode": "ENABLED"})
        self.assertIn(r.status, (200, 206), r)
        return r

    def test_crc32_composite_with_boto3(self):
        datas = [os.urandom(PART), os.urandom(PART), os.urandom(333)]
        uid = self.create(self.bucket, "crc32.bin", ChecksumAlgorithm="CRC32")
        parts, sums = [], []
        for i, d in enumerate(datas):
            r = self.s3.upload_part(Bucket=self.bucket, Key="crc32.bin", UploadId=uid,
                                    PartNumber=i + 1, Body=d, ChecksumAlgorithm="CRC32")
            want = s3sig.checksum_value("crc32", d)
            self.assertEqual(r.get("ChecksumCRC32"), want, "part %d" % (i + 1))
            sums.append(want)
            parts.append({"PartNumber": i + 1, "ETag": r["ETag"], "ChecksumCRC32": want})
        listed = self.s3.list_parts(Bucket=self.bucket, Key="crc32.bin", UploadId=uid)
        self.assertEqual([p.get("ChecksumCRC32") for p in listed["Parts"]], sums)
        done = self.complete(self.bucket, "crc32.bin", uid, parts)
        expect = s3sig.composite_checksum("crc32", sums)
        self.assertTrue(expect.endswith("-3"))
        self.assertEqual(done.get("ChecksumCRC32"), expect, done)
        h = self.s3.head_object(Bucket=self.bucket, Key="crc32.bin", ChecksumMode="ENABLED")
        self.assertEqual(h.get("ChecksumCRC32"), expect)
        self.assertEqual(h["ResponseMetadata"]["HTTPHeaders"].get("x-amz-checksum-type"),
                         "COMPOSITE")
        got = self.s3.get_object(Bucket=self.bucket, Key="crc32.bin", ChecksumMode="ENABLED")
        self.assertEqual(got.get("ChecksumCRC32"), expect)
        self.assertEqual(got["Body"].read(), b"".join(datas))

    def _raw_upload(self, key, algorithm, datas, create_headers=None):
        """Create (x-amz-checksum-algorithm), parts with x-amz-checksum-<alg> headers, Complete
        with every part's checksum; returns (complete response, part checksums)."""
        name = "x-amz-checksum-" + algorithm.lower()
        hdrs = {"x-amz-checksum-algorithm": algorithm}
        hdrs.update(create_headers or {})
        _, uid = self.raw_create(self.bucket, key, hdrs)
        listed = []
        for i, d in enumerate(datas):
            value = s3sig.checksum_value(algorithm, d)
            r = self.raw_part(self.bucket, key, uid, i + 1, d, {name: value})
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.header(name), value)
            listed.append((i + 1, r.header("ETag"), {"Checksum" + algorithm: value}))
        r = self.raw_complete(self.bucket, key, uid, complete_xml(listed))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.xml().tag.split("}")[-1], "CompleteMultipartUploadResult", r)
        return r, [extra["Checksum" + algorithm] for _, _, extra in listed]

    def test_composite_algorithms(self):
        datas = [os.urandom(PART), os.urandom(4321)]
        for algorithm in ("CRC32", "CRC32C", "SHA1", "SHA256"):
            with self.subTest(algorithm=algorithm):
                key = "composite-" + algorithm
                r, sums = self._raw_upload(key, algorithm, datas)
                expect = s3sig.composite_checksum(algorithm, sums)
                self.assertEqual(xml_text(r.xml(), "Checksum" + algorithm), expect, r)
                h = self.checksum_headers(key)
                self.assertEqual(h.header("x-amz-checksum-" + algorithm.lower()), expect)
                self.assertEqual(h.header("x-amz-checksum-type"), "COMPOSITE")
                self.assertEqual(h.header("ETag"), q(s3sig.multipart_etag_of_parts(datas)))

    def test_crc64nvme_full_object(self):
        datas = [os.urandom(PART), os.urandom(7777)]
        r, sums = self._raw_upload("full-crc64", "CRC64NVME", datas)
        # FULL_OBJECT: the CRC64NVME of the whole object (no "-N").
        crc = s3sig.crc64nvme_int(datas[1], s3sig.crc64nvme_int(datas[0]))
        expect = s3sig.b64(crc.to_bytes(8, "big"))
        self.assertEqual(xml_text(r.xml(), "ChecksumCRC64NVME"), expect, r)
        h = self.checksum_headers("full-crc64")
        self.assertEqual(h.header("x-amz-checksum-crc64nvme"), expect)
        self.assertEqual(h.header("x-amz-checksum-type"), "FULL_OBJECT")
        got = self.s3.get_object(Bucket=self.bucket, Key="full-crc64")["Body"].read()
        self.assertEqual(got, b"".join(datas))

    def test_part_checksums_are_required_in_complete(self):
        datas = [os.urandom(PART), b"tail"]
        uid = self.create(self.bucket, "needsums", ChecksumAlgorithm="CRC32")
        parts = []
        for i, d in enumerate(datas):
            r = self.s3.upload_part(Bucket=self.bucket, Key="needsums", UploadId=uid,
                                    PartNumber=i + 1, Body=d, ChecksumAlgorithm="CRC32")
            parts.append({"PartNumber": i + 1, "ETag": r["ETag"]})
        # Without the parts' checksums: refused as S3 does, InvalidRequest "The upload was
        # created using a crc32 checksum. The complete request must include the checksum for
        # each part. It was missing for part 1 in the request."
        err = self.assertCompleteFails(self.bucket, "needsums", uid, parts, "InvalidRequest")
        self.assertIn("must include the checksum for each part", err.get("Message", ""))
        # With a wrong one: refused too.
        wrong = [dict(p, ChecksumCRC32=s3sig.checksum_value("crc32", b"other")) for p in parts]
        self.assertCompleteFails(self.bucket, "needsums", uid, wrong, ("InvalidPart", "BadDigest"))
        right = [dict(p, ChecksumCRC32=s3sig.checksum_value("crc32", d))
                 for p, d in zip(parts, datas)]
        done = self.complete(self.bucket, "needsums", uid, right)
        self.assertEqual(done.get("ChecksumCRC32"), s3sig.composite_checksum(
            "crc32", [p["ChecksumCRC32"] for p in right]))

    def test_complete_checksum_header_is_the_objects(self):
        # x-amz-checksum-<algorithm> on CompleteMultipartUpload (boto3's ChecksumCRC32) is the
        # checksum the client expects the object to have, "<base64>-<N>" for COMPOSITE.
        datas = [os.urandom(PART), b"tail"]
        uid = self.create(self.bucket, "expected", ChecksumAlgorithm="CRC32")
        parts = [dict(p, ChecksumCRC32=s3sig.checksum_value("crc32", d)) for p, d in
                 zip(self.upload(self.bucket, "expected", uid, datas, ChecksumAlgorithm="CRC32"),
                     datas)]
        expect = s3sig.composite_checksum("crc32", [p["ChecksumCRC32"] for p in parts])
        wrong = s3sig.checksum_value("crc32", b"something else") + "-2"

        def complete(**checksum):
            return self.s3.complete_multipart_upload(
                Bucket=self.bucket, Key="expected", UploadId=uid,
                MultipartUpload={"Parts": parts}, **checksum)

        with self.assertRaises(ClientError) as cm:
            complete(ChecksumCRC32=wrong)
        err = self.assertClientError(cm.exception, "BadDigest", 400)
        self.assertIn(wrong, err.get("Message", ""))
        self.assertIn(expect, err.get("Message", ""))
        # Another algorithm than the upload's: InvalidRequest, as S3 answers.
        with self.assertRaises(ClientError) as cm:
            complete(ChecksumSHA256=s3sig.checksum_value("sha256", b"x") + "-2")
        self.assertClientError(cm.exception, "InvalidRequest", 400)
        # Nothing was stored, and the upload is still there.
        with self.assertRaises(ClientError):
            self.s3.head_object(Bucket=self.bucket, Key="expected")
        self.s3.list_parts(Bucket=self.bucket, Key="expected", UploadId=uid)
        done = complete(ChecksumCRC32=expect)
        self.assertEqual(done.get("ChecksumCRC32"), expect)
        self.assertEqual(self.read_all(self.bucket, "expected"), b"".join(datas))

    def test_complete_checksum_header_full_object(self):
        # CRC64NVME is FULL_OBJECT: the header is the plain base64 CRC of the whole object.
        datas = [os.urandom(PART), os.urandom(999)]
        key = "expected-crc64"
        _, uid = self.raw_create(self.bucket, key, {"x-amz-checksum-algorithm": "CRC64NVME"})
        listed = []
        for i, d in enumerate(datas):
            value = s3sig.checksum_value("CRC64NVME", d)
            r = self.raw_part(self.bucket, key, uid, i + 1, d, {"x-amz-checksum-crc64nvme": value})
            self.assertEqual(r.status, 200, r)
            listed.append((i + 1, r.header("ETag"), {"ChecksumCRC64NVME": value}))
        whole = s3sig.checksum_value("CRC64NVME", b"".join(datas))
        r = self.raw_complete(self.bucket, key, uid, complete_xml(listed),
                              {"x-amz-checksum-crc64nvme": s3sig.checksum_value("CRC64NVME",
                                                                                b"other")})
        self.assertS3Error(r, 400, "BadDigest")
        r = self.raw_complete(self.bucket, key, uid, complete_xml(listed),
                              {"x-amz-checksum-crc64nvme": whole})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(xml_text(r.xml(), "ChecksumCRC64NVME"), whole, r)

    def test_wrong_part_checksum_is_bad_digest(self):
        uid = self.create(self.bucket, "badpart", ChecksumAlgorithm="SHA256")
        r = self.raw_part(self.bucket, "badpart", uid, 1, b"part body",
                          {"x-amz-checksum-sha256": s3sig.checksum_value("sha256", b"else")})
        self.assertS3Error(r, 400, "BadDigest")
        self.assertEqual(self.s3.list_parts(Bucket=self.bucket, Key="badpart",
                                            UploadId=uid).get("Parts", []), [])


# ============================================================================================


class ConditionalCompleteTests(MultipartBase):
    def complete_if(self, b, key, uid, parts, headers):
        with extra_headers(self.s3, headers, "CompleteMultipartUpload"):
            return self.complete(b, key, uid, parts)

    def test_if_none_match_star(self):
        b = self.new_bucket("mpu-cond")
        # A new key: completes.
        uid = self.create(b, "fresh")
        parts = self.upload(b, "fresh", uid, [b"first"])
        self.complete_if(b, "fresh", uid, parts, {"If-None-Match": "*"})
        # An existing key: 412, nothing changes, and the upload is still there.
        uid = self.create(b, "fresh")
        parts = self.upload(b, "fresh", uid, [b"second"])
        with self.assertRaises(ClientError) as cm:
            self.complete_if(b, "fresh", uid, parts, {"If-None-Match": "*"})
        self.assertClientError(cm.exception, "PreconditionFailed", 412)
        self.assertEqual(self.read_all(b, "fresh"), b"first")
        self.s3.list_parts(Bucket=b, Key="fresh", UploadId=uid)
        # Without the condition it completes.
        self.complete(b, "fresh", uid, parts)
        self.assertEqual(self.read_all(b, "fresh"), b"second")

    def test_if_match(self):
        b = self.new_bucket("mpu-condm")
        etag = self.s3.put_object(Bucket=b, Key="k", Body=b"v1")["ETag"]
        uid = self.create(b, "k")
        parts = self.upload(b, "k", uid, [b"v2"])
        with self.assertRaises(ClientError) as cm:
            self.complete_if(b, "k", uid, parts, {"If-Match": ZERO_ETAG})
        self.assertClientError(cm.exception, "PreconditionFailed", 412)
        self.assertEqual(self.read_all(b, "k"), b"v1")
        r = self.complete_if(b, "k", uid, parts, {"If-Match": etag})
        self.assertTrue(r["ETag"].endswith('-1"'))
        self.assertEqual(self.read_all(b, "k"), b"v2")
        # If-Match on a key that has no object: 404 NoSuchKey, as S3 answers; the upload stays.
        uid = self.create(b, "absent")
        parts = self.upload(b, "absent", uid, [b"v"])
        with self.assertRaises(ClientError) as cm:
            self.complete_if(b, "absent", uid, parts, {"If-Match": ZERO_ETAG})
        self.assertClientError(cm.exception, "NoSuchKey", 404)
        with self.assertRaises(ClientError):
            self.s3.head_object(Bucket=b, Key="absent")
        self.s3.list_parts(Bucket=b, Key="absent", UploadId=uid)


class RetriedCompleteTests(MultipartBase):
    """CompleteMultipartUpload repeated after it succeeded, as an SDK retries a request whose
    response was lost: S3 answers it 200 with the first answer (adobe/S3Mock#2586 and
    minio/minio#13318 show it against S3), and cairn keeps a record of each completion for that
    until the upload's abort date (7 days at most)."""

    def crc32_upload(self, b, key, datas):
        """A CRC32 upload of `datas`; returns (upload id, Parts with their checksums)."""
        uid = self.create(b, key, ChecksumAlgorithm="CRC32")
        parts = self.upload(b, key, uid, datas, ChecksumAlgorithm="CRC32")
        return uid, [dict(p, ChecksumCRC32=s3sig.checksum_value("crc32", d))
                     for p, d in zip(parts, datas)]

    def assertSameAnswer(self, again, first):
        for field in ("Location", "Bucket", "Key", "ETag", "ChecksumCRC32"):
            self.assertEqual(again.get(field), first.get(field), field)
        self.assertEqual(again["ResponseMetadata"]["HTTPStatusCode"], 200)

    def test_same_parts_get_the_same_answer(self):
        b = self.new_bucket("mpu-retry")
        datas = [os.urandom(PART), b"tail"]
        uid, parts = self.crc32_upload(b, "k", datas)
        first = self.complete(b, "k", uid, parts)
        self.assertTrue(first["ETag"].endswith('-2"'), first)
        self.assertTrue(first.get("ChecksumCRC32", "").endswith("-2"), first)
        self.assertSameAnswer(self.complete(b, "k", uid, parts), first)
        self.assertEqual(self.read_all(b, "k"), b"".join(datas))
        # The ETags as some clients send them, without quotes: the same list.
        bare = [dict(p, ETag=p["ETag"].strip('"')) for p in parts]
        self.assertSameAnswer(self.complete(b, "k", uid, bare), first)
        # The upload itself is gone: ListParts and UploadPart do not find it.
        kw = dict(Bucket=b, Key="k", UploadId=uid)
        self.assertNoSuchUpload(self.s3.list_parts, **kw)
        self.assertNoSuchUpload(self.s3.upload_part, PartNumber=3, Body=b"late", **kw)
        self.assertNotIn(uid, [u["UploadId"] for u in
                               self.s3.list_multipart_uploads(Bucket=b).get("Uploads", [])])

    def test_another_part_list_is_no_such_upload(self):
        b = self.new_bucket("mpu-retry-other")
        datas = [os.urandom(PART), b"tail"]
        uid, parts = self.crc32_upload(b, "k", datas)
        self.complete(b, "k", uid, parts)
        with self.assertRaises(ClientError) as cm:
            self.complete(b, "k", uid, parts[:1])
        self.assertClientError(cm.exception, "NoSuchUpload", 404)
        self.assertEqual(self.read_all(b, "k"), b"".join(datas))

    def test_a_retry_answers_from_the_completion_not_the_key(self):
        b = self.new_bucket("mpu-retry-gone")
        datas = [os.urandom(PART), b"tail"]
        uid, parts = self.crc32_upload(b, "k", datas)
        first = self.complete(b, "k", uid, parts)
        # Overwritten: the retry still describes the upload's object, and changes nothing.
        self.s3.put_object(Bucket=b, Key="k", Body=b"newer")
        self.assertSameAnswer(self.complete(b, "k", uid, parts), first)
        self.assertEqual(self.read_all(b, "k"), b"newer")
        # Deleted: the same, and the key stays empty.
        self.s3.delete_object(Bucket=b, Key="k")
        self.assertSameAnswer(self.complete(b, "k", uid, parts), first)
        with self.assertRaises(ClientError) as cm:
            self.s3.head_object(Bucket=b, Key="k")
        self.assertClientError(cm.exception, status=404)

    def test_a_retry_of_a_conditional_complete_succeeds(self):
        # The first request's If-None-Match: * held; its retry finds the object it made, and S3
        # answers it 200 all the same (getmoto/moto#9209 follows S3 there).
        b = self.new_bucket("mpu-retry-cond")
        datas = [os.urandom(PART), b"tail"]
        uid, parts = self.crc32_upload(b, "k", datas)
        with extra_headers(self.s3, {"If-None-Match": "*"}, "CompleteMultipartUpload"):
            first = self.complete(b, "k", uid, parts)
            self.assertSameAnswer(self.complete(b, "k", uid, parts), first)

    def test_abort_after_complete_keeps_the_object(self):
        # S3 answers an Abort of a recently completed upload 204 and keeps the object
        # (minio/minio#2250).
        b = self.new_bucket("mpu-retry-abort")
        datas = [os.urandom(PART), b"tail"]
        uid, parts = self.crc32_upload(b, "k", datas)
        first = self.complete(b, "k", uid, parts)
        r = self.s3.abort_multipart_upload(Bucket=b, Key="k", UploadId=uid)
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertEqual(self.read_all(b, "k"), b"".join(datas))
        self.assertSameAnswer(self.complete(b, "k", uid, parts), first)
        # Presented for another key, the id names no upload.
        self.assertNoSuchUpload(self.s3.abort_multipart_upload, Bucket=b, Key="other",
                                UploadId=uid)


# ============================================================================================


class Pattern:
    """Deterministic part bodies streamed in 1 MiB blocks: block j of part n is a shared random
    block whose first 8 bytes are (n, j). Nothing larger than a block is held in memory."""

    def __init__(self):
        self.block = os.urandom(MiB)

    def block_of(self, part, j):
        return struct.pack(">II", part, j) + self.block[8:]

    def blocks(self, part, size, md5=None):
        for j in range(size // MiB):
            b = self.block_of(part, j)
            if md5 is not None:
                md5.update(b)
            yield b

    def bytes_at(self, part_size, offset, length):
        out = bytearray()
        while length > 0:
            part, within = divmod(offset, part_size)
            j, o = divmod(within, MiB)
            take = min(length, MiB - o)
            out += self.block_of(part + 1, j)[o:o + take]
            offset += take
            length -= take
        return bytes(out)


class CompletionTimeTests(MultipartBase):
    """Completing makes the object the list of its parts' extents: a 2 GiB upload completes about
    as fast as a 20 MiB one (issue 3: it copies nothing)."""

    def stream_part(self, bucket, key, uid, number, size, pattern):
        md5 = hashlib.md5()
        r = raw_request("PUT", s3sig.key_path(bucket, key),
                        [("partNumber", str(number)), ("uploadId", uid)],
                        headers={"Content-Length": str(size)},
                        body=pattern.blocks(number, size, md5),
                        payload_hash=s3sig.UNSIGNED_PAYLOAD, timeout=180)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("ETag"), '"%s"' % md5.hexdigest())
        return {"PartNumber": number, "ETag": r.header("ETag")}, md5.digest()

    def upload_and_time(self, bucket, key, n_parts, part_size, pattern):
        uid = self.create(bucket, key)
        with concurrent.futures.ThreadPoolExecutor(2) as ex:
            results = list(ex.map(
                lambda n: self.stream_part(bucket, key, uid, n, part_size, pattern),
                range(1, n_parts + 1), timeout=300))
        parts = [p for p, _ in results]
        s3 = cairn_server.client(self.t, read_timeout=120)
        t0 = time.perf_counter()
        r = self.complete(bucket, key, uid, parts, s3=s3)
        elapsed = time.perf_counter() - t0
        self.assertEqual(r["ETag"], q(s3sig.multipart_etag([d for _, d in results])))
        return elapsed

    def test_completing_2_gib_takes_about_as_long_as_20_mib(self):
        tmp = self.server.data_dir if self.server else tempfile.gettempdir()
        free = shutil.disk_usage(os.path.dirname(tmp) if not os.path.exists(tmp) else tmp).free
        if free < 5 * GiB:
            self.skipTest("needs 5 GiB of free disk, has %.1f GiB" % (free / GiB))
        b = self.new_bucket("mpu-time")
        pattern = Pattern()
        t_small = self.upload_and_time(b, "small", 4, 5 * MiB, pattern)  # 20 MiB
        big_part = 256 * MiB
        t0 = time.monotonic()
        t_big = self.upload_and_time(b, "big", 8, big_part, pattern)  # 2 GiB
        upload_s = time.monotonic() - t0
        print("complete of 20 MiB: %.3fs, of 2 GiB: %.3fs (2 GiB upload %.1fs)"
              % (t_small, t_big, upload_s))
        size = 8 * big_part
        h = self.s3.head_object(Bucket=b, Key="big")
        self.assertEqual(h["ContentLength"], size)
        self.assertTrue(h["ETag"].endswith('-8"'), h["ETag"])
        # Every part boundary reads right.
        for n in range(1, 8):
            start = n * big_part - 7
            got = self.s3.get_object(Bucket=b, Key="big",
                                     Range="bytes=%d-%d" % (start, start + 13))["Body"].read()
            self.assertEqual(got, pattern.bytes_at(big_part, start, 14), "boundary %d" % n)
        got = self.s3.get_object(Bucket=b, Key="big", Range="bytes=-5")["Body"].read()
        self.assertEqual(got, pattern.bytes_at(big_part, size - 5, 5))
        h = self.s3.head_object(Bucket=b, Key="big", PartNumber=8)
        self.assertEqual((h["ContentLength"], h["PartsCount"]), (big_part, 8))
        before_delete = self.usage()
        self.s3.delete_object(Bucket=b, Key="big")
        if before_delete is not None:
            after = cairn_server.wait_usage(
                self.server, lambda u: u.bytes <= before_delete.bytes - size)
            self.assertLessEqual(after.bytes, before_delete.bytes - size,
                                 "deleting the 2 GiB object did not free its space")
        # The verdict: not proportional to the size (100x the bytes, 2x the parts).
        self.assertLess(t_big, 2.0, "completing 2 GiB took %.2fs" % t_big)
        self.assertLess(t_big, 5 * max(t_small, 0.1),
                        "completing 2 GiB took %.3fs, 20 MiB %.3fs" % (t_big, t_small))


if __name__ == "__main__":
    cairn_server.main()
