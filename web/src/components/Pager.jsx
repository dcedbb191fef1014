// Previous and Next under a listing, the rows shown ("Showing 101–200 of 2,500") and the page
// size. While a page loads, the buttons wait and the status says so.
import { ChevronLeft, ChevronRight } from "lucide-preact";

export const PAGE_SIZES = [100, 250, 1000];

export function Pager({ status, busy, hasPrevious, hasNext, onPrevious, onNext, pageSize, onPageSize }) {
  return (
    <nav class="pager" aria-label="Pages">
      <button type="button" class="button" disabled={busy || !hasPrevious} onClick={onPrevious}>
        <ChevronLeft size={16} aria-hidden="true" />
        <span>Previous</span>
      </button>
      <span class="pager-status muted" role="status" data-testid="pager-status">
        {busy && <span class="spinner spinner-small" aria-hidden="true" />}
        <span>{busy ? "Loading…" : status}</span>
      </span>
      <button type="button" class="button" disabled={busy || !hasNext} onClick={onNext}>
        <span>Next</span>
        <ChevronRight size={16} aria-hidden="true" />
      </button>
      <label class="page-size">
        <span class="muted">Rows per page</span>
        <select value={pageSize} onChange={(e) => onPageSize(Number(e.currentTarget.value))}>
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size.toLocaleString()}
            </option>
          ))}
        </select>
      </label>
    </nav>
  );
}
