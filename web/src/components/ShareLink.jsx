// A share link for one object: a presigned GET with the expiry the user picks, to copy and hand
// to someone without an account. Made on request, not when the details open.
import { Link } from "lucide-preact";
import { useState } from "preact/hooks";
import * as s3 from "../api/s3.js";
import { formatDate } from "../lib/format.js";
import { CopyField } from "./CopyField.jsx";
import { errorText } from "./States.jsx";

const HOUR = 3600;
const EXPIRIES = [
  [HOUR, "1 hour"],
  [6 * HOUR, "6 hours"],
  [24 * HOUR, "1 day"],
  [3 * 24 * HOUR, "3 days"],
  [7 * 24 * HOUR, "7 days"],
];

export function ShareLink({ bucket, objectKey }) {
  const [seconds, setSeconds] = useState(24 * HOUR);
  const [link, setLink] = useState(null);  // {url, until}
  const [error, setError] = useState("");
  const create = async () => {
    setError("");
    try {
      const until = new Date(Date.now() + seconds * 1000);
      setLink({ url: await s3.shareUrl(bucket, objectKey, seconds), until });
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <section>
      <h3>Share link</h3>
      <div class="toolbar">
        <label class="field field-inline share-expiry">
          <span>Valid for</span>
          <select value={seconds} onChange={(e) => { setSeconds(Number(e.currentTarget.value)); setLink(null); }}>
            {EXPIRIES.map(([value, label]) => (
              <option key={value} value={value}>{label}</option>
            ))}
          </select>
        </label>
        <button type="button" class="button" onClick={create}>
          <Link size={16} aria-hidden="true" />
          <span>Create link</span>
        </button>
      </div>
      {error && <p class="field-error" role="alert">{error}</p>}
      {link && (
        <>
          <CopyField id="share-link" label="Link" value={link.url} />
          <p class="muted small">
            Anyone with this link can download the object until {formatDate(link.until)}, or until your access key is revoked.
          </p>
        </>
      )}
    </section>
  );
}
