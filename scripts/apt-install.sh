# Sourced by scripts/install-deps.sh, install-test-deps.sh and install-bench-deps.sh (not run on its own).
#
#   apt_install NAME PACKAGE...
#
# Installs the Debian packages that are missing, and touches apt only if one is; NAME prefixes the
# messages. Returns non-zero when something is missing and it cannot become root.
apt_install() {
  local name=$1
  shift
  local package status missing=()
  for package in "$@"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$package")
  done
  if [[ ${#missing[@]} -eq 0 ]]; then
    echo "$name: all $# packages are installed."
    return 0
  fi
  local as_root=()
  if [[ $(id -u) -ne 0 ]]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "$name: not root and no sudo; install as root: ${missing[*]}" >&2
      return 1
    fi
    as_root=(sudo)
  fi
  echo "$name: installing ${missing[*]}"
  "${as_root[@]}" apt-get update
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
}
