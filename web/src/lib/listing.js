// How the object browser pages through one level of a bucket (a prefix, listed with the delimiter
// "/"): the level's folders first, then its rows page by page. A page is named by the entry it
// starts after (ListObjectsV2 StartAfter): a cursor that stays valid across requests and sessions,
// so it can go in the URL.
//
// Folders first, at a bounded cost. A listing with a delimiter gives a level's folders
// (CommonPrefixes) interleaved with its keys in key order, so finding every folder means reading
// the whole level, and S3 offers no index of folders alone. scanFolders reads the level from its
// start up to FOLDER_SCAN_ENTRIES entries (a few requests, once per level, not per page): the
// folders it finds are shown first, on the first page, and the pages skip them where they sort.
// A level larger than that shows the folders beyond the bound where they sort, among the objects,
// and the first page says so. Such levels are rare; a server-side folder index would be needed to
// do better, and it would cost every write.
//
// `list({after, maxKeys})` is one ListObjectsV2 request of the level: {folders, objects, truncated}.

export const LIST_MAX = 1000;  // the most entries S3 gives in one response
export const FOLDER_SCAN_ENTRIES = 5 * LIST_MAX;

// S3 orders keys by their UTF-8 bytes, which is code point order. JavaScript compares UTF-16
// units, which differs only where a character beyond U+FFFF (a surrogate pair) meets U+E000-U+FFFF.
export function compareKeys(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xAstral = x >= 0xd800 && x <= 0xdfff;
    const yAstral = y >= 0xd800 && y <= 0xdfff;
    if (xAstral !== yAstral) return xAstral ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

// Where a level's listing starts: after the level's own key when the level is a folder. A folder
// made in a console is a zero-byte object named like it ("docs/"), the first key of its level: it
// stands for the folder in the level above and is no row of its own. Starting after it rather than
// dropping it from the responses keeps every response's truncation and cursor true.
export function levelStart(level) {
  return level.endsWith("/") ? level : "";
}

// One response's folders and objects as entries in key order: {folder} or {object}.
function entriesOf(page) {
  const entries = [];
  let f = 0;
  let o = 0;
  while (f < page.folders.length || o < page.objects.length) {
    const folderFirst = o === page.objects.length || (f < page.folders.length && compareKeys(page.folders[f], page.objects[o].key) < 0);
    entries.push(folderFirst ? { folder: page.folders[f++] } : { object: page.objects[o++] });
  }
  return entries;
}

export const entryKey = (entry) => entry.folder ?? entry.object.key;

// The level's folders among its first `limit` entries: {folders, complete, end}, `end` being the
// last entry read; complete when that was the whole level.
export async function scanFolders(list, limit = FOLDER_SCAN_ENTRIES) {
  const folders = [];
  let end = "";
  let read = 0;
  for (;;) {
    const page = await list({ after: end, maxKeys: Math.min(LIST_MAX, limit - read) });
    const entries = entriesOf(page);
    folders.push(...page.folders);
    read += entries.length;
    if (entries.length) end = entryKey(entries.at(-1));
    if (!page.truncated || entries.length === 0) return { folders, complete: true, end };
    if (read >= limit) return { folders, complete: false, end };
  }
}

// Whether `folder` is among those a scan shows first (and the pages therefore leave out).
export function shownFirst(scan, folder) {
  return scan.complete || compareKeys(folder, scan.end) <= 0;
}

// Up to `count` rows after the cursor `after`: objects, and the folders the scan did not reach.
// {rows, next}: `next` is the cursor of the rows that follow, "" when none do. The first request
// asks for one entry more than the page needs, so that a page ending just before folders shown
// first (or the level's end) knows that no page follows.
export async function fetchRows(list, { after = "", count, scan }) {
  const rows = [];
  let cursor = after;
  for (let maxKeys = Math.min(LIST_MAX, count + 1); ; maxKeys = LIST_MAX) {
    const page = await list({ after: cursor, maxKeys });
    const entries = entriesOf(page);
    for (const entry of entries) {
      if (!(entry.folder && shownFirst(scan, entry.folder))) {
        if (rows.length === count) return { rows, next: cursor };
        rows.push(entry);
      }
      cursor = entryKey(entry);
    }
    if (!page.truncated || entries.length === 0) return { rows, next: "" };
  }
}

// "Showing 101–200 of 2,500": `rows` rows from row `from` (1-based), and the total when known.
export function rangeText(from, rows, total) {
  const range = `Showing ${from.toLocaleString()}–${(from + rows - 1).toLocaleString()}`;
  return total === null ? range : `${range} of ${total.toLocaleString()}`;
}

// The number of rows of a level, from the bucket's object count (`objectCount`, null when the
// server gives none): only the bucket's top level, unfiltered and without folders, holds every
// object as a row.
export function levelTotal(objectCount, { level, scan }) {
  if (objectCount === null || level !== "" || !scan.complete || scan.folders.length > 0) return null;
  return objectCount;
}
