"""After the restart: does the server hold what the workers' journals say it must?

Every key holds its last acknowledged value, or (when an op on it was in flight at the kill) the
value that op would leave, whole; acknowledged uploads are listed with their acknowledged parts
unless an op in flight completed or aborted them; the blob store (storage.py: the data dir's, or a
cluster's) has no temporary file, and every blob file is one that an object or a part holds, and
no more and no fewer than the model predicts.
Then the model settles on what was found, for the next iteration.
"""
import dataclasses
import hashlib
import re

import botocore.exceptions

import model


@dataclasses.dataclass
class Report:
    acked: int = 0  # ops acknowledged during the iteration
    keys: int = 0  # keys read back and compared
    uploads: int = 0  # uploads listed and compared part by part
    old: int = 0  # ops in flight at the kill found not to have happened
    new: int = 0  # ... found to have happened, whole
    undetermined: int = 0  # ... whose outcome leaves nothing to tell (e.g. overwritten since)
    blobs: int = 0
    swept: int = 0  # orphaned blobs the start-up sweep says it removed
    orphans: int = 0  # unreferenced blob files or temporaries left after the sweep
    failures: list = dataclasses.field(default_factory=list)


def read_object(s3, bucket, key):
    """(size, md5, etag, x-amz-meta-op) of what the key holds, or None."""
    try:
        r = s3.get_object(Bucket=bucket, Key=key)
    except botocore.exceptions.ClientError as e:
        if e.response["Error"]["Code"] == "NoSuchKey":
            return None
        raise
    data = r["Body"].read()
    return (len(data), hashlib.md5(data).hexdigest(), r["ETag"], r["Metadata"].get("op"))


def matches(value, got):
    if value is model.ABSENT or got is None:
        return value is model.ABSENT and got is None
    return (value.size, value.md5, value.etag, value.meta) == got


def show(got):
    return "absent" if got is None else "%d bytes, md5 %s, etag %s, x-amz-meta-op %s" % got


def list_all(s3, method, field, **kwargs):
    out = []
    for page in s3.get_paginator(method).paginate(**kwargs):
        out += page.get(field, [])
    return out


class Verification:
    def __init__(self, server, storage, s3, bucket, workers, hot, seed):
        self.server, self.storage, self.s3, self.bucket = server, storage, s3, bucket
        self.workers, self.hot, self.seed = workers, hot, seed
        self.report = Report(acked=sum(w.acked for w in workers))
        self.found = {}  # key -> the model value it was found to hold

    def fail(self, message):
        self.report.failures.append(message)

    def outcome(self, happened):
        """Counts an op in flight at the kill: True (happened), False (did not), None."""
        if happened is None:
            self.report.undetermined += 1
        elif happened:
            self.report.new += 1
        else:
            self.report.old += 1

    def run(self):
        self.listing = {o["Key"]: (o["Size"], o["ETag"])
                        for o in list_all(self.s3, "list_objects_v2", "Contents", Bucket=self.bucket)}
        self.uploads_listed = {u["UploadId"]: u["Key"] for u in list_all(
            self.s3, "list_multipart_uploads", "Uploads", Bucket=self.bucket)}
        for w in self.workers:
            self.check_owned_keys(w)
        for key in self.hot.keys:
            self.check_hot_key(key)
        known = set(self.found)
        for key in sorted(set(self.listing) - known):
            self.fail("listed key %r is no object any op wrote" % key)
        part_tokens = set()
        for w in self.workers:
            part_tokens |= self.check_uploads(w)
        for upload_id in sorted(self.uploads_listed):
            self.fail("upload %s of %r is listed but was never acknowledged (or was completed or "
                      "aborted)" % (upload_id, self.uploads_listed[upload_id]))
        tokens = set(part_tokens)
        for value in self.found.values():
            if value is not model.ABSENT:
                tokens |= value.tokens
        self.check_stores(len(tokens))
        return self.report

    # -- objects --
    def resolve(self, key, candidates):
        """Reads `key` and returns the candidate it matches, or fails; candidates are
        [(value, description)]."""
        self.report.keys += 1
        try:
            got = read_object(self.s3, self.bucket, key)
        except botocore.exceptions.ClientError as e:
            self.fail("key %r: GET answered %s" % (key, e))
            self.found[key] = model.ABSENT
            return None
        listed = self.listing.get(key)
        if (got is None) != (listed is None) or (got and listed != (got[0], got[2])):
            self.fail("key %r: GET found %s but the listing says %r" % (key, show(got), listed))
        for value, _ in candidates:
            if matches(value, got):
                self.found[key] = value
                return value
        self.fail("key %r holds %s; expected %s" % (key, show(got), " or ".join(
            "%s [%s]" % (model.describe(v), why) for v, why in candidates)))
        self.found[key] = model.ABSENT if got is None else model.Value(
            got[0], got[1], got[2], got[3], frozenset(), "unknown")
        return None

    def check_owned_keys(self, w):
        p = w.pending
        outcomes = []
        for key in w.keys:
            old = w.objects[key]
            candidates = [(old, "last acknowledged")]
            new = p.objects[key] if p is not None and key in p.objects else old
            if p is not None and key in p.objects:
                candidates.append((new, "in flight: %s %s" % (p.op, p.kind)))
            self.resolve(key, candidates)
            found = w.objects[key] = self.found[key]
            if new != old:
                outcomes.append(True if found == new else False if found == old else None)
        if p is not None and p.objects and p.upload is None:
            # DeleteObjects is not atomic: one key deleted is the op having happened.
            self.outcome(True if True in outcomes else False if False in outcomes else None)

    def check_hot_key(self, key):
        candidates = self.hot.candidates(key)
        value = self.resolve(key, [(v, "baseline" if op is None else "%s %s" % (
            op, "acknowledged" if acked else "in flight")) for v, op, acked in candidates])
        in_flight = {op for _, op, acked in candidates if not acked}
        for w in self.workers:
            if w.pending is None or w.pending.objects:
                continue  # DeleteObjects of owned keys too: counted with them
            for hw in w.hot_writes:
                if hw.op in in_flight:
                    self.outcome(True if value is hw.value else None)
        self.hot.settle(key, self.found[key])

    # -- multipart uploads --
    def check_uploads(self, w):
        """Checks the worker's uploads against the listing; returns the tokens of their parts."""
        p = w.pending
        tokens = set()
        for upload in list(w.uploads.values()):
            in_flight = p if p is not None and p.upload is upload else None
            completed = in_flight.objects.get(upload.key) if in_flight else None
            if upload.upload_id not in self.uploads_listed:
                if in_flight and in_flight.part is None:  # completed or aborted by the op
                    self.outcome(True)
                    if completed is not None and self.found[upload.key] != completed:
                        self.fail("upload %s is gone after %s completed it, but %r holds %s"
                                  % (upload.upload_id, in_flight.op, upload.key,
                                     model.describe(self.found[upload.key])))
                else:
                    self.fail("acknowledged upload %s of %r is no longer listed"
                              % (upload.upload_id, upload.key))
                del w.uploads[upload.upload_id]
                continue
            del self.uploads_listed[upload.upload_id]
            self.report.uploads += 1
            if in_flight and in_flight.part is None:  # not completed or aborted after all
                self.outcome(False)
                if completed is not None and self.found[upload.key] == completed:
                    self.fail("%r holds the object %s completed, but its upload %s is still "
                              "listed" % (upload.key, in_flight.op, upload.upload_id))
            extra = in_flight.part if in_flight else None
            self.check_parts(upload, extra)
            tokens |= upload.tokens()
        if p is not None and p.create_key is not None:
            made = [u for u, k in self.uploads_listed.items() if k == p.create_key]
            self.outcome(bool(made[:1]))
            for upload_id in made[:1]:  # the upload the op created before the kill: keep it
                del self.uploads_listed[upload_id]
                w.uploads[upload_id] = model.Upload(upload_id, p.create_key, p.op)
                self.report.uploads += 1
                self.check_parts(w.uploads[upload_id], None)
        w.pending = None
        w.hot_writes = []
        return tokens

    def check_parts(self, upload, extra):
        listed = {p["PartNumber"]: (p["Size"], p["ETag"]) for p in list_all(
            self.s3, "list_parts", "Parts", Bucket=self.bucket, Key=upload.key,
            UploadId=upload.upload_id)}
        want = dict(upload.parts)
        if extra is not None and extra.number in listed:
            want[extra.number] = extra
            upload.parts[extra.number] = extra
            self.outcome(True)
        elif extra is not None:
            self.outcome(False)
        got = {n: (p.size, p.etag) for n, p in want.items()}
        if listed != got:
            self.fail("upload %s of %r lists parts %r; expected %r"
                      % (upload.upload_id, upload.key, listed, got))

    # -- the blob store and the metadata's references into it --
    def check_stores(self, expected_blobs):
        blobs = self.storage.blobs()
        tmp = blobs.temporaries()
        files = blobs.ids()
        self.report.blobs = len(files)
        m = re.findall(r"removed (\d+) orphaned blob", self.server.log_tail(1 << 20))
        self.report.swept = sum(int(n) for n in m)
        referenced, refcounts = self.storage.references()
        orphans = sorted(files - set(referenced))
        self.report.orphans += len(tmp) + len(orphans)
        # A gateway on shared stores leaves what the crash left (and what it released within its
        # reclaim grace) to the aged sweep: it cannot tell them from another gateway's writes in
        # progress. Then only the references must be right.
        if self.storage.swept_at_start:
            if tmp:
                self.fail("temporary files left after the start-up sweep: %s" % sorted(tmp)[:10])
            if len(files) != expected_blobs:
                self.fail("%d blob files; the objects and parts found hold %d"
                          % (len(files), expected_blobs))
            if orphans:
                self.fail("blob files no object or part references: %s" % orphans[:10])
        missing = sorted(set(referenced) - files)
        if missing:
            self.fail("records reference missing blob files: %s" % missing[:10])
        if refcounts != referenced:
            wrong = sorted(set(refcounts.items()) ^ set(referenced.items()))
            self.fail("blobs table refcounts differ from the records holding them: %s"
                      % wrong[:10])
