// Request documents are well formed whatever the keys and rule values contain.
import assert from "node:assert/strict";
import { test } from "node:test";
import { element, escapeXml, urlDecoded, xmlDocument } from "../src/api/xml.js";

test("text is escaped", () => {
  assert.equal(escapeXml(`<a href="x">&'`), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;");
  assert.equal(element("Key", "a<b>&c"), "<Key>a&lt;b&gt;&amp;c</Key>");
});

test("nested elements leave out absent optional children", () => {
  const xml = element("Part", [element("PartNumber", 1), null, element("ETag", '"abc"'), undefined]);
  assert.equal(xml, "<Part><PartNumber>1</PartNumber><ETag>&quot;abc&quot;</ETag></Part>");
});

test("documents carry the S3 namespace on the root only", () => {
  const doc = xmlDocument("Delete", [element("Object", [element("Key", "Delete")])]);
  assert.equal(doc, '<?xml version="1.0" encoding="UTF-8"?>\n<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>Delete</Key></Object></Delete>');
});

test("url-encoded listing fields decode, '+' included", () => {
  assert.equal(urlDecoded("a%20b%2Bc/d%C3%A9"), "a b+c/dé");
  assert.equal(urlDecoded("a+b"), "a b");
});
