// Multipart uploads from the dashboard survive what happens to browsers: a reload in the middle
// asks first, then resumes the same upload (its id kept in IndexedDB, the finished parts found
// again with ListParts and shown), a different file is refused with the reason while Resume stays
// offered, a failed part is retried, taking an unfinished upload off the tray keeps it resumable,
// aborting it is a confirmed action, and cancel aborts the upload on the server. Uploads are slowed
// down with Chromium's network throttling so that there is a "middle" to act in.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListPartsCommand,
} from "@aws-sdk/client-s3";
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

// A file of SIZE bytes from `seed`, last modified at a fixed time (so that two files can agree on
// name, size and time and differ only in their bytes). `under`: a subfolder of the test's folder.
function writeFile(name, seed, under = "") {
  const bytes = patternBuffer(SIZE, seed);
  mkdirSync(join(dir, under), { recursive: true });
  const path = join(dir, under, name);
  writeFileSync(path, bytes);
  const modified = new Date("2026-03-01T10:00:00Z");
  utimesSync(path, modified, modified);
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

// Starts uploading `path` slowly and reloads the page once `parts` parts are on the server: the
// upload is left interrupted, with the parts the server has.
async function interruptAfter(key, path, parts) {
  await openBucket();
  await throttleUploads(4 * MiB);
  await page.getByTestId("upload-files").setInputFiles(path);
  await eventually(async () => (await partsDone(key)) >= parts, 60000, `${parts} parts uploaded`);
  await page.reload();
  await throttleUploads(null);
  await task(key).waitFor();
  assert.equal(await stateOf(key), "interrupted");
}

async function partsOnServer(key) {
  const [upload] = await uploadsOf(key);
  const listed = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: upload.UploadId }));
  return (listed.Parts ?? []).length;
}

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
  // The entry shows how far the upload got: the parts on the server, and the bar filled as much.
  const onServer = await partsOnServer("movie.bin");
  await task("movie.bin").getByText(`${onServer} of 5 parts`).waitFor();
  assert.equal(await task("movie.bin").locator("progress").getAttribute("value"), String(Math.round((100 * onServer) / 5)));
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

test("a wrong file for a resume is refused with the reason, and Resume stays offered for the right one", async () => {
  const { path, bytes } = writeFile("archive.bin", 21);
  const renamed = writeFile("archive-other.bin", 22);
  const impostor = writeFile("archive.bin", 23, "elsewhere");  // same name, size and time; other bytes
  await interruptAfter("archive.bin", path, 1);
  const entry = task("archive.bin");
  const resumeOffered = async () => {
    assert.equal(await stateOf("archive.bin"), "interrupted");
    assert.equal(await entry.getByRole("button", { name: "Resume" }).isVisible(), true);
    assert.equal(await entry.getByRole("button", { name: /^Retry / }).count(), 0);
  };

  await page.getByTestId("resume-file").setInputFiles(renamed.path);
  await entry.getByText("does not match this upload: it is named archive-other.bin, not archive.bin").waitFor();
  await resumeOffered();

  await page.getByTestId("resume-file").setInputFiles(impostor.path);
  await entry.getByText("its bytes differ from the parts already uploaded").waitFor({ timeout: 30000 });
  await resumeOffered();
  await screenshot(page, "22-resume-wrong-file");
  await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "archive.bin" })), { name: "NotFound" });

  await page.getByTestId("resume-file").setInputFiles(path);
  await eventually(async () => (await stateOf("archive.bin")) === "done", 60000, "the resumed upload to finish");
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "archive.bin" }));
  assert.equal(md5hex(await bodyBytes(got)), md5hex(bytes));
});

test("removing an interrupted upload from the tray keeps it resumable from the incomplete uploads", async () => {
  const { path, bytes } = writeFile("kept.bin", 51);
  await interruptAfter("kept.bin", path, 1);
  await task("kept.bin").getByRole("button", { name: "Remove kept.bin from the list" }).click();
  await task("kept.bin").waitFor({ state: "detached" });
  assert.equal((await uploadsOf("kept.bin")).length, 1, "the upload is still on the server");
  // It does not come back to the tray after a reload, but the bucket's incomplete uploads offer it.
  await page.reload();
  await page.getByRole("tab", { name: "Objects" }).waitFor();
  await page.getByRole("tab", { name: "Incomplete uploads" }).click();
  const [upload] = await uploadsOf("kept.bin");
  const row = page.locator(`tr[data-upload-id="${upload.UploadId}"]`);
  await row.getByRole("button", { name: "Resume" }).waitFor();
  assert.equal(await task("kept.bin").count(), 0);
  const seen = recordMultipartRequests();
  await row.getByLabel("Choose kept.bin to resume its upload").setInputFiles(path);
  await eventually(async () => (await stateOf("kept.bin")) === "done", 60000, "the resumed upload to finish");
  seen.stop();
  assert.ok(seen.parts.every((p) => p.uploadId === upload.UploadId), "the same upload id went on");
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "kept.bin" }));
  assert.equal(got.ETag, `"${multipartEtag(bytes, PART)}"`);
});

test("aborting an interrupted upload from the tray is confirmed and deletes its parts", async () => {
  const { path } = writeFile("dropped.bin", 61);
  await interruptAfter("dropped.bin", path, 2);
  const onServer = await partsOnServer("dropped.bin");
  await task("dropped.bin").getByRole("button", { name: "Abort upload of dropped.bin" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByText(`aborting deletes the ${onServer} parts already sent`).waitFor();
  await screenshot(page, "23-abort-interrupted-upload");
  assert.equal((await uploadsOf("dropped.bin")).length, 1, "nothing is aborted before the confirmation");
  await dialog.getByRole("button", { name: "Abort upload" }).click();
  await task("dropped.bin").waitFor({ state: "detached" });
  assert.deepEqual(await uploadsOf("dropped.bin"), []);
});

test("removing a failed upload from the tray does not abort it on the server", async () => {
  const { path } = writeFile("refused.bin", 71);
  await openBucket();
  // Part 2 is refused for good (not a failure worth retrying); its preflight goes through.
  await page.route((url) => url.searchParams.get("partNumber") === "2", (route) => {
    if (route.request().method() === "OPTIONS") return route.continue();
    return route.fulfill({
      status: 403,
      headers: { "Content-Type": "application/xml", "Access-Control-Allow-Origin": target.console },
      body: "<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code><Message>Refused by the test.</Message></Error>",
    });
  });
  await page.getByTestId("upload-files").setInputFiles(path);
  await eventually(async () => (await stateOf("refused.bin")) === "failed", 60000, "the upload to fail");
  await page.unrouteAll();
  assert.equal((await uploadsOf("refused.bin")).length, 1);
  await task("refused.bin").getByRole("button", { name: "Remove refused.bin from the list" }).click();
  await task("refused.bin").waitFor({ state: "detached" });
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal((await uploadsOf("refused.bin")).length, 1, "the upload and its parts stay on the server");
});

test("leaving the page asks first while an upload runs, and not when nothing does", async () => {
  const { path } = writeFile("leave.bin", 81);
  await openBucket();
  const dialogs = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.type());
    dialog.accept();
  });
  // Browsers ask only on pages the user has interacted with.
  await page.getByRole("heading", { name: bucket }).click();
  await page.reload();
  assert.deepEqual(dialogs, [], "no question while idle");

  await page.getByRole("tab", { name: "Objects" }).waitFor();
  await throttleUploads(4 * MiB);
  await page.getByTestId("upload-files").setInputFiles(path);
  await eventually(async () => (await uploadsOf("leave.bin")).length === 1, 30000, "the upload to start");
  await page.getByRole("heading", { name: bucket }).click();
  await page.reload();
  await throttleUploads(null);
  assert.deepEqual(dialogs, ["beforeunload"]);
  page.removeAllListeners("dialog");
  await task("leave.bin").waitFor();
  await task("leave.bin").getByRole("button", { name: "Abort upload of leave.bin" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Abort upload" }).click();
  await task("leave.bin").waitFor({ state: "detached" });
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
