# Sourced by the ensure-*.sh scripts: installs Debian packages with apt-get, as root or through sudo.
#   apt_install "<what is missing, for the messages>" [apt-get install option...] package...
apt_install() {
  local what=$1
  shift
  echo "$what: not installed; installing Debian's packages with apt-get ($*)"
  local as_root=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then as_root="sudo"; else
      echo "$what is missing and this user cannot install it: run 'apt-get install $*' as root." >&2
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  $as_root apt-get update -qq
  $as_root apt-get install -y -qq "$@" >/dev/null
}
