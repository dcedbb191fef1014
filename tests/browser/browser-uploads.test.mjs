// Direct uploads from someone's web app on another origin, the way the R2 guide describes them:
// the app's server presigns (the AWS SDK's s3-request-presigner and s3-presigned-post), the page
// in the browser sends the bytes straight to cairn. With the bucket's CORS rule the page can PUT,
// upload multipart parts and read their ETags, complete, GET, HEAD, DELETE and post an HTML form;
// without it the browser blocks the page, as it must.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteObjectCommand,
  GetObjectCommand, HeadObjectCommand, PutBucketCorsCommand, PutObjectCommand, S3Client, UploadPartCommand,
} from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { MiB, bodyBytes, freePort, launchBrowser, md5hex, multipartEtag, patternBuffer, s3client, screenshot, startTarget } from "./harness.mjs";

let target;
let s3;
let presigner;
let browser;
let page;
let app;
let appOrigin;
let dir;
const withCors = `app-cors-${Date.now().toString(36)}`;
const noCors = `app-nocors-${Date.now().toString(36)}`;
const noExpose = `app-noexpose-${Date.now().toString(36)}`;

// The web app's page: each function is one thing a real app's upload code does.
const PAGE_SCRIPT = `
async function api(path, params) {
  const r = await fetch(path + "?" + new URLSearchParams(params));
  if (!r.ok) throw new Error(await r.text());
  return r.json();
}
async function attempt(run) {
  try { return await run(); } catch (e) { return { error: e.name + ": " + e.message }; }
}
window.putPresigned = (bucket, key, type, text, sendType = type) => attempt(async () => {
  const { url } = await api("/api/presign", { op: "put", bucket, key, type });
  const r = await fetch(url, { method: "PUT", headers: { "Content-Type": sendType }, body: text });
  return { status: r.status, etag: r.headers.get("ETag"), body: await r.text() };
});
window.multipart = (bucket, key, sizes) => attempt(async () => {
  const { uploadId } = await api("/api/create", { bucket, key });
  const etags = [];
  for (const [i, size] of sizes.entries()) {
    const body = new Uint8Array(size).fill(65 + i);
    const { url } = await api("/api/presign", { op: "part", bucket, key, uploadId, partNumber: i + 1 });
    const r = await fetch(url, { method: "PUT", body });
    if (!r.ok) return { status: r.status, body: await r.text() };
    etags.push(r.headers.get("ETag"));
  }
  if (etags.some((e) => !e)) return { etags, error: "the part ETags cannot be read" };
  const xml = "<CompleteMultipartUpload>" + etags.map((e, i) =>
    "<Part><PartNumber>" + (i + 1) + "</PartNumber><ETag>" + e + "</ETag></Part>").join("") + "</CompleteMultipartUpload>";
  const { url } = await api("/api/presign", { op: "complete", bucket, key, uploadId });
  const r = await fetch(url, { method: "POST", headers: { "Content-Type": "application/xml" }, body: xml });
  return { status: r.status, etags, body: await r.text() };
});
window.simple = (op, bucket, key) => attempt(async () => {
  const { url } = await api("/api/presign", { op, bucket, key });
  const r = await fetch(url, { method: op.toUpperCase() });
  return { status: r.status, body: await r.text(), length: r.headers.get("Content-Length"), type: r.headers.get("Content-Type") };
});
window.postForm = (bucket, key, text) => attempt(async () => {
  const { url, fields } = await api("/api/post-policy", { bucket, key, redirect: "" });
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append("file", new Blob([text], { type: "text/plain" }), "note.txt");
  const r = await fetch(url, { method: "POST", body: form });
  return { status: r.status, etag: r.headers.get("ETag"), body: await r.text() };
});
window.buildForm = async (bucket, key, redirect) => {
  const { url, fields } = await api("/api/post-policy", { bucket, key, redirect });
  const form = document.getElementById("upload-form");
  form.action = url;
  for (const [name, value] of Object.entries(fields)) {
    const input = document.createElement("input");
    input.type = "hidden"; input.name = name; input.value = value;
    form.insertBefore(input, form.firstChild);
  }
};
`;

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Photo app</title></head><body>
<h1>Photo app</h1>
<form id="upload-form" method="post" enctype="multipart/form-data">
  <input type="file" name="file" aria-label="Photo"><button type="submit">Upload photo</button>
</form>
<script src="/page.js"></script></body></html>`;

// The app's server side: it holds the keys and presigns, as in the guide.
async function handle(req, res) {
  const url = new URL(req.url, appOrigin);
  const q = Object.fromEntries(url.searchParams);
  const json = (value) => {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify(value));
  };
  if (url.pathname === "/") return res.end(PAGE);
  if (url.pathname === "/page.js") {
    res.writeHead(200, { "Content-Type": "text/javascript" });
    return res.end(PAGE_SCRIPT);
  }
  if (url.pathname === "/done") return res.end("<p>Thanks!</p>");
  if (url.pathname === "/api/create") {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: q.bucket, Key: q.key }));
    return json({ uploadId: UploadId });
  }
  if (url.pathname === "/api/post-policy") {
    const fields = { "Content-Type": "text/plain" };
    const conditions = [["content-length-range", 1, 10 * MiB], ["starts-with", "$Content-Type", "text/"]];
    if (q.redirect) {
      fields.success_action_redirect = q.redirect;
      conditions.push({ success_action_redirect: q.redirect });
    }
    return json(await createPresignedPost(s3, { Bucket: q.bucket, Key: q.key, Fields: fields, Conditions: conditions, Expires: 600 }));
  }
  const params = { Bucket: q.bucket, Key: q.key };
  const commands = {
    put: () => new PutObjectCommand({ ...params, ContentType: q.type }),
    part: () => new UploadPartCommand({ ...params, UploadId: q.uploadId, PartNumber: Number(q.partNumber) }),
    complete: () => new CompleteMultipartUploadCommand({ ...params, UploadId: q.uploadId }),
    get: () => new GetObjectCommand(params),
    head: () => new HeadObjectCommand(params),
    delete: () => new DeleteObjectCommand(params),
  };
  if (url.pathname === "/api/presign" && commands[q.op]) {
    // The SDK signs only Host unless told: binding the Content-Type takes signableHeaders.
    const signableHeaders = q.op === "put" ? new Set(["content-type"]) : undefined;
    return json({ url: await getSignedUrl(presigner, commands[q.op](), { expiresIn: 600, signableHeaders }) });
  }
  res.writeHead(404);
  res.end();
}

before(async () => {
  target = await startTarget();
  s3 = s3client(target);
  // As the README says: without WHEN_REQUIRED the presigner signs the CRC32 of an empty body.
  presigner = s3client(target, { requestChecksumCalculation: "WHEN_REQUIRED" });
  const port = await freePort();
  appOrigin = `http://localhost:${port}`;  // another origin than cairn's http://127.0.0.1:...
  app = createServer((req, res) => handle(req, res).catch((e) => {
    res.writeHead(500);
    res.end(String(e));
  }));
  await new Promise((resolve) => app.listen(port, "127.0.0.1", resolve));
  for (const Bucket of [withCors, noCors, noExpose]) await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new PutBucketCorsCommand({ Bucket: withCors, CORSConfiguration: { CORSRules: [{
    AllowedOrigins: [appOrigin], AllowedMethods: ["GET", "PUT", "POST", "DELETE", "HEAD"], AllowedHeaders: ["*"],
    ExposeHeaders: ["ETag"], MaxAgeSeconds: 600 }] } }));
  await s3.send(new PutBucketCorsCommand({ Bucket: noExpose, CORSConfiguration: { CORSRules: [{
    AllowedOrigins: [appOrigin], AllowedMethods: ["PUT", "POST"], AllowedHeaders: ["*"] }] } }));
  dir = mkdtempSync(join(tmpdir(), "cairn-form-"));
  browser = await launchBrowser();
  page = await browser.page();
  await page.goto(appOrigin);
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (app ? app.close(resolve) : resolve()));
  await target?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("a presigned PUT from the page stores the file, and the page reads its ETag", async () => {
  const text = "hello from another origin";
  const r = await page.evaluate(([b, t]) => window.putPresigned(b, "user-upload.txt", "text/plain", t), [withCors, text]);
  assert.equal(r.status, 200, JSON.stringify(r));
  assert.equal(r.etag, `"${md5hex(Buffer.from(text))}"`);
  const got = await s3.send(new GetObjectCommand({ Bucket: withCors, Key: "user-upload.txt" }));
  assert.equal((await bodyBytes(got)).toString(), text);
  assert.equal(got.ContentType, "text/plain");
});

test("a presigned PUT that fixed the Content-Type refuses another one, readably", async () => {
  const r = await page.evaluate((b) => window.putPresigned(b, "typed.png", "image/png", "not a png", "text/html"), withCors);
  assert.equal(r.status, 403, JSON.stringify(r));
  assert.match(r.body, /SignatureDoesNotMatch/);
  await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: withCors, Key: "typed.png" })), { name: "NotFound" });
});

test("a multipart upload with presigned part URLs reads each part's ETag and completes", async () => {
  const sizes = [5 * MiB, 5 * MiB, 1234];
  const r = await page.evaluate(([b, s]) => window.multipart(b, "browser/big.bin", s), [withCors, sizes]);
  assert.equal(r.status, 200, JSON.stringify(r).slice(0, 500));
  const expected = Buffer.concat(sizes.map((size, i) => Buffer.alloc(size, 65 + i)));
  assert.deepEqual(r.etags, sizes.map((size, i) => `"${md5hex(Buffer.alloc(size, 65 + i))}"`));
  const got = await s3.send(new GetObjectCommand({ Bucket: withCors, Key: "browser/big.bin" }));
  assert.equal(got.ETag, `"${multipartEtag(expected, 5 * MiB)}"`);
  assert.equal(md5hex(await bodyBytes(got)), md5hex(expected));
});

test("presigned GET, HEAD and DELETE work from the page", async () => {
  await s3.send(new PutObjectCommand({ Bucket: withCors, Key: "shared.json", Body: '{"a":1}', ContentType: "application/json" }));
  const get = await page.evaluate((b) => window.simple("get", b, "shared.json"), withCors);
  assert.equal(get.status, 200);
  assert.equal(get.body, '{"a":1}');
  assert.equal(get.type, "application/json");
  const head = await page.evaluate((b) => window.simple("head", b, "shared.json"), withCors);
  assert.equal(head.status, 200);
  assert.equal(head.length, "7");
  const del = await page.evaluate((b) => window.simple("delete", b, "shared.json"), withCors);
  assert.equal(del.status, 204);
  await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: withCors, Key: "shared.json" })), { name: "NotFound" });
});

test("an HTML form posts a file with a POST policy and lands on success_action_redirect", async () => {
  const redirect = `${appOrigin}/done`;
  await page.evaluate(([b, r]) => window.buildForm(b, "forms/${filename}", r), [withCors, redirect]);
  const path = join(dir, "holiday.txt");
  writeFileSync(path, "sunny\n");
  await page.getByLabel("Photo").setInputFiles(path);
  await screenshot(page, "30-app-form");
  await Promise.all([page.waitForURL(/\/done\?/), page.getByRole("button", { name: "Upload photo" }).click()]);
  const landed = new URL(page.url());
  assert.equal(landed.searchParams.get("bucket"), withCors);
  assert.equal(landed.searchParams.get("key"), "forms/holiday.txt");
  assert.equal(landed.searchParams.get("etag"), `"${md5hex(Buffer.from("sunny\n"))}"`);
  const got = await s3.send(new GetObjectCommand({ Bucket: withCors, Key: "forms/holiday.txt" }));
  assert.equal((await bodyBytes(got)).toString(), "sunny\n");
  await page.goto(appOrigin);
});

test("a form upload by fetch gets CORS headers on success and on a policy refusal", async () => {
  const ok = await page.evaluate((b) => window.postForm(b, "fetched/note.txt", "a note"), withCors);
  assert.equal(ok.status, 204, JSON.stringify(ok));
  assert.equal(ok.etag, `"${md5hex(Buffer.from("a note"))}"`);
  const empty = await page.evaluate((b) => window.postForm(b, "fetched/empty.txt", ""), withCors);
  assert.equal(empty.status, 400, JSON.stringify(empty));
  assert.match(empty.body, /EntityTooSmall/);
});

test("without a CORS rule the browser blocks the page, and nothing is stored", async () => {
  const put = await page.evaluate((b) => window.putPresigned(b, "blocked.txt", "text/plain", "x"), noCors);
  assert.match(put.error ?? "", /TypeError/, JSON.stringify(put));
  await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: noCors, Key: "blocked.txt" })), { name: "NotFound" });
  const form = await page.evaluate((b) => window.postForm(b, "blocked-form.txt", "x"), noCors);
  assert.match(form.error ?? "", /TypeError/, JSON.stringify(form));
});

test("without ExposeHeaders ETag the page cannot read part ETags, so it cannot complete", async () => {
  const r = await page.evaluate(([b, s]) => window.multipart(b, "hidden-etags.bin", s), [noExpose, [5 * MiB, 10]]);
  assert.equal(r.error, "the part ETags cannot be read", JSON.stringify(r));
  assert.deepEqual(r.etags, [null, null]);
});
