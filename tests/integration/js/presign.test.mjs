// Presigned URLs from @aws-sdk/s3-request-presigner, used with plain fetch (as a browser would).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";

import {
  CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, GetObjectCommand,
  HeadObjectCommand, ListObjectsV2Command, PutObjectCommand,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";

import { fetchT, quotedMd5, randomName, s3client, startTarget, xmlCode } from "./cairn.mjs";

let t;
let S3;
const bucket = randomName("js-presign");

before(async () => {
  t = await startTarget();
  S3 = s3client(t);
  await S3.send(new CreateBucketCommand({ Bucket: bucket }));
});

after(async () => {
  if (S3) {
    try {
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
  if (t) await t.stop();
});

describe("s3-request-presigner", () => {
  test("presigned PUT (WHEN_REQUIRED client) as in the R2 guide, then fetch", async () => {
    const presignClient = s3client(t, { requestChecksumCalculation: "WHEN_REQUIRED" });
    const presignedUrl = await getSignedUrl(
      presignClient,
      new PutObjectCommand({
        Bucket: bucket,
        Key: "user-upload.png",
        ContentType: "image/png",
      }),
      { expiresIn: 3600 }, // Valid for 1 hour
    );
    console.log(presignedUrl);
    const url = new URL(presignedUrl);
    assert.equal(url.searchParams.get("x-amz-checksum-crc32"), null);
    assert.equal(url.searchParams.get("X-Amz-Expires"), "3600");

    const body = Buffer.concat([Buffer.from("\x89PNG"), randomBytes(5000)]);
    const r = await fetchT(presignedUrl, { method: "PUT", body,
      headers: { "Content-Type": "image/png" } });
    const text = await r.text();
    assert.equal(r.status, 200, text);
    assert.equal(r.headers.get("etag"), quotedMd5(body));

    const got = await S3.send(new GetObjectCommand({ Bucket: bucket, Key: "user-upload.png" }));
    assert.equal(got.ContentType, "image/png");
    assert.deepEqual(Buffer.from(await got.Body.transformToByteArray()), body);
    presignClient.destroy();
  });

  test("presigned PUT: an unsigned Content-Type may differ, a signed one must match", async () => {
    const client = s3client(t, { requestChecksumCalculation: "WHEN_REQUIRED" });
    // As the guide makes it: this presigner signs only "host", so S3 accepts any Content-Type
    // and stores the one sent.
    const plain = await getSignedUrl(client, new PutObjectCommand({
      Bucket: bucket, Key: "typed.png", ContentType: "image/png" }), { expiresIn: 600 });
    const signedHeaders = new URL(plain).searchParams.get("X-Amz-SignedHeaders").split(";");
    const r1 = await fetchT(plain, { method: "PUT", body: "<html>",
      headers: { "Content-Type": "text/html" } });
    const t1 = await r1.text();
    if (signedHeaders.includes("content-type")) {
      assert.equal(r1.status, 403, t1);
      assert.equal(xmlCode(t1), "SignatureDoesNotMatch");
    } else {
      assert.equal(r1.status, 200, t1);
      const h = await S3.send(new HeadObjectCommand({ Bucket: bucket, Key: "typed.png" }));
      assert.equal(h.ContentType, "text/html");
    }
    // With Content-Type among the signed headers, another type is refused.
    const strict = await getSignedUrl(client, new PutObjectCommand({
      Bucket: bucket, Key: "strict.png", ContentType: "image/png" }),
    { expiresIn: 600, signableHeaders: new Set(["content-type"]) });
    assert.ok(new URL(strict).searchParams.get("X-Amz-SignedHeaders").split(";")
      .includes("content-type"));
    const r2 = await fetchT(strict, { method: "PUT", body: "<html>",
      headers: { "Content-Type": "text/html" } });
    const t2 = await r2.text();
    assert.equal(r2.status, 403, t2);
    assert.equal(xmlCode(t2), "SignatureDoesNotMatch");
    await assert.rejects(S3.send(new HeadObjectCommand({ Bucket: bucket, Key: "strict.png" })));
    const r3 = await fetchT(strict, { method: "PUT", body: "\x89PNG",
      headers: { "Content-Type": "image/png" } });
    assert.equal(r3.status, 200, await r3.text());
    client.destroy();
  });

  test("default client: the URL carries the CRC32 of an empty body, real content is BadDigest",
    async () => {
      const presignedUrl = await getSignedUrl(S3, new PutObjectCommand({
        Bucket: bucket, Key: "default-client.bin" }), { expiresIn: 600 });
      const url = new URL(presignedUrl);
      assert.equal(url.searchParams.get("x-amz-checksum-crc32"), "AAAAAA==");
      assert.equal(url.searchParams.get("x-amz-sdk-checksum-algorithm"), "CRC32");
      const r = await fetchT(presignedUrl, { method: "PUT", body: randomBytes(1000) });
      const text = await r.text();
      assert.equal(r.status, 400, text);
      assert.equal(xmlCode(text), "BadDigest");
      // The message says what went wrong and which client setting avoids it.
      assert.match(text, /x-amz-checksum-crc32 sent, AAAAAA==, is the CRC32 of an empty body/);
      assert.match(text, /requestChecksumCalculation: (&quot;|")WHEN_REQUIRED(&quot;|")/);
      assert.ok(r.headers.get("x-amz-request-id"));
      await assert.rejects(S3.send(new HeadObjectCommand({ Bucket: bucket,
        Key: "default-client.bin" })));
      // The checksum is honest for what it covers: an empty body matches it.
      const empty = await fetchT(presignedUrl, { method: "PUT", body: "" });
      assert.equal(empty.status, 200, await empty.text());
    });

  test("presigned GET", async () => {
    await S3.send(new PutObjectCommand({ Bucket: bucket, Key: "dir/shared file.txt",
      Body: "shared", ContentType: "text/plain" }));
    const url = await getSignedUrl(S3, new GetObjectCommand({ Bucket: bucket,
      Key: "dir/shared file.txt" }), { expiresIn: 300 });
    const r = await fetchT(url);
    assert.equal(r.status, 200);
    assert.equal(await r.text(), "shared");
    assert.equal(r.headers.get("content-type"), "text/plain");
  });

  test("expired presigned GET is AccessDenied", async () => {
    await S3.send(new PutObjectCommand({ Bucket: bucket, Key: "soon-expired", Body: "x" }));
    const url = await getSignedUrl(S3, new GetObjectCommand({ Bucket: bucket,
      Key: "soon-expired" }), { expiresIn: 1 });
    await new Promise((r) => setTimeout(r, 2200));
    const r = await fetchT(url);
    const text = await r.text();
    assert.equal(r.status, 403, text);
    assert.equal(xmlCode(text), "AccessDenied");
  });
});
