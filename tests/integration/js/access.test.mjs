// Scoped keys and temporary credentials (docs/access-keys.md) with the AWS SDK for JavaScript: an
// object-rw key limited to one bucket uploads with client-s3 and lib-storage and is refused
// elsewhere; temporary credentials work as `sessionToken`, also in a presigned PUT. The admin API
// calls are signed with aws4fetch.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";

import {
  CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, GetObjectCommand,
  HeadObjectCommand, ListBucketsCommand, ListObjectsV2Command, PutObjectCommand,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { AwsClient } from "aws4fetch";

import {
  adminRequest, adminRequestOk, fetchT, md5hex, quotedMd5, randomName, s3client, startTarget, xmlCode,
} from "./cairn.mjs";

const MiB = 1024 * 1024;
let t;
let admin;
const mine = randomName("js-scoped");
const other = randomName("js-other");
let scoped; // the object-rw key limited to `mine`, as the admin API made it

const adminCall = (creds, method, path, body) => adminRequest(t, creds, method, path, body);
const adminOk = (creds, method, path, body) => adminRequestOk(t, creds, method, path, body);

const builtin = () => ({ accessKeyId: t.accessKeyId, secretAccessKey: t.secretAccessKey });
const credsOf = (a) => ({ accessKeyId: a.accessKeyId, secretAccessKey: a.secretAccessKey,
  ...(a.sessionToken ? { sessionToken: a.sessionToken } : {}) });
const clientFor = (a, extra = {}) => s3client(t, { credentials: credsOf(a), ...extra });

async function rejectsWith(promise, name, status) {
  await assert.rejects(promise, (err) => {
    assert.equal(err.name, name, String(err));
    assert.equal(err.$metadata.httpStatusCode, status);
    return true;
  });
}

async function exists(bucket, key) {
  const S3 = s3client(t);
  try {
    await S3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (e) {
    if (e.$metadata?.httpStatusCode === 404) return false;
    throw e;
  } finally {
    S3.destroy();
  }
}

before(async () => {
  t = await startTarget();
  admin = s3client(t);
  for (const b of [mine, other]) await admin.send(new CreateBucketCommand({ Bucket: b }));
  scoped = await adminOk(builtin(), "POST", "keys",
    { name: "js-uploader", permission: "object-rw", buckets: [mine] });
});

after(async () => {
  if (admin) {
    for (const b of [mine, other]) {
      try {
        const listed = await admin.send(new ListObjectsV2Command({ Bucket: b }));
        for (const o of listed.Contents ?? []) {
          await admin.send(new DeleteObjectCommand({ Bucket: b, Key: o.Key }));
        }
        await admin.send(new DeleteBucketCommand({ Bucket: b }));
      } catch (e) {
        console.error("cleanup failed:", e);
      }
    }
    admin.destroy();
  }
  if (t) await t.stop();
});

describe("an object-rw key limited to one bucket", () => {
  test("PutObjectCommand into its bucket", async () => {
    const S3 = clientFor(scoped);
    const body = Buffer.concat([Buffer.from("\x89PNG"), randomBytes(4000)]);
    const r = await S3.send(new PutObjectCommand({ Bucket: mine, Key: "img/a.png", Body: body,
      ContentType: "image/png" }));
    assert.equal(r.ETag, quotedMd5(body));
    const got = await admin.send(new GetObjectCommand({ Bucket: mine, Key: "img/a.png" }));
    assert.equal(got.ContentType, "image/png");
    assert.deepEqual(Buffer.from(await got.Body.transformToByteArray()), body);
    S3.destroy();
  });

  test("lib-storage Upload in parts into its bucket", async () => {
    const S3 = clientFor(scoped);
    const data = randomBytes(11 * MiB);
    const upload = new Upload({ client: S3, partSize: 5 * MiB, queueSize: 2,
      params: { Bucket: mine, Key: "videos/big.bin", Body: data }, leavePartsOnError: false });
    const result = await upload.done();
    assert.match(result.ETag, /-3"$/);
    const got = await admin.send(new GetObjectCommand({ Bucket: mine, Key: "videos/big.bin" }));
    assert.equal(md5hex(Buffer.from(await got.Body.transformToByteArray())), md5hex(data));
    S3.destroy();
  });

  test("refused on another bucket and on ListBuckets", async () => {
    const S3 = clientFor(scoped);
    await rejectsWith(S3.send(new PutObjectCommand({ Bucket: other, Key: "x", Body: "x" })),
      "AccessDenied", 403);
    assert.equal(await exists(other, "x"), false);
    await rejectsWith(S3.send(new ListObjectsV2Command({ Bucket: other })), "AccessDenied", 403);
    await rejectsWith(S3.send(new ListBucketsCommand({})), "AccessDenied", 403);
    const upload = new Upload({ client: S3, partSize: 5 * MiB,
      params: { Bucket: other, Key: "big.bin", Body: randomBytes(6 * MiB) } });
    await assert.rejects(upload.done());
    assert.equal(await exists(other, "big.bin"), false);
    S3.destroy();
  });
});

describe("temporary credentials", () => {
  let temp;
  before(async () => {
    temp = await adminOk(credsOf(scoped), "POST", "temporary-credentials",
      { ttlSeconds: 900, prefixes: ["uploads/"] });
    assert.equal(temp.parent, scoped.accessKeyId);
    assert.ok(temp.sessionToken);
  });

  test("sessionToken works within the temporary scope and nowhere else", async () => {
    const S3 = clientFor(temp);
    await S3.send(new PutObjectCommand({ Bucket: mine, Key: "uploads/t.txt", Body: "temp" }));
    const got = await S3.send(new GetObjectCommand({ Bucket: mine, Key: "uploads/t.txt" }));
    assert.equal(await got.Body.transformToString(), "temp");
    // The parent may write here; the temporary credential may not.
    await rejectsWith(S3.send(new PutObjectCommand({ Bucket: mine, Key: "elsewhere.txt",
      Body: "x" })), "AccessDenied", 403);
    await rejectsWith(S3.send(new PutObjectCommand({ Bucket: other, Key: "uploads/x",
      Body: "x" })), "AccessDenied", 403);
    assert.equal(await exists(mine, "elsewhere.txt"), false);
    S3.destroy();
  });

  test("without the sessionToken it is refused", async () => {
    const S3 = clientFor({ accessKeyId: temp.accessKeyId, secretAccessKey: temp.secretAccessKey });
    await assert.rejects(S3.send(new PutObjectCommand({ Bucket: mine, Key: "uploads/n.txt",
      Body: "x" })), (err) => [400, 403].includes(err.$metadata.httpStatusCode));
    assert.equal(await exists(mine, "uploads/n.txt"), false);
    S3.destroy();
  });

  test("a presigned PUT made with the temporary credentials, then fetch", async () => {
    const S3 = clientFor(temp, { requestChecksumCalculation: "WHEN_REQUIRED" });
    const url = await getSignedUrl(S3, new PutObjectCommand({ Bucket: mine,
      Key: "uploads/browser.png", ContentType: "image/png" }), { expiresIn: 600 });
    assert.ok(new URL(url).searchParams.get("X-Amz-Security-Token"), url);
    const body = Buffer.concat([Buffer.from("\x89PNG"), randomBytes(3000)]);
    const r = await fetchT(url, { method: "PUT", body, headers: { "Content-Type": "image/png" } });
    assert.equal(r.status, 200, await r.text());
    assert.equal(r.headers.get("etag"), quotedMd5(body));
    const got = await admin.send(new GetObjectCommand({ Bucket: mine, Key: "uploads/browser.png" }));
    assert.deepEqual(Buffer.from(await got.Body.transformToByteArray()), body);

    const outside = await getSignedUrl(S3, new PutObjectCommand({ Bucket: mine,
      Key: "not-uploads.png" }), { expiresIn: 600 });
    const denied = await fetchT(outside, { method: "PUT", body });
    assert.equal(denied.status, 403);
    assert.equal(xmlCode(await denied.text()), "AccessDenied");
    assert.equal(await exists(mine, "not-uploads.png"), false);
    S3.destroy();
  });

  test("a temporary credential cannot mint another", async () => {
    const r = await adminCall(credsOf(temp), "POST", "temporary-credentials", { ttlSeconds: 60 });
    assert.ok([400, 403].includes(r.status), r.text);
    assert.equal(r.json?.secretAccessKey, undefined);
  });

  test("stops working once its parent is revoked", async () => {
    const parent = await adminOk(builtin(), "POST", "keys",
      { name: "js-parent", permission: "object-rw", buckets: [mine] });
    const child = await adminOk(credsOf(parent), "POST", "temporary-credentials",
      { ttlSeconds: 900 });
    const S3 = clientFor(child);
    await S3.send(new PutObjectCommand({ Bucket: mine, Key: "before.txt", Body: "ok" }));
    const del = await adminCall(builtin(), "DELETE", `keys/${parent.accessKeyId}`);
    assert.equal(del.status, 204, del.text);
    await rejectsWith(S3.send(new PutObjectCommand({ Bucket: mine, Key: "after.txt",
      Body: "no" })), "InvalidAccessKeyId", 403);
    assert.equal(await exists(mine, "after.txt"), false);
    S3.destroy();
  });
});
