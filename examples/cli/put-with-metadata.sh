#!/usr/bin/env bash
# Upload with the cairn command line, setting HTTP metadata and custom metadata with the same
# flags as `wrangler r2 object put`, then show what the server stored.
#
#   examples/cli/put-with-metadata.sh BUCKET/KEY [FILE]
#
# FILE defaults to a small generated HTML page. The server and keys come from CAIRN_ENDPOINT,
# CAIRN_ACCESS_KEY_ID and CAIRN_SECRET_ACCESS_KEY; CAIRN_CLI names the cairn binary (default: cairn
# on the PATH).
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ] || [[ "$1" != */* ]]; then
  echo "usage: $0 BUCKET/KEY [FILE]" >&2
  exit 2
fi
target=$1
cairn=${CAIRN_CLI:-cairn}

file=${2:-}
if [ -z "$file" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  file=$tmp/report.html
  printf '<!doctype html>\n<title>Report</title>\n<p>Uploaded with cairn object put.</p>\n' >"$file"
fi

# The flags of `wrangler r2 object put`: --file, --content-type, --cache-control, ... and --meta
# (repeatable) for custom metadata, stored as x-amz-meta-* headers.
"$cairn" object put "$target" --file="$file" \
  --content-type "text/html; charset=utf-8" \
  --cache-control "public, max-age=3600" \
  --content-disposition 'inline; filename="report.html"' \
  --meta author=examples \
  --meta project=cairn

# What the server now has: size, ETag, HTTP metadata and custom metadata.
"$cairn" object head "$target"
