# Every screen of the UI at 80x24, walked the same way in each language
# (sourced by tests/screen/all_en.sh and all_ru.sh after lib.sh; the
# inventory is in HACKING, "Screen tests").  Each walk leaves its dumps,
# named as in the inventory, in the current directory.  Typed words that
# pick a translated entry come from the caller: FILE_ITEM (the import
# box's file entry) and EVENT_ITEM (the field picker's event entry).
: "${FILE_ITEM:?}" "${EVENT_ITEM:?}"

# The demo store, a scenario using one segment (the Dependents block and
# the scenario picker), a second database (the copy picker) and a static
# segment to copy into (the static segments picker).
walk_store()
{
	demo
	R object add scenario Welcome --segment 'Big spenders' >/dev/null ||
	    fail "object add"
	R db create small --fields 'email:string,city:string' >/dev/null ||
	    fail "db create small"
}

# The list and what it opens over itself.
walk_list()
{
	ui <<'EOF'
dump list
key ?
dump help
key Esc /
type test
dump filter
key Esc Down Down Down Down Down u
dump bulk
key Esc x
dump export
key Esc C
dump clone
key Esc A
dump scenario
key Esc c
dump copy
key Esc b
dump copy-db
key Esc d
dump delete
key n
EOF
}

# A segment's page: its five blocks, their questions, the schedule part
# (S) and the form (e) opened from it, a manual recalculation.
walk_page()
{
	ui <<'EOF'
key Down Down Enter
dump page
key D
dump cond-delete
key n X
dump export-history
key Esc Tab
dump profiles
key /
dump find-key
key Esc Tab
dump history
key a
dump chart
key v
dump chart-changes
key v
key P
dump period
key Esc Tab
dump log
key Tab
dump deps
key S
dump reconfigure
key Esc e
dump edit
key Esc r
dump recalc
wait
key q Home Down Down Down Enter Tab -
dump remove
key Esc +
dump add
key Esc Tab Tab Tab
dump deps-none
key q
EOF
}

# The form: the tree, its pickers, the schedule part, the zone picker,
# the script editor, the preview, the import box and its questions.
walk_form()
{
	ui <<'EOF'
key i
dump form
key ^S
dump no-name
wait
type Form test
key Tab Enter
dump db-picker
key Esc Tab Tab ^N
dump field-picker
type country
key Enter
dump op-picker
type in
key Enter
type RU, KZ
key Enter
dump tree
key Tab Backspace
type 50
key Tab Tab Space Tab
type 100
key Tab Space
dump sched
key Tab Tab Enter
dump tz-picker
type york
key Enter
dump tz-picked
key Tab Right
dump sched-once
key Right
dump sched-weekly
key Right
dump sched-monthly
key Right
dump sched-hours
key Right F3
dump as-script
key End
type  and
key F3
dump script-error
key Backspace Backspace Backspace Backspace F9
dump preview
key ^R
dump import
EOF
	ui <<EOF
key i ^R
type $FILE_ITEM
key Enter
dump import-file
key Esc Esc Esc y
EOF
	ui <<'EOF'
key i
type Form test
key Tab Tab Tab ^N
type country
key Enter
type in
key Enter
type RU, KZ
key Enter
key ^X
dump delete-all
key n Esc
dump discard
key n F10
dump quit
key n
EOF
}

# The event condition editor, over a database with events.
walk_events()
{
	R db create shop --fields email:string,country:string \
	    --event-fields amount:float,sku:string,mailing:string >/dev/null ||
	    fail "db create shop"
	R db import shop "$top_srcdir/tests/data/shop-people.csv" >/dev/null ||
	    fail "db import shop"
	R events import shop "$top_srcdir/tests/data/shop-events.csv" \
	    >/dev/null || fail "events import shop"
	ui <<EOF
key i
type Buyers
key Tab Enter
type shop
key Enter Tab Tab ^N
type $EVENT_ITEM
key Enter
dump ev-test
key Enter
dump ev-name
type purch
key Enter Down Enter
type amount
key Enter
type >
key Enter
type 100
key Enter
dump ev-filters
key Esc Esc Esc Esc y
EOF
}

# A damaged record, a stale schedule and an empty store, each in a store
# of its own (the current one is moved aside).
walk_states()
{
	mv store demo-store
	R db create shop --fields 'email:string,n:int' >/dev/null ||
	    fail "db create"
	printf 'email,n\na@x.org,1\nb@x.org,2\n' >p.csv
	R db import shop p.csv >/dev/null || fail "db import"
	R segment create weekly --db shop --where 'n >= 1' \
	    --schedule 'weekly on sun at 11:00 UTC' >/dev/null ||
	    fail "create weekly"
	R segment create broken --db shop --where 'n >= 2' >/dev/null ||
	    fail "create broken"
	"$DAMAGE" store segment broken '{"id": 2, "na' || fail "damage"
	R segment create once --db shop --where 'n >= 1' \
	    --schedule 'once on 2026-11-29 at 10:00 UTC' >/dev/null ||
	    fail "create once"
	RESEG_NOW=2026-11-29T10:05:00Z R segment recalc once >/dev/null ||
	    fail "recalc once"
	# Opened on Tuesday 12:00: Sunday's 11:00 slot is 49 hours old; the
	# once schedule ran on Sunday and is over.
	RESEG_NOW=2026-12-01T12:00:00Z ui <<'EOF'
dump states
key Enter
dump damaged
wait
key Down Enter
dump ended
key q Down Enter
dump stale
key q
EOF
	rm -rf store
	ui <<'EOF'
dump empty
key i
dump empty-form
EOF
	rm -rf store
	mv demo-store store
}
