// A selection of objects belongs to the page on screen: only keys that are listed there count, and
// a confirmation names the keys it acts on, the first few and how many more.

// The keys of `selected` (a Set) that are among `objects` (the page's {key} rows), in page order.
export function visibleSelection(selected, objects) {
  return objects.filter((o) => selected.has(o.key)).map((o) => o.key);
}

// {shown, more}: the first `count` of `keys`, and how many are left unnamed.
export function namedKeys(keys, count = 5) {
  const shown = keys.slice(0, count);
  return { shown, more: keys.length - shown.length };
}

export const DOWNLOAD_CONFIRM_FROM = 10;

// How "Download" treats `count` selected objects, given that at most `max` are presigned at once:
// "refuse" beyond it, "confirm" from DOWNLOAD_CONFIRM_FROM (so many files at once is rarely meant),
// else "start"; "none" for none.
export function downloadPlan(count, max) {
  if (count === 0) return "none";
  if (count > max) return "refuse";
  return count >= DOWNLOAD_CONFIRM_FROM ? "confirm" : "start";
}
