// The preview in an object's details (lib/preview.js decides what it is). Images, audio and video
// load from a presigned URL on the S3 origin; a PDF shows in an <iframe> of that origin; text and
// JSON are fetched from the S3 origin, their first 256 KiB, and shown as text. Nothing of the
// object ever runs on the console's origin.
//
// The PDF's frame has no `sandbox`: Chromium shows no PDF in a sandboxed frame, whatever its flags
// (it shows an error page instead). What the frame can hold is bounded otherwise: its URL makes
// the S3 API serve the object as application/pdf, with nosniff, so it is the browser's PDF viewer
// or nothing, never a page of the object's; and the console's CSP lets frames come from the S3
// origin only.
import { useEffect, useState } from "preact/hooks";
import * as s3 from "../api/s3.js";
import { formatBytes } from "../lib/format.js";
import { previewOf, TEXT_PREVIEW_BYTES, textPreview } from "../lib/preview.js";
import { Pending } from "./States.jsx";

function MediaPreview({ bucket, objectKey, kind, type }) {
  const [url, setUrl] = useState(null);
  const [error, setError] = useState(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    s3.previewUrl(bucket, objectKey, type).then(setUrl, setError);
  }, [bucket, objectKey, type]);
  if (!url) return <Pending value={url} error={error} />;
  if (failed) return <p class="muted">The browser could not show this object.</p>;
  const name = objectKey.slice(objectKey.lastIndexOf("/") + 1);
  switch (kind) {
    case "image":
      return <img class="preview-media" src={url} alt={`Preview of ${name}`} onError={() => setFailed(true)} />;
    case "audio":
      return <audio class="preview-media" src={url} controls preload="metadata" aria-label={`Preview of ${name}`} onError={() => setFailed(true)} />;
    case "video":
      return <video class="preview-media" src={url} controls preload="metadata" aria-label={`Preview of ${name}`} onError={() => setFailed(true)} />;
    default:
      return <iframe class="preview-frame" src={url} title={`Preview of ${name}`} referrerpolicy="no-referrer" />;
  }
}

function TextPreview({ bucket, objectKey, kind, size }) {
  const [shown, setShown] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    if (size === 0) {
      setShown({ text: "", truncated: false, note: "This object is empty." });
      return;
    }
    s3.readStart(bucket, objectKey, TEXT_PREVIEW_BYTES).then((bytes) => setShown(textPreview(bytes, size, kind)), setError);
  }, [bucket, objectKey, kind, size]);
  if (!shown) return <Pending value={shown} error={error} />;
  return (
    <>
      {shown.truncated && (
        <p class="muted small">
          The first {formatBytes(TEXT_PREVIEW_BYTES)} of {formatBytes(size)}.
        </p>
      )}
      {shown.note && <p class="muted small">{shown.note}</p>}
      {shown.text && <pre class="preview-text" tabIndex={0}>{shown.text}</pre>}
    </>
  );
}

export function ObjectPreview({ bucket, objectKey, info }) {
  const preview = previewOf(objectKey, info.contentType);
  if (!preview) return null;
  const textual = preview.kind === "text" || preview.kind === "json";
  return (
    <section class="object-preview" data-testid="object-preview" data-kind={preview.kind}>
      <h3>Preview</h3>
      {textual ? (
        <TextPreview bucket={bucket} objectKey={objectKey} kind={preview.kind} size={info.size} />
      ) : (
        <MediaPreview bucket={bucket} objectKey={objectKey} kind={preview.kind} type={preview.type} />
      )}
    </section>
  );
}
