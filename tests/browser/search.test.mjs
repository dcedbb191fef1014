// Substring search in the object browser (issue "search beyond prefixes"), on a bucket of 2,500
// objects item-0000 to item-2499: typing 0242 shows item-0242 and only keys that contain it, the
// search is in the URL (a reload shows it again), it stays in the current folder, Refresh runs it
// again, it says when it is searching and when nothing matches, it takes '%' and '_' as plain
// characters, and "Load more" follows the server's cursor without repeating a key.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { DeleteObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { dashboardUrl, eventually, screenshot, startSignedIn, stopSignedIn } from "./harness.mjs";

let target;
let browser;
let page;
let s3;
const bucket = `search-${Date.now().toString(36)}`;
const item = (i) => `item-${String(i).padStart(4, "0")}`;
const OTHERS = ["logs/item-0242.log", "logs/other.txt", "odd/50%_off.txt", "odd/50x_off.txt"];

before(async () => {
  ({ target, s3, browser, page } = await startSignedIn(bucket));
  const keys = [...Array.from({ length: 2500 }, (_, i) => item(i)), ...OTHERS];
  for (let i = 0; i < keys.length; i += 50) {
    await Promise.all(keys.slice(i, i + 50).map((Key) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: "x" }))));
  }
});

after(() => stopSignedIn({ target, browser }));

const box = () => page.getByTestId("key-search");
const status = () => page.getByTestId("search-status");
const matchedKeys = () => page.locator("tr[data-match]").evaluateAll((rows) => rows.map((r) => r.dataset.match));
const searchParam = () => new URLSearchParams(new URL(page.url()).hash.split("?")[1] ?? "").get("find");

async function openFolder(prefix = "") {
  await page.goto(`${dashboardUrl(target)}#/b/${bucket}${prefix ? `?prefix=${encodeURIComponent(prefix)}` : ""}`);
  await page.locator("tr[data-key]").first().waitFor();
}

// Waits until the search has answered and shows `count` matches.
async function showsMatches(count) {
  await page.locator('.key-search[aria-busy="false"]').waitFor();
  await eventually(async () => (await matchedKeys()).length === count, 15000, `${count} matches`);
}

test("typing 0242 shows item-0242 and only keys containing it; a reload keeps the search", async () => {
  await openFolder();
  await box().fill("0242");
  await showsMatches(2);
  assert.deepEqual(await matchedKeys(), ["item-0242", "logs/item-0242.log"]);
  assert.equal(await status().innerText(), "2 keys contain “0242”");
  assert.equal(await page.locator("tr[data-key]").count(), 0, "the listing gives way to the matches");
  assert.equal(await page.locator("tr[data-match] mark").first().innerText(), "0242");
  assert.equal(searchParam(), "0242");
  await screenshot(page, "search-01-matches");

  await page.reload();
  await showsMatches(2);
  assert.equal(await box().inputValue(), "0242");
  assert.deepEqual(await matchedKeys(), ["item-0242", "logs/item-0242.log"]);

  await box().fill("");
  await page.locator('tr[data-key="item-0000"]').waitFor();
  assert.equal(searchParam(), null);
});

test("a search stays in the current folder, runs again on Refresh, and says when nothing matches", async () => {
  await openFolder("logs/");
  await box().fill("0242");
  await showsMatches(1);
  assert.deepEqual(await matchedKeys(), ["logs/item-0242.log"]);
  assert.equal(await page.locator("tr[data-match] .object-name").innerText(), "item-0242.log");

  // Refresh searches again: a key written meanwhile shows up.
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "logs/item-0242-b.log", Body: "x" }));
  await page.getByRole("button", { name: "Refresh listing" }).click();
  await showsMatches(2);
  assert.deepEqual(await matchedKeys(), ["logs/item-0242-b.log", "logs/item-0242.log"]);
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "logs/item-0242-b.log" }));

  await box().fill("zzz");
  await page.getByRole("heading", { name: "No keys contain “zzz”" }).waitFor();
  assert.equal(await page.locator("tr[data-match]").count(), 0);
  await screenshot(page, "search-02-nothing");
});

test("'%' and '_' are plain characters", async () => {
  await openFolder();
  await box().fill("%_");
  await showsMatches(1);
  assert.deepEqual(await matchedKeys(), ["odd/50%_off.txt"]);
});

test("the search says it is searching, and Load more follows the cursor without repeats", async () => {
  await openFolder();
  // The server's answer is held back a moment, so that the waiting is seen.
  await page.route(/\/_cairn\/admin\/buckets\/[^/]+\/search/, async (route) => {
    await new Promise((r) => setTimeout(r, 600));
    await route.continue();
  });
  try {
    await box().fill("item-1");
    await eventually(async () => (await status().innerText()).startsWith("Searching"), 5000, "the searching state");
    await showsMatches(100);
    const expected = Array.from({ length: 1000 }, (_, i) => item(1000 + i));
    assert.deepEqual(await matchedKeys(), expected.slice(0, 100));
    const more = page.getByRole("button", { name: "Load more" });
    await more.click();
    await showsMatches(200);
    await more.click();
    await showsMatches(300);
    assert.deepEqual(await matchedKeys(), expected.slice(0, 300));
    await screenshot(page, "search-03-load-more");
  } finally {
    await page.unrouteAll();
  }
});

test("the search fits a 360 px phone, in light and dark", async () => {
  await page.setViewportSize({ width: 360, height: 740 });
  try {
    await openFolder();
    await box().fill("0242");
    await showsMatches(2);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no sideways scrolling at 360 px (overflow ${overflow}px)`);
    await screenshot(page, "search-04-phone");
    await page.emulateMedia({ colorScheme: "dark" });
    await screenshot(page, "search-05-phone-dark");
  } finally {
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 1280, height: 860 });
  }
});
