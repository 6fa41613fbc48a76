# Sourced by scripts/load.sh and scripts/scaleout.sh.
# Writes over 250 ms log where they waited (service::records::write): how
# many, and the three slowest.
slow_writes() {
  local n; n=$(cat "$@" | grep -c 'slow \(save\|write\)' || true)
  echo "writes over 250 ms: $n"
  grep -ho 'slow \(save\|write\) .*' "$@" | awk -F': ' '{split($2, a, " "); print a[1] "\t" $0}' \
    | sort -rn | head -3 | cut -f2- | sed 's/^/  /' || true
}
