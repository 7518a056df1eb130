//! Places: a gazetteer of world cities (population over 15,000) and countries from GeoNames,
//! with their common alternate names ("München" and "Munchen" are Munich), loaded once.
//! Built by scripts/build_gazetteer.py; source and licence in GAZETTEER.md.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

const DATA: &str = include_str!("gazetteer.tsv");

/// Abbreviations people type that GeoNames does not list.
const ABBREVIATIONS: [(&str, &str); 9] = [
    ("nyc", "New York City"),
    ("la", "Los Angeles"),
    ("sf", "San Francisco"),
    ("dc", "Washington"),
    ("uk", "United Kingdom"),
    ("us", "United States"),
    ("usa", "United States"),
    ("uae", "United Arab Emirates"),
    ("rio", "Rio de Janeiro"),
];

/// A city or a country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    /// Canonical name.
    pub name: String,
    /// Country name (the place itself for a country).
    pub country: String,
    /// `city` or `country`.
    pub kind: String,
}

/// Every known place by folded name.
pub struct Gazetteer {
    places: Vec<Place>,
    by_name: HashMap<String, usize>,
}

/// Lower-cases, strips accents and joins words with single spaces, as the gazetteer's keys are.
pub fn fold(text: &str) -> String {
    let stripped: String = text.nfkd().filter(|c| !is_combining_mark(*c)).collect();
    stripped
        .to_lowercase()
        .replace('-', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The gazetteer, parsed on first use.
pub fn gazetteer() -> &'static Gazetteer {
    static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
    GAZETTEER.get_or_init(Gazetteer::load)
}

impl Gazetteer {
    /// Parses the bundled data (use [`gazetteer`] for the shared, parsed-once copy).
    pub fn load() -> Self {
        let mut places = Vec::new();
        let mut by_name = HashMap::new();
        // Lines come countries first, then cities by falling population: the first place
        // to claim a name keeps it, so an ambiguous name means the best-known place.
        // A place's own name that a bigger place listed first as one of its other names.
        let mut claimed = Vec::new();
        let mut populations = Vec::new();
        for line in DATA.lines() {
            let mut fields = line.split('\t');
            let (Some(name), Some(country), Some(population), Some(kind), Some(names)) = (
                fields.next(),
                fields.next(),
                fields.next(),
                fields.next(),
                fields.next(),
            ) else {
                continue;
            };
            let index = places.len();
            let own = fold(name);
            if by_name.contains_key(&own) {
                claimed.push((index, own));
            }
            places.push(Place {
                name: name.to_string(),
                country: country.to_string(),
                kind: kind.to_string(),
            });
            for key in names.split('|') {
                by_name.entry(key.to_string()).or_insert(index);
            }
            populations.push(population.parse::<u64>().unwrap_or(0));
        }
        // A place's own name beats another's alternate name unless the other is a hundred
        // times bigger: "Zaragoza" is the city in Spain, not Tijuana, and "Cancun" is not
        // Changchun; but "Calcutta" stays Kolkata, not a village of that name.
        for (index, own) in claimed {
            if let Some(holder) = by_name.get_mut(&own) {
                let holder_own = fold(&places[*holder].name) == own;
                if !holder_own && populations[*holder] < populations[index] * 100 {
                    *holder = index;
                }
            }
        }
        for (abbreviation, name) in ABBREVIATIONS {
            if let Some(&index) = by_name.get(&fold(name)) {
                by_name.insert(abbreviation.to_string(), index);
            }
        }
        Gazetteer { places, by_name }
    }

    /// The place a text names, if any.
    pub fn lookup(&self, text: &str) -> Option<&Place> {
        self.by_name.get(&fold(text)).map(|&i| &self.places[i])
    }

    /// True when `folded` (see [`fold`]) names a place.
    pub fn contains(&self, folded: &str) -> bool {
        self.by_name.contains_key(folded)
    }

    /// Number of places.
    pub fn len(&self) -> usize {
        self.places.len()
    }

    /// True when empty (never, for the bundled data).
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_alternates_and_abbreviations() {
        let g = gazetteer();
        assert!(g.len() > 30_000);
        assert_eq!(g.lookup("munchen").unwrap().name, "Munich");
        assert_eq!(g.lookup("München").unwrap().country, "Germany");
        assert_eq!(g.lookup("NYC").unwrap().name, "New York City");
        assert_eq!(g.lookup("new york").unwrap().name, "New York City");
        assert_eq!(g.lookup("Big Apple").unwrap().name, "New York City");
        assert_eq!(g.lookup("são paulo").unwrap().name, "São Paulo");
        assert_eq!(g.lookup("norway").unwrap().kind, "country");
        assert!(g.lookup("thanks").is_none());
    }

    #[test]
    fn a_place_keeps_its_own_name_unless_a_far_bigger_one_goes_by_it() {
        let g = gazetteer();
        for (text, name, country) in [
            ("Zaragoza", "Zaragoza", "Spain"),
            ("cancun", "Cancún", "Mexico"),
            ("Islamabad", "Islamabad", "Pakistan"),
            ("new delhi", "New Delhi", "India"),
            ("Calcutta", "Kolkata", "India"),
            ("Sidney", "Sydney", "Australia"),
        ] {
            let place = g.lookup(text).unwrap();
            assert_eq!(
                (place.name.as_str(), place.country.as_str()),
                (name, country)
            );
        }
    }
}
