// Multipart uploads with the AWS SDK for JavaScript v3 against cairn (issue 3): the R2 guide's
// @aws-sdk/lib-storage Upload (parts in parallel, httpUploadProgress events) and its low-level
// CreateMultipartUpload / UploadPart / CompleteMultipartUpload loop with abort on failure.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createReadStream, statSync } from "node:fs";
import { mkdtemp, open, rm } from "node:fs/promises";
import { createHash, randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import zlib from "node:zlib";

import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateBucketCommand,
  CreateMultipartUploadCommand, DeleteBucketCommand, DeleteObjectCommand, GetObjectAttributesCommand,
  GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, ListPartsCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";

import { crc32b64, randomName, s3client, startTarget } from "./cairn.mjs";

const MiB = 1024 * 1024;
let t;
let S3;
let dir;
const bucket = randomName("js-mpu");

before(async () => {
  t = await startTarget({ extraArgs: ["--enable-test-hooks"] });
  S3 = s3client(t);
  dir = await mkdtemp(join(tmpdir(), "cairn-js-mpu-"));
  await S3.send(new CreateBucketCommand({ Bucket: bucket }));
});

after(async () => {
  if (S3) {
    try {
      const ups = await S3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
      for (const u of ups.Uploads ?? []) {
        await S3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key,
          UploadId: u.UploadId }));
      }
      const listed = await S3.send(new ListObjectsV2Command({ Bucket: bucket }));
      for (const o of listed.Contents ?? []) {
        await S3.send(new DeleteObjectCommand({ Bucket: bucket, Key: o.Key }));
      }
      await S3.send(new DeleteBucketCommand({ Bucket: bucket }));
    } catch (e) {
      console.error("cleanup failed:", e);
    }
    S3.destroy();
  }
  if (dir) await rm(dir, { recursive: true, force: true });
  if (t) await t.stop();
});

// A file of random bytes written in 4 MiB blocks.
async function makeFile(name, size) {
  const path = join(dir, name);
  const fh = await open(path, "w");
  try {
    for (let left = size; left > 0;) {
      const n = Math.min(left, 4 * MiB);
      await fh.write(randomBytes(n));
      left -= n;
    }
  } finally {
    await fh.close();
  }
  return path;
}

// Reads a file part by part: [{data md5 (Buffer), crc32 (Buffer)}].
async function partDigests(path, partSize) {
  const out = [];
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(partSize);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, partSize, null);
      if (bytesRead === 0) break;
      const part = buf.subarray(0, bytesRead);
      out.push({ md5: createHash("md5").update(part).digest(), crc32: crc32raw(part) });
    }
  } finally {
    await fh.close();
  }
  return out;
}

function crc32raw(buf) {
  const out = Buffer.alloc(4);
  if (typeof zlib.crc32 === "function") out.writeUInt32BE(zlib.crc32(buf) >>> 0);
  else Buffer.from(crc32b64(buf), "base64").copy(out);
  return out;
}

// The R2 guide's rule: hex MD5 of the concatenated binary part MD5s, "-", the number of parts.
const multipartEtag = (digests) =>
  `"${createHash("md5").update(Buffer.concat(digests.map((d) => d.md5))).digest("hex")}-${digests.length}"`;
// COMPOSITE CRC32: the CRC32 of the concatenated part CRC32s, "-N".
const compositeCrc32 = (digests) =>
  `${crc32raw(Buffer.concat(digests.map((d) => d.crc32))).toString("base64")}-${digests.length}`;

async function fileMd5(path) {
  const h = createHash("md5");
  for await (const chunk of createReadStream(path)) h.update(chunk);
  return h.digest("hex");
}

async function objectMd5(key) {
  const got = await S3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const h = createHash("md5");
  let n = 0;
  for await (const chunk of got.Body) {
    h.update(chunk);
    n += chunk.length;
  }
  return { md5: h.digest("hex"), length: n };
}

async function uploadIdsOf(key) {
  const r = await S3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: key }));
  return (r.Uploads ?? []).filter((u) => u.Key === key).map((u) => u.UploadId);
}

describe("lib-storage", () => {
  test("Upload of a 25 MiB stream in 5 MiB parts, 4 at a time, with progress events", async () => {
    const size = 25 * MiB + 12345;
    const partSize = 5 * MiB;
    const path = await makeFile("large-file.bin", size);
    const upload = new Upload({
      client: S3,
      params: { Bucket: bucket, Key: "large-file.bin", Body: createReadStream(path) },
      partSize,
      queueSize: 4,
      leavePartsOnError: false,
    });
    const events = [];
    upload.on("httpUploadProgress", (progress) => {
      events.push({ loaded: progress.loaded ?? 0, total: progress.total, part: progress.part });
    });
    const result = await upload.done();
    console.log(`Upload complete. ETag: ${result.ETag}`);

    const digests = await partDigests(path, partSize);
    assert.equal(digests.length, 6);
    assert.equal(result.ETag, multipartEtag(digests));
    assert.ok(events.length >= 6, `only ${events.length} progress events`);
    for (let i = 1; i < events.length; i++) {
      assert.ok(events[i].loaded >= events[i - 1].loaded,
        `progress went backwards: ${JSON.stringify(events.slice(i - 1, i + 1))}`);
    }
    assert.equal(events.at(-1).loaded, size);
    if (events.at(-1).total !== undefined) assert.equal(events.at(-1).total, size);
    assert.deepEqual([...new Set(events.map((e) => e.part))].sort((a, b) => a - b),
      [1, 2, 3, 4, 5, 6]);

    const head = await S3.send(new HeadObjectCommand({ Bucket: bucket, Key: "large-file.bin",
      ChecksumMode: "ENABLED" }));
    console.log(`${events.length} progress events; object checksum ${head.ChecksumCRC32} ` +
      `(${head.ChecksumType})`);
    assert.equal(head.ETag, multipartEtag(digests));
    assert.equal(head.ContentLength, size);
    if (head.ChecksumCRC32 !== undefined) {
      // lib-storage creates the upload with ChecksumAlgorithm CRC32 (current defaults).
      assert.equal(head.ChecksumCRC32, compositeCrc32(digests));
      assert.equal(head.ChecksumType, "COMPOSITE");
    }
    const back = await objectMd5("large-file.bin");
    assert.equal(back.length, size);
    assert.equal(back.md5, await fileMd5(path));
    assert.deepEqual(await uploadIdsOf("large-file.bin"), []);
  });

  test("Upload.abort() mid-way aborts the multipart upload (leavePartsOnError: false)", async () => {
    const path = await makeFile("aborted.bin", 30 * MiB);
    const upload = new Upload({
      client: S3,
      params: { Bucket: bucket, Key: "aborted.bin", Body: createReadStream(path) },
      partSize: 5 * MiB,
      queueSize: 1,
      leavePartsOnError: false,
    });
    upload.on("httpUploadProgress", (p) => {
      if ((p.loaded ?? 0) >= 5 * MiB) upload.abort();
    });
    await assert.rejects(upload.done(), (err) => {
      assert.match(`${err.name} ${err.message}`, /abort/i);
      return true;
    });
    // The upload was aborted, not left behind, and no object appeared.
    let left = await uploadIdsOf("aborted.bin");
    for (let i = 0; i < 50 && left.length; i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = await uploadIdsOf("aborted.bin");
    }
    assert.deepEqual(left, []);
    await assert.rejects(S3.send(new HeadObjectCommand({ Bucket: bucket, Key: "aborted.bin" })),
      (err) => err.$metadata?.httpStatusCode === 404);
  });
});

describe("low-level commands", () => {
  test("the guide's CreateMultipartUpload / UploadPart / Complete loop with 10 MiB parts",
    async () => {
      const key = "large-file-manual.bin";
      const file = await makeFile("manual.bin", 25 * MiB + 999);
      const partSize = 10 * 1024 * 1024; // 10 MiB per part

      // Step 1: Create the multipart upload
      const { UploadId } = await S3.send(
        new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }),
      );
      let completed;
      try {
        const fileSize = statSync(file).size;
        const partCount = Math.ceil(fileSize / partSize);
        const parts = [];
        // Step 2: Upload each part
        for (let i = 0; i < partCount; i++) {
          const start = i * partSize;
          const end = Math.min(start + partSize, fileSize);
          const { ETag } = await S3.send(
            new UploadPartCommand({
              Bucket: bucket,
              Key: key,
              UploadId,
              PartNumber: i + 1,
              Body: createReadStream(file, { start, end: end - 1 }),
              ContentLength: end - start,
            }),
          );
          parts.push({ PartNumber: i + 1, ETag });
        }
        // The parts are listed before Complete.
        const listed = await S3.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId }));
        assert.deepEqual(listed.Parts.map((p) => [p.PartNumber, p.ETag, p.Size]),
          parts.map((p, i) => [p.PartNumber, p.ETag, Math.min(partSize, fileSize - i * partSize)]));
        // Step 3: Complete the upload
        completed = await S3.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: parts },
          }),
        );
        console.log("Multipart upload complete.");
      } catch (err) {
        // Abort on failure to clean up incomplete parts
        try {
          await S3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId }));
        } catch (_abortErr) {
          // Best-effort cleanup — the original error is more important
        }
        throw err;
      }
      const digests = await partDigests(file, partSize);
      assert.equal(completed.ETag, multipartEtag(digests));
      assert.ok(completed.ETag.endsWith('-3"'));
      const back = await objectMd5(key);
      assert.equal(back.length, 25 * MiB + 999);
      assert.equal(back.md5, await fileMd5(file));
      const part2 = await S3.send(new GetObjectCommand({ Bucket: bucket, Key: key, PartNumber: 2 }));
      assert.equal(part2.PartsCount, 3);
      assert.equal(part2.ContentLength, partSize);
      await part2.Body.transformToByteArray();
      assert.deepEqual(await uploadIdsOf(key), []);
    });

  test("the guide's catch block aborts when Complete fails (unequal parts)", async () => {
    const key = "unequal.bin";
    const file = await makeFile("unequal.bin", 12 * MiB);
    // An uploader that flushes "at least 5 MiB": 6 MiB, then 5 MiB, then the rest.
    const bounds = [[0, 6 * MiB], [6 * MiB, 11 * MiB], [11 * MiB, 12 * MiB]];
    const { UploadId } = await S3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }),
    );
    let failure;
    try {
      const parts = [];
      for (let i = 0; i < bounds.length; i++) {
        const [start, end] = bounds[i];
        const { ETag } = await S3.send(new UploadPartCommand({
          Bucket: bucket, Key: key, UploadId, PartNumber: i + 1,
          Body: createReadStream(file, { start, end: end - 1 }), ContentLength: end - start,
        }));
        parts.push({ PartNumber: i + 1, ETag });
      }
      await S3.send(new CompleteMultipartUploadCommand({
        Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: parts },
      }));
    } catch (err) {
      failure = err;
      try {
        await S3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId }));
      } catch (_abortErr) {
        // best effort, as in the guide
      }
    }
    assert.ok(failure, "Complete of unequal parts succeeded");
    assert.equal(failure.name, "InvalidPart");
    assert.equal(failure.$metadata.httpStatusCode, 400);
    assert.ok(failure.message.startsWith("All non-trailing parts must have the same length."),
      failure.message);
    await assert.rejects(S3.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId })),
      (err) => {
        assert.equal(err.name, "NoSuchUpload");
        assert.equal(err.$metadata.httpStatusCode, 404);
        return true;
      });
    assert.deepEqual(await uploadIdsOf(key), []);
    await assert.rejects(S3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })),
      (err) => err.$metadata?.httpStatusCode === 404);
  });

  test("a Complete sent again after it succeeded gets the same answer", async () => {
    // An SDK retries a Complete whose response was lost; S3 answers it 200 as the first time.
    const key = "retried-complete.bin";
    const datas = [randomBytes(5 * MiB), randomBytes(1234)];
    const { UploadId } = await S3.send(new CreateMultipartUploadCommand({
      Bucket: bucket, Key: key, ChecksumAlgorithm: "CRC32",
    }));
    const parts = [];
    for (let i = 0; i < datas.length; i++) {
      const r = await S3.send(new UploadPartCommand({
        Bucket: bucket, Key: key, UploadId, PartNumber: i + 1, Body: datas[i],
        ChecksumAlgorithm: "CRC32",
      }));
      parts.push({ PartNumber: i + 1, ETag: r.ETag, ChecksumCRC32: r.ChecksumCRC32 });
    }
    const complete = () => S3.send(new CompleteMultipartUploadCommand({
      Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: parts },
    }));
    const first = await complete();
    const again = await complete();
    assert.equal(again.$metadata.httpStatusCode, 200);
    for (const field of ["Location", "Bucket", "Key", "ETag", "ChecksumCRC32"]) {
      assert.equal(again[field], first[field], field);
    }
    const digests = datas.map((d) => ({ md5: createHash("md5").update(d).digest(),
      crc32: crc32raw(d) }));
    assert.equal(first.ETag, multipartEtag(digests));
    assert.equal(first.ChecksumCRC32, compositeCrc32(digests));
    const back = await objectMd5(key);
    assert.equal(back.md5, createHash("md5").update(Buffer.concat(datas)).digest("hex"));
  });

  test("CreateMultipartUpload answers the default abort date and rule", async () => {
    const key = "abort-headers.bin";
    const r = await S3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
    assert.equal(r.AbortRuleId, "Default Multipart Abort Rule");
    assert.ok(r.AbortDate instanceof Date, String(r.AbortDate));
    const days = (r.AbortDate.getTime() - Date.now()) / 86400e3;
    assert.ok(Math.abs(days - 7) < 0.01, `abort date ${r.AbortDate.toISOString()}`);
    await S3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key,
      UploadId: r.UploadId }));
  });

  // GetObjectAttributes (issue 16): a COMPOSITE CRC32 object's parts with their checksums, a page
  // of one part at a time, and a part's checksum by HeadObject's PartNumber.
  test("GetObjectAttributes pages the parts with their checksums", async () => {
    const key = "attributes.bin";
    const datas = [randomBytes(5 * MiB), randomBytes(3000)];
    const { UploadId } = await S3.send(new CreateMultipartUploadCommand({
      Bucket: bucket, Key: key, ChecksumAlgorithm: "CRC32",
    }));
    const parts = [];
    for (const [i, Body] of datas.entries()) {
      const r = await S3.send(new UploadPartCommand({
        Bucket: bucket, Key: key, UploadId, PartNumber: i + 1, Body, ChecksumAlgorithm: "CRC32",
      }));
      assert.equal(r.ChecksumCRC32, crc32b64(Body));
      parts.push({ PartNumber: i + 1, ETag: r.ETag, ChecksumCRC32: r.ChecksumCRC32 });
    }
    await S3.send(new CompleteMultipartUploadCommand({
      Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: parts },
    }));

    const first = await S3.send(new GetObjectAttributesCommand({
      Bucket: bucket, Key: key, MaxParts: 1,
      ObjectAttributes: ["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"],
    }));
    assert.match(first.ETag, /^[0-9a-f]{32}-2$/);  // unquoted
    assert.equal(first.ObjectSize, 5 * MiB + 3000);
    assert.equal(first.StorageClass, "STANDARD");
    assert.ok(first.LastModified instanceof Date, String(first.LastModified));
    assert.equal(first.Checksum.ChecksumType, "COMPOSITE");
    assert.equal(first.ObjectParts.TotalPartsCount, 2);
    assert.equal(first.ObjectParts.IsTruncated, true);
    assert.deepEqual(first.ObjectParts.Parts,
      [{ PartNumber: 1, Size: 5 * MiB, ChecksumCRC32: crc32b64(datas[0]) }]);
    const rest = await S3.send(new GetObjectAttributesCommand({
      Bucket: bucket, Key: key, ObjectAttributes: ["ObjectParts"], MaxParts: 1,
      PartNumberMarker: first.ObjectParts.NextPartNumberMarker,
    }));
    assert.equal(rest.ETag, undefined);
    assert.equal(rest.ObjectParts.IsTruncated, false);
    assert.deepEqual(rest.ObjectParts.Parts,
      [{ PartNumber: 2, Size: 3000, ChecksumCRC32: crc32b64(datas[1]) }]);

    const head = await S3.send(new HeadObjectCommand({
      Bucket: bucket, Key: key, PartNumber: 2, ChecksumMode: "ENABLED",
    }));
    assert.equal(head.ChecksumCRC32, crc32b64(datas[1]));
    assert.equal(head.ChecksumType, "COMPOSITE");
  });
});
