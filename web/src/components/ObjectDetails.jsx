// Everything S3 keeps about one object: its size, ETag, storage class, HTTP metadata, custom
// metadata and checksum, read with HeadObject; a preview of what it holds; its public URL when the
// bucket is public (only admin keys may ask whether it is); a share link to create; an editor of
// the metadata and a rename for keys that may write. No delete button without `onDelete`, no
// rename without `onRenamed`.
import { Download, FilePen, Pencil, Trash2 } from "lucide-preact";
import { useEffect, useState } from "preact/hooks";
import * as admin from "../api/admin.js";
import * as s3 from "../api/s3.js";
import { publicObjectUrl, useAccess } from "../lib/access.js";
import { download } from "../lib/download.js";
import { formatBytes, formatDate, storageClassName } from "../lib/format.js";
import { CopyField } from "./CopyField.jsx";
import { Dialog } from "./Dialog.jsx";
import { MetadataEditor } from "./MetadataEditor.jsx";
import { ObjectPreview } from "./ObjectPreview.jsx";
import { RenameDialog } from "./RenameDialog.jsx";
import { ShareLink } from "./ShareLink.jsx";
import { errorText, Pending } from "./States.jsx";
import { toast } from "./Toasts.jsx";

// "Infrequent Access (STANDARD_IA)": the name, and the API's name when it differs.
function storageClassLabel(storageClass) {
  const name = storageClassName(storageClass);
  return storageClass === "STANDARD" || name === storageClass ? name : `${name} (${storageClass})`;
}

function Rows({ rows }) {
  const shown = rows.filter(([, value]) => value !== null && value !== undefined && value !== "");
  return (
    <dl class="properties">
      {shown.map(([label, value]) => (
        <div key={label} class="property">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function ObjectDetails({ bucket, objectKey, onClose, onDelete, onRenamed }) {
  const [info, setInfo] = useState(null);
  const [error, setError] = useState(null);
  const [isPublic, setPublic] = useState(false);
  const [editing, setEditing] = useState(false);
  const [renaming, setRenaming] = useState(false);
  const [reads, setReads] = useState(0);
  const access = useAccess();
  useEffect(() => {
    s3.headObject(bucket, objectKey).then(setInfo, setError);
  }, [bucket, objectKey, reads]);
  useEffect(() => {
    if (access.readBucketSettings) admin.bucketIsPublic(bucket).then(setPublic, () => setPublic(false));
  }, [bucket]);
  const saved = () => {
    setEditing(false);
    setReads(reads + 1);
    toast(`Saved the metadata of ${objectKey}`);
  };

  return (
    <Dialog
      title="Object details"
      wide
      onClose={onClose}
      actions={
        <>
          {onRenamed && access.writeObjects && info && (
            <button type="button" class="button" onClick={() => setRenaming(true)}>
              <FilePen size={16} aria-hidden="true" />
              <span>Rename or move</span>
            </button>
          )}
          {onDelete && (
            <button type="button" class="button button-danger-quiet" onClick={onDelete}>
              <Trash2 size={16} aria-hidden="true" />
              <span>Delete</span>
            </button>
          )}
          <button type="button" class="button button-primary" onClick={() => download(bucket, objectKey).catch((e) => toast(errorText(e), "error"))}>
            <Download size={16} aria-hidden="true" />
            <span>Download</span>
          </button>
        </>
      }
    >
      <p class="object-key">
        <code>{objectKey}</code>
      </p>
      <Pending value={info} error={error} />
      {info && (
        <div class="stack">
          {isPublic && (
            <section>
              <h3>Public URL</h3>
              <CopyField id="public-url" label="Public URL" value={publicObjectUrl(access.s3Origin, bucket, objectKey)} />
            </section>
          )}
          <ObjectPreview bucket={bucket} objectKey={objectKey} info={info} />
          <ShareLink bucket={bucket} objectKey={objectKey} />
          <section>
            <h3>Object</h3>
            <Rows
              rows={[
                ["Size", `${formatBytes(info.size)} (${info.size.toLocaleString()} bytes)`],
                ["ETag", <code>{info.etag}</code>],
                ["Last modified", formatDate(info.lastModified)],
                ["Storage class", storageClassLabel(info.storageClass)],
                ["Parts", info.partsCount],
                ...info.checksums.map(([algorithm, value]) => [`Checksum ${algorithm}`, <code>{value}</code>]),
              ]}
            />
          </section>
          {editing ? (
            <MetadataEditor bucket={bucket} objectKey={objectKey} info={info} onSaved={saved} onCancel={() => setEditing(false)} />
          ) : (
          <>
          <section>
            <div class="section-heading">
              <h3>HTTP metadata</h3>
              {access.writeObjects && (
                <button type="button" class="button" onClick={() => setEditing(true)}>
                  <Pencil size={16} aria-hidden="true" />
                  <span>Edit metadata</span>
                </button>
              )}
            </div>
            <Rows
              rows={[
                ["Content-Type", info.contentType],
                ["Cache-Control", info.cacheControl],
                ["Content-Disposition", info.contentDisposition],
                ["Content-Encoding", info.contentEncoding],
                ["Content-Language", info.contentLanguage],
                ["Expires", info.expires],
              ]}
            />
          </section>
          <section>
            <h3>Custom metadata</h3>
            {info.metadata.length ? <Rows rows={info.metadata} /> : <p class="muted">None</p>}
          </section>
          </>
          )}
        </div>
      )}
      {renaming && (
        <RenameDialog
          bucket={bucket}
          objectKey={objectKey}
          etag={info.etag}
          onClose={() => setRenaming(false)}
          onRenamed={(key) => {
            setRenaming(false);
            onRenamed(key);
          }}
        />
      )}
    </Dialog>
  );
}
