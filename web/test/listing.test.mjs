// Paging one level of a bucket: folders first within a bound, pages after a cursor, totals.
import assert from "node:assert/strict";
import { test } from "node:test";
import { compareKeys, fetchRows, levelStart, levelTotal, rangeText, scanFolders } from "../src/lib/listing.js";
import { pageStartBefore, rememberPageStart } from "../src/lib/pageStarts.js";

// A level as ListObjectsV2 with the delimiter "/" lists it: `entries` in key order, folders ending
// in "/". Counts the requests.
function level(entries) {
  const sorted = [...entries].sort(compareKeys);
  const list = async ({ after, maxKeys }) => {
    list.requests += 1;
    const page = sorted.filter((e) => compareKeys(e, after) > 0).slice(0, maxKeys);
    const last = page.at(-1);
    return {
      folders: page.filter((e) => e.endsWith("/")),
      objects: page.filter((e) => !e.endsWith("/")).map((key) => ({ key })),
      truncated: last !== undefined && last !== sorted.at(-1),
    };
  };
  list.requests = 0;
  return list;
}

const items = (n, name = "item") => Array.from({ length: n }, (_, i) => `${name}-${String(i).padStart(4, "0")}`);
const keysOf = (rows) => rows.map((r) => r.folder ?? r.object.key);

test("keys compare in UTF-8 byte order, as S3 sorts them", () => {
  const sorted = ["a", "a/", "ab", "z", "é", "\uffee", "😀"];
  assert.deepEqual([...sorted].reverse().sort(compareKeys), sorted);
});

test("a level's folders come first, and the pages leave them out", async () => {
  const list = level([...items(250), "logs/", "archive/"]);
  const scan = await scanFolders(list);
  assert.deepEqual(scan, { folders: ["archive/", "logs/"], complete: true, end: "logs/" });
  const first = await fetchRows(list, { count: 100, scan });
  assert.deepEqual(keysOf(first.rows), items(100));
  assert.equal(first.next, "item-0099");
  const second = await fetchRows(list, { after: first.next, count: 100, scan });
  assert.deepEqual(keysOf(second.rows), items(200).slice(100));
  const last = await fetchRows(list, { after: second.next, count: 100, scan });
  assert.equal(last.rows.length, 50);
  assert.equal(last.next, "", "no page follows: the folder after the last key is shown first");
});

test("a page that ends just before the folders shown first has no next page", async () => {
  const list = level([...items(200), "logs/"]);
  const scan = await scanFolders(list);
  const second = await fetchRows(list, { after: "item-0099", count: 100, scan });
  assert.equal(second.rows.length, 100);
  assert.equal(second.next, "");
});

test("the folder scan stops at its bound; later folders stay where they sort, and nothing is lost", async () => {
  const list = level([...items(30), "b-dir/", "zz-dir/"]);
  const scan = await scanFolders(list, 20);
  assert.deepEqual(scan, { folders: ["b-dir/"], complete: false, end: "item-0018" });
  const seen = [];
  let after = "";
  do {
    const page = await fetchRows(list, { after, count: 7, scan });
    seen.push(...keysOf(page.rows));
    after = page.next;
  } while (after);
  assert.deepEqual(seen, [...items(30), "zz-dir/"]);
});

test("the scan reads a bounded number of entries, in requests of at most 1,000", async () => {
  const list = level(items(9000));
  const scan = await scanFolders(list);
  assert.equal(scan.complete, false);
  assert.equal(list.requests, 5);
  assert.equal(scan.end, "item-4999");
});

test("pages of folders shown first do not come out empty: a page reads on past them", async () => {
  const folders = Array.from({ length: 2500 }, (_, i) => `d${String(i).padStart(4, "0")}/`);
  const list = level([...folders, ...items(10, "z")]);
  const scan = await scanFolders(list);
  assert.equal(scan.folders.length, 2500);
  const page = await fetchRows(list, { count: 100, scan });
  assert.deepEqual(keysOf(page.rows), items(10, "z"));
  assert.equal(page.next, "");
});

test("a cursor many rows on is found in requests of 1,000 (Previous from a page opened by a link)", async () => {
  const list = level([...items(2500), "logs/"]);
  const scan = await scanFolders(list);
  list.requests = 0;
  const { next } = await fetchRows(list, { count: 2300, scan });
  assert.equal(next, "item-2299");
  assert.equal(list.requests, 3);
});

test("the range shown, with a total when there is one", () => {
  assert.equal(rangeText(101, 100, null), "Showing 101–200");
  assert.equal(rangeText(2401, 100, 2500), "Showing 2,401–2,500 of 2,500");
});

test("the bucket's object count is the total only of its unfiltered top level without folders", () => {
  const flat = { complete: true, folders: [] };
  assert.equal(levelTotal(2500, { level: "", scan: flat }), 2500);
  assert.equal(levelTotal(null, { level: "", scan: flat }), null);
  assert.equal(levelTotal(2500, { level: "item-1", scan: flat }), null);
  assert.equal(levelTotal(2500, { level: "", scan: { complete: true, folders: ["logs/"] } }), null);
  assert.equal(levelTotal(2500, { level: "", scan: { complete: false, folders: [] } }), null);
});

test("page starts are remembered per listing; the nearest one before a row is found", () => {
  const store = new Map();
  const storage = { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => store.set(k, v) };
  assert.deepEqual(pageStartBefore(storage, "b/", 201), { from: 1, after: "" });
  rememberPageStart(storage, "b/", 101, "item-0099");
  rememberPageStart(storage, "b/", 201, "item-0199");
  rememberPageStart(storage, "b/logs/", 301, "logs/x");
  assert.deepEqual(pageStartBefore(storage, "b/", 201), { from: 201, after: "item-0199" });
  assert.deepEqual(pageStartBefore(storage, "b/", 300), { from: 201, after: "item-0199" });
  assert.deepEqual(pageStartBefore(storage, "b/", 150), { from: 101, after: "item-0099" });
  for (let from = 1; from <= 100000; from += 100) rememberPageStart(storage, "b/", from, `k${from}`);
  assert.ok(store.get("cairn.pageStarts").length < 100000, "the trail stays small");
  assert.deepEqual(pageStartBefore(storage, "b/", 99901), { from: 99901, after: "k99901" });
  const broken = { getItem: () => "{not json", setItem: () => { throw new Error("full"); } };
  rememberPageStart(broken, "b/", 101, "x");
  assert.deepEqual(pageStartBefore(broken, "b/", 101), { from: 1, after: "" });
});

test("a folder's own marker object is no row of its level, and paging stays exact", async () => {
  // The level "docs/" as S3 lists it, with the zero-byte "docs/" a console made for the folder:
  // that key is an object of the level (nothing follows the prefix), listed first.
  const folderLevel = (entries) => {
    const list = level(entries);
    return async ({ after, maxKeys }) => {
      const page = await list({ after: after || levelStart("docs/"), maxKeys });
      const marker = page.folders.filter((f) => f === "docs/").map((key) => ({ key }));
      return { ...page, folders: page.folders.filter((f) => f !== "docs/"), objects: [...marker, ...page.objects] };
    };
  };
  const atLevel = folderLevel(["docs/", ...items(150, "docs/item"), "docs/sub/"]);
  const scan = await scanFolders(atLevel);
  assert.deepEqual(scan.folders, ["docs/sub/"]);
  const first = await fetchRows(atLevel, { count: 100, scan });
  assert.deepEqual(keysOf(first.rows), items(100, "docs/item"));
  const second = await fetchRows(atLevel, { after: first.next, count: 100, scan });
  assert.deepEqual(keysOf(second.rows), items(150, "docs/item").slice(100));
  assert.equal(second.next, "");

  const atEmpty = folderLevel(["docs/"]);
  assert.deepEqual(await fetchRows(atEmpty, { count: 100, scan: await scanFolders(atEmpty) }), { rows: [], next: "" });
});

test("only a folder level starts after its own key; a filtered level lists from its start", () => {
  assert.equal(levelStart(""), "");
  assert.equal(levelStart("docs/"), "docs/");
  assert.equal(levelStart("docs/rep"), "", "an object named docs/rep is a row of the filter docs/rep");
});
