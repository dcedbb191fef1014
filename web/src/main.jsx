import { render } from "preact";
import { App } from "./app.jsx";
import { applyTheme, savedTheme } from "./lib/theme.js";
import "./styles.css";

applyTheme(savedTheme());
render(<App />, document.getElementById("app"));
