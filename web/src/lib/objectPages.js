// The object browser's listing of one level (lib/listing.js): the scan of its folders, read for the
// first page and reused by the others; the page at the URL's position; whether a page is loading; the total when the
// bucket's object count is known; and where the page before starts.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import * as s3 from "../api/s3.js";
import { readBucketFigures } from "./bucketFigures.js";
import { fetchRows, levelStart, levelTotal, scanFolders } from "./listing.js";
import { pageStartBefore, rememberPageStart } from "./pageStarts.js";

// `level`: the prefix listed (folder and filter). `askCount`: whether the key may read the bucket's
// figures. `reloads` counts refreshes.
export function useObjectPages({ bucket, level, after, from, pageSize, reloads, enabled, askCount }) {
  const listing = `${bucket}/${level}`;
  const list = useMemo(
    () =>
      ({ after: startAfter, maxKeys }) => s3.listObjects(bucket, { prefix: level, startAfter: startAfter || levelStart(level), maxKeys }),
    [bucket, level],
  );
  const request = `${listing}\n${after}\n${from}\n${pageSize}\n${reloads}`;
  const scans = useRef({ id: null, scan: null });
  // What is on screen: {request, listing, scan, rows, next, after, from}. It stays while the next
  // page loads, and the page is loading while it is another request's.
  const [view, setView] = useState(null);
  const [error, setError] = useState(null);
  const [figures, setFigures] = useState({ bucket, objectCount: null });

  useEffect(() => {
    let live = true;
    setError(null);
    if (!enabled) return undefined;
    // The first page, where the folders show, reads them afresh; the other pages reuse its scan.
    const scanId = `${listing}\n${reloads}`;
    if (after === "" || scans.current.id !== scanId) scans.current = { id: scanId, scan: scanFolders(list) };
    const pending = scans.current.scan;
    (async () => {
      const scan = await pending;
      const page = await fetchRows(list, { after, count: pageSize, scan });
      if (!live) return;
      rememberPageStart(sessionStorage, listing, from, after);
      if (page.next) rememberPageStart(sessionStorage, listing, from + page.rows.length, page.next);
      setView({ request, listing, scan, ...page, after, from });
    })().catch((e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [request, enabled]);

  useEffect(() => {
    let live = true;
    if (askCount) {
      readBucketFigures(bucket).then((info) => {
        if (live) setFigures({ bucket, objectCount: Number.isFinite(info?.objectCount) ? info.objectCount : null });
      });
    }
    return () => {
      live = false;
    };
  }, [bucket, reloads, askCount]);

  const shown = view?.listing === listing ? view : null;  // another level's page is not this one's
  return {
    view: shown,
    loading: enabled && !error && view?.request !== request,
    error,
    total: shown && figures.bucket === bucket ? levelTotal(figures.objectCount, { level, scan: shown.scan }) : null,
    // The position of the page before this one: from this tab's trail, or by reading forward from
    // the nearest page start it knows.
    async previous() {
      const target = Math.max(1, from - pageSize);
      if (target === 1) return { after: "", from: 1 };
      const start = pageStartBefore(sessionStorage, listing, target);
      if (start.from === target) return start;
      const { next } = await fetchRows(list, { after: start.after, count: target - start.from, scan: shown.scan });
      return next ? { after: next, from: target } : { after: "", from: 1 };
    },
  };
}
