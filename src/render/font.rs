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
}
