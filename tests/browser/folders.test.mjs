// Folders (issue "what a new user sees"): a folder created in the dashboard is the zero-byte object
// "name/" and opens empty, without a row for itself; a folder of 2,500 objects is deleted from its
// row in DeleteObjects batches with the progress shown, and a cancel stops after the batch under
// way and says how many went; a bucket of a few hundred objects and an incomplete upload is
// emptied after its name is typed, and then deleted.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { dashboardUrl, eventually, screenshot, startSignedIn, stopSignedIn } from "./harness.mjs";

let target;
let browser;
let page;
let s3;
const bucket = `folders-${Date.now().toString(36)}`;
const numbered = (prefix, n) => Array.from({ length: n }, (_, i) => `${prefix}item-${String(i).padStart(4, "0")}`);

before(async () => {
  ({ target, s3, browser, page } = await startSignedIn(bucket));
});

after(() => stopSignedIn({ target, browser }));

async function put(keys, Bucket = bucket) {
  for (let i = 0; i < keys.length; i += 100) {
    await Promise.all(keys.slice(i, i + 100).map((Key) => s3.send(new PutObjectCommand({ Bucket, Key, Body: "x" }))));
  }
}

// Every key that starts with `prefix`, through the S3 API.
async function keysUnder(prefix, Bucket = bucket) {
  const keys = [];
  let ContinuationToken;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken }));
    keys.push(...(page.Contents ?? []).map((c) => c.Key));
    ContinuationToken = page.NextContinuationToken;
  } while (ContinuationToken);
  return keys;
}

// Opens the folder's listing afresh (a new document: the same URL would not list it again).
async function openFolder(prefix = "") {
  await page.goto("about:blank");
  await page.goto(`${dashboardUrl(target)}#/b/${bucket}${prefix ? `?prefix=${encodeURIComponent(prefix)}` : ""}`);
  await page.locator(".objects-table, .empty").first().waitFor();
}

const folderRow = (folder) => page.locator(`tr[data-folder="${folder}"]`);
const progressText = () => page.getByTestId("delete-progress-text");

// The texts the progress line shows, as they change.
async function recordProgress() {
  await page.evaluate(() => {
    window.progressSeen = [];
    new MutationObserver(() => {
      const text = document.querySelector("[data-testid=delete-progress-text]")?.textContent;
      if (text && window.progressSeen.at(-1) !== text) window.progressSeen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

test("a folder created in the dashboard is the object name/, listed as a folder and opening empty", async () => {
  await openFolder();
  await page.getByRole("button", { name: "Create folder" }).click();
  const dialog = page.getByRole("dialog", { name: "Create folder" });
  const field = dialog.getByLabel("Folder name");
  const create = dialog.getByRole("button", { name: "Create folder" });

  await create.click();
  await dialog.getByText("Enter a folder name.").waitFor();
  await field.fill("2026/q1");
  await dialog.getByText("A folder name cannot contain “/”.", { exact: false }).waitFor();
  assert.equal(await field.getAttribute("aria-invalid"), "true");
  assert.equal(await create.isDisabled(), true);
  await field.fill("x".repeat(1024));
  await dialog.getByText("too long").waitFor();
  await screenshot(page, "folders-01-create-invalid-name");

  await field.fill("reports");
  assert.equal(await create.isDisabled(), false);
  await field.press("Enter");
  await folderRow("reports/").waitFor();
  await screenshot(page, "folders-02-created");

  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "reports/" }));
  assert.equal(head.ContentLength, 0, "the folder is a zero-byte object named reports/");

  await folderRow("reports/").getByRole("link", { name: "reports/" }).click();
  await page.getByRole("heading", { name: "This folder is empty" }).waitFor();
  assert.equal(await page.locator("tr[data-key]").count(), 0, "no row for the folder's own object");
  await screenshot(page, "folders-03-opened-empty");

  // With an object in it, the folder lists that object alone.
  await put(["reports/q1.csv"]);
  await page.getByRole("button", { name: "Refresh listing" }).click();
  await page.locator('tr[data-key="reports/q1.csv"]').waitFor();
  assert.deepEqual(await page.locator("tr[data-key]").evaluateAll((rows) => rows.map((r) => r.dataset.key)), ["reports/q1.csv"]);

  // A folder that exists is said so at the field, not written over.
  await openFolder();
  await page.getByRole("button", { name: "Create folder" }).click();
  await dialog.getByLabel("Folder name").fill("reports");
  await dialog.getByRole("button", { name: "Create folder" }).click();
  await dialog.getByText("A folder named reports already exists here.").waitFor();
  await page.keyboard.press("Escape");
});

test("a folder of 2,500 objects is deleted from its row, the progress counting to 2,500; keys outside it stay", async () => {
  const outside = ["big-sibling.txt", "bigger/x.txt", "keep/a.txt"];
  await put([...numbered("big/", 2499), "big/deeper/z.txt", ...outside]);
  await openFolder();
  await folderRow("big/").getByRole("button", { name: "Delete folder big/" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete folder big/?" });
  await dialog.getByText("Everything under").waitFor();
  assert.match(await dialog.innerText(), new RegExp(`${bucket}/big/ will be deleted for good`));
  await screenshot(page, "folders-04-delete-confirm");

  await recordProgress();
  await dialog.getByRole("button", { name: "Delete", exact: true }).click();
  await eventually(async () => (await progressText().innerText()) === "Deleted 2,500 objects.", 60000, "the deletion to finish");
  await screenshot(page, "folders-05-deleted");
  const seen = await page.evaluate(() => window.progressSeen);
  for (const step of ["Deleted 0 of 2,500", "Deleted 1,000 of 2,500", "Deleted 2,000 of 2,500"]) {
    assert.ok(seen.includes(step), `the progress showed "${step}": ${seen.join(" | ")}`);
  }
  await dialog.getByRole("button", { name: "Done" }).click();
  await folderRow("big/").waitFor({ state: "detached" });

  assert.deepEqual(await keysUnder("big/"), [], "nothing is left under big/");
  for (const key of outside) assert.deepEqual(await keysUnder(key), [key], `${key} is untouched`);
});

test("Cancel stops after the batch under way: the dialog says how many went, the rest stay whole", async () => {
  await put(numbered("slow/", 2500));
  await openFolder();
  let release;
  const held = new Promise((resolve) => {
    release = resolve;
  });
  let batches = 0;
  const isDeleteObjects = (url) => url.searchParams.has("delete");
  await page.route(isDeleteObjects, async (route) => {
    if (route.request().method() === "POST") {
      batches += 1;
      await held;
    }
    await route.continue();
  });
  try {
    await folderRow("slow/").getByRole("button", { name: "Delete folder slow/" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete folder slow/?" });
    await dialog.getByRole("button", { name: "Delete", exact: true }).click();
    await eventually(async () => (await progressText().innerText()) === "Deleted 0 of 2,500" && batches === 1, 30000, "the first batch to be sent");
    await screenshot(page, "folders-06-deleting");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.getByRole("button", { name: "Cancelling…" }).waitFor();
    release();
    await eventually(
      async () => (await progressText().innerText()) === "Cancelled after deleting 1,000 of 2,500 objects. The rest were not touched.",
      30000,
      "the cancel to take effect",
    );
    await screenshot(page, "folders-07-cancelled");
    assert.equal(batches, 1, "no batch after the cancel");
    await dialog.getByRole("button", { name: "Done" }).click();
  } finally {
    release();
    await page.unroute(isDeleteObjects);
  }
  // The first 1,000 keys in key order went, the last 1,500 stay, and the folder is still listed.
  assert.deepEqual(await keysUnder("slow/"), numbered("slow/", 2500).slice(1000));
  await folderRow("slow/").waitFor();
});

test("keys S3 refuses are shown with its reason, and the dialog does not claim success", async () => {
  await put(numbered("refused/", 3));
  await openFolder();
  // The DeleteObjects answer as S3 gives it when it refuses one key.
  const isDeleteObjects = (url) => url.searchParams.has("delete");
  await page.route(isDeleteObjects, async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    const response = await route.fetch();  // cairn deletes all three; the answer says one was refused
    const headers = response.headers();
    delete headers["content-length"];
    const body = '<?xml version="1.0" encoding="UTF-8"?><DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
      + "<Error><Key>refused/item-0001</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error></DeleteResult>";
    return route.fulfill({ status: 200, headers, body });
  });
  try {
    await folderRow("refused/").getByRole("button", { name: "Delete folder refused/" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete folder refused/?" });
    await dialog.getByRole("button", { name: "Delete", exact: true }).click();
    await eventually(async () => (await progressText().innerText()) === "Deleted 2 of 3 objects. 1 object could not be deleted.", 30000, "the outcome");
    assert.equal(await dialog.getByTestId("delete-failures").innerText(), "refused/item-0001: Access Denied");
    await screenshot(page, "folders-08-refused");
    await dialog.getByRole("button", { name: "Done" }).click();
  } finally {
    await page.unroute(isDeleteObjects);
  }
});

test("a selection with a folder deletes the folder with everything in it and the objects ticked", async () => {
  await put(["sel/a.txt", "sel/b/c.txt", "sel/b/d/e.txt", "sel/keep.txt"]);
  await openFolder("sel/");
  await page.getByRole("checkbox", { name: "Select folder b/" }).check();
  await page.getByRole("checkbox", { name: "Select a.txt" }).check();
  await page.getByRole("button", { name: "Delete (2)" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete 2 items?" });
  await dialog.waitFor();
  assert.deepEqual(await dialog.getByTestId("delete-keys").locator("li").allInnerTexts(), ["b/", "a.txt"]);
  await dialog.getByRole("button", { name: "Delete", exact: true }).click();
  await eventually(async () => (await progressText().innerText()) === "Deleted 3 objects.", 30000, "the deletion");
  await dialog.getByRole("button", { name: "Done" }).click();
  assert.deepEqual(await keysUnder("sel/"), ["sel/keep.txt"]);
});

test("a bucket of a few hundred objects and an incomplete upload is emptied, after its name is typed, then deleted", async () => {
  const doomed = `${bucket}-empty`;
  await s3.send(new CreateBucketCommand({ Bucket: doomed }));
  await put([...numbered("", 250), ...numbered("photos/", 50), "photos/2026/a.jpg"], doomed);
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: doomed, Key: "video.mp4" }));
  await s3.send(new UploadPartCommand({ Bucket: doomed, Key: "video.mp4", UploadId, PartNumber: 1, Body: Buffer.alloc(1024, 7) }));

  await page.goto(`${dashboardUrl(target)}#/b/${doomed}?tab=settings`);
  const figures = page.getByTestId("bucket-figures");
  await eventually(async () => (await figures.innerText()).startsWith("301 objects"), 15000, "the bucket's figures");
  const removal = page.getByTestId("bucket-removal");
  await removal.getByRole("button", { name: "Delete bucket" }).click();
  await page.getByRole("dialog").getByText("still holds objects").waitFor();
  await page.keyboard.press("Escape");

  await removal.getByRole("button", { name: "Empty bucket" }).click();
  const dialog = page.getByRole("dialog", { name: `Empty bucket ${doomed}?` });
  const confirm = dialog.getByRole("button", { name: "Empty bucket" });
  assert.equal(await confirm.isDisabled(), true, "nothing happens before the name is typed");
  await dialog.getByLabel(`Type ${doomed} to confirm`).fill(doomed.slice(0, -1));
  assert.equal(await confirm.isDisabled(), true);
  await dialog.getByLabel(`Type ${doomed} to confirm`).fill(doomed);
  await screenshot(page, "folders-09-empty-bucket-confirm");
  await confirm.click();
  await eventually(async () => (await progressText().innerText()) === "Deleted 301 objects. Aborted 1 incomplete upload.", 60000, "the bucket to be emptied");
  await screenshot(page, "folders-10-emptied");
  await dialog.getByRole("button", { name: "Done" }).click();
  await eventually(async () => (await figures.innerText()).startsWith("0 objects"), 15000, "the emptied bucket's figures");
  assert.deepEqual(await keysUnder("", doomed), []);
  const { Uploads = [] } = await s3.send(new ListMultipartUploadsCommand({ Bucket: doomed }));
  assert.deepEqual(Uploads, [], "the incomplete upload was aborted");

  await removal.getByRole("button", { name: "Delete bucket" }).click();
  const remove = page.getByRole("dialog", { name: `Delete bucket ${doomed}?` });
  await remove.getByText("The bucket is empty.").waitFor();
  await remove.getByRole("button", { name: "Delete bucket" }).click();
  await page.getByRole("heading", { name: "Buckets", exact: true }).waitFor();
  await assert.rejects(s3.send(new HeadBucketCommand({ Bucket: doomed })), (e) => e.$metadata?.httpStatusCode === 404);
});

test("on a 360 px phone, folder rows and object rows share the table's columns", async () => {
  await put(["phone/folder/a.txt", "phone/a-long-object-name.txt"]);
  await page.setViewportSize({ width: 360, height: 740 });
  try {
    await openFolder("phone/");
    // Each row's cells fill the row: its actions end at the table's right edge, none of it left to
    // columns that only the other kind of row has.
    const rights = (row) => row.evaluate((tr) => [tr.getBoundingClientRect().right, tr.lastElementChild.getBoundingClientRect().right].map(Math.round));
    for (const row of [page.locator('tr[data-key="phone/a-long-object-name.txt"]'), folderRow("phone/folder/")]) {
      const [table, actions] = await rights(row);
      assert.equal(actions, table, "the row's actions end at the table's edge");
    }
    await screenshot(page, "folders-11-phone-rows");
  } finally {
    await page.setViewportSize({ width: 1280, height: 860 });
  }
});

test("the new dialogs fit a 360 px phone, light and dark", async () => {
  await page.setViewportSize({ width: 360, height: 740 });
  try {
    await openFolder();
    await page.getByRole("button", { name: "Create folder" }).click();
    const dialog = page.getByRole("dialog", { name: "Create folder" });
    await dialog.getByLabel("Folder name").fill("a/b");
    const box = await dialog.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 360, `the dialog fits the width (${box.x}, ${box.width})`);
    await screenshot(page, "folders-12-create-narrow");
    await page.keyboard.press("Escape");
    await page.emulateMedia({ colorScheme: "dark" });
    await folderRow("slow/").getByRole("button", { name: "Delete folder slow/" }).click();
    await screenshot(page, "folders-13-delete-confirm-narrow-dark");
    await page.keyboard.press("Escape");
  } finally {
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 1280, height: 860 });
  }
});
