// A selection is what is on screen, a confirmation names what it deletes, and downloading many asks.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DOWNLOAD_CONFIRM_FROM, downloadPlan, namedKeys, visibleSelection } from "../src/lib/selection.js";

test("only keys listed on the page count, in page order", () => {
  const page = [{ key: "b" }, { key: "c" }, { key: "d" }];
  assert.deepEqual(visibleSelection(new Set(["a", "d", "b"]), page), ["b", "d"]);
  assert.deepEqual(visibleSelection(new Set(["a"]), page), []);
  assert.deepEqual(visibleSelection(new Set(), []), []);
});

test("the first keys are named, the rest counted", () => {
  assert.deepEqual(namedKeys(["a"]), { shown: ["a"], more: 0 });
  assert.deepEqual(namedKeys(["a", "b", "c"], 2), { shown: ["a", "b"], more: 1 });
  const many = Array.from({ length: 12 }, (_, i) => `k${i}`);
  assert.deepEqual(namedKeys(many), { shown: ["k0", "k1", "k2", "k3", "k4"], more: 7 });
});

test("Download starts a few at once, asks before many, and refuses more than one batch", () => {
  assert.equal(downloadPlan(0, 100), "none");
  assert.equal(downloadPlan(1, 100), "start");
  assert.equal(downloadPlan(DOWNLOAD_CONFIRM_FROM - 1, 100), "start");
  assert.equal(downloadPlan(DOWNLOAD_CONFIRM_FROM, 100), "confirm");
  assert.equal(downloadPlan(100, 100), "confirm");
  assert.equal(downloadPlan(101, 100), "refuse");
});
