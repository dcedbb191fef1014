// Bucket figures as an admin sees them: the object count and total size of each bucket on the
// bucket list and on the bucket's page, following uploads and deletes made in the dashboard and
// through the S3 API.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { dashboardUrl, dropFilesOn, eventually, screenshot, startSignedIn, stopSignedIn, waitForUploads } from "./harness.mjs";

let target;
let browser;
let page;
let s3;
const bucket = `figures-${Date.now().toString(36)}`;
const other = `${bucket}-other`;

before(async () => {
  ({ target, s3, browser, page } = await startSignedIn(bucket));
  await s3.send(new CreateBucketCommand({ Bucket: other }));
});

after(() => stopSignedIn({ target, browser }));

const figures = () => page.getByTestId("bucket-figures");
const bucketRow = (name) => page.locator("tr", { has: page.getByRole("link", { name, exact: true }) });
const cells = async (name) => (await bucketRow(name).locator("td").allInnerTexts()).map((t) => t.trim());

test("the bucket page shows the object count and size, after uploads and deletes in the dashboard", async () => {
  await page.goto(`${dashboardUrl(target)}#/b/${bucket}`);
  await eventually(async () => (await figures().innerText()) === "0 objects · 0 B", 10000, "an empty bucket's figures");

  await dropFilesOn(page, [
    { name: "one.bin", size: 1024, seed: 1 },
    { name: "two.bin", size: 2048, seed: 2 },
    { name: "three.bin", size: 1024 * 1024, seed: 3 },
  ]);
  await waitForUploads(page, ["one.bin", "two.bin", "three.bin"]);
  await eventually(async () => (await figures().innerText()) === "3 objects · 1.00 MiB", 10000, "three objects");
  await screenshot(page, "figures-01-bucket-page");

  await page.getByRole("button", { name: "Delete three.bin" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await eventually(async () => (await figures().innerText()) === "2 objects · 3.00 KiB", 10000, "one object fewer");
});

test("the bucket list shows every bucket's object count and size", async () => {
  await s3.send(new PutObjectCommand({ Bucket: other, Key: "a", Body: Buffer.alloc(500) }));
  await s3.send(new PutObjectCommand({ Bucket: other, Key: "b", Body: Buffer.alloc(24) }));
  await page.goto(`${dashboardUrl(target)}#/`);
  await bucketRow(other).waitFor();
  await eventually(async () => (await cells(other)).includes("524 B"), 10000, "the other bucket's size");
  const [, objects, size] = await cells(other);
  assert.deepEqual([objects, size], ["2", "524 B"]);
  assert.deepEqual((await cells(bucket)).slice(1, 3), ["2", "3.00 KiB"]);
  await screenshot(page, "figures-02-bucket-list");

  // Deleted through the API: the list says so at its next refresh.
  await s3.send(new DeleteObjectCommand({ Bucket: other, Key: "a" }));
  await page.getByRole("button", { name: "Refresh" }).click();
  await eventually(async () => (await cells(other)).slice(1, 3).join() === "1,24 B", 10000, "the figures after a delete");
});

test("on a 360 px phone the figures go under the name", async () => {
  await page.setViewportSize({ width: 360, height: 740 });
  try {
    await page.goto(`${dashboardUrl(target)}#/`);
    await bucketRow(other).waitFor();
    await eventually(async () => (await bucketRow(other).innerText()).includes("1 object · 24 B"), 10000, "figures under the name");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no sideways scrolling at 360 px (overflow ${overflow}px)`);
    await screenshot(page, "figures-03-phone");
  } finally {
    await page.setViewportSize({ width: 1280, height: 800 });
  }
});
