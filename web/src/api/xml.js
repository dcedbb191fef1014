// S3's XML: building request documents (escaped, so any key or rule value is safe) and reading
// response documents with the browser's DOMParser.

export function escapeXml(text) {
  return String(text).replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]);
}

// element("Part", [element("PartNumber", 1)]) -> "<Part><PartNumber>1</PartNumber></Part>".
// Children are strings of XML already built, or a scalar that is escaped as text. Null and
// undefined children are left out, so optional fields read naturally at the call site.
export function element(name, children) {
  if (children === null || children === undefined) return "";
  const inner = Array.isArray(children) ? children.filter((c) => c !== null && c !== undefined).join("") : escapeXml(children);
  return `<${name}>${inner}</${name}>`;
}

export function xmlDocument(root, children) {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(root, children).replace(`<${root}>`, `<${root} xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`)}`;
}

export function parseXml(text) {
  const doc = new DOMParser().parseFromString(text, "application/xml");
  if (doc.getElementsByTagName("parsererror").length) throw new Error("The server sent malformed XML.");
  return doc.documentElement;
}

// The direct children of `node` named `name` (S3 reuses names at several depths, e.g. Prefix).
export function children(node, name) {
  return Array.from(node.children).filter((c) => c.localName === name);
}

export function child(node, name) {
  return children(node, name)[0] ?? null;
}

export function childText(node, name, fallback = "") {
  const c = child(node, name);
  return c ? c.textContent : fallback;
}

// Fields of a listing made with encoding-type=url.
export function urlDecoded(text) {
  return decodeURIComponent(text.replace(/\+/g, " "));
}
