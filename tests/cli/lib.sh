# lib.sh - helpers for CLI tests: run ecoreport, compare exit code and stderr
# (and optionally stdout) exactly. Sourced by the tests/cli/*.sh scripts,
# which run in a fresh temporary directory with $ECOREPORT set.
set -u
pass=0
fail=0

# check NAME WANT_RC CMD... <<< expected stderr
# Runs CMD, compares its exit code with WANT_RC and its stderr with stdin.
check() {
  local name=$1 want_rc=$2; shift 2
  local want got rc
  want=$(cat)
  got=$("$@" 2>&1 >/dev/null) && rc=0 || rc=$?
  if [ "$rc" != "$want_rc" ] || [ "$got" != "$want" ]; then
    fail=$((fail + 1))
    echo "FAIL $name: exit $rc (want $want_rc)"
    diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | sed 's/^/    /'
  else
    pass=$((pass + 1))
  fi
}

# check_out NAME CMD... <<< expected stdout (exit code must be 0)
check_out() {
  local name=$1; shift
  local want got rc
  want=$(cat)
  got=$("$@" 2>/dev/null) && rc=0 || rc=$?
  if [ "$rc" != 0 ] || [ "$got" != "$want" ]; then
    fail=$((fail + 1))
    echo "FAIL $name: exit $rc"
    diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | sed 's/^/    /'
  else
    pass=$((pass + 1))
  fi
}

# ok NAME CONDITION-COMMAND...
ok() {
  local name=$1; shift
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $name"; fi
}

finish() {
  echo "$(basename "$0" .sh): $pass passed, $fail failed"
  [ "$fail" -eq 0 ]
}

ER_TMP=$(mktemp -d)
trap 'rm -rf "$ER_TMP"' EXIT
cd "$ER_TMP"
