// The bar on every signed-in page: the product, the pages the key may see, the theme switch, who
// is signed in with which permission, sign-out.
import { KeyRound, LogOut, Monitor, Moon, Sun } from "lucide-preact";
import { useState } from "preact/hooks";
import { useAccess } from "../lib/access.js";
import { applyTheme, savedTheme, THEMES } from "../lib/theme.js";
import { Logo } from "./Logo.jsx";

const THEME_ICONS = { system: Monitor, light: Sun, dark: Moon };

export function TopBar({ accessKeyId, page, onSignOut }) {
  const access = useAccess();
  const [theme, setTheme] = useState(savedTheme);
  const next = THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length];
  const Icon = THEME_ICONS[theme];
  const switchTheme = () => {
    applyTheme(next);
    setTheme(next);
  };
  return (
    <header class="topbar">
      <a class="brand" href="#/">
        <Logo />
        <span>cairn</span>
      </a>
      {access.readKeys && (
        <nav class="topbar-nav" aria-label="Pages">
          <a href="#/" aria-current={page !== "keys" ? "page" : undefined}>
            Buckets
          </a>
          <a href="#/keys" aria-current={page === "keys" ? "page" : undefined}>
            <KeyRound size={16} aria-hidden="true" />
            <span>Keys</span>
          </a>
        </nav>
      )}
      <div class="topbar-end">
        <button type="button" class="icon-button" onClick={switchTheme} aria-label={`Theme: ${theme}. Switch to ${next}.`} title={`Theme: ${theme}`}>
          <Icon size={18} aria-hidden="true" />
        </button>
        <span class="key-id" title="Signed in with this access key">
          {accessKeyId}
          {access.permission && <span class="key-permission"> · {access.permission}</span>}
        </span>
        <button type="button" class="button button-quiet" onClick={onSignOut}>
          <LogOut size={16} aria-hidden="true" />
          <span>Sign out</span>
        </button>
      </div>
    </header>
  );
}
