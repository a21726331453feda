#!/usr/bin/env bash
# Build the site, then copy it to a web server with rsync. Nothing is copied unless the build
# succeeds. Only files whose bytes changed are transferred (checksums, -c): gongshi leaves
# unchanged files untouched, and rsync compares contents rather than timestamps. New files are
# moved into place together at the end (--delay-updates), and files no longer in the site are
# deleted (--delete), so the target folder must hold this site and nothing else.
#
# Exit status: 0 deployed (or dry run done), 2 usage error, otherwise that of the failed build
# (1 content errors, 3 a bug in gongshi) or of rsync.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bash deploy/rsync-deploy.sh [--dry-run] [TARGET]

Build content/ into site/, then copy site/ to TARGET with
  rsync -rlc --delete --delay-updates
TARGET is an rsync destination, for example user@host:/var/www/gongshi/ or a local
folder; without it, $DEPLOY_TARGET is used. The target folder must hold this site only:
files there that the site does not have are deleted.

options:
  -n, --dry-run   build, then list what would change on TARGET without changing it
  -h, --help      show this text

environment (all optional):
  DEPLOY_TARGET       destination when TARGET is not given
  PYTHON              interpreter with gongshi installed (default: .venv/bin/python of this
                      repository, else python3)
  GONGSHI_CONTENT     content folder (default: content/ of this repository)
  GONGSHI_OUT         output folder (default: site/ of this repository)
  GONGSHI_BUILD_ARGS  more build options, e.g. "--base-url https://example.gov.cn/gongshi/"
  RSYNC_RSH           remote shell for rsync, e.g. "ssh -i ~/.ssh/deploy_key"

Standard output lists the changes, one per line (rsync --itemize-changes); nothing is
printed there when the server is already up to date. Messages go to standard error.
EOF
}

fail() {  # fail STATUS MESSAGE
  echo "rsync-deploy: $2" >&2
  exit "$1"
}

caller_dir=$PWD
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

absolute() {  # relative paths are taken from the folder the script was started in
  case $1 in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$caller_dir/$1" ;;
  esac
}

dry_run=0
target=""
while [ $# -gt 0 ]; do
  case $1 in
    -n | --dry-run) dry_run=1 ;;
    -h | --help) usage; exit 0 ;;
    -*) usage >&2; fail 2 "unknown option '$1'" ;;
    *)
      [ -z "$target" ] || { usage >&2; fail 2 "more than one target: '$target' and '$1'"; }
      target=$1
      ;;
  esac
  shift
done
target=${target:-${DEPLOY_TARGET:-}}
[ -n "$target" ] || { usage >&2; fail 2 "no target: give one, or set DEPLOY_TARGET"; }

# A remote target has a colon before any slash (host:path); anything else is a local folder.
if [[ $target =~ ^[^/]*: ]]; then
  target_path=${target#*:}
else
  target=$(absolute "$target")
  target_path=$target
fi
case ${target_path%/} in
  "" | "~")
    fail 2 "refusing to deploy into '$target': --delete would remove everything else there; name the site's own folder, e.g. user@host:/var/www/gongshi/" ;;
esac

content=$(absolute "${GONGSHI_CONTENT:-$root/content}")
out=$(absolute "${GONGSHI_OUT:-$root/site}")
if [ -z "${PYTHON:-}" ]; then
  if [ -x "$root/.venv/bin/python" ]; then PYTHON=$root/.venv/bin/python; else PYTHON=python3; fi
fi
read -r -a build_args <<<"${GONGSHI_BUILD_ARGS:-}"

command -v rsync >/dev/null 2>&1 || fail 2 "rsync is not installed (Debian: apt-get install rsync; the server needs it too)"

echo "rsync-deploy: building $content into $out" >&2
status=0
"$PYTHON" "$root/build.py" build --content "$content" --out "$out" "${build_args[@]}" || status=$?
if [ "$status" -ne 0 ]; then
  fail "$status" "the build failed (exit $status); nothing was deployed"
fi
[ -f "$out/index.html" ] || fail 1 "$out/index.html is missing after the build; nothing was deployed"

rsync_args=(-rlc --delete --delay-updates --itemize-changes)
how="copying"
if [ "$dry_run" -eq 1 ]; then
  rsync_args+=(--dry-run)
  how="dry run: comparing"
fi
echo "rsync-deploy: $how $out/ to $target" >&2
status=0
changes=$(rsync "${rsync_args[@]}" "$out/" "$target") || status=$?
[ -z "$changes" ] || printf '%s\n' "$changes"
if [ "$status" -ne 0 ]; then
  fail "$status" "rsync failed (exit $status); the target may be partly updated, run again"
fi
count=0
[ -z "$changes" ] || count=$(printf '%s\n' "$changes" | wc -l)
if [ "$dry_run" -eq 1 ]; then
  echo "rsync-deploy: dry run: $count change(s) would be made on $target" >&2
else
  echo "rsync-deploy: deployed to $target: $count change(s)" >&2
fi
