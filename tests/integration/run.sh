#!/usr/bin/env bash
# Runs every integration suite against the real cairn binary, one suite after the other; each
# suite starts its own cairn on a free loopback port with a fresh temporary data dir.
#
#   tests/integration/run.sh BINARY [--endpoint URL] [--cluster] [SUITE_FILTER...]
#
# BINARY          the cairn binary (build/cairn)
# --endpoint URL  run against an already running S3 server instead (also CAIRN_TEST_ENDPOINT);
#                 its keys come from CAIRN_ACCESS_KEY_ID / CAIRN_SECRET_ACCESS_KEY
# --cluster       only the cluster suites (several gateways on one PostgreSQL and one Ceph cluster,
#                 which they start themselves; py/pg_service.py, py/ceph_service.py): without them
#                 they fail. Without --cluster they run after the others when both can be started
#                 here, and are counted as skipped, with the reason, when they cannot.
# SUITE_FILTER    only suites whose name contains one of these words (e.g. listing rclone js)
#
# The boto3 suites run twice: with python3 (boto3 1.43: default CRC32 checksums) and with
# /usr/bin/python3 (Debian's boto3 1.26: Content-MD5 and signed payloads). The last line is
# "N passed, N failed" over all suites; the exit status is non-zero when anything failed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
binary=""
endpoint="${CAIRN_TEST_ENDPOINT:-}"
filters=()
cluster_only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --endpoint) endpoint="$2"; shift 2 ;;
    --endpoint=*) endpoint="${1#*=}"; shift ;;
    --cluster) cluster_only=1; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) if [ -z "$binary" ] && [ -z "$endpoint" ] && [ -e "$1" ]; then binary="$1"
       elif [ -z "$binary" ] && [ -z "$endpoint" ] && [[ "$1" == */* ]]; then binary="$1"
       else filters+=("$1"); fi
       shift ;;
  esac
done

if [ -n "$endpoint" ]; then
  export CAIRN_TEST_ENDPOINT="$endpoint"
  : "${CAIRN_ACCESS_KEY_ID:?--endpoint needs CAIRN_ACCESS_KEY_ID}"
  : "${CAIRN_SECRET_ACCESS_KEY:?--endpoint needs CAIRN_SECRET_ACCESS_KEY}"
else
  if [ -z "$binary" ] || [ ! -x "$binary" ]; then
    echo "usage: $0 BINARY [--endpoint URL] [SUITE_FILTER...]  (binary '${binary}' not found)" >&2
    echo "0 passed, 1 failed"
    exit 2
  fi
  binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
  export CAIRN_BINARY="$binary"
  unset CAIRN_TEST_ENDPOINT
fi

# Interpreters, resolved before HOME changes (pyenv shims find their versions through HOME).
py_new=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null || true)
py_old=/usr/bin/python3

# Test clients must read no real AWS configuration: fake keys, no metadata service, no CA bundle
# (rclone refuses to start when AWS_CA_BUNDLE names a bundle it cannot use), a temporary HOME for
# the AWS CLI's config and caches. Suites pass the real endpoint and keys explicitly.
work=$(mktemp -d -t cairn-it-run-XXXXXX)
trap 'rm -rf "$work"' EXIT
for v in $(env | awk -F= '/^AWS_/ {print $1}'); do unset "$v"; done
export AWS_ACCESS_KEY_ID=AKIAFAKEFAKEFAKEFAKE
export AWS_SECRET_ACCESS_KEY=fake-secret-not-used
export AWS_DEFAULT_REGION=auto
export AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE="$work/aws-config"
export AWS_SHARED_CREDENTIALS_FILE="$work/aws-credentials"
export AWS_PAGER=""

# npm clients: installed from the committed lock file when missing (before HOME changes, so that
# the machine's npm configuration applies).
if command -v npm >/dev/null; then
  "$here/../../scripts/npm-install.sh" "$here/js" || echo "npm ci failed" >&2
fi

mkdir -p "$work/home"
export HOME="$work/home"
export PYTHONDONTWRITEBYTECODE=1

SUITE_TIMEOUT=${CAIRN_SUITE_TIMEOUT:-900}
total_pass=0
total_fail=0
total_skip=0
summary=()

wanted() {
  [ ${#filters[@]} -eq 0 ] && return 0
  local f
  for f in "${filters[@]}"; do [[ "$1" == *"$f"* ]] && return 0; done
  return 1
}

record() {  # name pass fail skip seconds
  total_pass=$((total_pass + $2)); total_fail=$((total_fail + $3)); total_skip=$((total_skip + $4))
  local line
  line=$(printf '%-40s %4d passed, %3d failed, %3d skipped  (%ss)' "$1" "$2" "$3" "$4" "$5")
  summary+=("$line")
  echo "== $line"
}

run_py() {  # interpreter label module
  local py=$1 label=$2 mod=$3 name="$3 [$2]"
  wanted "$name" || return 0
  echo
  echo "===== $name ====="
  if [ -z "$py" ] || ! "$py" -c 'import boto3' 2>/dev/null; then
    echo "no boto3 for '$py' (scripts/install-test-deps.sh installs it)"
    record "$name" 0 1 0 0
    return
  fi
  local log="$work/$mod-$label.log" start=$SECONDS
  ( cd "$here/py" && timeout --kill-after=15 "$SUITE_TIMEOUT" "$py" run_suite.py "$mod" ) \
    >"$log" 2>&1
  local rc=$?
  cat "$log"
  local res
  res=$(grep -E '^SUITE-RESULT ' "$log" | tail -1)
  if [ -z "$res" ]; then
    echo "suite ended without a result (exit $rc$([ $rc -eq 124 ] && echo ', timed out'))"
    record "$name" 0 1 0 $((SECONDS - start))
    return
  fi
  local p f s
  p=$(sed -E 's/.*passed=([0-9]+).*/\1/' <<<"$res")
  f=$(sed -E 's/.*failed=([0-9]+).*/\1/' <<<"$res")
  s=$(sed -E 's/.*skipped=([0-9]+).*/\1/' <<<"$res")
  record "$name" "$p" "$f" "$s" $((SECONDS - start))
}

run_js() {  # test file
  local file=$1 name="js/$1"
  wanted "$name" || return 0
  echo
  echo "===== $name ====="
  if ! command -v node >/dev/null || [ ! -d "$here/js/node_modules" ]; then
    echo "node or js/node_modules missing (scripts/install-test-deps.sh installs them)"
    record "$name" 0 1 0 0
    return
  fi
  local log="$work/$file.log" start=$SECONDS
  ( cd "$here/js" && timeout --kill-after=15 "$SUITE_TIMEOUT" node --test --test-reporter=tap \
      --test-timeout=120000 "$file" ) >"$log" 2>&1
  local rc=$?
  cat "$log"
  local p f s
  p=$(grep -E '^# pass [0-9]+' "$log" | tail -1 | awk '{print $3}')
  f=$(grep -E '^# fail [0-9]+' "$log" | tail -1 | awk '{print $3}')
  s=$(grep -E '^# skipped [0-9]+' "$log" | tail -1 | awk '{print $3}')
  if [ -z "$p" ] || [ -z "$f" ]; then
    echo "suite ended without a result (exit $rc)"
    record "$name" 0 1 0 $((SECONDS - start))
    return
  fi
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi  # e.g. a failing before() hook
  record "$name" "$p" "$f" "${s:-0}" $((SECONDS - start))
}

both=(test_buckets test_objects test_listing test_delete_copy test_conditional test_checksums test_cors
      test_auth test_addressing test_multipart test_part_checksums test_lifecycle test_post_object test_header_injection
      test_signed_headers test_access_permissions test_access_scopes test_temporary_credentials
      test_public_buckets test_acl test_post_object_sigv2)
once=(test_streaming test_robustness test_crash test_resources test_awscli test_rclone test_dashboard_api
      test_observability test_log_hygiene test_hostile test_connections test_error_detail
      test_data_dir_security test_sqlite_shm test_brute_force test_access_rclone test_storage_faults test_storage_status
      test_engines test_first_start test_bucket_figures test_key_search test_r2_binding_wire
      test_rados_engine)

# Several gateways over one PostgreSQL and one blob store (a RADOS pool, CAIRN_TEST_BLOB_URL or a
# shared file:// directory): they need their own servers, so never with --endpoint.
cluster=(test_scale_out test_gateways)

if [ -z "$cluster_only" ]; then
  for m in "${both[@]}"; do
    run_py "$py_new" "python3" "$m"
    run_py "$py_old" "debian-python3" "$m"
  done
  for m in "${once[@]}"; do
    run_py "$py_new" "python3" "$m"
  done
  for f in sdk.test.mjs presign.test.mjs aws4fetch.test.mjs multipart.test.mjs access.test.mjs \
    r2-binding.test.mjs; do
    run_js "$f"
  done
fi

if [ -n "$endpoint" ]; then
  echo
  echo "===== cluster suites not run: they start gateways of their own, not with --endpoint"
  [ -n "$cluster_only" ] && record "cluster suites (--endpoint)" 0 1 0 0
elif no_services=$("${py_new:-python3}" "$here/py/cairn_cluster.py" --check) || [ -n "$cluster_only" ]; then
  for m in "${cluster[@]}"; do
    run_py "$py_new" "python3" "$m"
  done
else
  for m in "${cluster[@]}"; do
    wanted "$m [python3]" || continue
    echo
    echo "===== $m SKIPPED: its services cannot be started here: $no_services"
    echo "===== (make test-cluster runs it and fails instead)"
    record "$m [python3] (no PostgreSQL or Ceph)" 0 0 1 0
  done
fi

echo
echo "===== integration summary ====="
for line in "${summary[@]}"; do echo "$line"; done
echo "skipped: $total_skip"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
