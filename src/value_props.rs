//! Property tests of the value parsers: they never panic on arbitrary text, and timestamps
//! round-trip through the output form.

use proptest::prelude::*;

use super::values;

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn value_parsers_never_panic(s in "\\PC{0,40}") {
        let _ = values::parse_bool(&s);
        let _ = values::parse_ts(&s);
        let _ = values::parse_methods(&s);
        let _ = values::parse_phone(&s, Some("US"));
        let _ = values::parse_phone(&s, None);
        let _ = values::canonical_method(&s);
    }

    #[test]
    fn value_parsers_never_panic_on_near_misses(
        a in 0u32..100, b in 0u32..100, y in 0u32..10000, h in 0u32..30, m in 0u32..70,
        sep in prop::sample::select(vec!["/", ".", "-"]),
        suffix in prop::sample::select(vec!["", " AM", " PM", "Z", ":00", ".5"]),
    ) {
        let s = format!("{a}{sep}{b}{sep}{y} {h}:{m}{suffix}");
        if let Ok(Some(ts)) = values::parse_ts(&s) {
            // Whatever parses resolves to a printable date under both orders.
            for o in [None, Some(values::DateOrder::Mdy), Some(values::DateOrder::Dmy)] {
                if let Some(ms) = ts.resolve(o) {
                    prop_assert!(!values::fmt_ts(ms).is_empty());
                }
            }
        }
    }

    #[test]
    fn iso_timestamps_round_trip(secs in 0i64..4_102_444_800) {
        let ms = secs * 1000;
        let text = values::fmt_ts(ms);
        let back = values::parse_ts(&text).ok().flatten().and_then(|t| t.resolve(None));
        prop_assert_eq!(back, Some(ms));
    }

}
