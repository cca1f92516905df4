#!/usr/bin/env python3
# The data of the events oracle test (tests/events_oracle.sh): profiles and
# their events, written into a directory.  Deterministic (its own LCG seeded
# from the command line, no random module), standard library only.
#
#   events-gen.py DIR [SEED]   writes DIR/profiles.csv (for reseg and sqlite3),
#                              DIR/events.jsonl (every event has an event_id;
#                              one line is repeated), DIR/events-noid.jsonl
#                              (events without an event_id) for reseg, and
#                              DIR/events.csv (each stored event once, times
#                              as UTC seconds) for sqlite3
#   events-gen.py --fields     the profile fields (reseg db create --fields)
#   events-gen.py --event-fields
#   events-gen.py --day TZ DATE  the UTC seconds of DATE's local midnight in
#                              TZ and of the next day's: "LO HI" (a local
#                              date D is LO <= t < HI)
#
# Times spread over the 400 days before NOW, plus events exactly at the
# edges of the windows the test uses: now - N days (in) and one second
# before (out), local midnights in Europe/Berlin around its DST changes
# (2025-10-26, 2026-03-29, 2026-10-25) and in UTC, each in a profile of its
# own so that one condition decides on one event.
import datetime
import json
import os
import sys
import zoneinfo

FIELDS = "email:string,country:string,age:int"
EVENT_FIELDS = "amount:float,sku:string,mailing:string"
NOW = 1795867200                        # 2026-11-28T12:00:00Z (RESEG_NOW)
DAY = 86400

state = 0


def rnd(n):
    global state
    state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
    return (state >> 33) % n


def pick(xs):
    return xs[rnd(len(xs))]


def local_midnight(tz, d):
    dt = datetime.datetime(d.year, d.month, d.day,
                           tzinfo=zoneinfo.ZoneInfo(tz))
    return int(dt.timestamp())


def day_bounds(tz, text):
    d = datetime.date.fromisoformat(text)
    return (local_midnight(tz, d),
            local_midnight(tz, d + datetime.timedelta(days=1)))


OFFSETS = [0, 0, 0, 0, 3 * 3600, -5 * 3600, 5 * 3600 + 1800]


def iso(t):
    """t as ISO 8601, mostly in UTC, sometimes with an offset."""
    off = pick(OFFSETS)
    if off == 0:
        return datetime.datetime.fromtimestamp(
            t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    tz = datetime.timezone(datetime.timedelta(seconds=off))
    return datetime.datetime.fromtimestamp(t, tz).isoformat()


COUNTRIES = ["DE", "RU", "US", "FR", ""]
SKUS = ["TV-100", "TV-200", "tv-mini", "PHONE-1", "PHONE-2", "CABLE",
        "LAPTOP-X"]
MAILINGS = ["Black Friday", "Spring Sale", "Welcome", "black friday",
            "Newsletter 42"]

# Edge events: (label, time); each goes to profiles edge-LABEL@x alone.
EDGE_DATES = ["2025-10-26", "2025-10-27", "2026-03-28", "2026-03-29",
              "2026-03-30", "2026-10-25", "2026-10-26"]


def edges():
    out = []
    for n in (1, 7, 30, 90, 365):
        out.append(("d%d-at" % n, NOW - n * DAY))
        out.append(("d%d-before" % n, NOW - n * DAY - 1))
    for h in (1, 24, 48):
        out.append(("h%d-at" % h, NOW - h * 3600))
        out.append(("h%d-before" % h, NOW - h * 3600 - 1))
    out.append(("now", NOW))
    out.append(("future", NOW + 1))
    for d in EDGE_DATES:
        for tz, tag in (("Europe/Berlin", "ber"), ("UTC", "utc")):
            lo, _ = day_bounds(tz, d)
            out.append(("%s-%s-mid" % (tag, d), lo))
            out.append(("%s-%s-mid-1s" % (tag, d), lo - 1))
    return out


class Out:
    def __init__(self, d):
        self.jsonl = open(os.path.join(d, "events.jsonl"), "w")
        self.noid = open(os.path.join(d, "events-noid.jsonl"), "w")
        self.csv = open(os.path.join(d, "events.csv"), "w")
        self.csv.write("key,event,t,event_id,amount,sku,mailing\n")
        self.n = 0
        self.last = None

    def event(self, key, name, t, props, with_id=True):
        obj = {"key": key, "event": name, "time": iso(t)}
        eid = ""
        if with_id:
            self.n += 1
            eid = "ev%05d" % self.n
            obj["event_id"] = eid
        obj.update(props)
        line = json.dumps(obj, ensure_ascii=False) + "\n"
        (self.jsonl if with_id else self.noid).write(line)
        if with_id and rnd(200) == 0:
            self.jsonl.write(line)      # the same event twice: stored once
        row = [key, name, str(t), eid]
        for f in ("amount", "sku", "mailing"):
            v = props.get(f)
            row.append("" if v is None else
                       ("%.2f" % v if f == "amount" else v))
        self.csv.write(",".join(row) + "\n")


def purchase_props():
    p = {}
    if rnd(30) != 0:
        p["amount"] = (1 + rnd(2000)) / 4.0      # exact in binary
    if rnd(20) != 0:
        p["sku"] = pick(SKUS)
    return p


def main(d, seed):
    global state
    state = seed
    os.makedirs(d, exist_ok=True)
    prof = open(os.path.join(d, "profiles.csv"), "w")
    prof.write("email,country,age\n")
    out = Out(d)

    def profile(key):
        age = "" if rnd(10) == 0 else str(18 + rnd(60))
        prof.write("%s,%s,%s\n" % (key, pick(COUNTRIES), age))

    for i in range(500):
        key = "p%03d@x" % i
        profile(key)
        if i % 8 == 3:
            continue                    # no events at all
        start = NOW - 400 * DAY
        for _ in range(rnd(13) if rnd(4) else 0):
            out.event(key, "purchase", start + rnd(400 * DAY),
                      purchase_props())
        for _ in range(rnd(20)):
            t = start + rnd(400 * DAY)
            m = pick(MAILINGS)
            props = {"mailing": m} if rnd(25) else {}
            out.event(key, "email_open", t, props)
            if rnd(3) == 0:
                out.event(key, "email_click", t + rnd(3 * DAY), props)
        for _ in range(rnd(25) if rnd(3) else 0):
            out.event(key, "login", start + rnd(400 * DAY), {})
        if i % 10 == 7:
            out.event(key, pick(["login", "purchase"]),
                      start + rnd(400 * DAY),
                      {"amount": 5.0, "sku": "NOID"}, with_id=False)
    for label, t in edges():
        key = "edge-%s@x" % label
        profile(key)
        out.event(key, "purchase", t, {"amount": 100.0, "sku": "EDGE"})
    # "opened but did not click": the same mailing, and another one
    for i, (opened, clicked) in enumerate([
            ("Black Friday", None), ("Black Friday", "Black Friday"),
            ("Black Friday", "Spring Sale"), (None, "Black Friday")]):
        key = "bf%d@x" % i
        profile(key)
        if opened:
            out.event(key, "email_open", NOW - 5 * DAY, {"mailing": opened})
        if clicked:
            out.event(key, "email_click", NOW - 4 * DAY, {"mailing": clicked})


if __name__ == "__main__":
    a = sys.argv[1:]
    if a == ["--fields"]:
        print(FIELDS)
    elif a == ["--event-fields"]:
        print(EVENT_FIELDS)
    elif len(a) == 3 and a[0] == "--day":
        print("%d %d" % day_bounds(a[1], a[2]))
    elif len(a) in (1, 2) and not a[0].startswith("-"):
        main(a[0], int(a[1]) if len(a) == 2 else 20261128)
    else:
        sys.exit("usage: events-gen.py DIR [SEED] | --fields | "
                 "--event-fields | --day TZ DATE")
