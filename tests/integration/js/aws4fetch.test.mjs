// aws4fetch against cairn: the R2 guide's query-signed PUT URL, then plain fetch; header-signed
// requests through AwsClient.fetch.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";

import { AwsClient } from "aws4fetch";

import { fetchT, quotedMd5, randomName, startTarget, xmlCode } from "./cairn.mjs";

let t;
let r2;
const bucket = randomName("js-aws4fetch");

// aws4fetch guesses service and region from *.r2.cloudflarestorage.com host names; a local
// endpoint needs them spelled out.
function client(over = {}) {
  return new AwsClient({
    accessKeyId: t.accessKeyId,
    secretAccessKey: t.secretAccessKey,
    service: "s3",
    region: t.region,
    retries: 0,
    ...over,
  });
}

const objectUrl = (key) => `${t.endpoint}/${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`;

before(async () => {
  t = await startTarget();
  r2 = client();
  const r = await r2.fetch(`${t.endpoint}/${bucket}`, { method: "PUT",
    signal: AbortSignal.timeout(30000) });
  assert.equal(r.status, 200, await r.text());
});

after(async () => {
  if (r2) {
    try {
      const list = await (await r2.fetch(`${t.endpoint}/${bucket}?list-type=2`)).text();
      for (const m of list.matchAll(/<Key>([^<]*)<\/Key>/g)) {
        const key = m[1].replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">")
          .replace(/&quot;/g, '"').replace(/&apos;/g, "'");
        await r2.fetch(objectUrl(key), { method: "DELETE" });
      }
      await r2.fetch(`${t.endpoint}/${bucket}`, { method: "DELETE" });
    } catch (e) {
      console.error("cleanup failed:", e);
    }
  }
  if (t) await t.stop();
});

describe("aws4fetch", () => {
  test("presigned PUT URL as in the R2 guide, then fetch PUT and GET back", async () => {
    // Generate a presigned PUT URL valid for 1 hour
    const url = new URL(objectUrl("image.png"));
    url.searchParams.set("X-Amz-Expires", "3600");

    const signed = await r2.sign(new Request(url, { method: "PUT" }), {
      aws: { signQuery: true },
    });
    assert.ok(signed.url.includes("X-Amz-Signature="));

    const body = Buffer.concat([Buffer.from("\x89PNG"), randomBytes(8000)]);
    const put = await fetchT(signed.url, { method: "PUT", body });
    const text = await put.text();
    assert.equal(put.status, 200, text);
    assert.equal(put.headers.get("etag"), quotedMd5(body));

    const got = await r2.fetch(objectUrl("image.png"));
    assert.equal(got.status, 200);
    assert.deepEqual(Buffer.from(await got.arrayBuffer()), body);
  });

  test("the guide's snippet verbatim: an AwsClient given only the key, on a custom endpoint", async () => {
    // No service or region: aws4fetch cannot guess them from 127.0.0.1 and signs an empty
    // service (and us-east-1), which cairn takes as s3.
    const guide = new AwsClient({ accessKeyId: t.accessKeyId, secretAccessKey: t.secretAccessKey });
    const url = new URL(objectUrl("guide/verbatim.bin"));
    url.searchParams.set("X-Amz-Expires", "3600");
    const signed = await guide.sign(new Request(url, { method: "PUT" }), { aws: { signQuery: true } });
    assert.match(decodeURIComponent(new URL(signed.url).searchParams.get("X-Amz-Credential")), /\/\/aws4_request$/);

    const body = randomBytes(5000);
    const put = await fetchT(signed.url, { method: "PUT", body });
    assert.equal(put.status, 200, await put.text());
    assert.equal(put.headers.get("etag"), quotedMd5(body));
    const got = await r2.fetch(objectUrl("guide/verbatim.bin"));
    assert.deepEqual(Buffer.from(await got.arrayBuffer()), body);

    // A tampered signature is still refused: the empty service changes nothing else.
    const forged = new URL(signed.url);
    forged.searchParams.set("X-Amz-Signature", "0".repeat(64));
    const refused = await fetchT(forged, { method: "PUT", body });
    assert.equal(refused.status, 403);
    assert.equal(xmlCode(await refused.text()), "SignatureDoesNotMatch");
  });

  test("query-signed GET URL used with plain fetch", async () => {
    const put = await r2.fetch(objectUrl("dir/read me.txt"), { method: "PUT", body: "read me",
      headers: { "Content-Type": "text/plain" } });
    assert.equal(put.status, 200, await put.text());
    const url = new URL(objectUrl("dir/read me.txt"));
    url.searchParams.set("X-Amz-Expires", "300");
    const signed = await r2.sign(new Request(url), { aws: { signQuery: true } });
    const r = await fetchT(signed.url);
    assert.equal(r.status, 200);
    assert.equal(await r.text(), "read me");
    assert.equal(r.headers.get("content-type"), "text/plain");
  });

  test("header-signed PUT and GET", async () => {
    const body = randomBytes(100000);
    const put = await r2.fetch(objectUrl("header-signed.bin"), { method: "PUT", body,
      headers: { "Content-Type": "application/octet-stream", "x-amz-meta-via": "aws4fetch" } });
    assert.equal(put.status, 200, await put.text());
    assert.equal(put.headers.get("etag"), quotedMd5(body));
    const head = await r2.fetch(objectUrl("header-signed.bin"), { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("x-amz-meta-via"), "aws4fetch");
    assert.equal(head.headers.get("content-length"), String(body.length));
    const got = await r2.fetch(objectUrl("header-signed.bin"), { headers: { Range: "bytes=0-99" } });
    assert.equal(got.status, 206);
    assert.deepEqual(Buffer.from(await got.arrayBuffer()), body.subarray(0, 100));
  });

  test("tampered query-signed URL is refused", async () => {
    const url = new URL(objectUrl("image.png"));
    url.searchParams.set("X-Amz-Expires", "300");
    const signed = new URL((await r2.sign(new Request(url), { aws: { signQuery: true } })).url);
    signed.pathname = signed.pathname.replace("image.png", "other.png");
    const r = await fetchT(signed.toString());
    const text = await r.text();
    assert.equal(r.status, 403, text);
    assert.equal(xmlCode(text), "SignatureDoesNotMatch");
  });

  test("wrong secret is SignatureDoesNotMatch", async () => {
    const bad = client({ secretAccessKey: "wrong" });
    const r = await bad.fetch(`${t.endpoint}/${bucket}?list-type=2`);
    const text = await r.text();
    assert.equal(r.status, 403, text);
    assert.equal(xmlCode(text), "SignatureDoesNotMatch");
    assert.ok(r.headers.get("x-amz-request-id"));
  });
});
