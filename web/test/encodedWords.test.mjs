import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeEncodedWords, encodeMetadataValue } from "../src/lib/encodedWords.js";

test("encoded words decode to the text they carry", () => {
  assert.equal(decodeEncodedWords("=?UTF-8?B?Y2Fmw6kg4piV?="), "café ☕");
  assert.equal(decodeEncodedWords("=?utf-8?q?caf=C3=A9_au_lait?="), "café au lait");
  assert.equal(decodeEncodedWords("=?ISO-8859-1?Q?caf=E9?="), "café");
  assert.equal(decodeEncodedWords("=?UTF-8?B?YQ==?= =?UTF-8?B?Yg==?="), "ab");
  assert.equal(decodeEncodedWords("x =?UTF-8?B?YQ==?= y"), "x a y");
});

test("what is not a well-formed word is kept as it is", () => {
  for (const v of ["plain", "", "=?bogus", "=?UTF-8?X?abc?=", "=?UTF-8?B?***?=", "=?UTF-8?Q?=FF?=", "=?KOI8-R?B?YQ==?=", "a  b "]) {
    assert.equal(decodeEncodedWords(v), v);
  }
});

test("values are encoded only when a header cannot carry them", () => {
  assert.equal(encodeMetadataValue("ops team"), "ops team");
  assert.equal(encodeMetadataValue("café ☕"), "=?UTF-8?B?Y2Fmw6kg4piV?=");
  assert.equal(decodeEncodedWords(encodeMetadataValue("=?UTF-8?B?YQ==?=")), "=?UTF-8?B?YQ==?=");
  assert.equal(decodeEncodedWords(encodeMetadataValue(" edge ")), " edge ");
  const long = "é".repeat(40) + "😀";
  const encoded = encodeMetadataValue(long);
  for (const word of encoded.split(" ")) assert.ok(word.length <= 75, word);
  assert.equal(decodeEncodedWords(encoded), long);
});
