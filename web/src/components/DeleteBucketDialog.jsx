// Deleting a bucket, which S3 allows only once it holds no objects and no incomplete uploads: the
// dialog checks first and says why it cannot, instead of letting the request fail.
import { useEffect, useState } from "preact/hooks";
import * as s3 from "../api/s3.js";
import { ConfirmDialog } from "./Dialog.jsx";
import { errorText } from "./States.jsx";
import { toast } from "./Toasts.jsx";

export function DeleteBucketDialog({ bucket, onClose, onDeleted }) {
  const [state, setState] = useState({ checking: true, blocker: "", error: "", busy: false });
  useEffect(() => {
    (async () => {
      try {
        if (!(await s3.bucketIsEmpty(bucket))) return setState({ checking: false, blocker: "This bucket still holds objects. Delete them first, or empty the bucket (in its settings)." });
        const { uploads } = await s3.listMultipartUploads(bucket);
        if (uploads.length) return setState({ checking: false, blocker: "This bucket has incomplete multipart uploads. Abort them first (Incomplete uploads tab), or empty the bucket (in its settings)." });
        setState({ checking: false });
      } catch (err) {
        setState({ checking: false, error: errorText(err) });
      }
    })();
  }, [bucket]);

  const confirm = async () => {
    setState((s) => ({ ...s, busy: true, error: "" }));
    try {
      await s3.deleteBucket(bucket);
      toast(`Bucket ${bucket} deleted`);
      onDeleted();
    } catch (err) {
      setState((s) => ({ ...s, busy: false, error: errorText(err) }));
    }
  };

  return (
    <ConfirmDialog
      title={`Delete bucket ${bucket}?`}
      message={state.checking ? "Checking that the bucket is empty…" : state.blocker || "The bucket is empty. Deleting it cannot be undone."}
      confirmLabel="Delete bucket"
      busy={state.busy}
      disabled={state.checking || !!state.blocker}
      error={state.error}
      onConfirm={confirm}
      onClose={onClose}
    />
  );
}
