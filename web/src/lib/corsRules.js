// The checks PutBucketCors makes (src/core/cors.cc), made on the form before it is sent, so that
// each problem is shown next to the field of the rule it is in rather than as S3's error text.

const MAX_AGE_LIMIT = 2147483647;
const MAX_ID_LENGTH = 255;

export const lines = (text) => text.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
const wildcards = (text) => text.split("*").length - 1;

// form: {id, origins, methods, headers, expose, maxAge} as edited. Returns {field: sentence} for
// each field with a problem; {} when the rule is fine.
export function corsRuleProblems(form) {
  const problems = {};
  const origins = lines(form.origins);
  if (origins.length === 0) problems.origins = "Add at least one allowed origin, such as https://app.example.com, or * for any.";
  const wildOrigin = origins.find((o) => wildcards(o) > 1);
  if (wildOrigin) problems.origins = `${wildOrigin} has more than one *: an origin may have one wildcard.`;
  if (form.methods.length === 0) problems.methods = "Choose at least one method.";
  const wildHeader = lines(form.headers).find((h) => wildcards(h) > 1);
  if (wildHeader) problems.headers = `${wildHeader} has more than one *: a header name may have one wildcard.`;
  const maxAge = String(form.maxAge).trim();
  if (maxAge !== "" && !(/^\d+$/.test(maxAge) && Number(maxAge) <= MAX_AGE_LIMIT)) {
    problems.maxAge = "The max age is a whole number of seconds, 0 or more.";
  }
  if (form.id.trim().length > MAX_ID_LENGTH) problems.id = `An ID has at most ${MAX_ID_LENGTH} characters.`;
  return problems;
}

// One sentence naming each rule with a problem and its first problem; null when all are fine.
export function corsRulesProblem(forms) {
  const broken = forms
    .map((form, i) => [i + 1, Object.values(corsRuleProblems(form))[0]])
    .filter(([, problem]) => problem);
  if (broken.length === 0) return null;
  return `Not saved. ${broken.map(([n, problem]) => `Rule ${n}: ${problem}`).join(" ")}`;
}
