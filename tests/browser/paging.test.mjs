// Paging a big bucket (issue "paging a big bucket"): 2,500 objects, item-0000 to item-2499. The
// page is in the URL, so reload, Back and Forward and a shared link show it again; Next brings the
// view back to the top of the listing; a loading page says so and the buttons wait; no request per
// row; "Showing 101–200", with the total when the bucket's object count is known; a choice of page
// size; and the folders of a level come first, on its first page.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { dashboardUrl, eventually, launchBrowser, s3client, screenshot, signIn, startTarget } from "./harness.mjs";

let target;
let browser;
let page;
let s3;
const bucket = `paging-${Date.now().toString(36)}`;
const OBJECTS = 2500;
const item = (i) => `item-${String(i).padStart(4, "0")}`;

async function put(keys) {
  for (let i = 0; i < keys.length; i += 50) {
    await Promise.all(keys.slice(i, i + 50).map((Key) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: "x" }))));
  }
}

before(async () => {
  target = await startTarget();
  s3 = s3client(target);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await put(Array.from({ length: OBJECTS }, (_, i) => item(i)));
  browser = await launchBrowser();
  page = await browser.page();
  await signIn(page, target);
});

after(async () => {
  await browser?.close();
  await target?.stop();
});

const rows = () => page.locator("tr[data-key]");
const listing = () => page.getByRole("region", { name: /^Showing / });
const status = () => page.getByTestId("pager-status");
const next = () => page.getByRole("button", { name: "Next" });
const previous = () => page.getByRole("button", { name: "Previous" });

// Waits for the page whose first object is `first` to be on screen, loaded.
async function showing(first, what = first) {
  await eventually(async () => (await rows().first().getAttribute("data-key")) === first, 15000, what);
  await page.locator('[aria-busy="true"]').waitFor({ state: "detached" });
}

async function openBucket(query = "") {
  await page.goto(`${dashboardUrl(target)}#/b/${bucket}${query}`);
  await showing(item(0), "the first page");
}

test("the page is in the URL: reload, Back and Forward and a shared link show it again", async () => {
  await openBucket();
  await next().click();
  await showing(item(100), "page 2");
  await next().click();
  await showing(item(200), "page 3");
  const third = page.url();
  assert.match(decodeURIComponent(new URL(third).hash), /after=item-0199&from=201/);

  await page.reload();
  await showing(item(200), "page 3 after a reload");
  await eventually(async () => (await status().innerText()) === "Showing 201–300 of 2,500", 10000, "page 3 and the total");
  await page.goBack();
  await showing(item(100), "page 2, back");
  await page.goForward();
  await showing(item(200), "page 3, forward");
  await previous().click();
  await showing(item(100), "page 2 by Previous after the reload");

  // A link opened in a new tab knows nothing of the pages before: Previous still finds page 2.
  const other = await browser.page();
  try {
    await other.goto(third);
    await eventually(async () => (await other.locator("tr[data-key]").first().getAttribute("data-key")) === item(200), 15000, "the linked page");
    await other.getByRole("button", { name: "Previous" }).click();
    await eventually(async () => (await other.locator("tr[data-key]").first().getAttribute("data-key")) === item(100), 15000, "the page before the linked one");
    await eventually(async () => (await other.getByTestId("pager-status").innerText()) === "Showing 101–200 of 2,500", 10000, "page 2 and the total");
  } finally {
    await other.close();
  }
});

test("the filter is in the URL with the page: a reload keeps both", async () => {
  await openBucket();
  await page.getByRole("searchbox", { name: "Filter by prefix" }).fill("item-2");
  await showing(item(2000), "the first page of the filtered listing");
  assert.match(decodeURIComponent(new URL(page.url()).hash), /filter=item-2/);
  await next().click();
  await showing(item(2100), "page 2 of the filtered listing");
  await page.reload();
  await showing(item(2100), "the same page after a reload");
  assert.equal(await page.getByRole("searchbox", { name: "Filter by prefix" }).inputValue(), "item-2");
  assert.equal(await status().innerText(), "Showing 101–200");
  await page.goBack();
  await showing(item(2000), "Back: the first page of the filtered listing");
});

test("after Next the view is back at the top of the listing, and the focus on it", async () => {
  await openBucket();
  await page.evaluate(() => scrollTo(0, document.documentElement.scrollHeight));
  await next().focus();
  await page.keyboard.press("Enter");
  await showing(item(100), "page 2");
  const top = await listing().evaluate((el) => el.getBoundingClientRect().top);
  assert.ok(top >= 0 && top < 200, `the listing's top is in view (at ${top}px)`);
  assert.equal(await listing().evaluate((el) => el === document.activeElement), true, "the focus is on the listing");
  await eventually(async () => (await listing().getAttribute("aria-label")) === "Showing 101–200 of 2,500", 10000, "the listing's name");
});

test("a page that is loading says so, keeps the table's height, and Previous and Next wait", async () => {
  await openBucket();
  await next().click();
  await showing(item(100), "page 2");
  const height = (await listing().boundingBox()).height;
  let release;
  const held = new Promise((resolve) => {
    release = resolve;
  });
  const isListing = (url) => url.searchParams.get("list-type") === "2";
  await page.route(isListing, async (route) => {
    await held;
    await route.continue();
  });
  try {
    await next().click();
    const busy = page.locator('[aria-busy="true"]');
    await busy.waitFor();
    assert.equal(await status().innerText(), "Loading…");
    assert.equal(await next().isDisabled(), true);
    assert.equal(await previous().isDisabled(), true);
    assert.equal(await rows().count(), 100, "the page before stays in place");
    assert.equal((await busy.boundingBox()).height, height);
    await screenshot(page, "paging-01-loading");
  } finally {
    release();
  }
  await showing(item(200), "page 3");
  await page.unroute(isListing);  // once the held requests went on: unrouting would answer them
  assert.equal(await next().isDisabled(), false);
});

test("paging sends no request per row: the details ask for the one object opened", async () => {
  const heads = [];
  const onRequest = (r) => r.method() === "HEAD" && heads.push(r.url());
  page.on("request", onRequest);
  try {
    await openBucket();
    await next().click();
    await showing(item(100), "page 2");
    await next().click();
    await showing(item(200), "page 3");
    assert.deepEqual(heads, [], "no HEAD while paging");
    assert.equal(await page.getByRole("columnheader", { name: "Storage class" }).isVisible(), true);
    assert.equal(await rows().first().getByRole("cell", { name: "Standard", exact: true }).isVisible(), true);

    await page.getByRole("button", { name: item(205), exact: true }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("Content-Type", { exact: true }).waitFor();
    await dialog.getByRole("button", { name: "Close" }).click();
    assert.equal(heads.length, 1, `one HEAD, of the object opened: ${heads.join(", ")}`);
    assert.match(heads[0], new RegExp(`/${item(205)}\\?`));
  } finally {
    page.off("request", onRequest);
  }
});

test("the rows shown are numbered, with the bucket's object count as the total, and the page size is a choice", async () => {
  await openBucket();
  await eventually(async () => (await status().innerText()) === "Showing 1–100 of 2,500", 10000, "the total");
  try {
    await next().click();
    await showing(item(100), "page 2");
    assert.equal(await status().innerText(), "Showing 101–200 of 2,500");

    await page.getByLabel("Rows per page").selectOption("250");
    await eventually(async () => (await rows().count()) === 250, 15000, "250 rows");
    assert.equal(await status().innerText(), "Showing 101–350 of 2,500");
    await page.reload();
    await showing(item(100), "the same page after a reload");
    assert.equal(await rows().count(), 250, "the page size is remembered");
    await page.getByLabel("Rows per page").selectOption("1000");
    await eventually(async () => (await rows().count()) === 1000, 15000, "1,000 rows");
    await next().click();
    await showing(item(1100), "the next 1,000");
    assert.equal(await status().innerText(), "Showing 1,101–2,100 of 2,500");
    await next().click();
    await showing(item(2100), "the last page");
    assert.equal(await status().innerText(), "Showing 2,101–2,500 of 2,500");
    assert.equal(await next().isDisabled(), true);
  } finally {
    await page.getByLabel("Rows per page").selectOption("100");
  }
});

test("the pager fits a 360 px phone, in light and dark", async () => {
  await page.setViewportSize({ width: 360, height: 740 });
  try {
    await openBucket();
    await next().click();
    await showing(item(100), "page 2");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no sideways scrolling at 360 px (overflow ${overflow}px)`);
    const [prev, status_, nxt] = await Promise.all([previous().boundingBox(), status().boundingBox(), next().boundingBox()]);
    assert.ok(Math.abs(prev.y - nxt.y) < 2, "Previous and Next side by side");
    assert.ok(status_.y + status_.height <= prev.y, "the status above them");
    await page.locator(".pager").scrollIntoViewIfNeeded();
    await screenshot(page, "paging-02-phone");
    await page.emulateMedia({ colorScheme: "dark" });
    await screenshot(page, "paging-03-phone-dark");
  } finally {
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 1280, height: 860 });
  }
});

test("a level's folders come first, on its first page, and not again where they sort", async () => {
  await put(["logs/a.log", "logs/b.log"]);
  await openBucket();
  const firstRow = page.locator("tbody tr").first();
  assert.equal(await firstRow.getAttribute("class"), "folder-row");
  assert.equal(await firstRow.getByRole("link").innerText(), "logs/");
  assert.equal(await rows().count(), 100);
  assert.equal(await status().innerText(), "Showing 1–100");
  await screenshot(page, "paging-04-folders-first");

  await openLast();
  assert.equal(await page.locator("tr.folder-row").count(), 0, "the folder is not repeated where it sorts");
  assert.equal(await next().isDisabled(), true, "no empty page after the last objects");

  await openBucket();
  await page.getByRole("link", { name: "logs/" }).click();
  await eventually(async () => (await rows().count()) === 2, 10000, "the folder's two objects");
});

// The last page of 100 (page 25), as a shared link opens it.
async function openLast() {
  await page.goto(`${dashboardUrl(target)}#/b/${bucket}?after=${item(2399)}&from=2401`);
  await showing(item(2400), "the last page");
  assert.equal(await rows().count(), 100);
}

test("in a level too large to scan, the folders beyond the bound stay where they sort, and page 1 says so", async () => {
  // 2,500 items, logs/, 2,500 more, zz/: the scan of 5,000 entries ends before more-2499.
  await put([...Array.from({ length: OBJECTS }, (_, i) => `more-${String(i).padStart(4, "0")}`), "zz/x"]);
  await openBucket();
  assert.equal(await page.locator("tr.folder-row").count(), 1);
  assert.equal(await page.locator("tr.folder-row").getByRole("link").innerText(), "logs/");
  await page.getByText("More than 5,000 names here: the folders among the first 5,000 come first").waitFor();
  await screenshot(page, "paging-05-folders-bound");

  await page.goto(`${dashboardUrl(target)}#/b/${bucket}?after=more-2499&from=5001`);
  await page.getByRole("link", { name: "zz/" }).waitFor();
  assert.equal(await status().innerText(), "Showing 5,001–5,001");
  assert.equal(await next().isDisabled(), true);
});
