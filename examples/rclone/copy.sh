#!/usr/bin/env bash
# Upload with rclone: a single file, then a whole folder, then list the bucket.
#
#   examples/rclone/copy.sh BUCKET [FILE] [FOLDER]
#
# FILE and FOLDER default to generated samples. The server and keys come from CAIRN_ENDPOINT,
# CAIRN_ACCESS_KEY_ID and CAIRN_SECRET_ACCESS_KEY. The rclone remote is written to a temporary
# config file, so your own ~/.config/rclone/rclone.conf is neither read nor changed.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 3 ]; then
  echo "usage: $0 BUCKET [FILE] [FOLDER]" >&2
  exit 2
fi
: "${CAIRN_ENDPOINT:?set CAIRN_ENDPOINT}" "${CAIRN_ACCESS_KEY_ID:?set CAIRN_ACCESS_KEY_ID}"
: "${CAIRN_SECRET_ACCESS_KEY:?set CAIRN_SECRET_ACCESS_KEY}"
bucket=$1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
file=${2:-}
folder=${3:-}
if [ -z "$file" ]; then
  file=$tmp/image.png
  head -c 100000 /dev/urandom >"$file"
fi
if [ -z "$folder" ]; then
  folder=$tmp/folder
  mkdir -p "$folder/sub"
  echo "first" >"$folder/a.txt"
  echo "second" >"$folder/sub/b.txt"
fi

# The remote "r2": provider Other (or Cloudflare), path-style requests, region auto.
export RCLONE_CONFIG=$tmp/rclone.conf
cat >"$RCLONE_CONFIG" <<CONF
[r2]
type = s3
provider = Other
env_auth = false
access_key_id = $CAIRN_ACCESS_KEY_ID
secret_access_key = $CAIRN_SECRET_ACCESS_KEY
endpoint = $CAIRN_ENDPOINT
region = auto
force_path_style = true
acl = private
CONF
chmod 600 "$RCLONE_CONFIG"

# rclone's S3 backend refuses to start when AWS_CA_BUNDLE names a bundle it cannot load; an
# https endpoint with a private CA would use --ca-cert instead.
unset AWS_CA_BUNDLE

# Upload a single file.
rclone copy "$file" "r2:$bucket"
# Upload everything in a folder (its contents land at the top of the bucket).
rclone copy "$folder" "r2:$bucket"
# Verify: size and name of every object.
rclone ls "r2:$bucket"
