// Access keys and public buckets in the dashboard, as an admin and as the people they hand keys to:
// an admin creates a key for one bucket on the Keys page and copies its secret, an app uses it with
// boto3 (in its bucket, not in another), the admin revokes it and boto3 is refused; a bucket made
// public in its settings serves an object to anyone; an object-ro key sees no Keys page and no
// upload or delete controls, an admin-ro key no button that changes anything; a session whose key
// is revoked ends; temporary credentials cannot sign in.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, test } from "node:test";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { dashboardUrl, launchBrowser, s3client, screenshot, signIn, startTarget } from "./harness.mjs";

let target;
let browser;
let page;
const suffix = Date.now().toString(36);
const appBucket = `keys-app-${suffix}`;
const otherBucket = `keys-other-${suffix}`;
const publicText = "hello, anyone\n";

before(async () => {
  target = await startTarget();
  const s3 = s3client(target);
  for (const Bucket of [appBucket, otherBucket]) await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new PutObjectCommand({ Bucket: otherBucket, Key: "site/hello.txt", Body: publicText, ContentType: "text/plain" }));
  await s3.send(new PutObjectCommand({ Bucket: appBucket, Key: "readme.txt", Body: "read me" }));
  browser = await launchBrowser();
  await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: target.console });
  page = await browser.page();
});

after(async () => {
  await browser?.close();
  await target?.stop();
});

// Runs boto3 calls with `key` ({id, secret, token}) and returns, for each, "ok" or the error code.
function boto3(key, calls) {
  const script = `
import boto3, json, sys
from botocore.exceptions import ClientError
t = json.load(sys.stdin)
s3 = boto3.client("s3", endpoint_url=t["endpoint"], region_name=t["region"],
                  aws_access_key_id=t["id"], aws_secret_access_key=t["secret"])
out = []
for name, args in t["calls"]:
    try:
        getattr(s3, name)(**args)
        out.append("ok")
    except ClientError as e:
        out.append(e.response["Error"]["Code"])
print(json.dumps(out))
`;
  const input = JSON.stringify({ endpoint: target.endpoint, region: target.region, ...key, calls });
  return JSON.parse(execFileSync("python3", ["-c", script], { input, timeout: 60000 }).toString());
}

// One admin API call signed by botocore with the admin key: the JSON answer.
function adminCall(method, path, body) {
  const script = `
import json, sys, urllib.request
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
t = json.load(sys.stdin)
req = AWSRequest(method=t["method"], url=t["endpoint"] + "/_cairn/admin/" + t["path"],
                 data=t["body"].encode(), headers={"Content-Type": "application/json"})
S3SigV4Auth(Credentials(t["id"], t["secret"]), "s3", t["region"]).add_auth(req)
r = urllib.request.urlopen(urllib.request.Request(req.url, data=req.body or None, method=t["method"],
                                                  headers=dict(req.headers.items())))
print(r.read().decode() or "null")
`;
  const input = JSON.stringify({ endpoint: target.endpoint, region: target.region, id: target.accessKeyId,
    secret: target.secretAccessKey, method, path, body: body === undefined ? "" : JSON.stringify(body) });
  return JSON.parse(execFileSync("python3", ["-c", script], { input, timeout: 60000 }).toString());
}

// Runs fn(page) in a browser of its own: another person, with a session of their own.
async function inAnotherBrowser(fn) {
  const other = await launchBrowser();
  try {
    return await fn(await other.page());
  } finally {
    await other.close();
  }
}

async function openKeysPage(p = page) {
  await p.getByRole("link", { name: "Keys", exact: true }).click();
  await p.getByRole("heading", { name: "Access keys" }).waitFor();
}

// Creates a key with the Keys page's form; returns {id, secret} as the one-time dialog shows them.
async function createKeyInUi(name, permission, { buckets = [], prefixes = [] } = {}) {
  await page.getByRole("button", { name: "Create key" }).click();
  const form = page.getByRole("dialog", { name: "Create access key" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Permission").selectOption(permission);
  if (buckets.length) await form.getByLabel(/^Buckets/).fill(buckets.join("\n"));
  if (prefixes.length) await form.getByLabel(/^Key prefixes/).fill(prefixes.join("\n"));
  await form.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByRole("dialog", { name: `Key ${name} created` });
  await shown.waitFor();
  return {
    shown,
    id: await shown.getByRole("textbox", { name: "Access key ID" }).inputValue(),
    secret: await shown.getByRole("textbox", { name: "Secret access key" }).inputValue(),
  };
}

async function revokeInUi(name) {
  await page.getByRole("button", { name: `Revoke key ${name}` }).click();
  const confirm = page.getByRole("dialog", { name: `Revoke key ${name}?` });
  await confirm.getByText(name, { exact: true }).waitFor();
  await confirm.getByRole("button", { name: "Revoke key" }).click();
  await confirm.waitFor({ state: "detached" });
  await page.locator(".keys-table").getByText(name, { exact: true }).waitFor({ state: "detached" });
}

let appKey;

test("an admin creates a key for one bucket on the Keys page and copies its secret once", async () => {
  await signIn(page, target);
  await openKeysPage();
  const builtin = page.locator(`tr[data-key-id="${target.accessKeyId}"]`);
  await builtin.getByText("builtin").waitFor();
  assert.equal(await builtin.getByRole("button", { name: /^Revoke/ }).count(), 0, "the builtin key cannot be revoked here");
  await screenshot(page, "keys-01-list");

  const created = await createKeyInUi("photo-uploader", "object-rw", { buckets: [appBucket] });
  assert.match(created.id, /^\S{16,}$/);
  assert.ok(created.secret.length >= 30, "a secret is shown");
  await created.shown.getByText("you will not see it again").waitFor();
  await created.shown.getByRole("button", { name: "Copy secret access key" }).click();
  await created.shown.getByText("Copied", { exact: true }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), created.secret);
  await screenshot(page, "keys-02-secret-once");
  await created.shown.getByRole("button", { name: "I have copied the secret" }).click();
  await created.shown.waitFor({ state: "detached" });

  const row = page.locator(`tr[data-key-id="${created.id}"]`);
  await row.getByText("object-rw").waitFor();
  await row.getByText(appBucket).filter({ visible: true }).waitFor();
  assert.equal(await page.getByText(created.secret).count(), 0, "the list never shows a secret");
  appKey = created;
});

test("the new key works with boto3 in its bucket only, until it is revoked in the dashboard", async () => {
  const key = { id: appKey.id, secret: appKey.secret };
  const put = (Bucket) => ["put_object", { Bucket, Key: "from-app.txt", Body: "app" }];
  assert.deepEqual(boto3(key, [put(appBucket), put(otherBucket), ["list_buckets", {}]]), ["ok", "AccessDenied", "AccessDenied"]);

  await revokeInUi("photo-uploader");
  await screenshot(page, "keys-03-revoked");
  assert.deepEqual(boto3(key, [put(appBucket)]), ["InvalidAccessKeyId"]);
});

test("a bucket made public in its settings serves its objects to anyone", async () => {
  const url = `${target.endpoint}/${otherBucket}/site/hello.txt`;
  assert.equal((await fetch(url)).status, 403, "private at first");

  await page.goto(`${dashboardUrl(target)}#/b/${otherBucket}?tab=settings`);
  const card = page.getByTestId("public-access");
  await card.getByText("Private: every request needs an access key.").waitFor();
  await card.getByText("Anyone with the URL of an object can read it").waitFor();
  await card.getByRole("button", { name: "Make public" }).click();
  const confirm = page.getByRole("dialog", { name: `Make ${otherBucket} public?` });
  await confirm.getByText("Anyone with the URL").waitFor();
  await confirm.getByRole("button", { name: "Make public" }).click();
  await card.getByText(`${target.endpoint}/${otherBucket}/`).waitFor();
  await screenshot(page, "keys-04-public-bucket");

  const resp = await fetch(url);
  assert.equal(resp.status, 200);
  assert.equal(await resp.text(), publicText);

  await page.goto(`${dashboardUrl(target)}#/b/${otherBucket}?prefix=site%2F`);
  await page.getByRole("button", { name: "Details of hello.txt" }).click();
  const details = page.getByRole("dialog", { name: "Object details" });
  assert.equal(await details.getByRole("textbox", { name: "Public URL" }).inputValue(), url);
  await screenshot(page, "keys-05-public-url");
  await details.getByRole("button", { name: "Close" }).click();

  await page.goto(`${dashboardUrl(target)}#/b/${otherBucket}?tab=settings`);
  await card.getByRole("button", { name: "Make private" }).click();
  await card.getByText("Private: every request needs an access key.").waitFor();
  assert.equal((await fetch(url)).status, 403, "private again");
});

test("an object-ro key sees its bucket and no Keys page, upload or delete controls", async () => {
  await page.goto(dashboardUrl(target));
  await openKeysPage();
  const reader = await createKeyInUi("reader", "object-ro", { buckets: [appBucket] });
  await reader.shown.getByRole("button", { name: "I have copied the secret" }).click();

  await inAnotherBrowser(async (p) => {
    await signIn(p, { ...target, accessKeyId: reader.id, secretAccessKey: reader.secret });
    await p.getByRole("link", { name: appBucket }).waitFor();
    assert.equal(await p.getByRole("link", { name: "Keys", exact: true }).count(), 0, "no Keys page");
    assert.equal(await p.getByRole("button", { name: "Create bucket" }).count(), 0);
    assert.equal(await p.getByRole("link", { name: otherBucket }).count(), 0, "only the key's buckets");
    await screenshot(p, "keys-06-object-ro-buckets");

    await p.goto(`${dashboardUrl(target)}#/keys`);
    await p.getByRole("heading", { name: "Buckets", exact: true }).waitFor();
    assert.equal(await p.getByRole("heading", { name: "Access keys" }).count(), 0);

    await p.setViewportSize({ width: 360, height: 740 });
    await p.goto(`${dashboardUrl(target)}#/b/${appBucket}`);
    await p.locator('tr[data-key="readme.txt"]').waitFor();
    for (const name of ["Upload files", "Upload folder", /^Delete/]) {
      assert.equal(await p.getByRole("button", { name }).count(), 0, `no ${name} button`);
    }
    assert.equal(await p.getByRole("tab", { name: "Settings" }).count(), 0, "no bucket settings");
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no sideways scrolling at 360 px (overflow ${overflow}px)`);
    await screenshot(p, "keys-07-object-ro-phone");
  });
});

test("an admin-ro key sees the key list and bucket settings, but no button that changes them", async () => {
  await page.goto(dashboardUrl(target));
  await openKeysPage();
  const auditor = await createKeyInUi("auditor", "admin-ro");
  await auditor.shown.getByRole("button", { name: "I have copied the secret" }).click();

  await inAnotherBrowser(async (p) => {
    await signIn(p, { ...target, accessKeyId: auditor.id, secretAccessKey: auditor.secret });
    await p.getByRole("link", { name: otherBucket }).waitFor();
    assert.equal(await p.getByRole("button", { name: "Create bucket" }).count(), 0);
    await openKeysPage(p);
    await p.locator(`tr[data-key-id="${auditor.id}"]`).getByText("admin-ro").waitFor();
    assert.equal(await p.getByRole("button", { name: "Create key" }).count(), 0, "no key creation");
    assert.equal(await p.getByRole("button", { name: /^Revoke key/ }).count(), 0, "no revocation");
    await screenshot(p, "keys-08-admin-ro-list");

    await p.goto(`${dashboardUrl(target)}#/b/${otherBucket}?tab=settings`);
    await p.getByTestId("public-access").getByText("Private: every request needs an access key.").waitFor();
    await p.getByRole("heading", { name: "Lifecycle" }).waitFor();
    for (const name of ["Make public", "Save lifecycle rules", "Save CORS rules"]) {
      assert.equal(await p.getByRole("button", { name }).count(), 0, `no ${name} button`);
    }
  });
});

test("a session whose key is revoked goes back to sign-in", async () => {
  await page.goto(dashboardUrl(target));
  await openKeysPage();
  const doomed = await createKeyInUi("doomed", "object-rw", { buckets: [appBucket] });
  await doomed.shown.getByRole("button", { name: "I have copied the secret" }).click();

  await inAnotherBrowser(async (p) => {
    await signIn(p, { ...target, accessKeyId: doomed.id, secretAccessKey: doomed.secret });
    await p.goto(`${dashboardUrl(target)}#/b/${appBucket}`);
    await p.locator('tr[data-key="readme.txt"]').waitFor();

    await revokeInUi("doomed");
    await p.getByRole("button", { name: "Refresh listing" }).click();
    await p.getByText("Your session has ended. Sign in again.").waitFor();
    await p.getByLabel("Access key ID").waitFor();
    await screenshot(p, "keys-09-revoked-session");
    const status = await p.evaluate(async () => (await fetch("/_cairn/api/session", { headers: { "X-Cairn-Dashboard": "1" } })).status);
    assert.equal(status, 401);
  });
});

test("temporary credentials cannot sign in to the dashboard", async () => {
  const temp = adminCall("POST", "temporary-credentials", { ttlSeconds: 900 });
  assert.ok(temp.sessionToken, "the admin API issued temporary credentials");
  await inAnotherBrowser(async (p) => {
    await p.goto(dashboardUrl(target));
    await p.getByLabel("Access key ID").fill(temp.accessKeyId);
    await p.getByLabel("Secret access key").fill(temp.secretAccessKey);
    await p.getByRole("button", { name: "Sign in" }).click();
    await p.getByRole("alert").filter({ hasText: "The access key ID or the secret access key is wrong." }).waitFor();
  });
});
