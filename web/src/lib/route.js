// The dashboard's places, kept in the URL's hash so that reload, back and bookmarks work without
// the server knowing any route:
//   #/                                     the bucket list
//   #/keys                                 the access keys (admin keys only)
//   #/b/BUCKET?prefix=P&tab=objects|uploads|settings
//   #/b/BUCKET?prefix=P&filter=F&after=KEY&from=N   a page of objects: those under P + F after the
//                                                   key (or folder) KEY, numbered from row N
import { useEffect, useState } from "preact/hooks";

export function parseRoute(hash) {
  const [path, search = ""] = hash.replace(/^#/, "").split("?");
  const params = new URLSearchParams(search);
  if (path === "/keys") return { page: "keys" };
  const match = /^\/b\/([^/]+)\/?$/.exec(path);
  if (!match) return { page: "buckets" };
  return {
    page: "bucket",
    bucket: decodeURIComponent(match[1]),
    prefix: params.get("prefix") ?? "",
    tab: params.get("tab") ?? "objects",
    filter: params.get("filter") ?? "",
    after: params.get("after") ?? "",
    from: Math.max(1, Math.floor(Number(params.get("from"))) || 1),
  };
}

export function bucketHref(bucket, { prefix = "", tab = "objects", filter = "", after = "", from = 1 } = {}) {
  const params = new URLSearchParams();
  if (prefix) params.set("prefix", prefix);
  if (tab !== "objects") params.set("tab", tab);
  if (filter) params.set("filter", filter);
  if (after) params.set("after", after);
  if (from > 1) params.set("from", String(from));
  const search = params.toString();
  return `#/b/${encodeURIComponent(bucket)}${search ? `?${search}` : ""}`;
}

export function useRoute() {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", update);
    return () => removeEventListener("hashchange", update);
  }, []);
  return route;
}
