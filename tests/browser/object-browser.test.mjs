// What users of other consoles expect of the object table and an object's details: the objects of
// the page on screen sort by name, size or date from the column headers, which say how the table
// is sorted; a share link with a chosen expiry opens in a browser that never signed in.
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, test } from "node:test";
import { PutObjectCommand } from "@aws-sdk/client-s3";
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
