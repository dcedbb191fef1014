// Defects of the dashboard that users met, each shown the way they met it: CORS and bucket-name
// errors in words next to their field, the skip link, the upload tray on a phone, object columns
// that stay put, a bucket that does not exist, the tab strip by keyboard, and where focus goes
// when a bucket opens.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { GetBucketCorsCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { dashboardUrl, eventually, screenshot, startSignedIn, stopSignedIn } from "./harness.mjs";

let target;
let browser;
let page;
let s3;
const bucket = `defects-${Date.now().toString(36)}`;

before(async () => {
  ({ target, s3, browser, page } = await startSignedIn(bucket));
});

after(() => stopSignedIn({ target, browser }));

async function openBucket(query = "") {
  await page.goto(`${dashboardUrl(target)}#/b/${bucket}${query}`);
  await page.getByRole("tab", { name: "Objects" }).waitFor();
}

const put = (Key, Body, ContentType) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body, ContentType }));
const focused = () => page.evaluate(() => {
  const e = document.activeElement;
  return { tag: e.tagName, text: e.textContent.trim(), role: e.getAttribute("role"), inMain: !!e.closest("#main") };
});

test("CORS rules are checked before saving, each problem next to its field", async () => {
  await openBucket("?tab=settings");
  await page.getByRole("button", { name: "Add a rule for browser uploads" }).click();
  const rule = page.getByRole("group", { name: "Rule 1" });
  const origins = rule.getByLabel("Allowed origins, one per line (* wildcards)");
  // The example origin is a hint, not a value that would be saved.
  assert.equal(await origins.inputValue(), "");
  assert.equal(await origins.getAttribute("placeholder"), "https://app.example.com");

  await page.getByRole("button", { name: "Save CORS rules" }).click();
  await rule.getByText("Add at least one allowed origin").waitFor();
  assert.equal(await origins.getAttribute("aria-invalid"), "true");
  await page.getByRole("alert").filter({ hasText: "Not saved. Rule 1: Add at least one allowed origin" }).waitFor();

  await origins.fill("https://*.*.example.com");
  await page.getByRole("button", { name: "Save CORS rules" }).click();
  await rule.getByText("https://*.*.example.com has more than one *").waitFor();
  await screenshot(page, "defects-01-cors-problem");
  await assert.rejects(s3.send(new GetBucketCorsCommand({ Bucket: bucket })), { name: "NoSuchCORSConfiguration" });

  await origins.fill("https://app.example.net");
  await page.getByRole("button", { name: "Save CORS rules" }).click();
  await page.locator(".toast").filter({ hasText: "CORS rules saved" }).waitFor();
  const { CORSRules } = await s3.send(new GetBucketCorsCommand({ Bucket: bucket }));
  assert.deepEqual(CORSRules[0].AllowedOrigins, ["https://app.example.net"]);
});

test("creating a bucket that exists says so next to its name", async () => {
  await page.goto(dashboardUrl(target));
  await page.getByRole("button", { name: "Create bucket" }).first().click();
  const dialog = page.getByRole("dialog");
  const name = dialog.getByLabel("Bucket name");
  await name.fill(bucket);
  await dialog.getByRole("button", { name: "Create bucket" }).click();
  await dialog.locator("#bucket-name-help", { hasText: `You already own a bucket named ${bucket}.` }).waitFor();
  assert.equal(await name.getAttribute("aria-invalid"), "true");
  assert.equal(await dialog.getByText("Your previous request").count(), 0);
  await screenshot(page, "defects-02-bucket-exists");
  await dialog.getByRole("button", { name: "Cancel" }).click();
});

test("the skip link is hidden until focused, then a styled link that moves focus to the content", async () => {
  await page.goto(dashboardUrl(target));
  await page.getByRole("heading", { name: "Buckets", exact: true }).waitFor();
  const skip = page.getByRole("link", { name: "Skip to content" });
  const hidden = await skip.boundingBox();
  assert.ok(hidden.width <= 1 && hidden.height <= 1, `hidden before focus (${JSON.stringify(hidden)})`);
  await page.keyboard.press("Tab");
  assert.deepEqual(await focused(), { tag: "A", text: "Skip to content", role: null, inMain: false });
  const shown = await skip.boundingBox();
  assert.ok(shown.width > 60 && shown.height > 20, `shown when focused (${JSON.stringify(shown)})`);
  // Styled as the dashboard's own, not left to the browser's defaults.
  const look = await skip.evaluate((e) => ({ background: getComputedStyle(e).backgroundColor, underline: getComputedStyle(e).textDecorationLine }));
  assert.equal(look.underline, "none");
  assert.ok(!["rgba(0, 0, 0, 0)", "rgb(239, 239, 239)"].includes(look.background), `a background of its own (${look.background})`);
  await screenshot(page, "defects-03-skip-link");
  await page.keyboard.press("Enter");
  const now = await focused();
  assert.equal(now.inMain, true, "focus moved to the content");
  assert.equal(now.text, "Buckets");
});

test("on a 360 px phone the upload tray is a small bar and leaves the page's controls usable", async () => {
  await Promise.all(Array.from({ length: 14 }, (_, i) => put(`phone/item-${String(i).padStart(2, "0")}.txt`, "x", "text/plain")));
  await page.setViewportSize({ width: 360, height: 740 });
  try {
    await openBucket("?prefix=phone%2F");
    await page.locator("tr[data-key]").first().waitFor();
    await page.getByTestId("upload-files").setInputFiles({ name: "new.txt", mimeType: "text/plain", buffer: Buffer.from("new") });
    const toggle = page.getByRole("complementary", { name: "Uploads" }).getByRole("button", { expanded: false });
    await toggle.waitFor();
    await screenshot(page, "defects-04-phone-tray");
    // Uploads that went well leave the tray by themselves.
    await page.locator('tr[data-key="phone/new.txt"]').waitFor();
    await page.getByRole("complementary", { name: "Uploads" }).waitFor({ state: "detached", timeout: 15000 });

    // A row at the bottom of the screen, where the tray was, takes clicks.
    const row = page.locator('tr[data-key="phone/item-13.txt"]');
    await row.evaluate((e) => e.scrollIntoView({ block: "end" }));
    const button = row.getByRole("button", { name: "Delete item-13.txt" });
    const box = await button.boundingBox();
    assert.ok(box.y + box.height > 740 - 90, `the row is at the bottom of the screen (y ${box.y})`);
    const hit = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.closest("button")?.getAttribute("aria-label"), { x: box.x + box.width / 2, y: box.y + box.height / 2 });
    assert.equal(hit, "Delete item-13.txt");
    await button.click();
    await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
  } finally {
    await page.setViewportSize({ width: 1280, height: 860 });
  }
});

test("on a 360 px phone the toolbar's icon buttons keep their names for screen readers", async () => {
  await page.setViewportSize({ width: 360, height: 740 });
  try {
    await openBucket("?prefix=phone%2F");
    await page.locator("tr[data-key]").first().waitFor();
    for (const name of [/^Download/, /^Delete/, "Create folder", "Upload folder", "Upload files"]) {
      const button = page.getByRole("button", { name, exact: typeof name === "string" }).first();
      assert.equal(await button.isVisible(), true, `a visible button named ${name}`);
    }
    // The words are hidden, not gone: the icon-only buttons stay as narrow as before.
    const width = await page.getByRole("button", { name: "Upload folder", exact: true }).evaluate((b) => b.getBoundingClientRect().width);
    assert.ok(width < 60, `Upload folder shows as an icon (${width}px wide)`);
  } finally {
    await page.setViewportSize({ width: 1280, height: 860 });
  }
});

test("the object table's columns keep their widths from one folder to the next", async () => {
  await put("short/a.txt", "a", "text/plain");
  await put("long/quarterly-report-with-a-rather-long-name-2026.xlsx", Buffer.alloc(123456),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  const widths = async (prefix, key) => {
    await openBucket(`?prefix=${encodeURIComponent(prefix)}`);
    await page.locator(`tr[data-key="${key}"]`).waitFor();
    return page.locator(".objects-table thead th").evaluateAll((cells) => cells.map((c) => Math.round(c.getBoundingClientRect().width)));
  };
  const short = await widths("short/", "short/a.txt");
  const long = await widths("long/", "long/quarterly-report-with-a-rather-long-name-2026.xlsx");
  assert.deepEqual(long, short);
});

test("a bucket that does not exist says so, leads back, and offers no upload", async () => {
  await page.goto(`${dashboardUrl(target)}#/b/no-such-bucket-here`);
  await page.getByRole("heading", { name: "No bucket named no-such-bucket-here" }).waitFor();
  assert.equal(await page.getByRole("link", { name: "Back to the bucket list" }).getAttribute("href"), "#/");
  assert.equal(await page.getByRole("button", { name: /Upload/ }).count(), 0);
  assert.equal(await page.getByTestId("upload-files").count(), 0);
  await screenshot(page, "defects-05-missing-bucket");
  await page.getByRole("link", { name: "Back to the bucket list" }).click();
  await page.getByRole("heading", { name: "Buckets", exact: true }).waitFor();
});

test("the bucket tabs follow the arrow keys, Home and End", async () => {
  await openBucket();
  const tab = (name) => page.getByRole("tab", { name });
  const tabIndexes = () => page.getByRole("tab").evaluateAll((tabs) => tabs.map((t) => t.tabIndex));
  assert.deepEqual(await tabIndexes(), [0, -1, -1], "only the selected tab is in the Tab order");
  await tab("Objects").focus();
  const expectSelected = async (name, hash) => {
    await eventually(async () => (await tab(name).getAttribute("aria-selected")) === "true", 5000, `${name} selected`);
    assert.equal((await focused()).text, name);
    assert.match(page.url(), hash);
  };
  await page.keyboard.press("ArrowRight");
  await expectSelected("Incomplete uploads", /tab=uploads/);
  assert.deepEqual(await tabIndexes(), [-1, 0, -1]);
  await page.keyboard.press("End");
  await expectSelected("Settings", /tab=settings/);
  await page.keyboard.press("ArrowRight");
  await expectSelected("Objects", /#\/b\/[^?]+$/);
  await page.keyboard.press("ArrowLeft");
  await expectSelected("Settings", /tab=settings/);
  await page.keyboard.press("Home");
  await expectSelected("Objects", /#\/b\/[^?]+$/);
});

test("opening a bucket moves focus to its heading", async () => {
  await page.goto(dashboardUrl(target));
  await page.getByRole("link", { name: bucket }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: bucket }).waitFor();
  await eventually(async () => (await focused()).tag === "H1", 5000, "focus on the heading");
  assert.equal((await focused()).text, bucket);
});
