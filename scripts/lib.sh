# Shared by the scripts: make sure the machine has what Trawl builds with.
# shellcheck shell=bash

# Installs SQLite's headers (GRDB links the system SQLite), zlib's (compressed stored text) and
# poppler-utils (`pdftotext`, which `trawl index` uses for PDFs) when they are missing.
ensure_build_dependencies() {
  if ! dpkg -s libsqlite3-dev >/dev/null 2>&1 || ! dpkg -s zlib1g-dev >/dev/null 2>&1 \
    || ! command -v pdftotext >/dev/null 2>&1; then
    echo "Installing libsqlite3-dev, zlib1g-dev and poppler-utils..." >&2
    local sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq && $sudo apt-get install -y -qq libsqlite3-dev zlib1g-dev poppler-utils >/dev/null
  fi
  if ! command -v swift >/dev/null 2>&1; then
    if [[ -x /opt/swift/usr/bin/swift ]]; then
      export PATH="/opt/swift/usr/bin:$PATH"
    else
      echo "error: the Swift toolchain (swift) is not on PATH" >&2
      exit 1
    fi
  fi
}
