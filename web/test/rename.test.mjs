// Rename is a copy of the version that was read and a delete of that same version: what happens
// when the new key is taken, when the object changed before the copy, and when it changed between
// the copy and the delete.
import assert from "node:assert/strict";
import { test } from "node:test";
import { renameProblem } from "../src/lib/names.js";
import { renameObject, RenameRefused } from "../src/lib/rename.js";

class S3Error extends Error {
  constructor(code) {
    super(code);
    this.code = code;
  }
}

// A bucket in memory, {key: etag}, with the calls rename makes; `before` runs ahead of each call.
function fakeS3(objects, before = {}) {
  const calls = [];
  const run = (name, fn) => async (...args) => {
    calls.push([name, ...args.slice(1)]);
    await before[name]?.();
    return fn(...args);
  };
  return {
    calls,
    objects,
    objectExists: run("exists", (bucket, key) => key in objects),
    copyToFreeKey: run("copy", (bucket, from, to, etag) => {
      if (!(from in objects)) throw new S3Error("NoSuchKey");
      if (objects[from] !== etag || to in objects) throw new S3Error("PreconditionFailed");
      objects[to] = objects[from];
    }),
    deleteObject: run("delete", (bucket, key, { ifMatch }) => {
      if (!(key in objects)) throw new S3Error("NoSuchKey");
      if (objects[key] !== ifMatch) throw new S3Error("PreconditionFailed");
      delete objects[key];
    }),
  };
}

test("a rename copies the version read, then deletes that version", async () => {
  const s3 = fakeS3({ "a.txt": "e1" });
  assert.deepEqual(await renameObject(s3, "b", "a.txt", "dir/a.txt", "e1"), { oldKept: false });
  assert.deepEqual(s3.objects, { "dir/a.txt": "e1" });
  assert.deepEqual(s3.calls, [["exists", "dir/a.txt"], ["copy", "a.txt", "dir/a.txt", "e1"], ["delete", "a.txt", { ifMatch: "e1" }]]);
});

test("a taken key is refused at the field before anything is copied", async () => {
  const s3 = fakeS3({ "a.txt": "e1", "b.txt": "e2" });
  await assert.rejects(renameObject(s3, "b", "a.txt", "b.txt", "e1"), (e) => e instanceof RenameRefused && e.where === "key" && /already exists/.test(e.message));
  assert.deepEqual(s3.objects, { "a.txt": "e1", "b.txt": "e2" });
});

test("a key taken between the check and the copy is refused at the field, and not overwritten", async () => {
  const s3 = fakeS3({ "a.txt": "e1" }, { copy: () => { s3.objects["b.txt"] = "e9"; } });
  await assert.rejects(renameObject(s3, "b", "a.txt", "b.txt", "e1"), (e) => e instanceof RenameRefused && e.where === "key");
  assert.deepEqual(s3.objects, { "a.txt": "e1", "b.txt": "e9" });
});

test("an object that changed before the copy is not renamed at all", async () => {
  const s3 = fakeS3({ "a.txt": "e2" });
  await assert.rejects(renameObject(s3, "b", "a.txt", "c.txt", "e1"), (e) => e instanceof RenameRefused && e.where === "object" && /changed since/.test(e.message));
  assert.deepEqual(s3.objects, { "a.txt": "e2" });
});

test("an object that changed between the copy and the delete is kept: both keys exist", async () => {
  const s3 = fakeS3({ "a.txt": "e1" }, { delete: () => { s3.objects["a.txt"] = "e2"; } });
  assert.deepEqual(await renameObject(s3, "b", "a.txt", "c.txt", "e1"), { oldKept: true });
  assert.deepEqual(s3.objects, { "a.txt": "e2", "c.txt": "e1" });
});

test("an object deleted by someone else after the copy leaves the rename done", async () => {
  const s3 = fakeS3({ "a.txt": "e1" }, { delete: () => { delete s3.objects["a.txt"]; } });
  assert.deepEqual(await renameObject(s3, "b", "a.txt", "c.txt", "e1"), { oldKept: false });
  assert.deepEqual(s3.objects, { "c.txt": "e1" });
});

test("the new key is checked as the user types it", () => {
  assert.equal(renameProblem("a/b.txt", "c/b.txt"), null);
  assert.match(renameProblem("a/b.txt", "a/b.txt"), /current key/);
  assert.match(renameProblem("a/b.txt", "c/"), /names a folder/);
  assert.match(renameProblem("a/b.txt", ""), /empty/);
  assert.match(renameProblem("a/b.txt", "é".repeat(513)), /1024 bytes/);
});
