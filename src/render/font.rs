//! The embedded map font: a subset of WenQuanYi Micro Hei (Apache-2.0) with
//! printable ASCII and the Chinese characters of the shipped data and of the
//! map's own words (see `data/fonts/`). Labels with a character outside it
//! fall back to English.

/// The font file (TrueType).
pub const FONT: &[u8] = include_bytes!("../../data/fonts/wqy-microhei-subset.ttf");
/// Its family name.
pub const FAMILY: &str = "WenQuanYi Micro Hei";
const COVERED: &str = include_str!("../../data/fonts/covered.txt");

/// Whether every character of `text` is in the embedded font.
pub fn covers(text: &str) -> bool {
    text.chars().all(|c| COVERED.contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_the_shipped_names_but_not_everything() {
        assert!(covers("成都 Chengdu 60分钟"));
        assert!(!covers("\u{946B}"), "a character no shipped name uses");
    }

    #[test]
    fn covers_every_chinese_name_a_map_may_draw() {
        // Cities and county units (labelled at --level county); a name the
        // font lacks would fall back to English (`data/fonts/subset.py`).
        for (file, text) in [
            ("cities.csv", include_str!("../../data/cities.csv")),
            ("counties.csv", include_str!("../../data/counties.csv")),
        ] {
            let mut rows = csv::Reader::from_reader(text.as_bytes());
            let col = rows
                .headers()
                .unwrap()
                .iter()
                .position(|h| h == "name_zh")
                .unwrap();
            let missing: Vec<String> = rows
                .records()
                .map(|r| r.unwrap()[col].to_owned())
                .filter(|n| !covers(n))
                .collect();
            assert!(missing.is_empty(), "{file}: {missing:?}");
        }
    }
}
