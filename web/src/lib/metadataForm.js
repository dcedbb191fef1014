// Checks of a metadata edit before it is sent. Header values travel in HTTP headers, which a
// browser only sends in printable ASCII; custom metadata names become x-amz-meta-NAME headers,
// and their values may be any text without control characters (sent as RFC 2047 encoded words,
// lib/encodedWords.js).

const PRINTABLE = /^[\x20-\x7e]*$/;
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;
const NAME = /^[a-z0-9][a-z0-9-]*$/;

// The problems of `custom` ([name, value] rows) and `http` ({field: value}), as
// [{where, message}]; none when the edit can be sent.
export function metadataProblems(http, custom) {
  const problems = [];
  for (const [field, value] of Object.entries(http)) {
    if (!PRINTABLE.test(value)) problems.push({ where: field, message: "Use printable ASCII characters only." });
  }
  const seen = new Set();
  custom.forEach(([name, value], i) => {
    const where = `custom-${i}`;
    if (!NAME.test(name)) problems.push({ where, message: "Names use lowercase letters, digits and hyphens." });
    else if (seen.has(name)) problems.push({ where, message: `“${name}” is there twice.` });
    else if (CONTROL.test(value)) problems.push({ where, message: "Remove the control characters (tabs, line breaks)." });
    seen.add(name);
  });
  return problems;
}
