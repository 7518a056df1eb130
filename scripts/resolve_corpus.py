#!/usr/bin/env python3
"""Writes tests/data/resolve_corpus.tsv: English date, time and number expressions with their
expected values at fixed reference times, computed here independently of the Rust resolvers
from the conventions documented in src/resolve/date.rs (Duckling's):

- a bare or "this" weekday is the next such day after today, but "this <day>" said on that day
  is today; "next <day>" and "<day> next week" are that day of next week (weeks start on
  Monday; "nxt" is "next"), "<day> after next" that of the week after; "last <day>" the previous such day
  before today; "tmr" and "tomorow" are tomorrow; a fortnight is two weeks;
- a date without a year is the next one that is not in the past;
- an hour of 1 to 12 without am, pm or a part of the day is the first of its two readings
  (morning, evening) that is not past on its day: at 10:00 "at 8" is 20:00, "tomorrow at 8"
  08:00; once both are past, the morning one; an hour written with two digits ("08:00") is
  on the 24-hour clock;
- "in 20 minutes", "in an hour", "now" count from the reference time;
- a month named alone ("in december") is its days, the next such month that is not over; the
  current one starts today;
- a part of the day alone ("in the morning", "the evening") is the next one, today's until it
  is over;
- a day word one letter off, or with two letters swapped, is that word ("thrusday",
  "tomorrw"), as are "tonite" and "tmw"; "7 30", "730" and "1930" are times.

Run: python3 scripts/resolve_corpus.py > tests/data/resolve_corpus.tsv
"""
import datetime as dt
import json

REFERENCES = [
    # local reference time, IANA zone: chosen for a Monday, a year end where UTC is already in
    # the next year, a month end, and the day before a leap day.
    ("2026-11-23T10:00", "Europe/Oslo"),
    ("2026-12-31T23:30", "America/New_York"),
    ("2026-01-31T12:00", "Asia/Tokyo"),
    ("2028-02-28T09:00", "UTC"),
]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 7: "seven", 10: "ten",
                12: "twelve", 20: "twenty", 25: "twenty five", 42: "forty-two"}


def ordinal(n):
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def iso(d):
    return d.strftime("%Y-%m-%d")


def next_not_past(today, month, day):
    for year in range(today.year, today.year + 9):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    return None


def first_not_past(now, day, hour, minute):
    """The first reading of an ambiguous hour (hour in 1..12) not yet past on `day`."""
    readings = sorted(dt.datetime.combine(day, dt.time((hour % 12 + extra) % 24, minute))
                      for extra in (0, 12))
    chosen = next((r for r in readings if r >= now), readings[0])
    return chosen.strftime("%H:%M")


def rows():
    for now, zone in REFERENCES:
        moment = dt.datetime.fromisoformat(now)
        today = moment.date()
        out = []
        add = lambda entity, text, value: out.append((now, zone, entity, text, value))
        add("date", "today", iso(today))
        add("date", "tomorrow", iso(today + dt.timedelta(1)))
        add("date", "tmr", iso(today + dt.timedelta(1)))
        add("date", "tomorow", iso(today + dt.timedelta(1)))
        add("date", "tomorrw", iso(today + dt.timedelta(1)))
        add("date", "tmw", iso(today + dt.timedelta(1)))
        add("date", "yesterday", iso(today - dt.timedelta(1)))
        add("date", "the day after tomorrow", iso(today + dt.timedelta(2)))
        # Parts of a day: morning 06-12, afternoon 12-18, evening and night 18-24.
        tomorrow = iso(today + dt.timedelta(1))
        add("date", "tonight", {"from": iso(today) + "T18:00", "to": iso(today) + "T23:59"})
        add("date", "tonite", {"from": iso(today) + "T18:00", "to": iso(today) + "T23:59"})
        add("date", "this morning", {"from": iso(today) + "T06:00", "to": iso(today) + "T11:59"})
        add("date", "tomorrow morning", {"from": tomorrow + "T06:00", "to": tomorrow + "T11:59"})
        add("date", "tomorrow afternoon", {"from": tomorrow + "T12:00", "to": tomorrow + "T17:59"})
        # A part of the day alone is the next one: today's until it is over.
        for text, start, end in [("in the morning", 6, 12), ("the evening", 18, 24),
                                 ("afternoon", 12, 18)]:
            day = iso(today if moment.hour < end else today + dt.timedelta(1))
            add("date", text, {"from": f"{day}T{start:02}:00", "to": f"{day}T{end - 1:02}:59"})
        monday = today - dt.timedelta(today.weekday())
        for i, name in enumerate(WEEKDAYS):
            ahead = (i - today.weekday()) % 7 or 7
            behind = (today.weekday() - i) % 7 or 7
            for text in (name, f"on {name}", name[:3]):
                add("date", text, iso(today + dt.timedelta(ahead)))
            add("date", f"this {name}", iso(today + dt.timedelta((i - today.weekday()) % 7)))
            add("date", f"next {name}", iso(monday + dt.timedelta(7 + i)))
            add("date", f"nxt {name}", iso(monday + dt.timedelta(7 + i)))
            add("date", f"{name} next week", iso(monday + dt.timedelta(7 + i)))
            add("date", f"{name} after next", iso(monday + dt.timedelta(14 + i)))
            add("date", f"last {name}", iso(today - dt.timedelta(behind)))
            # One letter off, or two swapped: "thrusday".
            add("date", name[:2] + name[3] + name[2] + name[4:], iso(today + dt.timedelta(ahead)))
        for n, word in NUMBER_WORDS.items():
            if n > 20:
                continue
            add("date", f"in {n} days", iso(today + dt.timedelta(n)))
            add("date", f"in {word} days", iso(today + dt.timedelta(n)))
            add("date", f"{n} days from now", iso(today + dt.timedelta(n)))
            add("date", f"{n} days ago", iso(today - dt.timedelta(n)))
        for n in (1, 2, 3):
            add("date", f"in {NUMBER_WORDS[n]} weeks" if n > 1 else "in a week", iso(today + dt.timedelta(7 * n)))
        add("date", "a week ago", iso(today - dt.timedelta(7)))
        add("date", "in a fortnight", iso(today + dt.timedelta(14)))
        # Intervals: weeks run Monday to Sunday; one already begun starts today.
        for text, first, last in (("this weekend", 5, 6), ("next weekend", 12, 13), ("this week", 0, 6), ("next week", 7, 13)):
            start = max(monday + dt.timedelta(first), today)
            add("date", text, {"from": iso(start), "to": iso(monday + dt.timedelta(last))})
        # A month named alone is the next one not yet over; the current one from today.
        for month in (1, 2, 5, 11, 12):
            year = today.year + (month < today.month)
            first = dt.date(year, month, 1)
            end = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(1))
            add("date", f"in {MONTHS[month - 1]}", {"from": iso(max(first, today)), "to": iso(end)})
        for month, day in ((12, 3), (1, 1), (2, 29), (3, 14), (11, 23), (12, 31)):
            expected = next_not_past(today, month, day)
            name = MONTHS[month - 1]
            add("date", f"{name} {ordinal(day)}", iso(expected))
            add("date", f"{day} {name}", iso(expected))
            add("date", f"the {ordinal(day)} of {name}", iso(expected))
            add("date", f"{name[:3]} {day}", iso(expected))
        for year, month, day in ((2027, 12, 3), (2028, 2, 29), (2030, 7, 4)):
            name = MONTHS[month - 1]
            add("date", f"{name[:3]} {day} {year}", iso(dt.date(year, month, day)))
            add("date", f"{day} {name} {year}", iso(dt.date(year, month, day)))
            add("date", f"{year}-{month:02}-{day:02}", iso(dt.date(year, month, day)))
            add("date", f"{day}/{month}/{year}", iso(dt.date(year, month, day)))
        for name, offset in (("friday", None), ("tomorrow", 1)):
            base = today + dt.timedelta(offset) if offset else today + dt.timedelta((4 - today.weekday()) % 7 or 7)
            add("date", f"{name} at 5pm", iso(base) + "T17:00")
            add("date", f"{name} at noon", iso(base) + "T12:00")
            add("date", f"{name} at 7:30 pm", iso(base) + "T19:30")
            add("date", f"{name} at 8", iso(base) + "T" + first_not_past(moment, base, 8, 0))
        # Hours without am or pm, said at the reference time.
        for text, hour, minute in (("8", 8, 0), ("at 8", 8, 0), ("around 11", 11, 0),
                                   ("by 6", 6, 0), ("at 12", 12, 0), ("8 o'clock", 8, 0),
                                   ("half past 7", 7, 30), ("quarter past 9", 9, 15),
                                   ("quarter to 8", 7, 45), ("quarter to 1", 12, 45),
                                   ("at 9:30", 9, 30), ("10:05", 10, 5), ("half past seven", 7, 30),
                                   ("at eight", 8, 0), ("eleven o'clock", 11, 0), ("at 7.30", 7, 30),
                                   ("eight thirty", 8, 30), ("at 7 30", 7, 30), ("730", 7, 30)):
            add("time", text, first_not_past(moment, today, hour, minute))
        add("time", "tomorrow at 8", tomorrow + "T" + first_not_past(moment, today + dt.timedelta(1), 8, 0))
        # Moments counted from the reference time: a time of day, or a date and time on
        # another day.
        for text, minutes in (("in 20 minutes", 20), ("in an hour", 60), ("in half an hour", 30),
                              ("in two hours", 120), ("now", 0)):
            moment = dt.datetime.fromisoformat(now) + dt.timedelta(minutes=minutes)
            pattern = "%H:%M" if moment.date() == today else "%Y-%m-%dT%H:%M"
            add("time", text, moment.strftime(pattern))
        add("time", "8 tonight", "20:00")
        add("time", "7 this evening", "19:00")
        add("date", "this evening at 7", iso(today) + "T19:00")
        add("time", "at 8 in the morning", "08:00")
        add("time", "at 8 in the evening", "20:00")
        yield from out
    now, zone = REFERENCES[0]
    for text, value in (("5pm", "17:00"), ("5 pm", "17:00"), ("17:30", "17:30"), ("7:30 pm", "19:30"),
                        ("noon", "12:00"), ("midnight", "00:00"), ("seven pm", "19:00"),
                        ("at 6am", "06:00"), ("12pm", "12:00"), ("12am", "00:00"), ("0:30", "00:30"),
                        ("at 21", "21:00"), ("11 pm", "23:00"), ("7.30pm", "19:30"), ("6 a.m.", "06:00"),
                        ("08:00", "08:00"), ("20h", "20:00"), ("8h", "08:00"),
                        ("8h30", "08:30"), ("about 8pm", "20:00"), ("at 09:30", "09:30"), ("9:30", "21:30"),
                        ("730pm", "19:30"), ("1930", "19:30"), ("19:30h", "19:30"), ("1130am", "11:30")):
        yield (now, zone, "time", text, value)
    for text, value in (("4", 4), ("2.5", 2.5), ("a dozen", 12), ("twenty five", 25), ("forty-two", 42),
                        ("one hundred and five", 105), ("3rd", 3), ("third", 3), ("twelfth", 12),
                        ("a couple", 2), ("two thousand", 2000), ("zero", 0), ("seventeen", 17),
                        ("ninety nine", 99), ("21st", 21)):
        yield (now, zone, "number", text, value)


if __name__ == "__main__":
    print("# now\ttz\tentity\ttext\texpected slot value (JSON); generated by scripts/resolve_corpus.py")
    for now, zone, entity, text, value in rows():
        expected = json.dumps(value, separators=(",", ":"))
        print(f"{now}\t{zone}\t{entity}\t{text}\t{expected}")
