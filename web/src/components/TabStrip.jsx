// A strip of tabs that are links (each tab is a place in the URL), keyboard operated as the
// WAI-ARIA tabs pattern has it: only the selected tab is in the Tab order, and Left, Right, Home
// and End move to another tab and open it.
import { useRef } from "preact/hooks";

const MOVES = {
  ArrowRight: (i, n) => (i + 1) % n,
  ArrowLeft: (i, n) => (i - 1 + n) % n,
  Home: () => 0,
  End: (i, n) => n - 1,
};

// tabs: [[id, label]]; hrefOf(id): where a tab leads; panelId: the tabpanel the tabs control,
// which is labelled by the element id `tab-${selected}`.
export function TabStrip({ label, tabs, selected, hrefOf, panelId }) {
  const links = useRef({});
  const onKeyDown = (e) => {
    const move = MOVES[e.key];
    if (!move || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    const from = tabs.findIndex(([id]) => links.current[id] === e.target);
    const [id] = tabs[move(from < 0 ? 0 : from, tabs.length)];
    links.current[id].focus();
    links.current[id].click();
  };
  return (
    <div class="tabs" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
      {tabs.map(([id, text]) => (
        <a
          key={id}
          ref={(el) => {
            links.current[id] = el;
          }}
          id={`tab-${id}`}
          role="tab"
          href={hrefOf(id)}
          aria-selected={selected === id ? "true" : "false"}
          aria-controls={panelId}
          tabIndex={selected === id ? 0 : -1}
          class="tab"
        >
          {text}
        </a>
      ))}
    </div>
  );
}
