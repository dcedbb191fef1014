import assert from "node:assert/strict";
import { test } from "node:test";
import { nextSort, sortObjects } from "../src/lib/sortObjects.js";

const at = (day) => new Date(`2026-01-0${day}T00:00:00Z`);
const objects = [
  { key: "a", size: 30, lastModified: at(2) },
  { key: "b", size: 10, lastModified: at(3) },
  { key: "c", size: 30, lastModified: at(1) },
  { key: "d", size: 20, lastModified: at(3) },
];
const keys = (list) => list.map((o) => o.key).join("");

test("by name is the listing's order, or its reverse", () => {
  assert.equal(keys(sortObjects(objects, { by: "name", descending: false })), "abcd");
  assert.equal(keys(sortObjects(objects, { by: "name", descending: true })), "dcba");
});

test("by size and by date, ties in key order whichever the direction", () => {
  assert.equal(keys(sortObjects(objects, { by: "size", descending: false })), "bdac");
  assert.equal(keys(sortObjects(objects, { by: "size", descending: true })), "acdb");
  assert.equal(keys(sortObjects(objects, { by: "date", descending: true })), "bdac");
  assert.equal(keys(sortObjects(objects, { by: "date", descending: false })), "cabd");
});

test("sorting leaves the page it was given alone", () => {
  sortObjects(objects, { by: "size", descending: true });
  assert.equal(keys(objects), "abcd");
});

test("a click turns the column around, or starts a new one in its natural direction", () => {
  assert.deepEqual(nextSort({ by: "name", descending: false }, "name"), { by: "name", descending: true });
  assert.deepEqual(nextSort({ by: "name", descending: false }, "size"), { by: "size", descending: true });
  assert.deepEqual(nextSort({ by: "size", descending: true }, "date"), { by: "date", descending: true });
  assert.deepEqual(nextSort({ by: "date", descending: true }, "name"), { by: "name", descending: false });
});
