#!/usr/bin/env bash
# Runs an ES-module Worker in workerd (Cloudflare's open-source Workers runtime) with the binding
# MY_BUCKET bound to a bucket of a cairn server, so that code written for R2's Workers binding
# (env.MY_BUCKET.put, createMultipartUpload, ...) runs unchanged against cairn.
#
#   examples/workers/run.sh WORKER_SCRIPT PORT BUCKET
#
# WORKER_SCRIPT  the Worker, one ES module (export default { fetch(request, env) {...} })
# PORT           serve it on http://127.0.0.1:PORT
# BUCKET         the cairn bucket env.MY_BUCKET stands for
#
# The cairn server and key come from the environment: CAIRN_ENDPOINT (http://host:port),
# CAIRN_ACCESS_KEY_ID and CAIRN_SECRET_ACCESS_KEY (an object key with read-write on the bucket is
# enough). workerd cannot sign requests: the config it is given sends the key's secret itself in a
# header on every binding call, so keep CAIRN_ENDPOINT on loopback (or a private network you trust).
# workerd is installed first (npm ci from this folder's lock file) when it is missing. Stays in the
# foreground until killed; the generated config lives in a temporary folder removed on exit.
set -euo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 WORKER_SCRIPT PORT BUCKET" >&2
  exit 2
fi
script=$1 port=$2 bucket=$3
here=$(cd "$(dirname "$0")" && pwd)
: "${CAIRN_ENDPOINT:?set CAIRN_ENDPOINT to the cairn server, e.g. http://127.0.0.1:9000}"
: "${CAIRN_ACCESS_KEY_ID:?set CAIRN_ACCESS_KEY_ID}"
: "${CAIRN_SECRET_ACCESS_KEY:?set CAIRN_SECRET_ACCESS_KEY}"
[ -f "$script" ] || { echo "$0: no Worker at $script" >&2; exit 2; }
[[ "$port" =~ ^[0-9]+$ ]] || { echo "$0: PORT must be a number" >&2; exit 2; }

# http://host:port[/] -> host:port (workerd's external service takes an address, not a URL).
if [[ ! "$CAIRN_ENDPOINT" =~ ^http://([^/]+)/?$ ]]; then
  echo "$0: CAIRN_ENDPOINT must be http://host:port (workerd sends the key's secret to it; put" \
    "cairn on loopback or a private network rather than sending it over the internet)" >&2
  exit 2
fi
address=${BASH_REMATCH[1]}
[[ "$address" == *:* ]] || address="$address:80"

workerd="$here/node_modules/@cloudflare/workerd-linux-64/bin/workerd"
if [ ! -x "$workerd" ]; then
  echo "installing workerd (npm ci in $here)" >&2
  "$here/../../scripts/npm-install.sh" "$here" >&2
fi

# A capnp text literal: backslashes and double quotes escaped. Control characters have no place in
# a bucket name, key id or secret.
capnp_text() {
  if [[ "$1" =~ [[:cntrl:]] ]]; then
    echo "$0: control characters in a setting" >&2
    exit 2
  fi
  local s=${1//\\/\\\\}
  printf '"%s"' "${s//\"/\\\"}"
}

config_dir=$(mktemp -d -t cairn-workerd-XXXXXX)
chmod 700 "$config_dir"  # the config holds the secret
worker_pid=""
cleanup() {
  [ -n "$worker_pid" ] && kill "$worker_pid" 2>/dev/null && wait "$worker_pid" 2>/dev/null
  rm -rf "$config_dir"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

# workerd embeds the module by a path relative to the config.
module=$(basename "$script")
ln -s "$(cd "$(dirname "$script")" && pwd)/$module" "$config_dir/$module"
cat >"$config_dir/config.capnp" <<CAPNP
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    ( name = "worker",
      worker = (
        modules = [ (name = $(capnp_text "$module"), esModule = embed $(capnp_text "$module")) ],
        compatibilityDate = "2026-11-01",
        bindings = [ (name = "MY_BUCKET", r2Bucket = "cairn") ],
      ) ),
    ( name = "cairn",
      external = (
        address = $(capnp_text "$address"),
        http = (
          injectRequestHeaders = [
            (name = "cairn-bucket", value = $(capnp_text "$bucket")),
            (name = "cairn-access-key-id", value = $(capnp_text "$CAIRN_ACCESS_KEY_ID")),
            (name = "cairn-secret-access-key", value = $(capnp_text "$CAIRN_SECRET_ACCESS_KEY")),
          ],
        ),
      ) ),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:$port", http = (), service = "worker") ],
);
CAPNP
chmod 600 "$config_dir/config.capnp"

"$workerd" serve "$config_dir/config.capnp" &
worker_pid=$!
wait "$worker_pid"
