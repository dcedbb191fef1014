// The bar on every signed-in page: the product, the theme switch, who is signed in, sign-out.
import { LogOut, Monitor, Moon, Sun } from "lucide-preact";
import { useState } from "preact/hooks";
import { applyTheme, savedTheme, THEMES } from "../lib/theme.js";
import { Logo } from "./Logo.jsx";

const THEME_ICONS = { system: Monitor, light: Sun, dark: Moon };

export function TopBar({ accessKeyId, onSignOut }) {
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
      <div class="topbar-end">
        <button type="button" class="icon-button" onClick={switchTheme} aria-label={`Theme: ${theme}. Switch to ${next}.`} title={`Theme: ${theme}`}>
          <Icon size={18} aria-hidden="true" />
        </button>
        <span class="key-id" title="Signed in with this access key">
          {accessKeyId}
        </span>
        <button type="button" class="button button-quiet" onClick={onSignOut}>
          <LogOut size={16} aria-hidden="true" />
          <span>Sign out</span>
        </button>
      </div>
    </header>
  );
}
