#!/usr/bin/python3
"""Independent oracle for `reseg schedule next` (README, "Schedules and the scheduler").

Each case is described by structured fields, not by reseg's text form:
the expected times come from dateutil.rrule over local wall times, turned
into instants by zoneinfo with fold=0 (a time in a gap moves forward by
the gap, a repeated time means its first occurrence), and for "every N
hours" from rrule over UTC (real elapsed time).  The schedule "is saved"
at --after: "every N hours" runs on the grid through the next start time
after saving, from its earliest point after saving;
"every N days/weeks" counts from the day of the nearest run after saving
(the first run of the same rule with N = 1).
"""
import os
import subprocess
import sys
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from dateutil import rrule

UTC = timezone.utc
WD = {"mon": rrule.MO, "tue": rrule.TU, "wed": rrule.WE, "thu": rrule.TH,
      "fri": rrule.FR, "sat": rrule.SA, "sun": rrule.SU}


def iso(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def first_day(c, tz, after, today, hh, mm):
    """The local day of the first run after `after` with an interval of 1."""
    start = datetime.combine(today, time(hh, mm))
    if c["freq"] == "daily":
        rule = rrule.rrule(rrule.DAILY, dtstart=start, count=8)
    else:
        rule = rrule.rrule(rrule.WEEKLY, dtstart=start, count=8,
                           byweekday=[WD[d] for d in c["days"]])
    for local in rule:
        if local.replace(tzinfo=tz, fold=0).astimezone(UTC) > after:
            return local.date()
    raise AssertionError("no first day")


def expected(c):
    tz = ZoneInfo(c["tz"])
    after = iso(c["after"])
    hh, mm = map(int, c["time"].split(":"))
    anchor = after.astimezone(tz).date()
    until = date.fromisoformat(c["until"]) if c.get("until") else None
    freq = c["freq"]
    n = c.get("interval", 1)
    if freq == "hourly":
        # The grid passes through the next start time after saving; the
        # first run is its earliest point after saving.
        pin = None
        for k in range(-1, 3):
            t = datetime.combine(anchor + timedelta(days=k), time(hh, mm))
            t = t.replace(tzinfo=tz, fold=0).astimezone(UTC)
            if t > after:
                pin = t
                break
        step = timedelta(hours=n)
        start = pin - ((pin - after - timedelta(seconds=1)) // step) * step
        end = None
        if until:
            end = datetime.combine(until + timedelta(days=1),
                                   time(0, 0)).replace(tzinfo=tz).astimezone(UTC)
        out = []
        for t in rrule.rrule(rrule.HOURLY, interval=n, dtstart=start):
            if end is not None and t >= end:
                break
            if t > after:
                out.append(t)
            if len(out) == c["count"]:
                break
        return out
    if freq in ("daily", "weekly") and n > 1:
        anchor = first_day(c, tz, after, anchor, hh, mm)
    dtstart = datetime.combine(anchor, time(hh, mm))
    kw = {"dtstart": dtstart}
    if until:
        kw["until"] = datetime.combine(until, time(23, 59, 59))
    if freq == "daily":
        rule = rrule.rrule(rrule.DAILY, interval=n, **kw)
    elif freq == "weekly":
        rule = rrule.rrule(rrule.WEEKLY, interval=n, wkst=rrule.MO,
                           byweekday=[WD[d] for d in c["days"]], **kw)
    elif freq == "monthly":
        md = [-1 if d == "last" else d for d in c["days"]]
        rule = rrule.rrule(rrule.MONTHLY, bymonthday=md, **kw)
    elif freq == "once":
        d = date.fromisoformat(c["date"])
        rule = [datetime.combine(d, time(hh, mm))]
    out = []
    for local in rule:
        t = local.replace(tzinfo=tz, fold=0).astimezone(UTC)
        if t > after:
            out.append(t)
        if len(out) == c["count"]:
            break
    return out


def text_of(c):
    f = c["freq"]
    n = c.get("interval", 1)
    if f == "daily":
        s = "daily" if n == 1 else "every %d days" % n
    elif f == "weekly":
        s = ("weekly on " if n == 1 else "every %d weeks on " % n) + \
            ",".join(c["days"])
    elif f == "monthly":
        s = "monthly on " + ",".join(str(d) for d in c["days"])
    elif f == "once":
        s = "once on " + c["date"]
    else:
        s = "every %d hours" % n
    s += (" from " if f == "hourly" else " at ") + c["time"] + " " + c["tz"]
    if c.get("until"):
        s += " until " + c["until"]
    return s


def C(freq, time_, tz, after, count, **kw):
    d = {"freq": freq, "time": time_, "tz": tz, "after": after,
         "count": count}
    d.update(kw)
    return d


NY, BER, LH = "America/New_York", "Europe/Berlin", "Australia/Lord_Howe"
CHA, KOL, SCL = "Pacific/Chatham", "Asia/Kolkata", "America/Santiago"
CASES = [
    # New York and Berlin gaps and overlaps in 2026
    C("daily", "02:30", NY, "2026-03-06T12:00:00Z", 4),
    C("daily", "01:30", NY, "2026-10-31T12:00:00Z", 3),
    C("daily", "01:30", NY, "2026-11-01T05:30:00Z", 2),
    C("weekly", "02:00", NY, "2026-03-01T00:00:00Z", 3, days=["sun"]),
    C("daily", "02:30", BER, "2026-03-28T00:00:00Z", 3),
    C("daily", "02:30", BER, "2026-10-24T00:00:00Z", 3),
    C("daily", "02:00", BER, "2026-10-24T00:00:00Z", 3),
    C("weekly", "02:30", NY, "2026-03-01T00:00:00Z", 6, days=["mon", "thu"]),
    # Lord Howe: 30-minute changes
    C("daily", "02:15", LH, "2026-10-02T00:00:00Z", 3),
    C("daily", "01:45", LH, "2026-04-03T00:00:00Z", 3),
    C("hourly", "12:00", LH, "2026-10-02T00:00:00Z", 5, interval=12),
    # Chatham: +13:45 / +12:45
    C("daily", "09:00", CHA, "2026-01-01T00:00:00Z", 3),
    C("daily", "02:45", CHA, "2026-09-25T00:00:00Z", 4),
    C("monthly", "23:30", CHA, "2026-02-01T00:00:00Z", 3, days=["last"]),
    C("once", "00:30", CHA, "2028-02-28T00:00:00Z", 2, date="2028-02-29"),
    # Kolkata
    C("hourly", "00:00", KOL, "2026-06-01T00:00:00Z", 5, interval=6),
    C("daily", "23:59", KOL, "2026-12-30T00:00:00Z", 3),
    C("weekly", "18:00", KOL, "2026-06-01T00:00:00Z", 4, interval=2,
      days=["fri"]),
    # Santiago: the gap is at midnight
    C("daily", "00:30", SCL, "2026-09-04T00:00:00Z", 4),
    C("daily", "00:00", SCL, "2026-09-04T12:00:00Z", 3),
    C("daily", "23:30", SCL, "2026-04-03T00:00:00Z", 3),
    C("weekly", "00:15", SCL, "2026-09-01T00:00:00Z", 4, days=["sat", "sun"]),
    # Day 31 and last across short months
    C("monthly", "08:00", BER, "2026-01-01T00:00:00Z", 5, days=[31]),
    C("monthly", "08:00", BER, "2026-01-01T00:00:00Z", 5, days=["last"]),
    C("monthly", "12:00", "UTC", "2027-01-15T00:00:00Z", 6, days=[29, 30, 31]),
    C("monthly", "08:00", BER, "2026-03-10T00:00:00Z", 6,
      days=[1, 15, "last"]),
    C("monthly", "00:00", "UTC", "2028-01-31T00:00:00Z", 3, days=[30, "last"]),
    # Once on a leap day
    C("once", "10:00", "UTC", "2026-06-01T00:00:00Z", 2, date="2028-02-29"),
    # Every 3 days across a DST change
    C("daily", "06:30", BER, "2026-03-22T12:00:00Z", 5, interval=3),
    C("daily", "02:30", NY, "2026-03-02T00:00:00Z", 5, interval=3),
    C("daily", "01:30", NY, "2026-10-27T00:00:00Z", 5, interval=3),
    # The first run of every N days/weeks is the nearest one after saving
    C("daily", "06:30", "UTC", "2026-11-28T12:00:00Z", 3, interval=3),
    C("daily", "13:30", "UTC", "2026-11-28T12:00:00Z", 3, interval=3),
    C("weekly", "18:00", "UTC", "2026-11-28T12:00:00Z", 3, interval=2,
      days=["fri"]),
    C("weekly", "18:00", "UTC", "2026-11-28T12:00:00Z", 4, interval=2,
      days=["mon", "sat"]),
    C("weekly", "02:30", NY, "2026-03-07T12:00:00Z", 3, interval=3,
      days=["sun"]),
    # Every N hours in elapsed time across a gap
    C("hourly", "01:00", NY, "2026-03-07T12:00:00Z", 6, interval=5),
    # Every N hours pinned to the next start time after saving: N not
    # dividing a day, saved before and after the start time, across DST
    C("hourly", "08:00", "UTC", "2026-06-01T07:50:00Z", 5, interval=7),
    C("hourly", "08:00", "UTC", "2026-06-01T10:00:00Z", 5, interval=7),
    C("hourly", "08:00", "UTC", "2026-06-01T08:00:00Z", 3, interval=7),
    C("hourly", "08:00", "UTC", "2026-06-01T09:00:00Z", 3, interval=36),
    C("hourly", "08:00", BER, "2026-03-28T06:50:00Z", 8, interval=5),
    C("hourly", "08:00", BER, "2026-03-28T08:00:00Z", 8, interval=5),
    C("hourly", "02:30", NY, "2026-03-07T12:00:00Z", 5, interval=7),
    C("hourly", "02:30", NY, "2026-10-31T12:00:00Z", 5, interval=7),
    C("hourly", "01:30", NY, "2026-11-01T04:00:00Z", 5, interval=11),
    C("hourly", "23:00", BER, "2026-11-29T00:03:00Z", 4, interval=5),
    C("hourly", "02:15", LH, "2026-10-03T16:00:00Z", 4, interval=9),
    # Until boundaries
    C("daily", "09:00", "Europe/Moscow", "2026-06-01T00:00:00Z", 10,
      until="2026-06-03"),
    C("daily", "23:59", NY, "2026-06-01T12:00:00Z", 10, until="2026-06-03"),
    C("hourly", "03:00", BER, "2026-03-28T00:00:00Z", 20, interval=6,
      until="2026-03-29"),
    C("daily", "02:30", NY, "2026-03-07T12:00:00Z", 5, until="2026-03-08"),
    C("daily", "00:00", "UTC", "2026-12-31T23:59:59Z", 2),
]


def main():
    reseg = os.environ.get("RESEG", "reseg")
    failed = 0
    for c in CASES:
        text = text_of(c)
        want = [t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in expected(c)]
        p = subprocess.run([reseg, "schedule", "next", text, "--after",
                            c["after"], "--count", str(c["count"])],
                           capture_output=True, text=True)
        got = p.stdout.split()
        if p.returncode != 0 or got != want:
            failed += 1
            print("FAIL: %s --after %s\n  want %s\n  got  %s %s" %
                  (text, c["after"], want, got, p.stderr.strip()))
        else:
            print("ok: %s --after %s (%d)" % (text, c["after"], len(want)))
    print("%d cases, %d failed" % (len(CASES), failed))
    return 1 if failed or len(CASES) < 30 else 0


if __name__ == "__main__":
    sys.exit(main())
