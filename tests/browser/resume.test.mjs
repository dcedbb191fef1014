// Multipart uploads from the dashboard survive what happens to browsers: a reload in the middle
// resumes the same upload (its id kept in IndexedDB, the finished parts found again with
// ListParts), a different file is refused, a failed part is retried, and cancel aborts the upload
// on the server. Uploads are slowed down with Chromium's network throttling so that there is a
// "middle" to act in.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand } from "@aws-sdk/client-s3";
import {
  MiB, bodyBytes, dashboardUrl, eventually, launchBrowser, md5hex, multipartEtag, patternBuffer, s3client, screenshot,
  signIn, startTarget,
} from "./harness.mjs";

const SIZE = 40 * MiB;
const PART = 8 * MiB;
let target;
let browser;
let page;
let cdp;
let s3;
let dir;
const bucket = `resume-${Date.now().toString(36)}`;

before(async () => {
  target = await startTarget();
  s3 = s3client(target);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  dir = mkdtempSync(join(tmpdir(), "cairn-resume-"));
  browser = await launchBrowser();
  page = await browser.page();
  cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await signIn(page, target);
});

after(async () => {
  await browser?.close();
  await target?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function writeFile(name, seed) {
  const bytes = patternBuffer(SIZE, seed);
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { path, bytes };
}

async function throttleUploads(bytesPerSecond) {
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond ?? -1,
  });
}

async function openBucket() {
  await page.goto(`${dashboardUrl(target)}#/b/${bucket}`);
  await page.getByRole("tab", { name: "Objects" }).waitFor();
}

const task = (key) => page.locator(`.upload[data-key="${key}"]`);
const partsDone = async (key) => Number(await task(key).getAttribute("data-parts-done"));
const stateOf = (key) => task(key).getAttribute("data-state");

async function uploadsOf(key) {
  const listed = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: key }));
  return (listed.Uploads ?? []).filter((u) => u.Key === key);
}

// Records the UploadPart and ListParts requests the page sends from now on.
function recordMultipartRequests() {
  const seen = { parts: [], listParts: 0 };
  const onRequest = (r) => {
    const url = new URL(r.url());
    if (!url.searchParams.has("uploadId")) return;
    if (r.method() === "PUT") seen.parts.push({ number: url.searchParams.get("partNumber"), uploadId: url.searchParams.get("uploadId") });
    if (r.method() === "GET") seen.listParts += 1;
  };
  page.on("request", onRequest);
  seen.stop = () => page.off("request", onRequest);
  return seen;
}

test("a reload in the middle of a multipart upload resumes the same upload", async () => {
  const { path, bytes } = writeFile("movie.bin", 11);
  await openBucket();
  await throttleUploads(4 * MiB);
  await page.getByTestId("upload-files").setInputFiles(path);
  await eventually(async () => (await partsDone("movie.bin")) >= 2, 60000, "two parts uploaded");
  const [upload] = await uploadsOf("movie.bin");
  assert.ok(upload, "the upload exists on the server");

  await page.reload();
  await throttleUploads(null);
  await task("movie.bin").waitFor();
  assert.equal(await stateOf("movie.bin"), "interrupted");
  await screenshot(page, "20-interrupted-upload");

  const seen = recordMultipartRequests();
  await page.getByTestId("resume-file").setInputFiles(path);
  await eventually(async () => (await stateOf("movie.bin")) === "done", 60000, "the resumed upload to finish");
  seen.stop();
  assert.ok(seen.listParts >= 1, "the finished parts were looked up with ListParts");
  assert.ok(seen.parts.length >= 1 && seen.parts.length <= 3, `only the missing parts were sent again (${seen.parts.length})`);
  assert.ok(seen.parts.every((p) => p.uploadId === upload.UploadId), "the same upload id went on");
  assert.match(await task("movie.bin").innerText(), /Uploaded 40\.0 MiB in 5 parts/);
  await screenshot(page, "21-resumed-upload");

  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "movie.bin" }));
  assert.equal(got.ETag, `"${multipartEtag(bytes, PART)}"`);
  assert.equal(md5hex(await bodyBytes(got)), md5hex(bytes));
  assert.deepEqual(await uploadsOf("movie.bin"), []);
});

test("resuming with a different file of the same size is refused", async () => {
  const { path } = writeFile("archive.bin", 21);
  const other = writeFile("archive-other.bin", 22);
  await openBucket();
  await throttleUploads(4 * MiB);
  await page.getByTestId("upload-files").setInputFiles(path);
  await eventually(async () => (await partsDone("archive.bin")) >= 1, 60000, "a part uploaded");
  await page.reload();
  await throttleUploads(null);
  await task("archive.bin").waitFor();
  await page.getByTestId("resume-file").setInputFiles(other.path);
  await eventually(async () => (await stateOf("archive.bin")) === "failed", 30000, "the resume to be refused");
  assert.match(await task("archive.bin").innerText(), /not the file the upload was started with/);
  await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "archive.bin" })), { name: "NotFound" });
  // Removing the failed upload from the list aborts it on the server.
  await task("archive.bin").getByRole("button", { name: /^Remove / }).click();
  await eventually(async () => (await uploadsOf("archive.bin")).length === 0, 10000, "the upload to be aborted");
});

test("a failed part is retried and the upload completes", async () => {
  const { path, bytes } = writeFile("retry.bin", 31);
  await openBucket();
  let failures = 0;
  await page.route((url) => url.searchParams.get("partNumber") === "2", async (route) => {
    if (failures++ === 0) return route.abort("connectionreset");
    return route.continue();
  });
  await page.getByTestId("upload-files").setInputFiles(path);
  await eventually(async () => (await stateOf("retry.bin")) === "done", 90000, "the upload to finish");
  await page.unrouteAll();
  assert.ok(failures >= 2, "part 2 was sent again after its connection failed");
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "retry.bin" }));
  assert.equal(got.ETag, `"${multipartEtag(bytes, PART)}"`);
});

test("cancel aborts the multipart upload on the server", async () => {
  const { path } = writeFile("cancel.bin", 41);
  await openBucket();
  await throttleUploads(4 * MiB);
  await page.getByTestId("upload-files").setInputFiles(path);
  await eventually(async () => (await partsDone("cancel.bin")) >= 1, 60000, "a part uploaded");
  assert.equal((await uploadsOf("cancel.bin")).length, 1);
  await task("cancel.bin").getByRole("button", { name: "Cancel cancel.bin" }).click();
  await throttleUploads(null);
  await eventually(async () => (await stateOf("cancel.bin")) === "cancelled", 10000, "the task to be cancelled");
  await eventually(async () => (await uploadsOf("cancel.bin")).length === 0, 10000, "the upload to be aborted");
  await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "cancel.bin" })), { name: "NotFound" });
  // Nothing is left to resume after a reload.
  await page.reload();
  await page.getByRole("tab", { name: "Objects" }).waitFor();
  assert.equal(await task("cancel.bin").count(), 0);
});
