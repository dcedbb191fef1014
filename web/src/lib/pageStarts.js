// Where the pages of a listing start, as this tab saw them ({row number: cursor} per listing), so
// that Previous knows the page before without listing backwards, which S3 cannot. Kept in
// sessionStorage: it outlives a reload and serves Back and Forward. A page opened from a link has
// no trail; Previous then steps forward from the nearest start it knows (the first page at worst).
const ITEM = "cairn.pageStarts";
const MAX_STARTS = 1000;  // per listing; a longer trail starts over, so storage stays small

function all(storage) {
  try {
    return JSON.parse(storage.getItem(ITEM)) ?? {};
  } catch {
    return {};
  }
}

export function rememberPageStart(storage, listing, from, after) {
  const starts = all(storage);
  const known = starts[listing] ?? {};
  starts[listing] = Object.keys(known).length < MAX_STARTS ? { ...known, [from]: after } : { [from]: after };
  try {
    storage.setItem(ITEM, JSON.stringify(starts));
  } catch {
    // storage full or refused: Previous steps forward instead
  }
}

// The known page start nearest before or at row `from`: {from, after}.
export function pageStartBefore(storage, listing, from) {
  let best = { from: 1, after: "" };
  for (const [row, after] of Object.entries(all(storage)[listing] ?? {})) {
    const n = Number(row);
    if (n <= from && n > best.from) best = { from: n, after };
  }
  return best;
}
