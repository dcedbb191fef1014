// A bucket's objects as folders (delimiter "/"), the folder's folders first and then page by page
// (lib/listing.js), with a prefix filter and a key search (SearchResults.jsx); uploading into the
// current folder; download, details and deletion of one or several objects. The filter and the page
// are in the URL (lib/route.js),
// so reload, Back and Forward and a shared link show the same page. A selection is what is ticked
// on screen: it clears when the page, folder, filter or bucket changes, and the confirmation names
// the keys it deletes. Read-only keys get no upload or delete controls, and a key limited to key
// prefixes is shown its prefixes where it may not list.
import { Download, File, Folder, FolderPlus, FolderUp, Info, RefreshCw, Search, Trash2, Upload } from "lucide-preact";
import { useEffect, useRef, useState } from "preact/hooks";
import * as s3 from "../api/s3.js";
import { mayList, useAccess } from "../lib/access.js";
import { DELETE_BATCH } from "../lib/bulkDelete.js";
import { formatBytes, formatDate, storageClassName } from "../lib/format.js";
import { download } from "../lib/download.js";
import { nextSort, sortObjects } from "../lib/sortObjects.js";
import { useFind, withFind } from "../lib/keySearch.js";
import { FOLDER_SCAN_ENTRIES, rangeText } from "../lib/listing.js";
import { useObjectPages } from "../lib/objectPages.js";
import { bucketHref } from "../lib/route.js";
import { namedKeys, visibleSelection } from "../lib/selection.js";
import { filesFromPicker } from "../upload/fileTree.js";
import { useConfirmation } from "./Dialog.jsx";
import { DownloadSelected } from "./DownloadSelected.jsx";
import { useFolderActions } from "./FolderActions.jsx";
import { FolderRow } from "./FolderRow.jsx";
import { ObjectDetails } from "./ObjectDetails.jsx";
import { PAGE_SIZES, Pager } from "./Pager.jsx";
import { KeySearchField, SearchResults } from "./SearchResults.jsx";
import { errorText, Pending } from "./States.jsx";
import { TableCard } from "./Table.jsx";
import { toast } from "./Toasts.jsx";

const PAGE_SIZE_ITEM = "cairn-page-size";
const UPLOAD_SETTLE_MS = 500;  // a burst of finished uploads refreshes the listing once

function savedPageSize() {
  const size = Number(localStorage.getItem(PAGE_SIZE_ITEM));
  return PAGE_SIZES.includes(size) ? size : PAGE_SIZES[0];
}

const objectsOf = (rows) => rows.filter((row) => row.object).map((row) => row.object);

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

export function ObjectBrowser({ bucket, prefix, filter, after, from, manager, onFiles }) {
  const { writeObjects, prefixes, readBucketSettings } = useAccess();
  const [search, setSearch] = useState(filter);
  const typed = useDebounced(search, 250);
  const [pageSize, setPageSize] = useState(savedPageSize);
  const [selected, setSelected] = useState(new Set());
  const [details, setDetails] = useState(null);
  const [sort, setSort] = useState({ by: "name", descending: false });
  const [reloads, setReloads] = useState(0);
  const [stepping, setStepping] = useState(false);  // finding where the page before starts
  const filesInput = useRef(null);
  const folderInput = useRef(null);
  const listingRef = useRef(null);
  const focusListing = useRef(false);

  const level = prefix + filter;
  const listable = mayList(prefixes, level);
  const find = useFind();  // a key search shows its matches instead of the listing
  const listing = listable && !find;
  const pages = useObjectPages({ bucket, level, after, from, pageSize, reloads, enabled: listable, askCount: readBucketSettings });
  const { view } = pages;
  const busy = pages.loading || stepping;

  // The box follows the URL (Back, a folder link); what is typed goes to the URL once typing
  // pauses, replacing the entry rather than adding one per keystroke.
  useEffect(() => setSearch(filter), [bucket, prefix, filter]);
  useEffect(() => {
    if (typed !== filter) location.replace(withFind(bucketHref(bucket, { prefix, filter: typed }), find));
  }, [typed]);
  // Ticks on a page that is no longer shown must never be acted on.
  useEffect(() => setSelected(new Set()), [bucket, level, after, pageSize]);
  useEffect(() => {
    if (view) setSelected((s) => new Set(visibleSelection(s, objectsOf(view.rows))));  // a reload may drop some
  }, [view]);

  // New uploads in this bucket show up when they finish.
  useEffect(() => {
    let timer;
    const unsubscribe = manager.onFinished((task) => {
      if (task.bucket !== bucket) return;
      clearTimeout(timer);
      timer = setTimeout(() => setReloads((n) => n + 1), UPLOAD_SETTLE_MS);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [manager, bucket]);

  // After Previous or Next, the new page is read from its top: the view scrolls back up to the
  // listing, and the focus, which was on a pager button, moves to the listing.
  useEffect(() => {
    const listing = listingRef.current;
    if (busy || !focusListing.current || !listing) return;
    focusListing.current = false;
    listing.focus({ preventScroll: true });
    const { top } = listing.getBoundingClientRect();
    if (top < parseFloat(getComputedStyle(listing).scrollMarginTop) || top > innerHeight) listing.scrollIntoView({ block: "start" });
  }, [view, busy]);

  const go = (position) => {
    focusListing.current = true;
    location.hash = bucketHref(bucket, { prefix, filter, ...position });
  };
  const goBack = async () => {
    setStepping(true);
    try {
      go(await pages.previous());
    } catch (e) {
      toast(errorText(e), "error");
    } finally {
      setStepping(false);
    }
  };
  const choosePageSize = (size) => {
    localStorage.setItem(PAGE_SIZE_ITEM, String(size));
    setPageSize(size);
  };

  const reload = () => setReloads((n) => n + 1);
  const folderActions = useFolderActions({ bucket, prefix, onChanged: reload });
  const objects = view ? objectsOf(view.rows) : [];
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
  // The page in the order the user chose: the listing's own order by default; sorted by a column,
  // the page's folders come first and its objects after them in that order.
  const listingOrder = sort.by === "name" && !sort.descending;
  const sortedRows = view && (listingOrder ? view.rows : [
    ...view.rows.filter((row) => row.folder),
    ...sortObjects(objectsOf(view.rows), sort).map((object) => ({ object })),
  ]);
  const sortBy = (by) => ({
    direction: sort.by !== by ? "none" : sort.descending ? "descending" : "ascending",
    onSort: () => setSort(nextSort(sort, by)),
  });
  const firstPage = view?.after === "";
  const foldersFirst = firstPage ? view.scan.folders.map((folder) => ({ folder })) : [];
  const rows = view && [...foldersFirst, ...view.rows];
  const status = view ? rangeText(view.from, view.rows.length, pages.total) : "";
  const paged = view && (!firstPage || view.next !== "");
  const chosenFolders = rows ? rows.filter((row) => row.folder && selected.has(row.folder)).map((row) => row.folder) : [];
  const chosenCount = chosen.length + chosenFolders.length;

  const renderRow = (row) =>
    row.folder ? (
      <FolderRow
        key={row.folder}
        bucket={bucket}
        folder={row.folder}
        name={name(row.folder)}
        selected={selected.has(row.folder)}
        onToggle={writeObjects ? toggle : null}
        onDelete={writeObjects ? (folder) => folderActions.deleteFolders([folder]) : null}
      />
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
        <td class="hide-narrow muted">{storageClassName(row.object.storageClass)}</td>
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
    );

  return (
    <section aria-label="Objects">
      <div class="toolbar toolbar-wrap">
        <label class="search">
          <Search size={16} aria-hidden="true" />
          <span class="visually-hidden">Filter by prefix</span>
          <input type="search" placeholder={`Filter ${prefix || "objects"} by prefix`} value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        </label>
        {listable && <KeySearchField where={level || bucket} />}
        <div class="toolbar">
          <button type="button" class="button" onClick={reload} aria-label="Refresh listing">
            <RefreshCw size={16} aria-hidden="true" />
          </button>
          {writeObjects && (
            <>
          <DownloadSelected bucket={bucket} keys={chosen} />
          <button type="button" class="button button-danger-quiet" disabled={chosenCount === 0} onClick={() => (chosenFolders.length ? folderActions.deleteFolders(chosenFolders, chosen) : confirmDelete(chosen))}>
            <Trash2 size={16} aria-hidden="true" />
            <span>Delete{chosenCount ? ` (${chosenCount})` : ""}</span>
          </button>
          <button type="button" class="button" onClick={folderActions.createFolder} aria-label="Create folder" title="Create folder">
            <FolderPlus size={16} aria-hidden="true" />
            <span>Create folder</span>
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
      {listable && find && <SearchResults bucket={bucket} prefix={level} text={find} reloads={reloads} onDetails={setDetails} />}
      {listing && <Pending value={view} error={pages.error} onRetry={reload} />}
      {listing && rows && rows.length === 0 && (
        <div class="empty card drop-hint">
          <Upload size={36} aria-hidden="true" />
          <h2>{!firstPage ? "No more objects here" : filter ? "Nothing matches this prefix" : "This folder is empty"}</h2>
          {writeObjects && <p class="muted">Drop files or folders here, or use Upload files.</p>}
        </div>
      )}
      {listing && rows && rows.length > 0 && (
        <div class="listing" ref={listingRef} tabIndex={-1} role="region" aria-label={status || "Objects"} aria-busy={busy ? "true" : "false"} inert={busy}>
        <TableCard
          className="objects-table"
          columns={[
            writeObjects && [<input type="checkbox" checked={allSelected} onChange={toggleAll} aria-label="Select all objects on this page" disabled={objects.length === 0} />, "check-col"],
            ["Name", "", sortBy("name")],
            ["Size", "num hide-narrow", sortBy("size")],
            ["Storage class", "hide-narrow"],
            ["Last modified", "hide-narrow", sortBy("date")],
            [null, "actions-col"],
          ].filter(Boolean)}
        >
              {foldersFirst.map(renderRow)}
              {firstPage && !view.scan.complete && (
                <tr class="folders-note">
                  {writeObjects && <td class="check-col" />}
                  <td colSpan={5} class="muted small">
                    More than {FOLDER_SCAN_ENTRIES.toLocaleString()} names here: the folders among the first {FOLDER_SCAN_ENTRIES.toLocaleString()} come first, later ones are listed where their names sort.
                  </td>
                </tr>
              )}
              {sortedRows.map(renderRow)}
        </TableCard>
        </div>
      )}
      {listing && paged && (
        <Pager
          status={status}
          busy={busy}
          hasPrevious={!firstPage}
          hasNext={view.next !== ""}
          onPrevious={goBack}
          onNext={() => go({ after: view.next, from: view.from + view.rows.length })}
          pageSize={pageSize}
          onPageSize={choosePageSize}
        />
      )}

      {details && (
        <ObjectDetails
          bucket={bucket}
          objectKey={details}
          onClose={() => setDetails(null)}
          onRenamed={() => {
            setDetails(null);
            reload();
          }}
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
      {folderActions.dialog}
    </section>
  );
}
