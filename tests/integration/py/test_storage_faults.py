"""Storage faults through the test hook (serve --enable-test-hooks):
POST /_cairn/test/fault?target=T&error=E&count=N arms the engines' fault wrappers for the next N
calls of T, DELETE /_cairn/test/fault disarms them. For each operation and fault: the client gets
the right S3 error (never the injected detail), the previous object is intact, no blob leaks, and
the next request succeeds."""
import hashlib
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cairn_server  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

# A server error's S3 code for each injected fault (a crash leaves the storage unavailable: the
# client may retry later). test_storage_status.py holds the mapping to its details.
EXPECTED = {"EIO": ("InternalError", 500), "ENOSPC": ("InsufficientStorage", 507),
            "SHORT_WRITE": ("InternalError", 500), "CRASH": ("SlowDown", 503)}


class StorageFaultTests(cairn_server.CairnTestCase):
    @classmethod
    def setUpClass(cls):
        # Nothing but the test may consume an armed fault: no background sweeps, no object cache
        # (a cached GET never reaches the metadata store).
        cls.server = cairn_server.CairnServer(
            name="faults", extra_args=[cairn_server.TEST_HOOKS, "--lifecycle-interval-seconds",
                                       "86400", "--object-cache-mib", "0"])
        cls.server.start()
        cls.t = cls.server.target()
        cls.s3 = cairn_server.client(cls.t)  # no retries: each request meets an armed fault once

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def setUp(self):
        self.bucket = "faults-" + os.urandom(4).hex()
        self.s3.create_bucket(Bucket=self.bucket)
        self.addCleanup(self.disarm)

    def arm(self, target, error, count=1):
        r = cairn_server.arm_fault(target, error, count, t=self.t)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(json.loads(r.body)["target"], target)

    def disarm(self):
        r = cairn_server.disarm_faults(t=self.t)
        self.assertEqual(r.status, 200, r)

    def assertFails(self, call, error):
        code, status = EXPECTED[error]
        with self.assertRaises(ClientError) as cm:
            call()
        self.assertClientError(cm.exception, code, status)
        message = cm.exception.response["Error"].get("Message", "")
        self.assertNotIn("injected", message, "the engine's detail stays in the log")

    def assertObject(self, key, body):
        got = self.s3.get_object(Bucket=self.bucket, Key=key)
        self.assertEqual(got["Body"].read(), body)
        self.assertEqual(got["ETag"], '"%s"' % hashlib.md5(body).hexdigest())
        self.assertEqual(got["Metadata"], {"v": str(len(body))})

    def put(self, key, body):
        return self.s3.put_object(Bucket=self.bucket, Key=key, Body=body,
                                  Metadata={"v": str(len(body))})

    def no_blob_leak(self, before):
        usage = cairn_server.wait_usage(self.server, lambda u: u.files == before.files)
        self.assertEqual(usage.files, before.files, "a failed write leaves no blob behind")
        self.assertEqual(usage.tmp_files, 0)

    def test_hook_refuses_bad_arguments_and_other_keys(self):
        for query in ([("target", "blob"), ("error", "EIO")],
                      [("target", "meta.commit"), ("error", "eio")],
                      [("target", "meta.commit"), ("error", "EIO"), ("count", "0")],
                      [("target", "meta.commit"), ("error", "EIO"), ("count", "x")]):
            r = cairn_server.raw_request("POST", "/_cairn/test/fault", query, t=self.t)
            self.assertEqual(r.status, 400, (query, r))
        r = cairn_server.raw_request("POST", "/_cairn/test/fault",
                                     [("target", "meta.commit"), ("error", "EIO")], t=self.t,
                                     sign=False)
        self.assertEqual(r.status, 403, r)
        self.put("still-works", b"ok")  # nothing was armed by the refused calls

    def test_put_over_an_existing_object_keeps_it(self):
        small, large = b"old small body", os.urandom(200 << 10)  # inline and blob-backed
        for key, old in (("small", small), ("large", large)):
            for error in ("EIO", "ENOSPC"):
                with self.subTest(key=key, error=error):
                    self.put(key, old)
                    before = cairn_server.data_usage(self.server)
                    self.arm("meta.commit", error)
                    self.assertFails(lambda: self.put(key, b"new " + old), error)
                    self.assertObject(key, old)
                    self.no_blob_leak(before)
                    self.put(key, old)  # the next request succeeds
                    self.assertObject(key, old)

    def test_a_failed_read_is_an_error_then_reads_work(self):
        self.put("k", b"readable")
        self.arm("meta.read", "EIO")
        self.assertFails(lambda: self.s3.get_object(Bucket=self.bucket, Key="k"), "EIO")
        self.assertObject("k", b"readable")

    def test_delete_object_and_delete_objects_under_faults(self):
        for key in ("a", "b", "c"):
            self.put(key, key.encode() * 10)
        self.arm("meta.commit", "EIO")
        self.assertFails(lambda: self.s3.delete_object(Bucket=self.bucket, Key="a"), "EIO")
        self.assertObject("a", b"a" * 10)
        # DeleteObjects answers per key: the first delete fails, the rest go through.
        self.arm("meta.commit", "EIO")
        answer = self.s3.delete_objects(Bucket=self.bucket, Delete={
            "Objects": [{"Key": "a"}, {"Key": "b"}, {"Key": "c"}]})
        self.assertEqual([e["Key"] for e in answer.get("Errors", [])], ["a"])
        self.assertEqual(answer["Errors"][0]["Code"], "InternalError")
        self.assertObject("a", b"a" * 10)
        listed = self.s3.list_objects_v2(Bucket=self.bucket).get("Contents", [])
        self.assertEqual([o["Key"] for o in listed], ["a"])

    def test_multipart_steps_under_faults(self):
        part = os.urandom(5 << 20)
        upload = self.s3.create_multipart_upload(Bucket=self.bucket, Key="mp")["UploadId"]
        before = cairn_server.data_usage(self.server)
        self.arm("meta.commit", "ENOSPC")
        self.assertFails(lambda: self.s3.upload_part(Bucket=self.bucket, Key="mp", UploadId=upload,
                                                     PartNumber=1, Body=part), "ENOSPC")
        self.no_blob_leak(before)
        etag = self.s3.upload_part(Bucket=self.bucket, Key="mp", UploadId=upload, PartNumber=1,
                                   Body=part)["ETag"]
        parts = {"Parts": [{"PartNumber": 1, "ETag": etag}]}
        self.arm("meta.commit", "EIO")
        self.assertFails(lambda: self.s3.complete_multipart_upload(
            Bucket=self.bucket, Key="mp", UploadId=upload, MultipartUpload=parts), "EIO")
        listed = self.s3.list_parts(Bucket=self.bucket, Key="mp", UploadId=upload)["Parts"]
        self.assertEqual([p["ETag"] for p in listed], [etag], "the upload and its part remain")
        self.s3.complete_multipart_upload(Bucket=self.bucket, Key="mp", UploadId=upload,
                                          MultipartUpload=parts)
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="mp")["Body"].read(), part)

    def test_copy_object_under_a_fault_keeps_the_destination(self):
        self.put("src", b"source bytes")
        self.put("dst", b"destination bytes")
        self.arm("meta.commit", "EIO")
        self.assertFails(lambda: self.s3.copy_object(
            Bucket=self.bucket, Key="dst", CopySource={"Bucket": self.bucket, "Key": "src"}),
            "EIO")
        self.assertObject("dst", b"destination bytes")
        self.assertObject("src", b"source bytes")

    def test_a_crash_stops_every_call_until_disarmed(self):
        self.put("before", b"before the crash")
        self.arm("meta.commit", "CRASH")
        self.assertFails(lambda: self.put("during", b"x"), "CRASH")
        # Reads fail too: the engine is "off" as after a power cut.
        self.assertFails(lambda: self.s3.get_object(Bucket=self.bucket, Key="before"), "CRASH")
        self.disarm()
        self.assertObject("before", b"before the crash")
        with self.assertRaises(ClientError) as cm:
            self.s3.head_object(Bucket=self.bucket, Key="during")
        self.assertClientError(cm.exception, status=404)

    # The blob engine's fault wrapper (blob.write, blob.sync, blob.read, blob.delete).
    def test_blob_write_and_sync_faults_keep_the_previous_object(self):
        old = os.urandom(200 << 10)  # blob-backed, not inline
        for target, error in (("blob.write", "ENOSPC"), ("blob.write", "EIO"),
                              ("blob.write", "SHORT_WRITE"), ("blob.sync", "EIO"),
                              ("blob.sync", "ENOSPC")):
            with self.subTest(target=target, error=error):
                self.put("blob", old)
                before = cairn_server.data_usage(self.server)
                self.arm(target, error)
                self.assertFails(lambda: self.put("blob", os.urandom(300 << 10)), error)
                self.assertObject("blob", old)
                self.no_blob_leak(before)

    def test_blob_faults_in_an_upload_part_leave_no_part(self):
        upload = self.s3.create_multipart_upload(Bucket=self.bucket, Key="mp")["UploadId"]
        before = cairn_server.data_usage(self.server)
        self.arm("blob.sync", "EIO")
        self.assertFails(lambda: self.s3.upload_part(Bucket=self.bucket, Key="mp", UploadId=upload,
                                                     PartNumber=1, Body=os.urandom(1 << 20)),
                         "EIO")
        self.no_blob_leak(before)
        self.assertEqual(self.s3.list_parts(Bucket=self.bucket, Key="mp",
                                            UploadId=upload).get("Parts", []), [])

    def test_a_failed_blob_read_is_an_error_then_reads_work(self):
        body = os.urandom(300 << 10)
        self.put("k", body)
        self.arm("blob.read", "EIO")
        self.assertFails(lambda: self.s3.get_object(Bucket=self.bucket, Key="k"), "EIO")
        self.assertObject("k", body)

    def test_a_failed_blob_delete_still_deletes_the_object(self):
        # The metadata commit is the delete; the blob is the reclaimer's to remove, and one it
        # could not remove is an orphan for the start-up sweep, never a client's error.
        self.put("k", os.urandom(300 << 10))
        before = cairn_server.data_usage(self.server)
        self.arm("blob.delete", "EIO")
        self.s3.delete_object(Bucket=self.bucket, Key="k")
        with self.assertRaises(ClientError) as cm:
            self.s3.head_object(Bucket=self.bucket, Key="k")
        self.assertClientError(cm.exception, status=404)
        usage = cairn_server.wait_usage(self.server, lambda u: u.files < before.files, timeout=2)
        self.assertEqual(usage.files, before.files, "the blob whose removal failed is still there")

    def test_a_blob_crash_publishes_nothing_until_disarmed(self):
        old = os.urandom(200 << 10)
        self.put("c", old)
        self.arm("blob.sync", "CRASH")
        self.assertFails(lambda: self.put("c", os.urandom(200 << 10)), "CRASH")
        self.assertFails(lambda: self.s3.get_object(Bucket=self.bucket, Key="c"), "CRASH")
        self.disarm()
        self.assertObject("c", old)


if __name__ == "__main__":
    unittest.main()
