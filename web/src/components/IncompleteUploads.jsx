// A bucket's incomplete multipart uploads: what each has uploaded, how old it is and when the
// lifecycle rules will abort it (ListParts' x-amz-abort-date), with abort for one or all, and
// resume for those this browser started (their records are in resumeStore.js).
import { RefreshCw, XCircle } from "lucide-preact";
import { useEffect, useState } from "preact/hooks";
import { useAccess } from "../lib/access.js";
import * as s3 from "../api/s3.js";
import { formatBytes, formatDate, formatRelative, partsSent } from "../lib/format.js";
import { RUNNING_STATES } from "../upload/manager.js";
import { savedUploads } from "../upload/resumeStore.js";
import { useConfirmation } from "./Dialog.jsx";
import { ResumeButton } from "./ResumeButton.jsx";
import { errorText, Pending } from "./States.jsx";
import { TableCard } from "./Table.jsx";
import { toast } from "./Toasts.jsx";

// ListParts of each upload, a few at a time: parts, bytes and abort date fill in as they come.
async function describe(bucket, uploads, onOne) {
  let next = 0;
  const worker = async () => {
    while (next < uploads.length) {
      const u = uploads[next++];
      try {
        const { parts, abortDate, abortRule } = await s3.listParts(bucket, u.key, u.uploadId);
        onOne(u.uploadId, { parts: parts.length, bytes: parts.reduce((n, p) => n + p.size, 0), abortDate, abortRule });
      } catch (err) {
        onOne(u.uploadId, { error: errorText(err) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, uploads.length) }, worker));
}

export function IncompleteUploads({ bucket, manager }) {
  const { writeObjects } = useAccess();
  const [uploads, setUploads] = useState(null);
  const [next, setNext] = useState(null);
  const [facts, setFacts] = useState({});
  const [error, setError] = useState(null);
  const [reloads, setReloads] = useState(0);
  const [saved, setSaved] = useState(new Map());  // upload id -> this browser's record of it

  const addFacts = (id, f) => setFacts((all) => ({ ...all, [id]: f }));
  const loadPage = async (marker, replace) => {
    try {
      const page = await s3.listMultipartUploads(bucket, marker ?? {});
      setUploads((list) => (replace ? page.uploads : [...(list ?? []), ...page.uploads]));
      setNext(page.next);
      describe(bucket, page.uploads, addFacts);
    } catch (err) {
      setError(err);
    }
  };
  useEffect(() => {
    setUploads(null);
    setFacts({});
    setError(null);
    loadPage(null, true);
    savedUploads().then((records) => setSaved(new Map(records.map((r) => [r.uploadId, r]))), () => {});
  }, [bucket, reloads]);

  const reload = () => setReloads((n) => n + 1);
  const [abortDialog, confirmAbort] = useConfirmation(
    async (chosen) => {
      for (const u of chosen) {
        await s3.abortMultipartUpload(bucket, u.key, u.uploadId);
        manager.aborted(u.uploadId);
      }
      toast(chosen.length === 1 ? `Aborted the upload of ${chosen[0].key}` : `Aborted ${chosen.length} uploads`);
      reload();
    },
    (chosen) => ({
      title: chosen.length === 1 ? "Abort this upload?" : `Abort ${chosen.length} uploads?`,
      message: <p>Aborting deletes {chosen.length === 1 ? partsSent(facts[chosen[0].uploadId]?.parts) : "the parts already sent"}. This cannot be undone.</p>,
      confirmLabel: "Abort",
    }),
  );

  // Started in this browser and not going on in the tray right now.
  const resumable = (u) => saved.has(u.uploadId) && !manager.tasks.some((t) => t.uploadId === u.uploadId && RUNNING_STATES.includes(t.state));
  const now = new Date();
  return (
    <section aria-label="Incomplete uploads">
      <div class="toolbar toolbar-wrap">
        <p class="muted grow">
          Parts of an unfinished multipart upload take space until it completes or is aborted. cairn aborts them automatically on their abort date (see the lifecycle settings).
        </p>
        <div class="toolbar">
          <button type="button" class="button" onClick={reload} aria-label="Refresh incomplete uploads">
            <RefreshCw size={16} aria-hidden="true" />
          </button>
          {writeObjects && (
            <button type="button" class="button button-danger-quiet" disabled={!uploads?.length} onClick={() => confirmAbort(uploads)}>
              <XCircle size={16} aria-hidden="true" />
              <span>Abort all</span>
            </button>
          )}
        </div>
      </div>
      <Pending value={uploads} error={error} onRetry={reload} />
      {uploads && uploads.length === 0 && (
        <div class="empty card">
          <h2>No incomplete uploads</h2>
          <p class="muted">Every multipart upload in this bucket was completed or aborted.</p>
        </div>
      )}
      {uploads && uploads.length > 0 && (
        <TableCard columns={[["Key"], ["Started", "hide-narrow"], ["Aborted"], ["Uploaded", "num hide-narrow"], [null, "actions-col"]]}>
              {uploads.map((u) => {
                const f = facts[u.uploadId];
                return (
                  <tr key={u.uploadId} data-upload-id={u.uploadId}>
                    <td>
                      <code class="object-name">{u.key}</code>
                      <div class="muted small" title={u.uploadId}>
                        id {u.uploadId.slice(0, 12)}…
                      </div>
                    </td>
                    <td class="hide-narrow">
                      <span title={formatDate(u.initiated)}>{formatRelative(u.initiated, now)}</span>
                    </td>
                    <td>
                      {f?.abortDate ? (
                        <span title={f.abortRule ? `Rule: ${f.abortRule}` : undefined} data-testid="abort-date">
                          {formatDate(f.abortDate)} <span class="muted">({formatRelative(f.abortDate, now)})</span>
                        </span>
                      ) : (
                        <span class="muted">{f?.error ?? "…"}</span>
                      )}
                    </td>
                    <td class="num hide-narrow">{f && !f.error ? `${f.parts} part${f.parts === 1 ? "" : "s"} · ${formatBytes(f.bytes)}` : ""}</td>
                    <td class="actions-col">
                      {writeObjects && resumable(u) && <ResumeButton name={saved.get(u.uploadId).name} onFile={(file) => manager.resumeSaved(saved.get(u.uploadId), file)} />}
                      {writeObjects && (
                        <button type="button" class="button button-small button-danger-quiet" onClick={() => confirmAbort([u])} aria-label={`Abort the upload of ${u.key}`}>
                          Abort
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
        </TableCard>
      )}
      {next && (
        <div class="pager">
          <button type="button" class="button" onClick={() => loadPage(next, false)}>
            Load more
          </button>
        </div>
      )}
      {abortDialog}
    </section>
  );
}
