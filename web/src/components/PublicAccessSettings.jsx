// A bucket's public access (GET/PUT /_cairn/admin/buckets/B/public): off by default; when on,
// anyone may GET and HEAD its objects without a key, never list or write. Turning it on asks for a
// confirmation that says exactly that.
import { Globe, Lock } from "lucide-preact";
import { useEffect, useState } from "preact/hooks";
import * as admin from "../api/admin.js";
import { useAccess } from "../lib/access.js";
import { useConfirmation } from "./Dialog.jsx";
import { errorText, Pending } from "./States.jsx";
import { toast } from "./Toasts.jsx";

const WARNING = "Anyone with the URL of an object can read it, without an access key. Listing the bucket and writing to it stay private.";

export function PublicAccessSettings({ bucket }) {
  const access = useAccess();
  const [isPublic, setPublic] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setPublic(null);
    setError(null);
    admin.bucketIsPublic(bucket).then(setPublic, setError);
  }, [bucket]);

  const change = async (to) => {
    setBusy(true);
    try {
      setPublic(await admin.setBucketPublic(bucket, to));
      toast(to ? `Bucket ${bucket} is public` : `Bucket ${bucket} is private`);
    } catch (err) {
      toast(errorText(err), "error");
    } finally {
      setBusy(false);
    }
  };
  const [confirmDialog, confirmPublic] = useConfirmation(
    () => change(true),
    () => ({ title: `Make ${bucket} public?`, message: <p>{WARNING}</p>, confirmLabel: "Make public" }),
  );

  return (
    <section class="card settings-card" aria-labelledby="public-title" data-testid="public-access">
      <h2 id="public-title">Public access</h2>
      <p class="muted">{WARNING}</p>
      <Pending value={isPublic !== null || null} error={error} />
      {isPublic !== null && (
        <div class="toolbar toolbar-wrap">
          <p class="public-state" data-public={String(isPublic)}>
            {isPublic ? <Globe size={18} aria-hidden="true" /> : <Lock size={18} aria-hidden="true" />}
            {isPublic ? (
              <span>
                Public at <code>{`${access.s3Origin}/${bucket}/`}</code>
              </span>
            ) : (
              <span>Private: every request needs an access key.</span>
            )}
          </p>
          {access.changeBucketSettings && (
            <button type="button" class={`button ${isPublic ? "" : "button-danger-quiet"}`} disabled={busy} onClick={() => (isPublic ? change(false) : confirmPublic(bucket))}>
              {isPublic ? "Make private" : "Make public"}
            </button>
          )}
        </div>
      )}
      {confirmDialog}
    </section>
  );
}
