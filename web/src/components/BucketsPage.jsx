// The bucket list: every bucket with its creation date and, for admin keys, its object count and
// size; creating and deleting buckets (admin-rw keys only). Object keys may not list buckets: they see the buckets their key names, or, for a
// key good for every bucket, a field to open one by name.
import { Database, Trash2 } from "lucide-preact";
import { useEffect, useState } from "preact/hooks";
import * as admin from "../api/admin.js";
import * as s3 from "../api/s3.js";
import { useAccess } from "../lib/access.js";
import { describeFigures } from "../lib/bucketFigures.js";
import { formatBytes, formatDate } from "../lib/format.js";
import { bucketNameProblem } from "../lib/names.js";
import { bucketHref } from "../lib/route.js";
import { CreateBucketDialog } from "./CreateBucketDialog.jsx";
import { DeleteBucketDialog } from "./DeleteBucketDialog.jsx";
import { ListPageHeader } from "./ListPageHeader.jsx";
import { Pending } from "./States.jsx";
import { TableCard } from "./Table.jsx";

function OpenBucket() {
  const [name, setName] = useState("");
  const problem = name ? bucketNameProblem(name) : null;
  const open = (e) => {
    e.preventDefault();
    if (name && !problem) location.hash = bucketHref(name);
  };
  return (
    <form class="card settings-card stack" onSubmit={open}>
      <p class="muted">This key may use every bucket but not list them. Open one by its name.</p>
      <label class="field">
        <span>Bucket name</span>
        <input value={name} onInput={(e) => setName(e.currentTarget.value)} spellcheck={false} autoComplete="off" aria-invalid={problem ? "true" : "false"} aria-describedby="open-bucket-help" />
      </label>
      {problem && (
        <p id="open-bucket-help" class="field-error">
          {problem}
        </p>
      )}
      <div class="toolbar">
        <button type="submit" class="button button-primary" disabled={!name || !!problem}>
          Open bucket
        </button>
      </div>
    </form>
  );
}

export function BucketsPage() {
  const access = useAccess();
  const [buckets, setBuckets] = useState(null);
  const [error, setError] = useState(null);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState(null);

  // {name: {objectCount, bytes}}; empty when the key may not read them or the call failed.
  const [figures, setFigures] = useState({});
  const showFigures = access.listBuckets && access.readBucketSettings;

  const load = () => {
    setError(null);
    if (access.listBuckets) s3.listBuckets().then(setBuckets, setError);
    else setBuckets(access.buckets.map((name) => ({ name, created: null })));
    if (showFigures) {
      admin.listBucketFigures().then(
        (list) => setFigures(Object.fromEntries(list.map((b) => [b.name, b]))),
        () => setFigures({}),
      );
    }
  };
  useEffect(load, []);

  return (
    <main class="page">
      <ListPageHeader
        title="Buckets"
        items={buckets}
        noun="bucket"
        refreshLabel="Refresh"
        onRefresh={load}
        createLabel="Create bucket"
        onCreate={access.manageBuckets && (() => setCreating(true))}
      />
      <Pending value={buckets} error={error} onRetry={load} />
      {!access.listBuckets && access.buckets.length === 0 && <OpenBucket />}
      {access.listBuckets && buckets && buckets.length === 0 && (
        <div class="empty card">
          <Database size={40} aria-hidden="true" />
          <h2>No buckets yet</h2>
          <p class="muted">A bucket holds objects.{access.manageBuckets && " Create one to start uploading."}</p>
          {access.manageBuckets && (
            <button type="button" class="button button-primary" onClick={() => setCreating(true)}>
              Create bucket
            </button>
          )}
        </div>
      )}
      {buckets && buckets.length > 0 && (
        <TableCard
          columns={[
            ["Name"],
            showFigures && ["Objects", "num hide-narrow"],
            showFigures && ["Size", "num hide-narrow"],
            access.listBuckets && ["Created", "hide-narrow"],
            access.manageBuckets && [null, "actions-col"],
          ].filter(Boolean)}
        >
              {buckets.map((b) => (
                <tr key={b.name}>
                  <td>
                    <a class="row-link" href={bucketHref(b.name)}>
                      <Database size={16} aria-hidden="true" />
                      <span>{b.name}</span>
                    </a>
                    {b.created && <div class="show-narrow muted small">{formatDate(b.created)}</div>}
                    {figures[b.name] && <div class="show-narrow muted small">{describeFigures(figures[b.name], formatBytes)}</div>}
                  </td>
                  {showFigures && <td class="num hide-narrow">{figures[b.name] ? Number(figures[b.name].objectCount).toLocaleString("en-US") : "–"}</td>}
                  {showFigures && <td class="num hide-narrow">{figures[b.name] ? formatBytes(figures[b.name].bytes) : "–"}</td>}
                  {access.listBuckets && <td class="hide-narrow muted">{formatDate(b.created)}</td>}
                  {access.manageBuckets && (
                    <td class="actions-col">
                      <button type="button" class="icon-button" aria-label={`Delete bucket ${b.name}`} title="Delete bucket" onClick={() => setDeleting(b.name)}>
                        <Trash2 size={16} aria-hidden="true" />
                      </button>
                    </td>
                  )}
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
