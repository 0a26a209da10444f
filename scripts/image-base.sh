#!/usr/bin/env bash
# Makes the base image of the suite's OCI image without any container registry: a Debian bookworm
# root file system (debootstrap, minbase) with Debian's OpenJDK 17 JRE (headless) and one font family
# (the report's PNG charts draw text), written as a `docker save` archive that Jib reads with
# -Dimage.base=tar://<this file>. Cached: a second call prints the path at once.
# Needs root and debootstrap; reaches only the Debian mirror. Prints the archive's path on its last line.
set -euo pipefail

MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SUITE=bookworm
PACKAGES=openjdk-17-jre-headless,fonts-dejavu-core
# Bump when the recipe changes, so a cached archive of the old recipe is not reused.
RECIPE=1
CACHE_ROOT="${LLM_LOAD_CACHE:-$HOME/.cache/llm-load-suite}"
OUT_DIR="$CACHE_ROOT/image-base"
ARCHIVE="$OUT_DIR/debian-$SUITE-jre17-r$RECIPE.tar"

say() { printf '[image-base] %s\n' "$*" >&2; }

if [ -s "$ARCHIVE" ]; then
  say "reusing $ARCHIVE"
  echo "$ARCHIVE"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  say "error: debootstrap needs root (or pass -Dimage.base=<a JRE image of your registry> to Maven instead)"
  exit 1
fi
command -v debootstrap >/dev/null || { say "error: debootstrap not found (apt-get install debootstrap)"; exit 1; }

mkdir -p "$OUT_DIR"
# Two setups at once must not build twice or race on the rename.
exec 8>"$OUT_DIR/.lock"
flock 8
if [ -s "$ARCHIVE" ]; then say "built meanwhile by another setup"; echo "$ARCHIVE"; exit 0; fi

work="$(mktemp -d "$OUT_DIR/.build-XXXXXX")"
# debootstrap mounts /proc and /sys inside the root; never remove a tree with them still mounted.
cleanup() {
  grep -o " $work/[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m" || true; done
  grep -q " $work/" /proc/mounts || rm -rf "$work"
}
trap cleanup EXIT
started=$(date +%s)
root="$work/rootfs"
say "debootstrap $SUITE (minbase + $PACKAGES) from $MIRROR into $root"
if ! debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$root" "$MIRROR" >"$work/debootstrap.log" 2>&1; then
  tail -n 30 "$work/debootstrap.log" >&2
  say "error: debootstrap failed"
  exit 1
fi
# What a container needs none of: package caches and lists, documentation, locales but C.
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* \
  "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/var/log/* "$root"/tmp/*
find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'locale.alias' -exec rm -rf {} + 2>/dev/null || true
mkdir -p "$root/results"
chmod 1777 "$root/tmp"

# One layer, gzip-compressed here so Jib copies it as it is (it compresses an uncompressed one on
# every build). The layer leaves out the pseudo file systems a runtime mounts itself.
(cd "$root" && tar --numeric-owner --sort=name --mtime='2000-01-01 00:00:00Z' \
  --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -cf "$work/layer.tar" .)
diff_id="sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
gzip -n -1 "$work/layer.tar"
java_home="/usr/lib/jvm/java-17-openjdk-amd64"
cat >"$work/config.json" <<EOF
{"architecture":"amd64","os":"linux",
 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=$java_home","LANG=C.UTF-8"],
   "WorkingDir":"/"},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]},
 "history":[{"created_by":"debootstrap --variant=minbase --include=$PACKAGES $SUITE ($MIRROR), scripts/image-base.sh recipe $RECIPE"}]}
EOF
cat >"$work/manifest.json" <<EOF
[{"Config":"config.json","RepoTags":["llm-load-suite-base:$SUITE-jre17-r$RECIPE"],"Layers":["layer.tar.gz"]}]
EOF
(cd "$work" && tar -cf "$work/base.tar" manifest.json config.json layer.tar.gz)
mv -T "$work/base.tar" "$ARCHIVE"
say "built $ARCHIVE ($(du -h "$ARCHIVE" | cut -f1)) in $(( $(date +%s) - started ))s"
echo "$ARCHIVE"
