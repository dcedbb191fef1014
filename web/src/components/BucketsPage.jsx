// The bucket list: every bucket with its creation date, and creating and deleting buckets.
import { Database, Plus, RefreshCw, Trash2 } from "lucide-preact";
import { useEffect, useState } from "preact/hooks";
import * as s3 from "../api/s3.js";
import { formatDate } from "../lib/format.js";
import { bucketHref } from "../lib/route.js";
import { CreateBucketDialog } from "./CreateBucketDialog.jsx";
import { DeleteBucketDialog } from "./DeleteBucketDialog.jsx";
import { Pending } from "./States.jsx";
import { TableCard } from "./Table.jsx";

export function BucketsPage() {
  const [buckets, setBuckets] = useState(null);
  const [error, setError] = useState(null);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState(null);

  const load = () => {
    setError(null);
    s3.listBuckets().then(setBuckets, setError);
  };
  useEffect(load, []);

  return (
    <main class="page">
      <div class="page-header">
        <div>
          <h1>Buckets</h1>
          <p class="muted">{buckets ? `${buckets.length} bucket${buckets.length === 1 ? "" : "s"}` : "\u00a0"}</p>
        </div>
        <div class="toolbar">
          <button type="button" class="button" onClick={load} aria-label="Refresh">
            <RefreshCw size={16} aria-hidden="true" />
          </button>
          <button type="button" class="button button-primary" onClick={() => setCreating(true)}>
            <Plus size={16} aria-hidden="true" />
            <span>Create bucket</span>
          </button>
        </div>
      </div>
      <Pending value={buckets} error={error} onRetry={load} />
      {buckets && buckets.length === 0 && (
        <div class="empty card">
          <Database size={40} aria-hidden="true" />
          <h2>No buckets yet</h2>
          <p class="muted">A bucket holds objects. Create one to start uploading.</p>
          <button type="button" class="button button-primary" onClick={() => setCreating(true)}>
            Create bucket
          </button>
        </div>
      )}
      {buckets && buckets.length > 0 && (
        <TableCard columns={[["Name"], ["Created", "hide-narrow"], [null, "actions-col"]]}>
              {buckets.map((b) => (
                <tr key={b.name}>
                  <td>
                    <a class="row-link" href={bucketHref(b.name)}>
                      <Database size={16} aria-hidden="true" />
                      <span>{b.name}</span>
                    </a>
                    <div class="show-narrow muted small">{formatDate(b.created)}</div>
                  </td>
                  <td class="hide-narrow muted">{formatDate(b.created)}</td>
                  <td class="actions-col">
                    <button type="button" class="icon-button" aria-label={`Delete bucket ${b.name}`} title="Delete bucket" onClick={() => setDeleting(b.name)}>
                      <Trash2 size={16} aria-hidden="true" />
                    </button>
                  </td>
                </tr>
              ))}
        </TableCard>
      )}
      {creating && (
        <CreateBucketDialog
          onClose={() => setCreating(false)}
          onCreated={(name) => {
            setCreating(false);
            location.hash = bucketHref(name);
          }}
        />
      )}
      {deleting && (
        <DeleteBucketDialog
          bucket={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            setDeleting(null);
            load();
          }}
        />
      )}
    </main>
  );
}
