// The key search of a bucket page (components/SearchResults.jsx): its text lives in the URL's
// hash as `find`, beside the route's own parameters (lib/route.js), so reload, Back and a shared
// link show the same search; the pages come from the admin API (api/admin.js searchKeys).
import { useRoute } from "./route.js";

// The server reads at most 100,000 keys a page, so a page of a huge bucket may hold no match yet
// carry a cursor: one click follows several such pages, up to about a million keys read.
export const PAGES_PER_STEP = 10;

function splitHash(hash) {
  const [path, search = ""] = hash.replace(/^#/, "").split("?");
  return { path, params: new URLSearchParams(search) };
}

// The text searched for in `hash` ("" when none).
export function findIn(hash) {
  return splitHash(hash).params.get("find") ?? "";
}

// `hash` searching for `text` (none when empty). A search shows its own pages, so the listing's
// page position goes.
export function withFind(hash, text) {
  const { path, params } = splitHash(hash);
  params.delete("after");
  params.delete("from");
  if (text) params.set("find", text);
  else params.delete("find");
  const search = params.toString();
  return `#${path}${search ? `?${search}` : ""}`;
}

// The text searched for in the current URL, kept current as the hash changes.
export function useFind() {
  useRoute();  // renders again on every change of the hash
  return findIn(location.hash);
}

// `name` cut around each occurrence of `text`: [{text, match}], for highlighting.
export function matchParts(name, text) {
  if (!text) return [{ text: name, match: false }];
  const parts = [];
  let start = 0;
  for (let at = name.indexOf(text); at !== -1; at = name.indexOf(text, at + text.length)) {
    if (at > start) parts.push({ text: name.slice(start, at), match: false });
    parts.push({ text, match: true });
    start = at + text.length;
  }
  if (start < name.length) parts.push({ text: name.slice(start), match: false });
  return parts;
}
