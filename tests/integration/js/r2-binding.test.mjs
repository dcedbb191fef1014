// workerd's R2 binding against cairn: a real workerd (examples/workers/run.sh, the script users
// run) binds env.MY_BUCKET to a cairn bucket, and a probe Worker (workers/binding-probe.mjs) calls
// each method as a Worker would. What the binding stores is checked through the AWS SDK too: the
// binding and S3 must show the same objects (ETags, metadata, storage class).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand,
  GetObjectCommand, HeadObjectCommand, PutObjectCommand, UploadPartCommand,
} from "@aws-sdk/client-s3";

import { adminRequestOk, md5hex, randomName, s3client, startTarget } from "./cairn.mjs";
import { startWorker } from "./workerd.mjs";

const probe = join(dirname(fileURLToPath(import.meta.url)), "workers", "binding-probe.mjs");
const MiB = 1024 * 1024;
const bucket = randomName("binding");
const otherBucket = randomName("binding-other");

let t;
let S3;
let worker; // bound with an object-rw key scoped to `bucket`
const stops = [];

const bytes = (buf) => ({ $bytes: Buffer.from(buf).toString("base64") });
const hex = (alg, buf) => createHash(alg).update(buf).digest("hex");

// One binding call through `w` (default: the scoped key's Worker); answers {result} or {error}.
async function call(request, w = worker) {
  const r = await fetch(w.url, { method: "POST", body: JSON.stringify(request),
    signal: AbortSignal.timeout(60000) });
  assert.equal(r.status, 200, await r.clone().text());
  return r.json();
}
async function ok(request, w) {
  const answer = await call(request, w);
  assert.equal(answer.error, undefined, `${request.call} failed: ${answer.error}`);
  return answer.result;
}
async function fails(request, code, w) {
  const answer = await call(request, w);
  assert.ok(answer.error, `${request.call} should fail with (${code}), got ${JSON.stringify(answer.result)}`);
  assert.match(answer.error, new RegExp(`^${request.call === "complete" ? "completeMultipartUpload" : request.call}: .*\\(${code}\\)$`, "s"));
  return answer.error;
}
async function s3Body(key) {
  const o = await S3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return { object: o, body: Buffer.from(await o.Body.transformToByteArray()) };
}

before(async () => {
  t = await startTarget();
  S3 = s3client(t);
  for (const b of [bucket, otherBucket]) await S3.send(new CreateBucketCommand({ Bucket: b }));
  const admin = { accessKeyId: t.accessKeyId, secretAccessKey: t.secretAccessKey };
  const key = await adminRequestOk(t, admin, "POST", "keys",
    { name: "workerd", permission: "object-rw", buckets: [bucket] });
  worker = await startWorker(t, probe, bucket, key);
  stops.push(worker.stop);
});

after(async () => {
  for (const stop of stops) await stop();
  S3?.destroy();
  await t?.stop();
});

describe("put, head and get", () => {
  test("put returns the record; S3 sees the same object", async () => {
    const value = Buffer.from("content of the binding");
    const put = await ok({ call: "put", key: "docs/a.txt", value: bytes(value), options: {
      httpMetadata: { contentType: "text/plain", cacheControl: "max-age=60", contentLanguage: "en",
        contentDisposition: "inline", cacheExpiry: { $date: Date.UTC(2031, 0, 2, 3, 4, 5) } },
      customMetadata: { owner: "ada", note: "café ☕" },
    } });
    assert.equal(put.key, "docs/a.txt");
    assert.equal(put.size, value.length);
    assert.equal(put.etag, md5hex(value));
    assert.equal(put.httpEtag, `"${md5hex(value)}"`);
    assert.equal(put.storageClass, "Standard");
    assert.deepEqual(put.checksums, { md5: md5hex(value) });
    assert.ok(Math.abs(put.uploaded - Date.now()) < 60000);
    assert.ok(put.version.length > 0);

    const head = await ok({ call: "head", key: "docs/a.txt" });
    assert.equal(head.etag, put.etag);
    assert.equal(head.version, put.version);
    assert.equal(head.uploaded, put.uploaded);
    assert.deepEqual(head.customMetadata, { owner: "ada", note: "café ☕" });
    assert.equal(head.httpMetadata.contentType, "text/plain");
    assert.equal(head.httpMetadata.cacheExpiry, Date.UTC(2031, 0, 2, 3, 4, 5));
    assert.deepEqual(head.range, { offset: 0, length: value.length });

    const { object, body } = await s3Body("docs/a.txt");
    assert.deepEqual(body, value);
    assert.equal(object.ETag, put.httpEtag);
    assert.equal(object.ContentType, "text/plain");
    assert.equal(object.CacheControl, "max-age=60");
    assert.equal(object.ContentLanguage, "en");
    assert.equal(object.Metadata.owner, "ada");
    assert.equal(object.LastModified.getTime(), Math.floor(put.uploaded / 1000) * 1000);

    const got = await ok({ call: "get", key: "docs/a.txt" });
    assert.deepEqual(Buffer.from(got.body, "base64"), value);
    assert.deepEqual(got.customMetadata, head.customMetadata);
  });

  test("an object stored through S3 reads the same through the binding", async () => {
    const value = randomBytes(3000);
    const put = await S3.send(new PutObjectCommand({ Bucket: bucket, Key: "from-s3.bin", Body: value,
      ContentType: "application/x-test", Metadata: { via: "s3" }, StorageClass: "STANDARD_IA" }));
    const got = await ok({ call: "get", key: "from-s3.bin" });
    assert.equal(got.httpEtag, put.ETag);
    assert.equal(got.storageClass, "InfrequentAccess");
    assert.equal(got.httpMetadata.contentType, "application/x-test");
    assert.deepEqual(got.customMetadata, { via: "s3" });
    assert.deepEqual(Buffer.from(got.body, "base64"), value);
  });

  test("head and get of a missing key are null", async () => {
    assert.equal(await ok({ call: "head", key: "missing" }), null);
    assert.equal(await ok({ call: "get", key: "missing" }), null);
  });

  test("an empty value, a gzip-encoded value and keys S3 would escape round-trip", async () => {
    const empty = await ok({ call: "put", key: "empty", value: null });
    assert.equal(empty.size, 0);
    assert.equal(empty.etag, "d41d8cd98f00b204e9800998ecf8427e");
    // Stored bytes come back as stored: no Content-Encoding on the binding's wire.
    const gz = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]);
    await ok({ call: "put", key: "z.gz", value: bytes(gz), options: { httpMetadata: { contentEncoding: "gzip" } } });
    const got = await ok({ call: "get", key: "z.gz" });
    assert.deepEqual(Buffer.from(got.body, "base64"), gz);
    assert.equal(got.httpMetadata.contentEncoding, "gzip");
    for (const key of ["ü/日本 語", "a?b#c%d", "line\nbreak", "x".repeat(1024)]) {
      await ok({ call: "put", key, value: "v" });
      assert.equal((await ok({ call: "head", key })).key, key);
      const listed = await ok({ call: "list", options: { prefix: key } });
      assert.deepEqual(listed.objects.map((o) => o.key), [key]);
      await ok({ call: "delete", key });
      assert.equal(await ok({ call: "head", key }), null);
    }
    await fails({ call: "put", key: "x".repeat(1025), value: "v" }, 10020);
  });

  test("checksums: the right one is kept, a wrong one stores nothing", async () => {
    const value = Buffer.from("checked bytes");
    await ok({ call: "put", key: "sum", value: "before" });
    for (const alg of ["md5", "sha1", "sha256", "sha384", "sha512"]) {
      const right = hex(alg, value);
      const put = await ok({ call: "put", key: "sum", value: bytes(value), options: { [alg]: right.toUpperCase() } });
      assert.equal(put.checksums[alg], right, alg);
      const wrong = hex(alg, Buffer.from("other bytes"));
      const error = await fails({ call: "put", key: "sum", value: "not these", options: { [alg]: wrong } }, 10037);
      assert.match(error, /did not match/);
      assert.deepEqual((await s3Body("sum")).body, value, `${alg}: a failed put changed the object`);
    }
    const head = await ok({ call: "head", key: "sum" });
    assert.equal(head.checksums.md5, md5hex(value));
  });

  test("storage classes", async () => {
    const ia = await ok({ call: "put", key: "cold", value: "c", options: { storageClass: "InfrequentAccess" } });
    assert.equal(ia.storageClass, "InfrequentAccess");
    const head = await S3.send(new HeadObjectCommand({ Bucket: bucket, Key: "cold" }));
    assert.equal(head.StorageClass, "STANDARD_IA");
    await fails({ call: "put", key: "cold", value: "c", options: { storageClass: "Glacier" } }, 10040);
  });

  test("metadata that could not go back out as a header is refused", async () => {
    await fails({ call: "put", key: "bad", value: "v",
      options: { httpMetadata: { contentType: "text/html\r\nSet-Cookie: a=b" } } }, 10029);
    await fails({ call: "put", key: "bad", value: "v", options: { customMetadata: { "bad name": "v" } } }, 10029);
    await fails({ call: "put", key: "bad", value: "v", options: { customMetadata: { big: "x".repeat(9000) } } }, 10012);
    assert.equal(await ok({ call: "head", key: "bad" }), null);
  });
});

describe("conditions and ranges", () => {
  test("put with onlyIf returns null when a condition fails and stores nothing", async () => {
    const first = await ok({ call: "put", key: "cond", value: "one" });
    assert.equal(await ok({ call: "put", key: "cond", value: "two", options: { onlyIf: { etagMatches: "0".repeat(32) } } }), null);
    assert.equal(await ok({ call: "put", key: "cond", value: "two", options: { onlyIf: { etagDoesNotMatch: "*" } } }), null);
    assert.equal(await ok({ call: "put", key: "cond-new", value: "x", options: { onlyIf: { etagMatches: first.etag } } }), null);
    assert.equal((await s3Body("cond")).body.toString(), "one");
    const second = await ok({ call: "put", key: "cond", value: "two", options: { onlyIf: { etagMatches: first.etag } } });
    assert.equal(second.etag, md5hex("two"));
    const created = await ok({ call: "put", key: "cond-free", value: "x", options: { onlyIf: { etagDoesNotMatch: "*" } } });
    assert.equal(created.size, 1);
    // The Headers form (as a Worker passes a request's conditional headers on).
    assert.equal(await ok({ call: "put", key: "cond", value: "three",
      options: { onlyIf: { $headers: { "if-match": `"${first.etag}"` } } } }), null);
    const third = await ok({ call: "put", key: "cond", value: "three",
      options: { onlyIf: { $headers: { "if-match": `"${second.etag}"` } } } });
    assert.equal(third.etag, md5hex("three"));
    // Dates: uploadedBefore a time before the object was written fails.
    assert.equal(await ok({ call: "put", key: "cond", value: "four",
      options: { onlyIf: { uploadedBefore: { $date: third.uploaded - 10000 } } } }), null);
  });

  test("get with a failing onlyIf gives the object without a body", async () => {
    const put = await ok({ call: "put", key: "cg", value: "conditional get" });
    const failed = await ok({ call: "get", key: "cg", options: { onlyIf: { etagDoesNotMatch: put.etag } } });
    assert.equal(failed.hasBody, false);
    assert.equal(failed.etag, put.etag);
    const passed = await ok({ call: "get", key: "cg", options: { onlyIf: { etagMatches: put.etag } } });
    assert.equal(Buffer.from(passed.body, "base64").toString(), "conditional get");
    const weak = await ok({ call: "get", key: "cg", options: { onlyIf: { $headers: { "if-match": `W/"${put.etag}"` } } } });
    assert.equal(weak.hasBody, false, "a weak etag never satisfies etagMatches");
    const later = await ok({ call: "get", key: "cg", options: { onlyIf: { uploadedAfter: { $date: put.uploaded + 60000 } } } });
    assert.equal(later.hasBody, false);
  });

  test("ranges in every form", async () => {
    const value = "0123456789abcdefghij";
    await ok({ call: "put", key: "r", value });
    const get = async (range) => {
      const o = await ok({ call: "get", key: "r", options: { range } });
      return [Buffer.from(o.body, "base64").toString(), o.range];
    };
    assert.deepEqual(await get({ offset: 3, length: 4 }), ["3456", { offset: 3, length: 4 }]);
    assert.deepEqual(await get({ offset: 15 }), ["fghij", { offset: 15, length: 5 }]);
    assert.deepEqual(await get({ length: 2 }), ["01", { offset: 0, length: 2 }]);
    assert.deepEqual(await get({ suffix: 3 }), ["hij", { offset: 17, length: 3 }]);
    assert.deepEqual(await get({ suffix: 50 }), [value, { offset: 0, length: 20 }]);
    assert.deepEqual(await get({ offset: 18, length: 100 }), ["ij", { offset: 18, length: 2 }]);
    assert.deepEqual(await get({ $headers: { range: "bytes=5-7" } }), ["567", { offset: 5, length: 3 }]);
    assert.deepEqual(await get({ $headers: { range: "bytes=-2" } }), ["ij", { offset: 18, length: 2 }]);
    assert.deepEqual(await get({ $headers: { range: "bytes=1-2,5-6" } }), [value, { offset: 0, length: 20 }]);
    await fails({ call: "get", key: "r", options: { range: { offset: 20 } } }, 10039);
    await fails({ call: "get", key: "r", options: { range: { suffix: 0 } } }, 10039);
  });
});

describe("delete and list", () => {
  test("delete one key, several, and missing ones", async () => {
    for (const k of ["d/1", "d/2", "d/3"]) await ok({ call: "put", key: k, value: k });
    assert.equal(await ok({ call: "delete", key: "d/1" }), null);
    assert.equal(await ok({ call: "delete", key: ["d/2", "d/missing", "d/3"] }), null);
    assert.equal(await ok({ call: "delete", key: "d/missing" }), null);
    const listed = await ok({ call: "list", options: { prefix: "d/" } });
    assert.deepEqual(listed.objects, []);
  });

  test("list pages with cursor, prefixes with delimiter, metadata with include", async () => {
    const keys = [];
    for (let i = 0; i < 12; i++) keys.push(`l/${String(i).padStart(2, "0")}`);
    keys.push("l/sub/a", "l/sub/b", "l/zz/c");
    for (const k of keys) {
      await ok({ call: "put", key: k, value: k, options: { httpMetadata: { contentType: "text/x-l" }, customMetadata: { k } } });
    }
    // Paging through everything, 5 at a time.
    const seen = [];
    let cursor;
    for (let page = 0; page < 10; page++) {
      const r = await ok({ call: "list", options: { prefix: "l/", limit: 5, ...(cursor ? { cursor } : {}) } });
      seen.push(...r.objects.map((o) => o.key));
      if (!r.truncated) {
        assert.equal(r.cursor, undefined);
        break;
      }
      cursor = r.cursor;
    }
    assert.deepEqual(seen, keys);
    // Objects and prefixes together, in key order, sharing the limit.
    const grouped = await ok({ call: "list", options: { prefix: "l/", delimiter: "/", startAfter: "l/10" } });
    assert.deepEqual(grouped.objects.map((o) => o.key), ["l/11"]);
    assert.deepEqual(grouped.delimitedPrefixes, ["l/sub/", "l/zz/"]);
    const bare = await ok({ call: "list", options: { prefix: "l/0", limit: 1 } });
    assert.deepEqual(bare.objects[0].httpMetadata, {});
    assert.deepEqual(bare.objects[0].customMetadata, {});
    const full = await ok({ call: "list", options: { prefix: "l/0", limit: 1, include: ["httpMetadata", "customMetadata"] } });
    assert.equal(full.objects[0].httpMetadata.contentType, "text/x-l");
    assert.deepEqual(full.objects[0].customMetadata, { k: "l/00" });
    assert.equal(full.objects[0].etag, md5hex("l/00"));
    await fails({ call: "list", options: { limit: 1001 } }, 10029);
  });
});

describe("multipart", () => {
  test("create, upload parts, complete: S3's multipart ETag and the create's metadata", async () => {
    const created = await ok({ call: "createMultipartUpload", key: "mp.bin", options: {
      httpMetadata: { contentType: "video/mp4" }, customMetadata: { source: "binding" }, storageClass: "InfrequentAccess" } });
    const first = randomBytes(5 * MiB);
    const second = randomBytes(1234);
    const p2 = await ok({ call: "uploadPart", key: "mp.bin", uploadId: created.uploadId, partNumber: 2, value: bytes(second) });
    const p1 = await ok({ call: "uploadPart", key: "mp.bin", uploadId: created.uploadId, partNumber: 1, value: bytes(first) });
    assert.deepEqual(p1, { partNumber: 1, etag: md5hex(first) });
    const done = await ok({ call: "complete", key: "mp.bin", uploadId: created.uploadId, parts: [p2, p1] });
    const expected = md5hex(Buffer.concat([Buffer.from(md5hex(first), "hex"), Buffer.from(md5hex(second), "hex")])) + "-2";
    assert.equal(done.etag, expected);
    assert.equal(done.size, first.length + second.length);
    const { object, body } = await s3Body("mp.bin");
    assert.equal(object.ETag, `"${expected}"`);
    assert.equal(object.ContentType, "video/mp4");
    assert.equal(object.Metadata.source, "binding");
    assert.equal(object.StorageClass, "STANDARD_IA");
    assert.deepEqual(body, Buffer.concat([first, second]));
    // A complete whose answer was lost, sent again: the same object, with its metadata.
    const again = await ok({ call: "complete", key: "mp.bin", uploadId: created.uploadId, parts: [p1, p2] });
    assert.equal(again.etag, expected);
    assert.equal(again.uploaded, done.uploaded);
    assert.equal(again.version, done.version);
    assert.equal(again.storageClass, "InfrequentAccess");
    const range = await ok({ call: "get", key: "mp.bin", options: { range: { offset: 5 * MiB - 2, length: 4 } } });
    assert.deepEqual(Buffer.from(range.body, "base64"), Buffer.concat([first, second]).subarray(5 * MiB - 2, 5 * MiB + 2));
  });

  test("the part rules, abort, and an upload begun through S3", async () => {
    const { uploadId } = await ok({ call: "createMultipartUpload", key: "rules.bin" });
    const small = await ok({ call: "uploadPart", key: "rules.bin", uploadId, partNumber: 1, value: "tiny" });
    const last = await ok({ call: "uploadPart", key: "rules.bin", uploadId, partNumber: 2, value: "end" });
    await fails({ call: "complete", key: "rules.bin", uploadId, parts: [small, last] }, 10011);
    await fails({ call: "complete", key: "rules.bin", uploadId, parts: [{ partNumber: 1, etag: "0".repeat(32) }] }, 10025);
    await fails({ call: "uploadPart", key: "rules.bin", uploadId: "no-such-upload", partNumber: 1, value: "x" }, 10024);
    assert.equal(await ok({ call: "abort", key: "rules.bin", uploadId }), null);
    assert.equal(await ok({ call: "abort", key: "rules.bin", uploadId }), null, "a second abort resolves");
    await fails({ call: "complete", key: "rules.bin", uploadId, parts: [last] }, 10024);

    const s3Upload = await S3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "mixed.bin" }));
    const part1 = randomBytes(5 * MiB);
    const viaS3 = await S3.send(new UploadPartCommand({ Bucket: bucket, Key: "mixed.bin",
      UploadId: s3Upload.UploadId, PartNumber: 1, Body: part1 }));
    const viaBinding = await ok({ call: "uploadPart", key: "mixed.bin", uploadId: s3Upload.UploadId, partNumber: 2, value: "tail" });
    const done = await S3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: "mixed.bin",
      UploadId: s3Upload.UploadId, MultipartUpload: { Parts: [
        { PartNumber: 1, ETag: viaS3.ETag }, { PartNumber: 2, ETag: `"${viaBinding.etag}"` }] } }));
    assert.equal((await ok({ call: "head", key: "mixed.bin" })).httpEtag, done.ETag);
  });
});

describe("keys", () => {
  test("a wrong secret and a key without the bucket are refused, and nothing is stored", async () => {
    const admin = { accessKeyId: t.accessKeyId, secretAccessKey: t.secretAccessKey };
    const wrong = await startWorker(t, probe, bucket, { accessKeyId: admin.accessKeyId, secretAccessKey: "not-the-secret" });
    stops.push(wrong.stop);
    const error = await fails({ call: "put", key: "intruder", value: "x" }, 10035, wrong);
    assert.doesNotMatch(error, /not-the-secret/);
    await fails({ call: "get", key: "docs/a.txt" }, 10035, wrong);

    const readOnly = await adminRequestOk(t, admin, "POST", "keys",
      { name: "workerd-ro", permission: "object-ro", buckets: [bucket] });
    const ro = await startWorker(t, probe, bucket, readOnly);
    stops.push(ro.stop);
    assert.equal((await ok({ call: "head", key: "docs/a.txt" }, ro)).key, "docs/a.txt");
    await fails({ call: "put", key: "intruder", value: "x" }, 10003, ro);
    await fails({ call: "delete", key: "docs/a.txt" }, 10003, ro);

    // The scoped key of the main Worker has no right to the other bucket.
    const elsewhere = await startWorker(t, probe, otherBucket, readOnly);
    stops.push(elsewhere.stop);
    await fails({ call: "put", key: "intruder", value: "x" }, 10003, elsewhere);
    await fails({ call: "list" }, 10003, elsewhere);
    assert.equal(await ok({ call: "head", key: "intruder" }), null);
  });
});
