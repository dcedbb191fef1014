// The console cannot be turned against its user (issue 12, items 3 and 10): a page stored as an
// object runs on the S3 API's origin, where no dashboard API answers, and it cannot reach the
// console's API from there; object responses forbid MIME sniffing; a selection of objects is what
// is ticked on screen, and the confirmation names what it deletes; objects uploaded from the
// console carry only the metadata the user chose (no Cache-Control the browser added).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import {
  MiB, dashboardUrl, dropFilesOn, eventually, screenshot, startSignedIn, stopSignedIn, waitForUploads,
} from "./harness.mjs";

let target;
let browser;
let page;
let s3;
const bucket = `safe-${Date.now().toString(36)}`;

before(async () => {
  ({ target, s3, browser, page } = await startSignedIn(bucket));
});

after(() => stopSignedIn({ target, browser }));

async function exists(Key) {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key }));
    return true;
  } catch (e) {
    if (e.name === "NotFound") return false;
    throw e;
  }
}

// The page an attacker uploads with a presigned PUT: once opened, it tries the dashboard's API on
// its own origin (where the S3 listener used to serve it) and on the console's, with the signed-in
// administrator's cookie, and deletes what it can. It writes what happened into #result.
function attackPage(consoleOrigin, victimKey) {
  const script = `
const consoleOrigin = ${JSON.stringify(consoleOrigin)};
const request = { requests: [{ method: "DELETE", bucket: ${JSON.stringify(bucket)}, key: ${JSON.stringify(victimKey)} }] };
const results = {};
async function attempt(name, url, init) {
  try {
    const resp = await fetch(url, init);
    const text = await resp.text();
    results[name] = { status: resp.status, body: text.slice(0, 300) };
    const urls = JSON.parse(text).urls;
    if (urls) {
      const del = await fetch(urls[0], { method: "DELETE" });
      results[name].deleted = del.status;
    }
  } catch (e) {
    results[name] = results[name] ?? { error: String(e) };
  }
}
(async () => {
  const json = { "Content-Type": "application/json", "X-Cairn-Dashboard": "1" };
  const body = JSON.stringify(request);
  await attempt("own-origin", "/_cairn/api/presign", { method: "POST", headers: json, body, credentials: "include" });
  await attempt("console-cors", consoleOrigin + "/_cairn/api/presign", { method: "POST", headers: json, body, credentials: "include" });
  await attempt("console-simple", consoleOrigin + "/_cairn/api/presign", { method: "POST", headers: { "Content-Type": "text/plain" }, body, credentials: "include" });
  await attempt("console-session", consoleOrigin + "/_cairn/api/session", { credentials: "include" });
  await attempt("console-no-cors", consoleOrigin + "/_cairn/api/presign", { method: "POST", mode: "no-cors", headers: { "Content-Type": "text/plain" }, body, credentials: "include" });
  const out = document.createElement("pre");
  out.id = "result";
  out.textContent = JSON.stringify(results);
  document.body.appendChild(out);
})();`;
  return `<!doctype html><html><head><title>Quarterly report</title></head><body><h1>Report</h1><script>${script}</script></body></html>`;
}

test("an uploaded HTML page opened by the signed-in administrator cannot use the console's API", async () => {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "victim.txt", Body: "keep me" }));
  await s3.send(new PutObjectCommand({
    Bucket: bucket, Key: "report.html", Body: attackPage(target.console, "victim.txt"), ContentType: "text/html",
  }));
  // The administrator is signed in to the console (its cookie is in this browser) and opens a
  // presigned link to the report.
  const cookies = await browser.context.cookies();
  assert.ok(cookies.some((c) => c.name === "cairn_session"), "signed in");
  const link = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: "report.html" }), { expiresIn: 300 });
  assert.ok(link.startsWith(target.endpoint), "the object is served by the S3 listener");
  const attack = await browser.page();
  try {
    await attack.goto(link);
    await attack.getByRole("heading", { name: "Report" }).waitFor();  // the page ran as HTML
    const results = JSON.parse(await attack.locator("#result").innerText({ timeout: 20000 }));
    await screenshot(attack, "safety-01-attack-page");
    for (const [name, r] of Object.entries(results)) {
      assert.equal(r.deleted, undefined, `${name} got presigned URLs: ${JSON.stringify(r)}`);
      if (r.status !== undefined) assert.ok(r.status !== 200, `${name} answered 200: ${JSON.stringify(r)}`);
    }
    // On its own origin there is no dashboard API at all: an S3 error, not a session.
    assert.ok(results["own-origin"].status >= 400, JSON.stringify(results["own-origin"]));
    assert.ok(!results["own-origin"].body.includes("urls"), JSON.stringify(results["own-origin"]));
  } finally {
    await attack.close();
  }
  assert.equal(await exists("victim.txt"), true, "nothing was deleted");
  assert.equal(await exists("report.html"), true);
});

test("object GET and HEAD responses forbid MIME sniffing", async () => {
  for (const method of ["GET", "HEAD"]) {
    const Command = method === "GET" ? GetObjectCommand : HeadObjectCommand;
    const url = await getSignedUrl(s3, new Command({ Bucket: bucket, Key: "report.html" }), { expiresIn: 300 });
    const resp = await fetch(url, { method });
    await resp.arrayBuffer();
    assert.equal(resp.status, 200, method);
    assert.equal(resp.headers.get("x-content-type-options"), "nosniff", method);
    assert.equal(resp.headers.get("content-type"), "text/html", method);
  }
});

test("the console sends its S3 requests to the S3 origin, without cookies", async () => {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "seen.txt", Body: "x" }));
  const requests = [];
  const onRequest = (r) => requests.push(r);
  page.on("request", onRequest);
  await page.goto(`${dashboardUrl(target)}#/b/${bucket}`);
  await page.getByRole("button", { name: "seen.txt", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByText("Content-Type", { exact: true }).waitFor();  // from a cross-origin HEAD
  await dialog.getByRole("button", { name: "Close" }).click();
  page.off("request", onRequest);
  const toS3 = requests.filter((r) => r.url().startsWith(`${target.endpoint}/`));
  assert.ok(toS3.some((r) => r.method() === "GET" && r.url().includes("list-type=2")), "the listing came from the S3 API");
  for (const r of requests) {
    const url = r.url();
    assert.ok(url.startsWith(`${target.console}/_cairn/`) || url.startsWith(`${target.endpoint}/`), url);
  }
  for (const r of toS3) assert.equal((await r.allHeaders()).cookie, undefined, `no cookie to ${r.url()}`);
});

test("a selection is what is ticked on screen, and the confirmation names what it deletes", async () => {
  const keys = Array.from({ length: 150 }, (_, i) => `sel/item-${String(i).padStart(3, "0")}.txt`);
  for (let i = 0; i < keys.length; i += 25) {
    await Promise.all(keys.slice(i, i + 25).map((Key) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: "x" }))));
  }
  await page.goto(`${dashboardUrl(target)}#/b/${bucket}?prefix=sel%2F`);
  const rows = page.locator("tr[data-key]");
  await eventually(async () => (await rows.count()) === 100, 10000, "a first page of 100");
  const deleteButton = page.locator("button.button-danger-quiet");
  await page.getByLabel("Select item-000.txt").check();
  await page.getByLabel("Select item-001.txt").check();
  assert.equal((await deleteButton.innerText()).trim(), "Delete (2)");

  await page.getByRole("button", { name: "Next" }).click();
  await eventually(async () => (await rows.first().getAttribute("data-key")) === "sel/item-100.txt", 10000, "page 2");
  assert.equal((await deleteButton.innerText()).trim(), "Delete", "the ticks of page 1 are gone");
  assert.equal(await deleteButton.isDisabled(), true);
  await page.getByLabel("Select item-120.txt").check();
  assert.equal((await deleteButton.innerText()).trim(), "Delete (1)", "one tick on screen, one to delete");
  await deleteButton.click();
  const dialog = page.getByRole("dialog");
  await dialog.getByText("sel/item-120.txt").waitFor();
  assert.match(await dialog.innerText(), /sel\/item-120\.txt will be deleted/);
  await screenshot(page, "safety-02-delete-one");
  await dialog.getByRole("button", { name: "Delete" }).click();
  await eventually(async () => (await rows.count()) === 49, 10000, "one row fewer on page 2");
  assert.equal(await exists("sel/item-120.txt"), false);
  assert.equal(await exists("sel/item-000.txt"), true, "page 1's ticked objects are kept");
  assert.equal(await exists("sel/item-001.txt"), true, "page 1's ticked objects are kept");

  // Every key of a page: the dialog names the first ones and counts the rest.
  await page.getByLabel("Select all objects on this page").check();
  assert.equal((await deleteButton.innerText()).trim(), "Delete (49)");
  await deleteButton.click();
  const listed = await dialog.getByTestId("delete-keys").innerText();
  for (const key of ["sel/item-100.txt", "sel/item-104.txt"]) assert.ok(listed.includes(key), `${key} named:\n${listed}`);
  assert.ok(!listed.includes("sel/item-105.txt"), listed);
  assert.match(listed, /and 44 more/);
  await screenshot(page, "safety-03-delete-many");
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // Back on page 1 nothing is ticked.
  await page.getByRole("button", { name: "Previous" }).click();
  await eventually(async () => (await rows.first().getAttribute("data-key")) === "sel/item-000.txt", 10000, "page 1");
  assert.equal(await page.getByLabel("Select item-000.txt").isChecked(), false);
  const left = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "sel/" }));
  assert.equal(left.KeyCount, 149);
});

test("objects uploaded from the console carry only the metadata the user chose", async () => {
  await page.goto(`${dashboardUrl(target)}#/b/${bucket}`);
  await page.getByRole("tab", { name: "Objects" }).waitFor();
  const files = [
    { name: "parts.bin", size: 20 * MiB, seed: 7, type: "application/octet-stream" },  // multipart
    { name: "small.txt", size: 1000, seed: 8, type: "text/plain" },
  ];
  await dropFilesOn(page, files);
  await waitForUploads(page, files.map((f) => f.name));
  for (const f of files) {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: f.name }));
    assert.equal(head.ContentLength, f.size, f.name);
    assert.equal(head.ContentType, f.type, f.name);
    assert.equal(head.CacheControl, undefined, `${f.name}: no Cache-Control the user did not choose`);
    assert.equal(head.Expires, undefined, f.name);
    assert.deepEqual(head.Metadata ?? {}, {}, f.name);
  }
  const multipart = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "parts.bin" }));
  assert.match(multipart.ETag, /-3"$/, "parts.bin went up in three parts");
});
