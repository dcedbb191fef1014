// A bucket's objects as folders (delimiter "/"), page by page, with a prefix filter; uploading
// into the current folder; download, details and deletion of one or several objects. A selection
// is what is ticked on screen: it clears when the page, folder, filter or bucket changes, and the
// confirmation names the keys it deletes. Read-only keys get no upload or delete controls, and a
// key limited to key prefixes is shown its prefixes where it may not list.
import { ChevronLeft, ChevronRight, Download, File, Folder, FolderUp, Info, RefreshCw, Search, Trash2, Upload } from "lucide-preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import * as s3 from "../api/s3.js";
import { mayList, useAccess } from "../lib/access.js";
import { formatBytes, formatDate } from "../lib/format.js";
import { download } from "../lib/download.js";
import { bucketHref } from "../lib/route.js";
import { namedKeys, visibleSelection } from "../lib/selection.js";
import { filesFromPicker } from "../upload/fileTree.js";
import { useConfirmation } from "./Dialog.jsx";
import { ObjectDetails } from "./ObjectDetails.jsx";
import { errorText, Pending } from "./States.jsx";
import { TableCard } from "./Table.jsx";
import { toast } from "./Toasts.jsx";

const PAGE_SIZE = 100;
const DELETE_BATCH = 1000;

function useDebounced(value, ms) {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return debounced;
}

// Where a prefix-scoped key may not list: links to the prefixes it may.
function ScopePrefixes({ bucket, prefixes }) {
  return (
    <div class="empty card" data-testid="scope-prefixes">
      <h2>This key can list only below its prefixes</h2>
      <ul class="scope-prefixes">
        {prefixes.map((p) => (
          <li key={p}>
            <a class="row-link" href={bucketHref(bucket, { prefix: p })}>
              <Folder size={16} aria-hidden="true" />
              <span>{p}</span>
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ObjectBrowser({ bucket, prefix, manager, onFiles }) {
  const { writeObjects, prefixes } = useAccess();
  const [search, setSearch] = useState("");
  const filter = useDebounced(search, 250);
  const [tokens, setTokens] = useState([""]);  // continuation token of each page seen so far
  const [pageIndex, setPageIndex] = useState(0);
  const [page, setPage] = useState(null);
  const [error, setError] = useState(null);
  const [types, setTypes] = useState(new Map());
  const [selected, setSelected] = useState(new Set());
  const [details, setDetails] = useState(null);
  const [reloads, setReloads] = useState(0);
  const filesInput = useRef(null);
  const folderInput = useRef(null);

  // A new folder or filter starts again at the first page.
  useEffect(() => {
    setTokens([""]);
    setPageIndex(0);
  }, [bucket, prefix, filter]);
  // Ticks on a page that is no longer shown must never be acted on.
  useEffect(() => setSelected(new Set()), [bucket, prefix, filter, pageIndex]);
  useEffect(() => setSearch(""), [bucket, prefix]);

  const listable = mayList(prefixes, prefix + filter);
  useEffect(() => {
    let live = true;
    setError(null);
    if (!listable) return undefined;
    s3.listObjects(bucket, { prefix: prefix + filter, token: tokens[pageIndex] ?? "", maxKeys: PAGE_SIZE }).then(
      (result) => {
        if (!live) return;
        setPage(result);
        setSelected((s) => new Set(visibleSelection(s, result.objects)));  // a reload may drop some
        if (result.nextToken) setTokens((t) => [...t.slice(0, pageIndex + 1), result.nextToken]);
        s3.contentTypes(bucket, result.objects.map((o) => o.key)).then((m) => live && setTypes(m));
      },
      (err) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [bucket, prefix, filter, pageIndex, reloads]);

  // New uploads in this bucket show up when they finish.
  useEffect(() => manager.onFinished((task) => task.bucket === bucket && setReloads((n) => n + 1)), [manager, bucket]);

  const reload = () => setReloads((n) => n + 1);
  const objects = page?.objects ?? [];
  const chosen = visibleSelection(selected, objects);
  const allSelected = objects.length > 0 && chosen.length === objects.length;
  const toggle = (key) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  const toggleAll = () => setSelected(allSelected ? new Set() : new Set(objects.map((o) => o.key)));

  const pick = (input) => {
    const files = filesFromPicker(input.files);
    input.value = "";
    if (files.length) onFiles(files);
  };

  const [deleteDialog, confirmDelete] = useConfirmation(
    async (keys) => {
      const failed = [];
      for (let i = 0; i < keys.length; i += DELETE_BATCH) failed.push(...(await s3.deleteObjects(bucket, keys.slice(i, i + DELETE_BATCH))));
      if (failed.length) throw new Error(`${failed.length} object(s) could not be deleted: ${failed[0].message}`);
      toast(keys.length === 1 ? `Deleted ${keys[0]}` : `Deleted ${keys.length} objects`);
      setSelected(new Set());
      reload();
    },
    (keys) => {
      const { shown, more } = namedKeys(keys);
      return {
        title: keys.length === 1 ? "Delete this object?" : `Delete ${keys.length} objects?`,
        message:
          keys.length === 1 ? (
            <p>
              <code>{keys[0]}</code> will be deleted for good.
            </p>
          ) : (
            <>
              <p>These {keys.length} objects will be deleted for good:</p>
              <ul class="delete-keys" data-testid="delete-keys">
                {shown.map((key) => (
                  <li key={key}>
                    <code>{key}</code>
                  </li>
                ))}
                {more > 0 && <li class="muted">and {more} more</li>}
              </ul>
            </>
          ),
        confirmLabel: "Delete",
      };
    },
  );

  const name = (key) => key.slice(prefix.length);
  const rows = useMemo(() => page && [...page.folders.map((f) => ({ folder: f })), ...page.objects.map((o) => ({ object: o }))], [page]);

  return (
    <section aria-label="Objects">
      <div class="toolbar toolbar-wrap">
        <label class="search">
          <Search size={16} aria-hidden="true" />
          <span class="visually-hidden">Filter by prefix</span>
          <input type="search" placeholder={`Filter ${prefix || "objects"} by prefix`} value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        </label>
        <div class="toolbar">
          <button type="button" class="button" onClick={reload} aria-label="Refresh listing">
            <RefreshCw size={16} aria-hidden="true" />
          </button>
          {writeObjects && (
            <>
          <button type="button" class="button button-danger-quiet" disabled={chosen.length === 0} onClick={() => confirmDelete(chosen)}>
            <Trash2 size={16} aria-hidden="true" />
            <span>Delete{chosen.length ? ` (${chosen.length})` : ""}</span>
          </button>
          <button type="button" class="button" onClick={() => folderInput.current.click()}>
            <FolderUp size={16} aria-hidden="true" />
            <span>Upload folder</span>
          </button>
          <button type="button" class="button button-primary" onClick={() => filesInput.current.click()}>
            <Upload size={16} aria-hidden="true" />
            <span>Upload files</span>
          </button>
          <input ref={filesInput} type="file" multiple hidden aria-label="Choose files to upload" data-testid="upload-files" onChange={(e) => pick(e.currentTarget)} />
          <input ref={folderInput} type="file" webkitdirectory hidden aria-label="Choose a folder to upload" data-testid="upload-folder" onChange={(e) => pick(e.currentTarget)} />
            </>
          )}
        </div>
      </div>

      {!listable && <ScopePrefixes bucket={bucket} prefixes={prefixes} />}
      {listable && <Pending value={page} error={error} onRetry={reload} />}
      {listable && rows && rows.length === 0 && (
        <div class="empty card drop-hint">
          <Upload size={36} aria-hidden="true" />
          <h2>{filter ? "Nothing matches this prefix" : "This folder is empty"}</h2>
          {writeObjects && <p class="muted">Drop files or folders here, or use Upload files.</p>}
        </div>
      )}
      {listable && rows && rows.length > 0 && (
        <TableCard
          className="objects-table"
          columns={[
            writeObjects && [<input type="checkbox" checked={allSelected} onChange={toggleAll} aria-label="Select all objects on this page" disabled={objects.length === 0} />, "check-col"],
            ["Name"],
            ["Size", "num hide-narrow"],
            ["Type", "hide-narrow"],
            ["Last modified", "hide-narrow"],
            [null, "actions-col"],
          ].filter(Boolean)}
        >
              {rows.map((row) =>
                row.folder ? (
                  <tr key={row.folder} class="folder-row">
                    {writeObjects && <td class="check-col" />}
                    <td colSpan={5}>
                      <a class="row-link" href={bucketHref(bucket, { prefix: row.folder })}>
                        <Folder size={16} aria-hidden="true" />
                        <span>{name(row.folder)}</span>
                      </a>
                    </td>
                  </tr>
                ) : (
                  <tr key={row.object.key} class={selected.has(row.object.key) ? "selected" : ""} data-key={row.object.key}>
                    {writeObjects && (
                      <td class="check-col">
                        <input type="checkbox" checked={selected.has(row.object.key)} onChange={() => toggle(row.object.key)} aria-label={`Select ${name(row.object.key)}`} />
                      </td>
                    )}
                    <td>
                      <button type="button" class="row-link link-button" onClick={() => setDetails(row.object.key)}>
                        <File size={16} aria-hidden="true" />
                        <span class="object-name">{name(row.object.key)}</span>
                      </button>
                      <div class="show-narrow muted small">
                        {formatBytes(row.object.size)} · {formatDate(row.object.lastModified)}
                      </div>
                    </td>
                    <td class="num hide-narrow" data-testid="size" data-bytes={row.object.size}>
                      {formatBytes(row.object.size)}
                    </td>
                    <td class="hide-narrow muted type-cell">{types.get(row.object.key) ?? ""}</td>
                    <td class="hide-narrow muted">{formatDate(row.object.lastModified)}</td>
                    <td class="actions-col">
                      <div class="row-actions">
                        <button type="button" class="icon-button" aria-label={`Download ${name(row.object.key)}`} title="Download" onClick={() => download(bucket, row.object.key).catch((e) => toast(errorText(e), "error"))}>
                          <Download size={16} aria-hidden="true" />
                        </button>
                        <button type="button" class="icon-button hide-narrow" aria-label={`Details of ${name(row.object.key)}`} title="Details" onClick={() => setDetails(row.object.key)}>
                          <Info size={16} aria-hidden="true" />
                        </button>
                        {writeObjects && (
                          <button type="button" class="icon-button" aria-label={`Delete ${name(row.object.key)}`} title="Delete" onClick={() => confirmDelete([row.object.key])}>
                            <Trash2 size={16} aria-hidden="true" />
                          </button>
                        )}
                      </div>
                    </td>
                  </tr>
                ),
              )}
        </TableCard>
      )}
      {page && (pageIndex > 0 || page.nextToken) && (
        <nav class="pager" aria-label="Pages">
          <button type="button" class="button" disabled={pageIndex === 0} onClick={() => setPageIndex((i) => i - 1)}>
            <ChevronLeft size={16} aria-hidden="true" />
            <span>Previous</span>
          </button>
          <span class="muted">Page {pageIndex + 1}</span>
          <button type="button" class="button" disabled={!page.nextToken} onClick={() => setPageIndex((i) => i + 1)}>
            <span>Next</span>
            <ChevronRight size={16} aria-hidden="true" />
          </button>
        </nav>
      )}

      {details && (
        <ObjectDetails
          bucket={bucket}
          objectKey={details}
          onClose={() => setDetails(null)}
          onDelete={
            writeObjects
              ? () => {
                  confirmDelete([details]);
                  setDetails(null);
                }
              : null
          }
        />
      )}
      {deleteDialog}
    </section>
  );
}
