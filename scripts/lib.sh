# Shared by the scripts: make sure the machine has what Trawl builds with.
# shellcheck shell=bash

# Installs SQLite's headers (GRDB links the system SQLite), zlib's and zstd's (compressed stored
# text) and poppler-utils (`pdftotext`, which `trawl index` uses for PDFs) when they are missing.
ensure_build_dependencies() {
  if ! dpkg -s libsqlite3-dev >/dev/null 2>&1 || ! dpkg -s zlib1g-dev >/dev/null 2>&1 \
    || ! dpkg -s libzstd-dev >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
    echo "Installing libsqlite3-dev, zlib1g-dev, libzstd-dev and poppler-utils..." >&2
    local sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq && $sudo apt-get install -y -qq libsqlite3-dev zlib1g-dev libzstd-dev poppler-utils >/dev/null
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

# The flags of a release build: one fully static executable (-static-executable: the Swift
# runtime, Foundation, SQLite, zlib and the C library linked in). Nothing is loaded or relocated
# at start-up, which was 3 ms of every `trawl search` (docs/BENCHMARKS.md, "Start-up").
# -disable-concrete-type-metadata-mangled-name-accessors: code reaches a generic type's metadata
# (a dictionary of a new key type, say) through its accessor instead of by demangling its name,
# which checks each requirement by scanning all of the runtime's ~9,000 conformance records;
# `trawl search palladium` 19.2 M → 14.6 M instructions ("Start-up, third look").
NAME_FREE_METADATA=(-Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors)
RELEASE_FLAGS=(-c release -Xswiftc -static-executable "${NAME_FREE_METADATA[@]}")
# Where a static library is missing: only the Swift runtime linked in statically.
STATIC_RUNTIME_FLAGS=(-c release --static-swift-stdlib "${NAME_FREE_METADATA[@]}")

# Builds in release mode (extra arguments go to `swift build`), quietly unless it fails; where a
# static library is missing, falls back to a build with only the Swift runtime linked in.
release_build() {
  local output
  if output=$(swift build "${RELEASE_FLAGS[@]}" "$@" 2>&1); then return; fi
  echo "warning: no fully static build (errors below); linking only the Swift runtime statically" >&2
  grep -E "error" <<<"$output" >&2 || true
  RELEASE_FLAGS=("${STATIC_RUNTIME_FLAGS[@]}")
  swift build "${RELEASE_FLAGS[@]}" "$@" >/dev/null 2>&1 || swift build "${RELEASE_FLAGS[@]}" "$@"
}

# Prints its arguments as a POSIX shell reads them back: words of plain characters as they are,
# others in single quotes (a ' inside written '\''), so a printed command can be pasted.
shell_words() {
  local word out=()
  for word in "$@"; do
    if [[ -n $word && $word =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then
      out+=("$word")
    else
      out+=("'${word//\'/\'\\\'\'}'")
    fi
  done
  printf '%s\n' "${out[*]}"
}

# Installs headless Chromium, its WebDriver and Selenium (PyPI) when missing, for
# `scripts/browser-test`.
ensure_browser_dependencies() {
  local sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    echo "Installing chromium and chromium-driver..." >&2
    $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  if ! python3 -c "import selenium" >/dev/null 2>&1; then
    echo "Installing selenium (PyPI)..." >&2
    python3 -m pip install -q selenium >/dev/null
  fi
}
