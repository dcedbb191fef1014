// What users of other consoles expect of the object table and an object's details: the objects of
// the page on screen sort by name, size or date from the column headers, which say how the table
// is sorted; a share link with a chosen expiry opens in a browser that never signed in; metadata
// edited in the details is what boto3 reads back, and an edit of a version that changed meanwhile
// is refused without touching the object.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, test } from "node:test";
import { HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { dashboardUrl, launchBrowser, screenshot, startSignedIn, stopSignedIn } from "./harness.mjs";

let target;
let browser;
let page;
let s3;
const bucket = `objects-${Date.now().toString(36)}`;

before(async () => {
  ({ target, s3, browser, page } = await startSignedIn(bucket));
});

after(() => stopSignedIn({ target, browser }));

const put = (Key, size, Body = Buffer.alloc(size, 1), ContentType = undefined) =>
  s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body, ContentType }));
const objectOrder = () => page.locator("tr[data-key]").evaluateAll((rows) => rows.map((r) => r.dataset.key));
const firstRowIsTheFolder = () => page.locator(".objects-table tbody tr").first().evaluate((r) => r.classList.contains("folder-row"));
const sortOf = (column) => page.locator(".objects-table thead th", { has: page.getByRole("button", { name: column, exact: true }) }).getAttribute("aria-sort");
const sortBy = (column) => page.getByRole("button", { name: column, exact: true }).click();

test("the page's objects sort by name, size or date from the headers; folders stay first", async () => {
  // Listing order alpha, beta, gamma; sizes 300, 100, 200; written one after the other, a
  // second apart, so that their dates differ.
  await put("alpha.txt", 300);
  await sleep(1100);
  await put("beta.txt", 100);
  await sleep(1100);
  await put("gamma.txt", 200);
  await put("docs/readme.txt", 1);
  await page.goto(`${dashboardUrl(target)}#/b/${bucket}`);
  await page.locator('tr[data-key="gamma.txt"]').waitFor();
  assert.deepEqual(await objectOrder(), ["alpha.txt", "beta.txt", "gamma.txt"]);
  assert.equal(await sortOf("Name"), "ascending");

  await sortBy("Size");
  assert.deepEqual(await objectOrder(), ["alpha.txt", "gamma.txt", "beta.txt"], "largest first");
  assert.equal(await sortOf("Size"), "descending");
  assert.equal(await sortOf("Name"), null, "one column says how the table is sorted");
  assert.ok(await firstRowIsTheFolder(), "folders stay first");
  await screenshot(page, "objects-01-sorted-by-size");

  await sortBy("Size");
  assert.deepEqual(await objectOrder(), ["beta.txt", "gamma.txt", "alpha.txt"], "smallest first");
  assert.equal(await sortOf("Size"), "ascending");

  await sortBy("Last modified");
  assert.deepEqual(await objectOrder(), ["gamma.txt", "beta.txt", "alpha.txt"], "newest first");
  assert.equal(await sortOf("Last modified"), "descending");

  await sortBy("Name");
  assert.deepEqual(await objectOrder(), ["alpha.txt", "beta.txt", "gamma.txt"]);
  await page.getByRole("button", { name: "Name", exact: true }).press("Enter");  // by keyboard
  assert.deepEqual(await objectOrder(), ["gamma.txt", "beta.txt", "alpha.txt"], "Z to A");
  assert.equal(await sortOf("Name"), "descending");
  assert.ok(await firstRowIsTheFolder());
});

test("a share link lasts the chosen time and opens in a browser that never signed in", async () => {
  const text = `quarterly figures ${Date.now()}\n`;
  await put("share/report.txt", 0, text, "text/plain");
  await page.goto(`${dashboardUrl(target)}#/b/${bucket}?prefix=share%2F`);
  await page.getByRole("button", { name: "Details of report.txt" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Valid for").selectOption({ label: "7 days" });
  await dialog.getByRole("button", { name: "Create link" }).click();
  const url = new URL(await dialog.getByLabel("Link", { exact: true }).inputValue());
  assert.equal(url.searchParams.get("X-Amz-Expires"), String(7 * 24 * 3600));
  assert.equal(url.origin, target.endpoint, "the link is on the S3 API's origin, not the console's");
  await screenshot(page, "objects-02-share-link");
  await page.keyboard.press("Escape");

  const stranger = await launchBrowser();
  try {
    const visit = await (await stranger.page()).goto(url.href);
    assert.equal(visit.status(), 200);
    assert.equal(await visit.text(), text);
  } finally {
    await stranger.close();
  }
});

// What boto3 reads of an object's headers.
function boto3Head(key) {
  const script = `
import boto3, json, sys
t = json.load(sys.stdin)
s3 = boto3.client("s3", endpoint_url=t["endpoint"], region_name=t["region"],
                  aws_access_key_id=t["id"], aws_secret_access_key=t["secret"])
r = s3.head_object(Bucket=t["bucket"], Key=t["key"])
print(json.dumps({"etag": r["ETag"], "contentType": r["ContentType"], "cacheControl": r.get("CacheControl"),
                  "metadata": r["Metadata"], "storageClass": r.get("StorageClass", "STANDARD")}))
`;
  const input = JSON.stringify({ endpoint: target.endpoint, region: target.region, id: target.accessKeyId,
    secret: target.secretAccessKey, bucket, key });
  return JSON.parse(execFileSync("python3", ["-c", script], { input, timeout: 60000 }).toString());
}

// Opens the metadata editor of an object, from a folder the page has not shown yet (so that its
// listing is read afresh).
async function openDetails(folder, name) {
  await page.goto(`${dashboardUrl(target)}#/b/${bucket}?prefix=${encodeURIComponent(folder)}`);
  await page.getByRole("button", { name: `Details of ${name}` }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Edit metadata" }).click();
  return dialog.getByRole("form", { name: "Edit metadata" });
}

test("metadata edited in the details is what boto3 reads back; bytes, ETag and storage class stay", async () => {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "meta/notes.md", Body: "# notes\n", ContentType: "text/plain",
    Metadata: { owner: "ops", stale: "yes" }, StorageClass: "STANDARD_IA" }));
  const before = boto3Head("meta/notes.md");
  const form = await openDetails("meta/", "notes.md");
  await form.getByLabel("Content-Type").fill("text/markdown; charset=utf-8");
  await form.getByLabel("Cache-Control").fill("max-age=60");
  await form.getByRole("group", { name: "Custom metadata 1" }).getByLabel("Value").fill("platform");
  await form.getByRole("button", { name: "Remove stale" }).click();
  await form.getByRole("button", { name: "Add custom metadata" }).click();
  const added = form.getByRole("group", { name: "Custom metadata 2" });
  await added.getByLabel("Name").fill("reviewed-by");
  await added.getByLabel("Value").fill("ana");
  await screenshot(page, "objects-03-metadata-editor");
  await form.getByRole("button", { name: "Save metadata" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Edit metadata" }).waitFor();
  await assert.doesNotReject(page.getByRole("dialog").getByText("text/markdown; charset=utf-8").waitFor(), "the details show the new metadata");

  const after = boto3Head("meta/notes.md");
  assert.deepEqual(after, { etag: before.etag, contentType: "text/markdown; charset=utf-8", cacheControl: "max-age=60",
    metadata: { owner: "platform", "reviewed-by": "ana" }, storageClass: "STANDARD_IA" });
  await page.keyboard.press("Escape");
});

test("custom metadata beyond ASCII shows and saves as text; it travels as RFC 2047 words", async () => {
  // S3 clients send such values encoded; the S3 API answers them encoded (R2's rule), and the
  // dashboard shows and edits the text they carry.
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "unicode/menu.txt", Body: "x",
    Metadata: { name: `=?UTF-8?B?${Buffer.from("café ☕").toString("base64")}?=` } }));
  const form = await openDetails("unicode/", "menu.txt");
  const value = form.getByRole("group", { name: "Custom metadata 1" }).getByLabel("Value");
  assert.equal(await value.inputValue(), "café ☕");
  await value.fill("thé 🍵");
  await form.getByRole("button", { name: "Save metadata" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Edit metadata" }).waitFor();
  await assert.doesNotReject(page.getByRole("dialog").getByText("thé 🍵").waitFor(), "the details show the text");
  const words = boto3Head("unicode/menu.txt").metadata.name;
  assert.match(words, /^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
  assert.equal(Buffer.from(words.slice(10, -2), "base64").toString(), "thé 🍵");
  await page.keyboard.press("Escape");
});

test("an edit of an object that changed since its details were read is refused, and changes nothing", async () => {
  await put("race/race.txt", 0, "first", "text/plain");
  const form = await openDetails("race/", "race.txt");
  await put("race/race.txt", 0, "second version", "text/csv");  // someone else writes meanwhile
  await form.getByLabel("Content-Type").fill("application/json");
  await form.getByRole("button", { name: "Save metadata" }).click();
  await assert.doesNotReject(form.getByRole("alert").filter({ hasText: "changed since" }).waitFor());
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "race/race.txt" }));
  assert.equal(head.ContentType, "text/csv");
  assert.equal(head.ContentLength, "second version".length);
  await page.keyboard.press("Escape");
});

test("metadata that cannot travel in a header is refused at its field before anything is sent", async () => {
  await put("invalid/plain.txt", 0, "x", "text/plain");
  const form = await openDetails("invalid/", "plain.txt");
  await form.getByRole("button", { name: "Add custom metadata" }).click();
  await form.getByRole("group", { name: "Custom metadata 1" }).getByLabel("Name").fill("Bad Name");
  let copies = 0;
  page.on("request", (r) => { if (r.method() === "PUT") copies += 1; });
  await form.getByRole("button", { name: "Save metadata" }).click();
  await assert.doesNotReject(form.getByText("Names use lowercase letters, digits and hyphens.").waitFor());
  assert.equal(copies, 0);
  await page.keyboard.press("Escape");
});
