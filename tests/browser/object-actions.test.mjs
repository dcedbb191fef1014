// What an object's details offer beyond its metadata, and downloading several objects at once:
// previews of images, PDF, text and JSON loaded from the S3 API's origin, with an HTML object
// shown as its source and never as a page; rename and move (copy with the ETag checked, then a
// conditional delete), refused when the object changed meanwhile; one download per selected object.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { deflateSync, crc32 } from "node:zlib";
import { after, before, test } from "node:test";
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { bodyBytes, dashboardUrl, eventually, screenshot, startSignedIn, stopSignedIn } from "./harness.mjs";

let target;
let browser;
let page;
let s3;
const bucket = `actions-${Date.now().toString(36)}`;

before(async () => {
  ({ target, s3, browser, page } = await startSignedIn(bucket));
});

after(() => stopSignedIn({ target, browser }));

const put = (Key, Body, ContentType, Metadata = undefined) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body, ContentType, Metadata }));
const get = async (Key) => {
  const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
  return { bytes: await bodyBytes(r), contentType: r.ContentType, metadata: r.Metadata };
};
const exists = (Key) =>
  s3.send(new HeadObjectCommand({ Bucket: bucket, Key })).then(() => true, (e) => {
    if (e.$metadata?.httpStatusCode === 404) return false;
    throw e;
  });

// A PNG of `width` x `height` orange pixels.
function png(width, height) {
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type), data])));
    return Buffer.concat([length, Buffer.from(type), data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);  // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, Buffer.from([0xd9, 0x62, 0x1f]))]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", pixels), chunk("IEND", Buffer.alloc(0))]);
}

// Opens the details of `name` in `folder`, a folder the page has not shown yet (so that its
// listing is read afresh).
async function openDetails(folder, name) {
  await page.goto(`${dashboardUrl(target)}#/b/${bucket}?prefix=${encodeURIComponent(folder)}`);
  await page.getByRole("button", { name: `Details of ${name}` }).click();
  const dialog = page.getByRole("dialog", { name: "Object details" });
  await dialog.getByRole("heading", { name: "Object", exact: true }).waitFor();
  return dialog;
}

test("an image previews from the S3 API's origin", async () => {
  await put("image/pixel.png", png(3, 2), "image/png");
  const dialog = await openDetails("image/", "pixel.png");
  const image = dialog.getByTestId("object-preview").getByRole("img", { name: "Preview of pixel.png" });
  await image.waitFor();
  await eventually(() => image.evaluate((img) => img.complete && img.naturalWidth > 0), 10000, "the image to load");
  assert.deepEqual(await image.evaluate((img) => [img.naturalWidth, img.naturalHeight]), [3, 2]);
  const src = new URL(await image.getAttribute("src"));
  assert.equal(src.origin, target.endpoint, "served by the S3 API, not by the console");
  assert.equal(src.searchParams.get("response-content-type"), "image/png");
  await screenshot(page, "actions-01-image-preview");
  await page.keyboard.press("Escape");
});

test("text previews as text and JSON pretty-printed; a long text says it is cut", async () => {
  await put("text/notes.txt", "first line\nsecond line\n", "text/plain");
  let dialog = await openDetails("text/", "notes.txt");
  const text = dialog.getByTestId("object-preview").locator("pre");
  await text.waitFor();
  assert.equal(await text.textContent(), "first line\nsecond line\n");
  await page.keyboard.press("Escape");

  await put("json/data.json", '{"name":"cairn","sizes":[1,2]}', "application/json");
  dialog = await openDetails("json/", "data.json");
  const json = dialog.getByTestId("object-preview").locator("pre");
  await json.waitFor();
  assert.equal(await json.textContent(), JSON.stringify({ name: "cairn", sizes: [1, 2] }, null, 2));
  await screenshot(page, "actions-02-json-preview");
  await page.keyboard.press("Escape");

  // No Content-Type at all: the extension tells. 300 KiB, of which the first 256 KiB are read.
  await put("log/big.log", Buffer.alloc(300 * 1024, "x"), "application/octet-stream");
  dialog = await openDetails("log/", "big.log");
  const preview = dialog.getByTestId("object-preview");
  await preview.locator("pre").waitFor();
  assert.equal((await preview.locator("pre").textContent()).length, 256 * 1024);
  await assert.doesNotReject(preview.getByText("The first 256 KiB of 300 KiB.").waitFor());
  await page.keyboard.press("Escape");
});

test("an HTML object is shown as its source, never rendered as a page", async () => {
  const html = '<html><body><h1 id="planted">Planted</h1><script>window.top.planted = true;</script></body></html>';
  await put("html/page.html", html, "text/html");
  const dialog = await openDetails("html/", "page.html");
  const preview = dialog.getByTestId("object-preview");
  await preview.locator("pre").waitFor();
  assert.equal(await preview.locator("pre").textContent(), html, "the source, as text");
  assert.equal(await preview.locator("iframe, object, embed").count(), 0);
  assert.equal(await page.locator("#planted").count(), 0, "no element of the object entered the page");
  assert.equal(await page.evaluate(() => window.planted), undefined, "no script of the object ran");
  assert.ok(!page.frames().some((f) => f.url().includes("page.html")), "no frame loaded the object");
  await screenshot(page, "actions-03-html-as-text");
  await page.keyboard.press("Escape");
});

// A one-page PDF that says `text`.
function pdf(text) {
  const stream = `BT /F1 24 Tf 40 100 Td (${text}) Tj ET`;
  const objects = [
    "<</Type/Catalog/Pages 2 0 R>>",
    "<</Type/Pages/Kids[3 0 R]/Count 1>>",
    "<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 200]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
    `<</Length ${stream.length}>>stream\n${stream}\nendstream`,
    "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
  ];
  let out = "%PDF-1.4\n";
  const offsets = objects.map((body, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj${body}endobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  return out + `trailer<</Size ${objects.length + 1}/Root 1 0 R>>\nstartxref\n${xref}\n%%EOF\n`;
}

test("a PDF previews in a frame of the S3 API's origin that can only hold a PDF", async () => {
  await put("pdf/paper.pdf", pdf("Hello PDF"), "application/pdf");
  const dialog = await openDetails("pdf/", "paper.pdf");
  const frame = dialog.getByTestId("object-preview").locator("iframe[title='Preview of paper.pdf']");
  await frame.waitFor();
  const src = new URL(await frame.getAttribute("src"));
  assert.equal(src.origin, target.endpoint, "served by the S3 API, not by the console");
  assert.equal(src.searchParams.get("response-content-type"), "application/pdf", "whatever its bytes, it is served as a PDF");
  // The browser's PDF viewer took it: the frame holds the object, not an error page.
  await eventually(() => page.frames().some((f) => f.url().startsWith(`${target.endpoint}/${bucket}/pdf/paper.pdf`)), 10000, "the PDF frame");
  assert.ok(!page.frames().some((f) => f.url().startsWith("chrome-error:")), "the frame shows no error page");
  await screenshot(page, "actions-04-pdf-preview");
  await page.keyboard.press("Escape");
});

// Opens the rename dialog of `name` in `folder` and types `newKey` into it.
async function startRename(folder, name, newKey) {
  const details = await openDetails(folder, name);
  await details.getByRole("button", { name: "Rename or move" }).click();
  const form = page.getByRole("form", { name: "Rename or move" });
  assert.equal(await form.getByLabel("New key").inputValue(), folder + name, "prefilled with the current key");
  await form.getByLabel("New key").fill(newKey);
  return form;
}

test("rename moves an object to another folder with its bytes and metadata; the old key is gone", async () => {
  await put("docs/report.md", "# Report\nfigures\n", "text/markdown", { owner: "ops" });
  const form = await startRename("docs/", "report.md", "archive/2026/report-final.md");
  await screenshot(page, "actions-05-rename");
  await form.getByRole("button", { name: "Rename" }).click();
  await page.getByText("Renamed docs/report.md to archive/2026/report-final.md").waitFor();
  assert.equal(await page.getByRole("dialog").count(), 0, "the details closed");

  const moved = await get("archive/2026/report-final.md");
  assert.equal(moved.bytes.toString(), "# Report\nfigures\n");
  assert.equal(moved.contentType, "text/markdown");
  assert.deepEqual(moved.metadata, { owner: "ops" });
  assert.equal(await exists("docs/report.md"), false);
});

test("rename refuses a key that is taken, or the same key, at the field", async () => {
  await put("taken/a.txt", "a", "text/plain");
  await put("taken/b.txt", "b", "text/plain");
  const form = await startRename("taken/", "a.txt", "taken/b.txt");
  await form.getByRole("button", { name: "Rename" }).click();
  await assert.doesNotReject(form.getByText("taken/b.txt already exists.", { exact: false }).waitFor());
  await form.getByLabel("New key").fill("taken/a.txt");
  await form.getByRole("button", { name: "Rename" }).click();
  await assert.doesNotReject(form.getByText("That is the object's current key", { exact: false }).waitFor());
  assert.equal((await get("taken/b.txt")).bytes.toString(), "b");
  assert.equal((await get("taken/a.txt")).bytes.toString(), "a");
  await page.keyboard.press("Escape");  // the rename
  await page.keyboard.press("Escape");  // the details
});

test("a key taken by someone else just before the copy is not overwritten", async () => {
  await put("claim/mine.txt", "mine", "text/plain");
  const form = await startRename("claim/", "mine.txt", "claim/theirs.txt");
  // The other write lands after the dashboard saw the key free, as the copy reaches the S3 API.
  await page.route((url) => url.pathname === `/${bucket}/claim/theirs.txt`, async (route) => {
    if (route.request().method() === "PUT") await put("claim/theirs.txt", "theirs", "text/plain");
    await route.continue();
  });
  try {
    await form.getByRole("button", { name: "Rename" }).click();
    await assert.doesNotReject(form.getByText("claim/theirs.txt already exists.", { exact: false }).waitFor());
  } finally {
    await page.unrouteAll();
  }
  assert.equal((await get("claim/theirs.txt")).bytes.toString(), "theirs");
  assert.equal((await get("claim/mine.txt")).bytes.toString(), "mine");
  await page.keyboard.press("Escape");
  await page.keyboard.press("Escape");
});

test("rename of an object that changed since its details were read is refused and changes nothing", async () => {
  await put("race/old.txt", "first", "text/plain");
  const form = await startRename("race/", "old.txt", "race/new.txt");
  await put("race/old.txt", "second version", "text/csv");  // someone else writes meanwhile
  await form.getByRole("button", { name: "Rename" }).click();
  await assert.doesNotReject(form.getByRole("alert").filter({ hasText: "changed since its details were read" }).waitFor());
  await screenshot(page, "actions-06-rename-refused");
  assert.equal(await exists("race/new.txt"), false, "nothing was copied");
  assert.equal((await get("race/old.txt")).bytes.toString(), "second version");
  await page.keyboard.press("Escape");
  await page.keyboard.press("Escape");
});

test("an object written between the copy and the delete is kept, and the user is told both keys exist", async () => {
  await put("late/old.txt", "renamed version", "text/plain");
  const form = await startRename("late/", "old.txt", "late/new.txt");
  // The write lands once the copy is done, just before the delete reaches the S3 API.
  await page.route((url) => url.pathname === `/${bucket}/late/old.txt`, async (route) => {
    if (route.request().method() === "DELETE") await put("late/old.txt", "newer version", "text/plain");
    await route.continue();
  });
  try {
    await form.getByRole("button", { name: "Rename" }).click();
    const notice = page.getByRole("dialog", { name: "Copied, not moved" });
    await assert.doesNotReject(notice.getByRole("alert").filter({ hasText: "Both keys now hold an object" }).waitFor());
    await screenshot(page, "actions-07-both-kept");
    assert.equal((await get("late/new.txt")).bytes.toString(), "renamed version");
    assert.equal((await get("late/old.txt")).bytes.toString(), "newer version");
    await notice.getByRole("button", { name: "Done" }).click();
    assert.equal(await page.getByRole("dialog").count(), 0, "the details closed");
  } finally {
    await page.unrouteAll();
  }
});

// Ticks `names` in `folder` and clicks Download; the downloads that follow, once `count` came.
async function downloadSelected(folder, names, count, confirm = false) {
  await page.goto(`${dashboardUrl(target)}#/b/${bucket}?prefix=${encodeURIComponent(folder)}`);
  for (const name of names) await page.getByRole("checkbox", { name: `Select ${name}` }).check();
  const downloads = [];
  const collect = (d) => downloads.push(d);
  page.on("download", collect);
  try {
    await page.getByRole("button", { name: `Download (${names.length})` }).click();
    if (confirm) {
      const dialog = page.getByRole("dialog", { name: `Download ${names.length} objects?` });
      await screenshot(page, "actions-09-download-many-confirm");
      await dialog.getByRole("button", { name: "Download" }).click();
    }
    await eventually(() => downloads.length >= count, 20000, `${count} downloads`);
  } finally {
    page.off("download", collect);
  }
  return downloads;
}

test("Download of several selected objects saves each as a file of its own", async () => {
  const names = ["one.txt", "two.txt", "three.txt"];
  for (const name of names) await put(`many/${name}`, `contents of ${name}`, "text/plain");
  const downloads = await downloadSelected("many/", names, names.length);
  await screenshot(page, "actions-08-download-several");
  assert.deepEqual(downloads.map((d) => d.suggestedFilename()).sort(), [...names].sort());
  for (const d of downloads) {
    assert.equal((await readFile(await d.path())).toString(), `contents of ${d.suggestedFilename()}`);
  }
});

test("Download of many selected objects asks first", async () => {
  const names = Array.from({ length: 12 }, (_, i) => `file-${String(i).padStart(2, "0")}.txt`);
  for (const name of names) await put(`lots/${name}`, name, "text/plain");
  const downloads = await downloadSelected("lots/", names, names.length, true);
  assert.deepEqual(downloads.map((d) => d.suggestedFilename()).sort(), names);
});
