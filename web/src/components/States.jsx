// What a page shows while it waits, and when a request failed.
import { AlertTriangle } from "lucide-preact";

export function Loading({ label = "Loading…" }) {
  return (
    <div class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function errorText(error) {
  if (!error) return "";
  return error.code ? `${error.message} (${error.code})` : error.message || String(error);
}

export function ErrorBox({ error, onRetry }) {
  return (
    <div class="error-box" role="alert">
      <AlertTriangle size={18} aria-hidden="true" />
      <span>{errorText(error)}</span>
      {onRetry && (
        <button type="button" class="button button-small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

// What stands in for a value that is not there yet: its error, or a spinner; null once it came.
export function Pending({ value, error, onRetry }) {
  if (error) return <ErrorBox error={error} onRetry={onRetry} />;
  return value ? null : <Loading />;
}
