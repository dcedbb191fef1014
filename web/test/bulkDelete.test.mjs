// Deleting many objects: listed first, deleted 1,000 keys a request, cancelled between requests,
// refusals kept per key, and a bucket's incomplete uploads aborted after its objects.
import assert from "node:assert/strict";
import { test } from "node:test";
import { bulkDelete, completed, progressText } from "../src/lib/bulkDelete.js";

// A bucket in memory behind the io bulkDelete uses; `refuse` names keys DeleteObjects refuses.
function bucketOf(keys, { uploads = [], refuse = new Set(), listMax = 1000 } = {}) {
  const stored = new Set(keys);
  const pending = [...uploads];
  const io = {
    calls: [],
    list: async ({ prefix, startAfter }) => {
      io.calls.push("list");
      const all = [...stored].filter((k) => k.startsWith(prefix) && k > startAfter).sort();
      return { keys: all.slice(0, listMax), truncated: all.length > listMax };
    },
    deleteBatch: async (batch) => {
      io.calls.push(`delete ${batch.length}`);
      assert.ok(batch.length <= 1000);
      const failed = [];
      for (const key of batch) {
        if (refuse.has(key)) failed.push({ key, message: "Access Denied" });
        else stored.delete(key);
      }
      return failed;
    },
    listUploads: async (marker) => {
      io.calls.push("list uploads");
      const from = marker?.index ?? 0;
      return { uploads: pending.slice(from, from + 2), next: from + 2 < pending.length ? { index: from + 2 } : null };
    },
    abortUpload: async (upload) => {
      io.calls.push(`abort ${upload.uploadId}`);
    },
  };
  return { stored, io };
}

const numbered = (prefix, n) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(4, "0")}`);

test("a folder is listed, then deleted in batches of 1,000; keys outside it stay", async () => {
  const { stored, io } = bucketOf([...numbered("logs/", 2500), "logs", "logs-old/a", "other/b"]);
  const reports = [];
  const progress = await bulkDelete(io, { prefixes: ["logs/"] }, { report: (p) => reports.push(p) });
  assert.deepEqual([...stored].sort(), ["logs", "logs-old/a", "other/b"]);
  assert.deepEqual(io.calls, ["list", "list", "list", "delete 1000", "delete 1000", "delete 500"]);
  assert.ok(completed(progress));
  assert.equal(progressText(progress), "Deleted 2,500 objects.");
  const deleting = reports.filter((p) => p.phase === "deleting").map(progressText);
  assert.deepEqual(deleting, ["Deleted 0 of 2,500", "Deleted 1,000 of 2,500", "Deleted 2,000 of 2,500", "Deleted 2,500 of 2,500"]);
  assert.equal(progressText(reports[1]), "Listing… 1,000 objects found");
});

test("chosen keys and folders together, each key once", async () => {
  const { stored, io } = bucketOf(["a.txt", "b.txt", "docs/", "docs/x", "docs/y/z"]);
  const progress = await bulkDelete(io, { keys: ["a.txt"], prefixes: ["docs/"] });
  assert.deepEqual([...stored], ["b.txt"]);
  assert.equal(progress.deleted, 4);
});

test("a cancel stops after the request under way: what was deleted stays deleted, the rest untouched", async () => {
  const { stored, io } = bucketOf(numbered("f/", 2500));
  let stop = false;
  const progress = await bulkDelete(io, { prefixes: ["f/"] }, {
    report: (p) => {
      if (p.deleted === 1000) stop = true;  // Cancel pressed while the first batch was out
    },
    cancelled: () => stop,
  });
  assert.equal(stored.size, 1500);
  assert.deepEqual(io.calls.filter((c) => c.startsWith("delete")), ["delete 1000"]);
  assert.equal(progress.cancelled, true);
  assert.equal(completed(progress), false);
  assert.equal(progressText(progress), "Cancelled after deleting 1,000 of 2,500 objects. The rest were not touched.");
});

test("a cancel while listing deletes nothing", async () => {
  const { stored, io } = bucketOf(numbered("f/", 2500));
  const progress = await bulkDelete(io, { prefixes: ["f/"] }, { cancelled: () => io.calls.length >= 1 });
  assert.equal(stored.size, 2500);
  assert.equal(progressText(progress), "Cancelled before anything was deleted.");
});

test("keys S3 refuses are reported with its reason, and the run is not a success", async () => {
  const { stored, io } = bucketOf(["d/a", "d/b", "d/c"], { refuse: new Set(["d/b"]) });
  const progress = await bulkDelete(io, { prefixes: ["d/"] });
  assert.deepEqual([...stored], ["d/b"]);
  assert.deepEqual(progress.failed, [{ key: "d/b", message: "Access Denied" }]);
  assert.equal(completed(progress), false);
  assert.equal(progressText(progress), "Deleted 2 of 3 objects. 1 object could not be deleted.");
});

test("a request that fails stops the run with its error and keeps the count", async () => {
  const { io } = bucketOf(numbered("f/", 1500));
  const deleteBatch = io.deleteBatch;
  io.deleteBatch = async (batch) => {
    if (io.calls.includes("delete 1000")) throw new Error("The connection to the server failed.");
    return deleteBatch(batch);
  };
  const progress = await bulkDelete(io, { prefixes: ["f/"] });
  assert.equal(progress.deleted, 1000);
  assert.equal(progress.error.message, "The connection to the server failed.");
  assert.equal(completed(progress), false);
});

test("emptying a bucket aborts every incomplete upload after deleting its objects", async () => {
  const uploads = ["u1", "u2", "u3"].map((uploadId) => ({ key: `big-${uploadId}`, uploadId }));
  const { stored, io } = bucketOf(["a", "b/c"], { uploads });
  const progress = await bulkDelete(io, { prefixes: [""], uploads: true });
  assert.equal(stored.size, 0);
  assert.deepEqual(io.calls, ["list", "delete 2", "list uploads", "list uploads", "abort u1", "abort u2", "abort u3"]);
  assert.ok(completed(progress));
  assert.equal(progressText(progress), "Deleted 2 objects. Aborted 3 incomplete uploads.");
});
