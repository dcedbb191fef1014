// What the details panel previews, and how: never an active document, text cut at 256 KiB on a
// character boundary, JSON pretty-printed only when it was read whole.
import assert from "node:assert/strict";
import { test } from "node:test";
import { mediaType, previewOf, textPreview } from "../src/lib/preview.js";

test("the Content-Type decides the kind, and media are served as that type", () => {
  assert.deepEqual(previewOf("a/photo", "image/png"), { kind: "image", type: "image/png" });
  assert.deepEqual(previewOf("song", "audio/mpeg"), { kind: "audio", type: "audio/mpeg" });
  assert.deepEqual(previewOf("clip", "video/mp4"), { kind: "video", type: "video/mp4" });
  assert.deepEqual(previewOf("doc", "application/pdf"), { kind: "pdf", type: "application/pdf" });
  assert.deepEqual(previewOf("x.bin", "application/json; charset=utf-8"), { kind: "json", type: null });
  assert.deepEqual(previewOf("feed", "application/ld+json"), { kind: "json", type: null });
  assert.deepEqual(previewOf("notes", "text/markdown"), { kind: "text", type: null });
  assert.equal(previewOf("archive.zip", "application/zip"), null);
});

test("HTML, SVG and XML are never rendered: they are shown as text", () => {
  for (const type of ["text/html", "image/svg+xml", "application/xhtml+xml", "application/xml", "TEXT/HTML; charset=utf-8"]) {
    assert.deepEqual(previewOf("page", type), { kind: "text", type: null }, type);
  }
  for (const key of ["page.html", "index.htm", "logo.svg"]) {
    assert.deepEqual(previewOf(key, "application/octet-stream"), { kind: "text", type: null }, key);
  }
});

test("an object stored without a telling type is judged by its extension", () => {
  for (const key of ["a.txt", "README.md", "data.CSV", "logs/app.log"]) assert.equal(previewOf(key, "")?.kind, "text", key);
  assert.equal(previewOf("x.json", "binary/octet-stream").kind, "json");
  assert.deepEqual(previewOf("pic.JPG", undefined), { kind: "image", type: "image/jpeg" });
  assert.deepEqual(previewOf("paper.pdf", "application/octet-stream"), { kind: "pdf", type: "application/pdf" });
  assert.equal(previewOf("noext", ""), null);
  assert.equal(previewOf(".md", ""), null, "a dot file has no extension");
  assert.equal(previewOf("folder.md/file", ""), null);
});

test("media types are compared without parameters or case", () => {
  assert.equal(mediaType(" Text/Plain ; charset=UTF-8"), "text/plain");
  assert.equal(mediaType(null), "");
});

const bytes = (text) => new TextEncoder().encode(text);

test("text read whole is shown as it is", () => {
  assert.deepEqual(textPreview(bytes("héllo\n"), 7, "text"), { text: "héllo\n", truncated: false, note: "" });
});

test("text cut short says so and drops a character cut in half", () => {
  const start = bytes("abé").subarray(0, 3);  // "ab" and the first byte of é
  assert.deepEqual(textPreview(start, 1000, "text"), { text: "ab", truncated: true, note: "" });
});

test("bytes with a NUL are not text", () => {
  assert.match(textPreview(new Uint8Array([0x50, 0x4b, 0x03, 0x00]), 4, "text").note, /does not look like text/);
});

test("JSON is pretty-printed when whole and valid, else shown as it is", () => {
  assert.equal(textPreview(bytes('{"a":[1]}'), 9, "json").text, '{\n  "a": [\n    1\n  ]\n}');
  const cut = textPreview(bytes('{"a":'), 100, "json");
  assert.equal(cut.text, '{"a":');
  assert.match(cut.note, /Too large to format/);
  const invalid = textPreview(bytes("{nope"), 5, "json");
  assert.equal(invalid.text, "{nope");
  assert.match(invalid.note, /Not valid JSON/);
});
