// What users of other consoles expect of the object table: the objects of the page on screen sort
// by name, size or date from the column headers, which say how the table is sorted.
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, test } from "node:test";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { dashboardUrl, screenshot, startSignedIn, stopSignedIn } from "./harness.mjs";

let target;
let browser;
let page;
let s3;
const bucket = `objects-${Date.now().toString(36)}`;

before(async () => {
  ({ target, s3, browser, page } = await startSignedIn(bucket));
});

after(() => stopSignedIn({ target, browser }));

const put = (Key, size) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Buffer.alloc(size, 1) }));
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
