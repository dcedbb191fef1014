// The dashboard in a real browser, as a person uses it: sign in, create a bucket, drag and drop
// files (a 40 MiB one goes multipart), browse folders, look at an object's metadata, download,
// delete, abort incomplete uploads, edit lifecycle and CORS rules, delete a bucket, sign out. What
// the browser stored is checked with the AWS SDK.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  CreateBucketCommand, CreateMultipartUploadCommand, GetBucketCorsCommand, GetBucketLifecycleConfigurationCommand,
  HeadBucketCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command,
  PutObjectCommand, UploadPartCommand,
} from "@aws-sdk/client-s3";
import {
  MiB, boto3Objects, dashboardUrl, dropFilesOn, eventually, launchBrowser, md5hex, multipartEtag, patternBuffer,
  s3client, screenshot, signIn, startTarget, waitForUploads,
} from "./harness.mjs";

let target;
let browser;
let page;
let s3;

before(async () => {
  target = await startTarget();
  s3 = s3client(target);
  browser = await launchBrowser();
  page = await browser.page();
});

after(async () => {
  await browser?.close();
  await target?.stop();
});

const bucketName = `dash-${Date.now().toString(36)}`;

async function openBucket(bucket, query = "") {
  await page.goto(`${dashboardUrl(target)}#/b/${bucket}${query}`);
  await page.getByRole("tab", { name: "Objects" }).waitFor();
}

const dropFiles = (files) => dropFilesOn(page, files);
const waitUploadsDone = (keys, ms) => waitForUploads(page, keys, ms);

test("sign-in refuses a wrong secret with a clear message, then signs in", async () => {
  await page.goto(dashboardUrl(target));
  await screenshot(page, "01-sign-in");
  await page.getByLabel("Access key ID").fill(target.accessKeyId);
  await page.getByLabel("Secret access key").fill("not-the-secret");
  await page.getByRole("button", { name: "Sign in" }).click();
  await assert.doesNotReject(page.getByRole("alert").filter({ hasText: "wrong" }).waitFor());
  await screenshot(page, "02-sign-in-refused");
  await signIn(page, target);
  const cookie = (await browser.context.cookies()).find((c) => c.name === "cairn_session");
  assert.ok(cookie, "a session cookie");
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, "Strict");
  assert.ok(cookie.expires > Date.now() / 1000 + 3600, "the cookie expires, hours from now");
  // No script of the page can read the session.
  assert.equal(await page.evaluate(() => document.cookie.includes("cairn_session")), false);
});

test("creating a bucket validates its name while typing", async () => {
  await page.getByRole("button", { name: "Create bucket" }).first().click();
  const dialog = page.getByRole("dialog");
  const name = dialog.getByLabel("Bucket name");
  await name.fill("My_Photos");
  await assert.doesNotReject(dialog.getByText("lowercase letters").waitFor());
  assert.equal(await dialog.getByRole("button", { name: "Create bucket" }).isDisabled(), true);
  await name.fill("ab");
  await assert.doesNotReject(dialog.getByText("between 3 and 63").waitFor());
  await screenshot(page, "03-create-bucket-invalid");
  await name.fill(bucketName);
  await dialog.getByRole("button", { name: "Create bucket" }).click();
  await page.getByRole("heading", { name: bucketName }).waitFor();
  await s3.send(new HeadBucketCommand({ Bucket: bucketName }));
});

test("three dropped files upload, one of them multipart, with the right sizes, bytes and ETags", async () => {
  const files = [
    { name: "notes.txt", size: 1234, seed: 1, type: "text/plain" },
    { name: "photo.jpg", size: 300 * 1024 + 7, seed: 2, type: "image/jpeg" },
    { name: "video.bin", size: 40 * MiB, seed: 3, type: "application/octet-stream" },
  ];
  const parts = new Set();
  let inFlight = 0;
  let maxInFlight = 0;
  const isPart = (r) => r.method() === "PUT" && r.url().includes("partNumber=");
  const onRequest = (r) => {
    if (!isPart(r)) return;
    parts.add(new URL(r.url()).searchParams.get("partNumber"));
    maxInFlight = Math.max(maxInFlight, ++inFlight);
  };
  const onDone = (r) => {
    if (isPart(r)) inFlight -= 1;
  };
  page.on("request", onRequest);
  page.on("requestfinished", onDone);
  page.on("requestfailed", onDone);
  await dropFiles(files);
  await page.locator(".upload").first().waitFor();
  await screenshot(page, "04-uploading");
  await waitUploadsDone(files.map((f) => f.name));
  page.off("request", onRequest);
  page.off("requestfinished", onDone);
  page.off("requestfailed", onDone);
  assert.equal(parts.size, 5, "40 MiB goes in five 8 MiB parts");
  assert.ok(maxInFlight >= 2, `several parts in flight at once (saw ${maxInFlight})`);

  // The listing updates by itself and shows each file with its size.
  for (const f of files) {
    const row = page.locator(`tr[data-key="${f.name}"]`);
    await row.waitFor();
    assert.equal(await row.locator("[data-testid=size]").getAttribute("data-bytes"), String(f.size), f.name);
  }
  await assert.doesNotReject(page.locator(".toast").filter({ hasText: "Uploaded" }).first().waitFor());
  await screenshot(page, "05-uploaded");

  const downloaded = boto3Objects(target, bucketName, files.map((f) => f.name));
  for (const f of files) {
    const expected = patternBuffer(f.size, f.seed);
    const got = downloaded[f.name];
    assert.equal(got.size, f.size, f.name);
    assert.equal(got.md5, md5hex(expected), `${f.name}: the bytes are the file's`);
    const etag = f.size > 16 * MiB ? multipartEtag(expected, 8 * MiB) : md5hex(expected);
    assert.equal(got.etag, `"${etag}"`, f.name);
    assert.equal(got.contentType, f.type, f.name);
  }
});

test("a folder picked with the folder picker keeps its tree, and folders can be browsed", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cairn-folder-"));
  try {
    mkdirSync(join(dir, "album", "2026"), { recursive: true });
    writeFileSync(join(dir, "album", "cover.txt"), "cover");
    writeFileSync(join(dir, "album", "2026", "día 1.txt"), "first day");
    await page.getByTestId("upload-folder").setInputFiles(join(dir, "album"));
    await waitUploadsDone(["album/cover.txt", "album/2026/día 1.txt"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucketName, Prefix: "album/" }));
  assert.deepEqual(listed.Contents.map((o) => o.Key).sort(), ["album/2026/día 1.txt", "album/cover.txt"]);

  await page.getByRole("link", { name: "album" }).click();
  await page.getByRole("link", { name: "2026" }).click();
  const crumbs = page.getByRole("navigation", { name: "Breadcrumbs" });
  // The click only starts the navigation: wait for the new last crumb before reading them all.
  await crumbs.getByRole("link", { name: "2026" }).waitFor();
  assert.deepEqual(await crumbs.getByRole("link").allInnerTexts(), ["Buckets", bucketName, "album", "2026"]);
  await page.locator('tr[data-key="album/2026/día 1.txt"]').waitFor();
  await screenshot(page, "06-folder");
  await crumbs.getByRole("link", { name: bucketName }).click();
  await page.getByRole("link", { name: "album" }).waitFor();
});

test("object details show HTTP metadata, custom metadata, ETag and storage class; download gives the bytes", async () => {
  const body = Buffer.from("details, please\n");
  await s3.send(new PutObjectCommand({
    Bucket: bucketName, Key: "docs/report.txt", Body: body, ContentType: "text/plain; charset=utf-8",
    CacheControl: "max-age=60", ContentDisposition: "inline", Metadata: { owner: "ana", project: "cairn" },
    StorageClass: "STANDARD_IA",
  }));
  await openBucket(bucketName, "?prefix=docs%2F");
  await page.getByRole("button", { name: "report.txt", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByText("Custom metadata").waitFor();
  const text = await dialog.innerText();
  for (const expected of [md5hex(body), "text/plain; charset=utf-8", "max-age=60", "inline", "owner", "ana", "project",
    "Infrequent Access", "16 B"]) {
    assert.ok(text.includes(expected), `details show ${expected}:\n${text}`);
  }
  await screenshot(page, "07-object-details");
  const [download] = await Promise.all([page.waitForEvent("download"), dialog.getByRole("button", { name: "Download" }).click()]);
  assert.equal(download.suggestedFilename(), "report.txt");
  assert.deepEqual(readFileSync(await download.path()), body);
  await dialog.getByRole("button", { name: "Close" }).click();
});

test("large folders page through, and the prefix filter narrows the listing", async () => {
  const keys = Array.from({ length: 230 }, (_, i) => `many/item-${String(i).padStart(3, "0")}.txt`);
  for (let i = 0; i < keys.length; i += 25) {
    await Promise.all(keys.slice(i, i + 25).map((Key) => s3.send(new PutObjectCommand({ Bucket: bucketName, Key, Body: "x" }))));
  }
  await openBucket(bucketName, "?prefix=many%2F");
  const rows = page.locator("tr[data-key]");
  await eventually(async () => (await rows.count()) === 100, 10000, "a first page of 100");
  assert.equal(await rows.first().getAttribute("data-key"), "many/item-000.txt");
  await page.getByRole("button", { name: "Next" }).click();
  await eventually(async () => (await rows.first().getAttribute("data-key")) === "many/item-100.txt", 10000, "page 2");
  await page.getByRole("button", { name: "Next" }).click();
  await eventually(async () => (await rows.count()) === 30, 10000, "a last page of 30");
  assert.equal(await page.getByRole("button", { name: "Next" }).isDisabled(), true);
  await page.getByRole("button", { name: "Previous" }).click();
  await eventually(async () => (await rows.first().getAttribute("data-key")) === "many/item-100.txt", 10000, "back to page 2");

  await page.getByRole("searchbox", { name: "Filter by prefix" }).fill("item-12");
  await eventually(async () => (await rows.count()) === 10, 10000, "ten matches of item-12");
  assert.deepEqual(await rows.evaluateAll((r) => r.map((x) => x.dataset.key)), keys.filter((k) => k.startsWith("many/item-12")));
  await screenshot(page, "08-filtered");
});

test("objects are deleted one at a time or several at once", async () => {
  await openBucket(bucketName, "?prefix=many%2F");
  await page.getByRole("searchbox", { name: "Filter by prefix" }).fill("item-00");
  const rows = page.locator("tr[data-key]");
  await eventually(async () => (await rows.count()) === 10, 10000, "ten rows");
  await page.getByRole("button", { name: "Delete item-000.txt" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await eventually(async () => (await rows.count()) === 9, 10000, "one row fewer");
  await page.getByLabel("Select item-001.txt").check();
  await page.getByLabel("Select item-002.txt").check();
  await page.getByRole("button", { name: "Delete (2)" }).click();
  await screenshot(page, "09-delete-selected");
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await eventually(async () => (await rows.count()) === 7, 10000, "two rows fewer");
  for (const Key of ["many/item-000.txt", "many/item-001.txt", "many/item-002.txt"]) {
    await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: bucketName, Key })), { name: "NotFound" });
  }
  await s3.send(new HeadObjectCommand({ Bucket: bucketName, Key: "many/item-003.txt" }));
});

test("incomplete uploads are listed with their age and abort date, and can be aborted", async () => {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucketName, Key: "stale/backup.tar" }));
  await s3.send(new UploadPartCommand({ Bucket: bucketName, Key: "stale/backup.tar", UploadId, PartNumber: 1, Body: Buffer.alloc(5 * MiB, 1) }));
  await openBucket(bucketName, "?tab=uploads");
  const row = page.locator(`tr[data-upload-id="${UploadId}"]`);
  await row.waitFor();
  await row.getByText("1 part · 5.00 MiB").waitFor();
  const abortText = await row.getByTestId("abort-date").innerText();
  assert.match(abortText, /in 7 days/);
  await screenshot(page, "10-incomplete-uploads");
  await row.getByRole("button", { name: "Abort the upload of stale/backup.tar" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Abort" }).click();
  await page.getByText("No incomplete uploads").waitFor();
  const left = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucketName }));
  assert.equal(left.Uploads, undefined);
});

test("lifecycle settings change when incomplete uploads are aborted", async () => {
  await openBucket(bucketName, "?tab=settings");
  const days = page.getByTestId("abort-days");
  assert.equal(await days.inputValue(), "7");
  await days.fill("3");
  await page.getByRole("button", { name: "Add rule" }).first().click();
  await page.getByLabel("ID", { exact: true }).fill("expire-tmp");
  await page.getByLabel("Key prefix (empty: the whole bucket)").fill("tmp/");
  await page.getByLabel("Delete objects after (days)").fill("30");
  await page.getByRole("button", { name: "Save lifecycle rules" }).click();
  await page.locator(".toast").filter({ hasText: "Lifecycle rules saved" }).waitFor();
  const { Rules } = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucketName }));
  const byId = Object.fromEntries(Rules.map((r) => [r.ID, r]));
  assert.equal(byId["abort-incomplete-multipart-uploads"].AbortIncompleteMultipartUpload.DaysAfterInitiation, 3);
  assert.equal(byId["expire-tmp"].Expiration.Days, 30);
  assert.equal(byId["expire-tmp"].Filter.Prefix, "tmp/");
  const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucketName, Key: "any.bin" }));
  const daysAhead = (created.AbortDate.getTime() - Date.now()) / 86400000;
  assert.ok(daysAhead > 2.9 && daysAhead < 3.1, `aborted in 3 days, not ${daysAhead}`);
  await page.reload();
  await page.getByTestId("abort-days").waitFor();
  assert.equal(await page.getByTestId("abort-days").inputValue(), "3");
  await screenshot(page, "11-settings");
});

test("CORS rules are edited in the settings", async () => {
  await page.getByRole("button", { name: "Add a rule for browser uploads" }).click();
  const origins = page.getByLabel("Allowed origins, one per line (* wildcards)");
  await origins.fill("https://app.example.com\nhttps://*.example.org");
  await page.getByRole("button", { name: "Save CORS rules" }).click();
  await page.locator(".toast").filter({ hasText: "CORS rules saved" }).waitFor();
  const { CORSRules } = await s3.send(new GetBucketCorsCommand({ Bucket: bucketName }));
  assert.equal(CORSRules.length, 1);
  assert.deepEqual(CORSRules[0].AllowedOrigins, ["https://app.example.com", "https://*.example.org"]);
  assert.deepEqual(CORSRules[0].ExposeHeaders, ["ETag"]);
  assert.deepEqual([...CORSRules[0].AllowedMethods].sort(), ["GET", "HEAD", "POST", "PUT"]);
});

test("a bucket is deleted only when empty, after a confirmation", async () => {
  const empty = `${bucketName}-empty`;
  await s3.send(new CreateBucketCommand({ Bucket: empty }));
  await page.goto(dashboardUrl(target));
  await page.getByRole("button", { name: `Delete bucket ${bucketName}`, exact: true }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByText("still holds objects").waitFor();
  assert.equal(await dialog.getByRole("button", { name: "Delete bucket" }).isDisabled(), true);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("button", { name: `Delete bucket ${empty}` }).click();
  await dialog.getByText("The bucket is empty").waitFor();
  await dialog.getByRole("button", { name: "Delete bucket" }).click();
  await page.getByRole("link", { name: empty }).waitFor({ state: "detached" });
  await assert.rejects(s3.send(new HeadBucketCommand({ Bucket: empty })));
  await s3.send(new HeadBucketCommand({ Bucket: bucketName }));
});

test("the dashboard works by keyboard, in dark mode and on a 360 px phone", async () => {
  await page.goto(dashboardUrl(target));
  await page.getByRole("heading", { name: "Buckets", exact: true }).waitFor();
  await page.getByRole("button", { name: "Create bucket" }).first().focus();
  await page.keyboard.press("Enter");
  await page.getByRole("dialog").waitFor();
  await page.keyboard.press("Escape");
  await page.getByRole("dialog").waitFor({ state: "detached" });

  await page.getByRole("button", { name: /^Theme: / }).click();  // system -> light
  await page.getByRole("button", { name: /^Theme: / }).click();  // light -> dark
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(background, "rgb(15, 15, 18)");
  await openBucket(bucketName);
  await screenshot(page, "12-dark");

  await page.setViewportSize({ width: 360, height: 740 });
  await openBucket(bucketName);
  await page.locator("tr[data-key]").first().waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no sideways scrolling at 360 px (overflow ${overflow}px)`);
  await screenshot(page, "13-phone");
  await page.getByRole("button", { name: /^Theme: / }).click();  // dark -> system
  await page.setViewportSize({ width: 1280, height: 860 });
});

test("the footer names the release and commit of the server, as `cairn --version` does", async () => {
  const line = execFileSync(process.env.CAIRN_BINARY, ["--version"], { encoding: "utf8" }).trim();
  const [, version, commit] = line.match(/^cairn (\S+) \(commit (\S+)\)$/);
  await page.goto(dashboardUrl(target));
  await assert.doesNotReject(page.locator("footer").getByText(`cairn ${version} · commit ${commit}`).waitFor());
});

test("sign-out ends the session on the server", async () => {
  await page.goto(dashboardUrl(target));
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByLabel("Access key ID").waitFor();
  await assert.doesNotReject(page.getByText("You signed out.").waitFor());
  const status = await page.evaluate(async () => (await fetch("/_cairn/api/session", { headers: { "X-Cairn-Dashboard": "1" } })).status);
  assert.equal(status, 401);
});
