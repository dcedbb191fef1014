// Short confirmations and failures in a corner of the screen, announced to screen readers.
import { useEffect, useState } from "preact/hooks";

const listeners = new Set();
let nextId = 1;

// kind: "success" | "error" | "info"
export function toast(message, kind = "success") {
  const item = { id: nextId++, message, kind };
  for (const fn of listeners) fn(item);
}

export function Toasts() {
  const [items, setItems] = useState([]);
  useEffect(() => {
    const add = (item) => {
      setItems((list) => [...list.slice(-3), item]);
      setTimeout(() => setItems((list) => list.filter((i) => i.id !== item.id)), item.kind === "error" ? 8000 : 4000);
    };
    listeners.add(add);
    return () => listeners.delete(add);
  }, []);
  return (
    <div class="toasts" role="status" aria-live="polite">
      {items.map((item) => (
        <div key={item.id} class={`toast toast-${item.kind}`}>
          {item.message}
          <button type="button" class="icon-button" aria-label="Dismiss" onClick={() => setItems((l) => l.filter((i) => i.id !== item.id))}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
