#!/bin/sh
# The layering rules of doc/architecture.md hold on the source tree:
# tools/layercheck lists every violation and fails when there is one.
# A second run on a tree with a planted violation proves it can fail.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
if ! out=$(python3 "$top_srcdir/tools/layercheck" "$top_srcdir/src"); then
	echo "$out"
	echo "FAIL: layering rules broken (doc/architecture.md)"
	exit 1
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cp -R "$top_srcdir/src" "$TMP/src"
# Each planted violation must be reported with its own message.
plant() {
	file=$1 line=$2 want=$3
	cp -R "$top_srcdir/src/." "$TMP/src/"
	printf "%s\n" "$line" >> "$TMP/src/$file"
	if out=$(python3 "$top_srcdir/tools/layercheck" "$TMP/src"); then
		echo "FAIL: layercheck missed: $line in $file"
		exit 1
	fi
	case $out in
	*"$want"*) ;;
	*) echo "FAIL: for $line in $file, expected '$want', got:"
	   echo "$out"
	   exit 1 ;;
	esac
}
plant tui/draw.c '#include "cli/cli.h"' 'cli and tui never include each other'
plant cli/cli.c '#include "tui.h"' 'cli and tui never include each other'
plant engine/ops/segops.c '#include <lmdb.h>' 'only src/engine/store/store.c may'
plant engine/model/segment.c '#include <curses.h>' 'only src/tui may include curses'
plant base/util.c '#include "pdb.h"' 'from the higher layer engine/store'
plant engine/store/pdb.c 'static const char *x = "use --force";' 'engine string names the option --force'
plant engine/store/schema.c '#include "pdb.h"' 'include cycle'
echo "layers: ok"
