// The key search of the object browser: a box that finds the keys of the current folder that
// contain a text anywhere (not only at the start, as the prefix filter does), and the matches in
// the listing's table style, more with "Load more". The text is in the URL (lib/keySearch.js); the
// server does the search (api/admin.js searchKeys), a page at a time, following its cursor.
import { Download, File, Info, SearchX, TextSearch } from "lucide-preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { searchKeys } from "../api/admin.js";
import { download } from "../lib/download.js";
import { formatBytes, formatDate, storageClassName } from "../lib/format.js";
import { matchParts, PAGES_PER_STEP, useFind, withFind } from "../lib/keySearch.js";
import { errorText, ErrorBox } from "./States.jsx";
import { TableCard } from "./Table.jsx";
import { toast } from "./Toasts.jsx";

const TYPING_PAUSE_MS = 300;

// The search box. What is typed goes to the URL once typing pauses, replacing the entry rather
// than adding one per keystroke; the box follows the URL when it changes otherwise (Back).
export function KeySearchField({ where }) {
  const find = useFind();
  const [text, setText] = useState(find);
  const written = useRef(find);
  useEffect(() => {
    if (find !== written.current) setText(find);
    written.current = find;
  }, [find]);
  useEffect(() => {
    if (text === written.current) return undefined;
    const timer = setTimeout(() => {
      written.current = text;
      location.replace(withFind(location.hash, text));
    }, TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  return (
    <label class="search">
      <TextSearch size={16} aria-hidden="true" />
      <span class="visually-hidden">Find keys containing</span>
      <input type="search" placeholder={`Find names in ${where} containing…`} value={text} onInput={(e) => setText(e.currentTarget.value)} data-testid="key-search" />
    </label>
  );
}

// Pages until one holds matches or the search ends, at most PAGES_PER_STEP of them.
async function searchStep(bucket, text, prefix, cursor) {
  const found = [];
  let scanned = 0;
  for (let i = 0; i < PAGES_PER_STEP; i += 1) {
    const page = await searchKeys(bucket, { text, prefix, cursor });
    found.push(...page.matches.map((m) => ({ ...m, lastModified: new Date(m.lastModified) })));
    scanned += page.scanned;
    cursor = page.cursor;
    if (found.length > 0 || !cursor) break;
  }
  return { found, scanned, cursor };
}

const NOTHING_YET = { matches: [], cursor: null, scanned: 0 };

function Highlighted({ name, text }) {
  return matchParts(name, text).map((part, i) => (part.match ? <mark key={i}>{part.text}</mark> : part.text));
}

function summary({ matches, cursor, scanned }, text) {
  const count = `${matches.length.toLocaleString()} ${matches.length === 1 ? "key contains" : "keys contain"} “${text}”`;
  return cursor ? `${count} among the first ${scanned.toLocaleString()} names` : count;
}

// `reloads` counts the listing's refreshes (the Refresh button, a deletion): each searches again.
export function SearchResults({ bucket, prefix, text, reloads, onDetails }) {
  const [result, setResult] = useState(NOTHING_YET);
  const [busy, setBusy] = useState(true);
  const [error, setError] = useState(null);
  const run = useRef(0);

  // Only the latest search's answer is shown: one for an older text is dropped.
  const load = async (before) => {
    const id = ++run.current;
    setBusy(true);
    setError(null);
    try {
      const step = await searchStep(bucket, text, prefix, before.cursor);
      if (id !== run.current) return;
      setResult({ matches: [...before.matches, ...step.found], cursor: step.cursor, scanned: before.scanned + step.scanned });
    } catch (e) {
      if (id === run.current) setError(e);
    } finally {
      if (id === run.current) setBusy(false);
    }
  };
  useEffect(() => {
    setResult(NOTHING_YET);
    load(NOTHING_YET);
  }, [bucket, prefix, text, reloads]);

  const name = (key) => key.slice(prefix.length);
  const where = prefix || bucket;
  const { matches, cursor } = result;
  return (
    <div class="key-search" aria-busy={busy ? "true" : "false"}>
      <p class="search-summary muted" role="status" data-testid="search-status">
        {busy && <span class="spinner spinner-small" aria-hidden="true" />}
        <span>{busy ? `Searching ${where} for “${text}”…` : summary(result, text)}</span>
      </p>
      {error && <ErrorBox error={error} onRetry={() => load(result)} />}
      {!busy && !error && matches.length === 0 && (
        <div class="empty card" data-testid="search-empty">
          <SearchX size={36} aria-hidden="true" />
          <h2>
            No keys contain “{text}”{cursor ? " yet" : ""}
          </h2>
          <p>{cursor ? "Only part of this folder was searched: search further to go on." : `Nothing in ${where} has this text in its name.`}</p>
        </div>
      )}
      {matches.length > 0 && (
        <TableCard
          className="objects-table search-table"
          columns={[
            ["Name", ""],
            ["Size", "num hide-narrow"],
            ["Storage class", "hide-narrow"],
            ["Last modified", "hide-narrow"],
            [null, "actions-col"],
          ]}
        >
          {matches.map((object) => (
            <tr key={object.key} data-match={object.key}>
              <td>
                <button type="button" class="row-link link-button" onClick={() => onDetails(object.key)}>
                  <File size={16} aria-hidden="true" />
                  <span class="object-name">
                    <Highlighted name={name(object.key)} text={text} />
                  </span>
                </button>
                <div class="show-narrow muted small">
                  {formatBytes(object.size)} · {formatDate(object.lastModified)}
                </div>
              </td>
              <td class="num hide-narrow">{formatBytes(object.size)}</td>
              <td class="hide-narrow muted">{storageClassName(object.storageClass)}</td>
              <td class="hide-narrow muted">{formatDate(object.lastModified)}</td>
              <td class="actions-col">
                <div class="row-actions">
                  <button type="button" class="icon-button" aria-label={`Download ${name(object.key)}`} title="Download" onClick={() => download(bucket, object.key).catch((e) => toast(errorText(e), "error"))}>
                    <Download size={16} aria-hidden="true" />
                  </button>
                  <button type="button" class="icon-button" aria-label={`Details of ${name(object.key)}`} title="Details" onClick={() => onDetails(object.key)}>
                    <Info size={16} aria-hidden="true" />
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </TableCard>
      )}
      {cursor && !error && (
        <div class="pager">
          <button type="button" class="button" disabled={busy} onClick={() => load(result)}>
            {busy ? "Searching…" : matches.length ? "Load more" : "Search further"}
          </button>
        </div>
      )}
    </div>
  );
}
