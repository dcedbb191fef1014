"""The mixed workload one thread runs until the server is killed under it.

Each worker owns its keys (so that its acknowledged history alone says what they hold) and writes
the shared hot keys with the others. It issues one request at a time: when the kill comes, at most
one op of each worker is in flight (`pending`).
"""
import hashlib
import random

import botocore.exceptions

import model

KiB = 1024
MiB = 1024 * KiB
PART_SIZE = 5 * MiB  # the smallest part S3 allows before the last

# Broken connections: how an op in flight looks to its client when the server dies.
BROKEN = (botocore.exceptions.ConnectionError, botocore.exceptions.HTTPClientError,
          botocore.exceptions.ReadTimeoutError)


class Rejected(Exception):
    """The server answered an op with an error, or with something other than what it did."""


def body_size(rng, large=True):
    """Inline-small (at most 64 KiB, its edge included), medium, or several MiB."""
    r = rng.random()
    if r < 0.05:
        return rng.choice([0, model.INLINE_MAX, model.INLINE_MAX + 1])
    if r < 0.50 or not large:
        return rng.randint(1, 60 * KiB)
    if r < 0.80:
        return rng.randint(80 * KiB, MiB)
    return rng.randint(2 * MiB, 5 * MiB)


class Worker:
    def __init__(self, index, seed, hot, keys=8):
        self.index = index
        self.seed = seed
        self.hot = hot
        self.keys = ["w%d/k%02d" % (index, j) for j in range(keys)]
        self.objects = {k: model.ABSENT for k in self.keys}  # acknowledged state
        self.uploads = {}  # upload id -> model.Upload, acknowledged and open
        self.pending = None  # model.Pending of the op without an answer
        self.hot_writes = []  # the hot-key writes of the pending op
        self.acked = 0
        self.rejected = []  # (op, message): answers that were errors before the kill

    # -- the loop --
    def run(self, s3, bucket, iteration, stop, killed):
        """Issues ops until `stop`; an op broken by the kill stays `pending`."""
        self.s3, self.bucket = s3, bucket
        rng = random.Random("%s:%d:%d" % (self.seed, iteration, self.index))
        n = 0
        while not stop.is_set():
            n += 1
            op = "i%d.w%d.%d" % (iteration, self.index, n)
            try:
                self.step(rng, op)
                self.pending, self.hot_writes = None, []
                self.acked += 1
            except BROKEN as e:
                if not killed.is_set():
                    self.rejected.append((op, "connection broken before the kill: %r" % e))
                return
            except (botocore.exceptions.ClientError, Rejected) as e:
                if not killed.is_set():
                    self.rejected.append((op, str(e)))
                return
            except Exception as e:  # the harness's own mistake: it must fail the run, not hide
                self.rejected.append((op, "harness error: %r" % e))
                return

    def step(self, rng, op):
        r = rng.random()
        present = [k for k in self.keys if self.objects[k] is not model.ABSENT]
        if r < 0.35 or not present:
            self.put(op, rng.choice(self.keys), body_size(rng))
        elif r < 0.45:
            src = rng.choice(present)
            self.copy(op, src, rng.choice([k for k in self.keys if k != src]))
        elif r < 0.52:
            self.delete(op, rng.choice(self.keys))
        elif r < 0.58:
            keys = rng.sample(self.keys, rng.randint(2, 4))
            self.delete_objects(op, keys, rng.choice(self.hot.keys + [None]))
        elif r < 0.70:
            self.hot_put(op, rng.choice(self.hot.keys), body_size(rng, large=False))
        elif r < 0.74:
            self.hot_delete(op, rng.choice(self.hot.keys))
        else:
            self.multipart_step(rng, op)

    def begin(self, op, kind, **kw):
        self.pending = model.Pending(op, kind, **kw)

    def begin_hot(self, key, op, value):
        w = self.hot.begin(key, op, value)
        self.hot_writes.append(w)
        return w

    @staticmethod
    def answered(op, response):
        """botocore makes up a 200 with no headers when the connection closes while it waits for
        "100 Continue" (bodies of 1 MiB and more): that is no answer."""
        if not response.get("ResponseMetadata", {}).get("HTTPHeaders"):
            raise Rejected("%s: no answer (%r)" % (op, response.get("ResponseMetadata")))
        return response

    def expect_etag(self, op, response, want):
        got = response.get("ETag")
        if got != want:
            raise Rejected("%s: ETag %s, expected %s (%r)" % (op, got, want,
                                                              response.get("ResponseMetadata")))

    # -- objects --
    def put(self, op, key, size):
        value = model.put_value(self.seed, op, size)
        self.begin(op, "PutObject %s" % key, objects={key: value})
        r = self.s3.put_object(Bucket=self.bucket, Key=key, Body=model.body(self.seed, op, size),
                               Metadata={"op": op})
        self.expect_etag(op, r, value.etag)
        self.objects[key] = value

    def copy(self, op, src, dst):
        value = self.objects[src]
        self.begin(op, "CopyObject %s -> %s" % (src, dst), objects={dst: value})
        r = self.s3.copy_object(Bucket=self.bucket, Key=dst,
                                CopySource={"Bucket": self.bucket, "Key": src})
        self.expect_etag(op, r.get("CopyObjectResult", {}), value.etag)
        self.objects[dst] = value

    def delete(self, op, key):
        self.begin(op, "DeleteObject %s" % key, objects={key: model.ABSENT})
        self.answered(op, self.s3.delete_object(Bucket=self.bucket, Key=key))
        self.objects[key] = model.ABSENT

    def delete_objects(self, op, keys, hot_key):
        self.begin(op, "DeleteObjects %s" % " ".join(keys + [hot_key or ""]),
                   objects={k: model.ABSENT for k in keys})
        names = list(keys)
        if hot_key:
            self.begin_hot(hot_key, op, model.ABSENT)
            names.append(hot_key)
        r = self.answered(op, self.s3.delete_objects(Bucket=self.bucket, Delete={
            "Objects": [{"Key": k} for k in names], "Quiet": False}))
        if r.get("Errors") or sorted(d["Key"] for d in r.get("Deleted", [])) != sorted(names):
            raise Rejected("%s: DeleteObjects answered %r" % (op, r))
        model.HotKeys.acknowledge(self.hot_writes)
        for k in keys:
            self.objects[k] = model.ABSENT

    def hot_put(self, op, key, size):
        value = model.put_value(self.seed, op, size)
        self.begin(op, "PutObject %s" % key)
        w = self.begin_hot(key, op, value)
        r = self.s3.put_object(Bucket=self.bucket, Key=key, Body=model.body(self.seed, op, size),
                               Metadata={"op": op})
        self.expect_etag(op, r, value.etag)
        model.HotKeys.acknowledge([w])

    def hot_delete(self, op, key):
        self.begin(op, "DeleteObject %s" % key)
        w = self.begin_hot(key, op, model.ABSENT)
        self.answered(op, self.s3.delete_object(Bucket=self.bucket, Key=key))
        model.HotKeys.acknowledge([w])

    # -- multipart uploads: create, part 1 (5 MiB), part 2 (the last, smaller), complete or abort
    def multipart_step(self, rng, op):
        if not self.uploads:
            key = rng.choice(self.keys)
            self.begin(op, "CreateMultipartUpload %s" % key, create_key=key)
            r = self.answered(op, self.s3.create_multipart_upload(Bucket=self.bucket, Key=key,
                                                                  Metadata={"op": op}))
            self.uploads[r["UploadId"]] = model.Upload(r["UploadId"], key, op)
            return
        upload = self.uploads[sorted(self.uploads)[0]]
        if 1 not in upload.parts:
            self.upload_part(op, upload, 1, PART_SIZE)
        elif 2 not in upload.parts and rng.random() < 0.7:
            self.upload_part(op, upload, 2, rng.randint(1, MiB))
        elif rng.random() < 0.75:
            self.complete(op, upload)
        else:
            self.abort(op, upload)

    def upload_part(self, op, upload, number, size):
        data = model.body(self.seed, op, size)
        part = model.Part(number, size, hashlib.md5(data).hexdigest(), op)
        self.begin(op, "UploadPart %s #%d" % (upload.key, number), upload=upload, part=part)
        r = self.s3.upload_part(Bucket=self.bucket, Key=upload.key, UploadId=upload.upload_id,
                                PartNumber=number, Body=data)
        self.expect_etag(op, r, part.etag)
        upload.parts[number] = part

    def complete(self, op, upload):
        parts = [upload.parts[n] for n in sorted(upload.parts)]
        value = model.completed_value(self.seed, op, upload, parts)
        self.begin(op, "CompleteMultipartUpload %s" % upload.key, objects={upload.key: value},
                   upload=upload)
        r = self.s3.complete_multipart_upload(
            Bucket=self.bucket, Key=upload.key, UploadId=upload.upload_id,
            MultipartUpload={"Parts": [{"PartNumber": p.number, "ETag": p.etag} for p in parts]})
        self.expect_etag(op, r, value.etag)
        self.objects[upload.key] = value
        del self.uploads[upload.upload_id]

    def abort(self, op, upload):
        self.begin(op, "AbortMultipartUpload %s" % upload.key, upload=upload)
        self.answered(op, self.s3.abort_multipart_upload(Bucket=self.bucket, Key=upload.key,
                                                         UploadId=upload.upload_id))
        del self.uploads[upload.upload_id]
