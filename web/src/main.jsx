import { render } from "preact";
import "./styles.css";

render(<p>cairn</p>, document.getElementById("app"));
