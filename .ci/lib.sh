# SPDX-License-Identifier: Apache-2.0
# Shell shared by the CI scripts that build Debian packages in cached roots (.ci/trixie,
# .ci/cross). Sourced, not run; the sourcing script sets `say` and `die` and `set -euo pipefail`.

# The mirror this machine's apt already uses for PATH_SUFFIX (debian or debian-security), from
# deb822 or one-line sources; deb.debian.org when it names none.
host_uri() {  # PATH_SUFFIX
    local uri
    uri=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' |
          grep -E "/$1/?\$" | head -n1 || true)
    [ -n "$uri" ] || uri=$(grep -hsE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list |
                           awk '{print $2}' | grep -E "/$1/?\$" | head -n1 || true)
    echo "${uri:-http://deb.debian.org/$1}"
}

# Copies the working tree REPO to DEST (emptied first) as it is, uncommitted work included,
# without build trees, VCS data and what a previous package build left in debian/.
copy_tree() {  # REPO DEST
    rm -rf "$2"
    mkdir -p "$2"
    tar -C "$1" --exclude=./.git --exclude='./build*' --exclude=./.cache --exclude='./obj-*' \
        --exclude=__pycache__ --exclude=./compile_commands.json --exclude=./debian/piogate \
        --exclude=./debian/.debhelper --exclude=./debian/files --exclude='./debian/*.substvars' \
        --exclude=./debian/debhelper-build-stamp -cf - . | tar -C "$2" -xf -
}

# lintian on CHANGES (the host's lintian, as user nobody: lintian warns against root). Errors
# fail; warnings and the rest are listed. LOG keeps the output.
lint_changes() {  # CHANGES LOG
    command -v lintian >/dev/null || { say "lintian not installed: skipped"; return 0; }
    local rc=0
    timeout 600 setpriv --reuid=nobody --regid=nogroup --clear-groups -- env HOME=/tmp \
        lintian --fail-on error --tag-display-limit 0 "$1" >"$2" 2>&1 || rc=$?
    if [ -s "$2" ]; then sed 's/^/  /' "$2"; else say "lintian $(basename "$1"): no tags"; fi
    [ "$rc" = 0 ] || die "lintian reported errors on $(basename "$1") (or failed, exit $rc)"
}

# The known output folder: build/debs/SUITE/ in the checkout REPO holds every .deb CI built for
# SUITE (all architectures side by side). Replaces the piogate .debs of ARCH there with DEBS.
publish_debs() {  # REPO SUITE ARCH DEB...
    local out=$1/build/debs/$2 arch=$3
    shift 3
    mkdir -p "$out"
    rm -f "$out"/*_"$arch".deb
    cp "$@" "$out/"
    say "copied to build/debs/$(basename "$out")/: $(cd "$out" && ls -- *_"$arch".deb | tr '\n' ' ')"
}

# The changelog a SUITE build uses, written to DEST from the checkout's SRC: bookworm's as it is;
# trixie's with an entry VERSION+deb13u1 on top. The same version cannot be in two suites of one
# apt repository with different contents, and the suffix sorts above bookworm's VERSION, so an
# upgrade from Debian 12 to 13 takes the trixie build.
suite_changelog() {  # SUITE SRC DEST
    case $1 in
        bookworm) [ "$2" -ef "$3" ] || cp "$2" "$3" ;;
        trixie)
            # Plain assignments, so that set -e stops on a failure (dpkg-parsechangelog is in
            # dpkg-dev: bash .ci/deps).
            local version maintainer when text
            version=$(dpkg-parsechangelog -l "$2" -SVersion)
            maintainer=$(dpkg-parsechangelog -l "$2" -SMaintainer)
            when=$(date -R)  # lintian: the newest entry needs a date of its own
            text=$(cat "$2")
            {
                printf 'piogate (%s+deb13u1) trixie; urgency=medium\n\n' "$version"
                printf '  * Rebuild for Debian 13 (trixie): libgpiod 2.x backend.\n\n'
                printf ' -- %s  %s\n\n' "$maintainer" "$when"
                printf '%s\n' "$text"
            } >"$3"
            ;;
        *) die "no changelog rule for suite '$1'" ;;
    esac
}
