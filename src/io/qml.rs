//! QGIS layer styles (`.qml`): hand-written XML in the QGIS 3 format, placed
//! beside a layer with the same base name so QGIS applies it on load (and
//! stored in a GeoPackage's `layer_styles` table).
//!
//! - [`Style::Circles`]: graduated fill by a minutes field, one class per
//!   budget present, nearer budgets darker, semi-transparent, larger budgets
//!   drawn first.
//! - [`Style::Cities`]: points sized by `sqrt(population)`, labelled with a
//!   name field, labels shown for cities of at least one million.
//! - [`Style::Links`]: lines categorised by `mode`, width by services per day.
//! - [`Style::LinkStatus`]: a scenario's links categorised by `status`.
//! - [`Style::Graduated`]: points graduated in five quantile classes of a
//!   numeric field (centrality measures).
//! - [`Style::Choropleth`]: polygons filled in five quantile classes of a
//!   numeric field with thin borders (county-level units by density).

use super::layer::{Layer, Value};

/// Which default style to write for a layer.
#[derive(Debug, Clone, PartialEq)]
pub enum Style {
    /// Graduated, semi-transparent polygons by this minutes field.
    Circles {
        /// The numeric field holding the budget in minutes.
        field: String,
    },
    /// Points sized by a population field and labelled.
    Cities {
        /// Population field (size).
        size_field: String,
        /// Label field (`name` or `name_zh`).
        label_field: String,
    },
    /// Lines coloured by mode and wide by services per day.
    Links,
    /// A scenario's changed links, categorised by `status` (added, changed,
    /// removed; removed ones dashed).
    LinkStatus,
    /// Points graduated by a numeric field in five quantile classes, labelled.
    Graduated {
        /// The numeric field.
        field: String,
        /// Label field (`name` or `name_zh`).
        label_field: String,
    },
    /// Polygons filled in five quantile classes of a numeric field, thin
    /// grey borders, no labels (thousands of units).
    Choropleth {
        /// The numeric field.
        field: String,
    },
}

/// Colours of the modes (hex), shared with the map renderer.
pub fn mode_colour(mode: &str) -> &'static str {
    match mode {
        "hsr" => "#d7191c",
        "rail" => "#7b3294",
        "expressway" => "#e6850e",
        "road" => "#8c8c8c",
        "ferry" => "#2c7bb6",
        _ => "#404040",
    }
}

/// Colours of a scenario's link changes (hex), shared with the map renderer.
pub fn status_colour(status: &str) -> &'static str {
    match status {
        "added" => "#e7008a",
        "changed" => "#00a6a6",
        "removed" => "#6e6e6e",
        _ => "#404040",
    }
}

/// Fill colour of the `i`-th of `n` nested budgets (0 = smallest, darkest).
pub fn budget_colour(i: usize, n: usize) -> &'static str {
    const RAMP: [&str; 6] = [
        "#0c2c84", "#225ea8", "#1d91c0", "#41b6c4", "#7fcdbb", "#c7e9b4",
    ];
    let k = if n <= 1 {
        1
    } else {
        i * (RAMP.len() - 1) / (n - 1)
    };
    RAMP[k.min(RAMP.len() - 1)]
}

const GRADED: [&str; 5] = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"];

fn rgba(hex: &str, alpha: u8) -> String {
    let v = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0);
    format!("{},{},{},{alpha}", v(1), v(3), v(5))
}

/// Escapes text for an XML attribute.
pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn opt(name: &str, value: &str) -> String {
    format!(
        "<Option name=\"{}\" type=\"QString\" value=\"{}\"/>",
        esc(name),
        esc(value)
    )
}

/// Data-defined properties: `(key, expression)` pairs.
fn dd(props: &[(&str, String)]) -> String {
    let mut s = String::from("<data_defined_properties><Option type=\"Map\">");
    s.push_str(&opt("name", ""));
    if props.is_empty() {
        s.push_str("<Option name=\"properties\"/>");
    } else {
        s.push_str("<Option name=\"properties\" type=\"Map\">");
        for (k, e) in props {
            s.push_str(&format!(
                "<Option name=\"{k}\" type=\"Map\"><Option name=\"active\" type=\"bool\" value=\"true\"/>{}<Option name=\"type\" type=\"int\" value=\"3\"/></Option>",
                opt("expression", e)
            ));
        }
        s.push_str("</Option>");
    }
    s.push_str(&opt("type", "collection"));
    s.push_str("</Option></data_defined_properties>");
    s
}

fn symbol(
    kind: &str,
    name: &str,
    alpha: f64,
    class: &str,
    options: &[(&str, String)],
    props: &[(&str, String)],
) -> String {
    let mut s = format!(
        "<symbol type=\"{kind}\" name=\"{name}\" alpha=\"{alpha}\" clip_to_extent=\"1\" force_rhr=\"0\">{}<layer class=\"{class}\" enabled=\"1\" locked=\"0\" pass=\"0\"><Option type=\"Map\">",
        dd(&[])
    );
    for (k, v) in options {
        s.push_str(&opt(k, v));
    }
    s.push_str("</Option>");
    s.push_str(&dd(props));
    s.push_str("</layer></symbol>");
    s
}

fn fill(colour: &str, name: &str) -> String {
    symbol(
        "fill",
        name,
        0.4,
        "SimpleFill",
        &[
            ("color", rgba(colour, 255)),
            ("outline_color", rgba(colour, 255)),
            ("outline_style", "solid".into()),
            ("outline_width", "0.5".into()),
            ("outline_width_unit", "MM".into()),
            ("style", "solid".into()),
        ],
        &[],
    )
}

fn marker(colour: &str, name: &str, size: &str, props: &[(&str, String)]) -> String {
    symbol(
        "marker",
        name,
        1.0,
        "SimpleMarker",
        &[
            ("color", rgba(colour, 230)),
            ("name", "circle".into()),
            ("outline_color", "255,255,255,255".into()),
            ("outline_style", "solid".into()),
            ("outline_width", "0.2".into()),
            ("outline_width_unit", "MM".into()),
            ("size", size.into()),
            ("size_unit", "MM".into()),
        ],
        props,
    )
}

fn line(colour: &str, name: &str, props: &[(&str, String)]) -> String {
    symbol(
        "line",
        name,
        0.9,
        "SimpleLine",
        &[
            ("capstyle", "round".into()),
            ("joinstyle", "round".into()),
            ("line_color", rgba(colour, 255)),
            ("line_style", "solid".into()),
            ("line_width", "0.4".into()),
            ("line_width_unit", "MM".into()),
        ],
        props,
    )
}

fn numbers(layer: &Layer, field: &str) -> Vec<f64> {
    let Some(i) = layer.field_index(field) else {
        return Vec::new();
    };
    let mut v: Vec<f64> = layer
        .features
        .iter()
        .filter_map(|f| match f.values[i] {
            Value::Int(n) => Some(n as f64),
            Value::Real(x) if x.is_finite() => Some(x),
            _ => None,
        })
        .collect();
    v.sort_by(f64::total_cmp);
    v
}

fn labels(field: &str, show: Option<String>) -> String {
    let mut props = vec![];
    if let Some(e) = show {
        props.push(("Show", e));
    }
    format!(
        "<labeling type=\"simple\"><settings calloutType=\"simple\"><text-style fieldName=\"{}\" isExpression=\"0\" fontSize=\"8.5\" fontSizeUnit=\"Point\" textColor=\"30,30,30,255\" textOpacity=\"1\" fontWeight=\"50\" namedStyle=\"Regular\"><text-buffer bufferDraw=\"1\" bufferSize=\"0.8\" bufferSizeUnits=\"MM\" bufferColor=\"255,255,255,255\" bufferOpacity=\"0.85\" bufferJoinStyle=\"128\"/></text-style><placement placement=\"6\" dist=\"1\" distUnits=\"MM\" priority=\"5\" offsetType=\"0\"/><rendering obstacle=\"1\" scaleVisibility=\"0\" fontLimitPixelSize=\"0\" limitNumLabels=\"0\" upsidedownLabels=\"0\" displayAll=\"0\"/>{}</settings></labeling>",
        esc(field),
        dd(&props).replace("data_defined_properties", "dd_properties")
    )
}

fn document(body: &str, labels_enabled: bool) -> String {
    format!(
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis version=\"3.28.0-Firenze\" styleCategories=\"Symbology|Labeling\" labelsEnabled=\"{}\">\n{body}\n<blendMode>0</blendMode>\n<featureBlendMode>0</featureBlendMode>\n<layerOpacity>1</layerOpacity>\n</qgis>\n",
        u8::from(labels_enabled)
    )
}

/// A number for a class label: rounded to 6 decimals.
fn fmt_num(v: f64) -> String {
    let r = (v * 1e6).round() / 1e6;
    format!("{r}")
}

/// A class bound: the exact value (shortest text that reads back to the same
/// `f64`), so the smallest and largest values of the data stay inside the
/// classes; rounded bounds could leave them out and QGIS would not draw them.
fn bound(v: f64) -> String {
    format!("{v}")
}

/// Five quantile classes of a numeric field: six breaks, repeated ones
/// (many equal values) merged.
fn quantile_breaks(layer: &Layer, field: &str) -> Vec<f64> {
    let v = numbers(layer, field);
    if v.is_empty() {
        return Vec::new();
    }
    let mut b: Vec<f64> = (0..=5).map(|k| v[((v.len() - 1) * k) / 5]).collect();
    b.dedup();
    if b.len() == 1 {
        b.push(b[0]);
    }
    b
}

/// A polygon fill of `colour` with a thin grey border, opaque.
fn unit_fill(colour: &str, name: &str) -> String {
    symbol(
        "fill",
        name,
        1.0,
        "SimpleFill",
        &[
            ("color", rgba(colour, 255)),
            ("outline_color", "150,150,150,255".into()),
            ("outline_style", "solid".into()),
            ("outline_width", "0.1".into()),
            ("outline_width_unit", "MM".into()),
            ("style", "solid".into()),
        ],
        &[],
    )
}

/// The `.qml` text of `style` for `layer` (class breaks are taken from the data).
pub fn qml(style: &Style, layer: &Layer) -> String {
    match style {
        Style::Circles { field } => {
            let mut budgets = numbers(layer, field);
            budgets.dedup();
            let n = budgets.len();
            let mut ranges = String::new();
            let mut symbols = String::new();
            let mut lower = 0.0;
            for (i, b) in budgets.iter().enumerate() {
                ranges.push_str(&format!(
                    "<range lower=\"{}\" upper=\"{}\" symbol=\"{i}\" label=\"{} min\" render=\"true\"/>",
                    bound(lower),
                    bound(*b),
                    fmt_num(*b)
                ));
                symbols.push_str(&fill(budget_colour(i, n), &i.to_string()));
                lower = *b;
            }
            document(
                &format!(
                    "<renderer-v2 type=\"graduatedSymbol\" attr=\"{}\" graduatedMethod=\"GraduatedColor\" symbollevels=\"0\" enableorderby=\"1\" forceraster=\"0\"><ranges>{ranges}</ranges><symbols>{symbols}</symbols><orderby><orderByClause asc=\"0\" nullsFirst=\"0\">{}</orderByClause></orderby></renderer-v2>",
                    esc(field),
                    esc(&format!("\"{field}\""))
                ),
                false,
            )
        }
        Style::Cities {
            size_field,
            label_field,
        } => {
            let size = format!("1 + sqrt(coalesce(\"{size_field}\", 0)) / 1000");
            let sym = marker("#333333", "0", "2", &[("size", size)]);
            document(
                &format!(
                    "<renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"1\" forceraster=\"0\"><symbols>{sym}</symbols><orderby><orderByClause asc=\"0\" nullsFirst=\"0\">{}</orderByClause></orderby></renderer-v2>\n{}",
                    esc(&format!("\"{size_field}\"")),
                    labels(
                        label_field,
                        Some(format!("coalesce(\"{size_field}\", 0) >= 1000000"))
                    )
                ),
                true,
            )
        }
        Style::Links => {
            let width = "0.2 + sqrt(coalesce(\"services_per_day\", 0)) / 10".to_owned();
            let mut cats = String::new();
            let mut symbols = String::new();
            for (i, m) in ["hsr", "rail", "expressway", "road", "ferry"]
                .iter()
                .enumerate()
            {
                cats.push_str(&format!(
                    "<category value=\"{m}\" symbol=\"{i}\" label=\"{m}\" render=\"true\"/>"
                ));
                symbols.push_str(&line(
                    mode_colour(m),
                    &i.to_string(),
                    &[("outlineWidth", width.clone())],
                ));
            }
            document(
                &format!(
                    "<renderer-v2 type=\"categorizedSymbol\" attr=\"mode\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\"><categories>{cats}</categories><symbols>{symbols}</symbols></renderer-v2>"
                ),
                false,
            )
        }
        Style::LinkStatus => {
            let mut cats = String::new();
            let mut symbols = String::new();
            for (i, st) in ["added", "changed", "removed"].iter().enumerate() {
                cats.push_str(&format!(
                    "<category value=\"{st}\" symbol=\"{i}\" label=\"{st}\" render=\"true\"/>"
                ));
                symbols.push_str(&symbol(
                    "line",
                    &i.to_string(),
                    1.0,
                    "SimpleLine",
                    &[
                        ("capstyle", "round".into()),
                        ("joinstyle", "round".into()),
                        ("line_color", rgba(status_colour(st), 255)),
                        (
                            "line_style",
                            if *st == "removed" { "dash" } else { "solid" }.into(),
                        ),
                        ("line_width", "1.2".into()),
                        ("line_width_unit", "MM".into()),
                    ],
                    &[],
                ));
            }
            document(
                &format!(
                    "<renderer-v2 type=\"categorizedSymbol\" attr=\"status\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\"><categories>{cats}</categories><symbols>{symbols}</symbols></renderer-v2>"
                ),
                false,
            )
        }
        Style::Graduated { field, label_field } => {
            let breaks = quantile_breaks(layer, field);
            let mut ranges = String::new();
            let mut symbols = String::new();
            let n = breaks.len().saturating_sub(1);
            for (k, w) in breaks.windows(2).enumerate() {
                ranges.push_str(&format!(
                    "<range lower=\"{}\" upper=\"{}\" symbol=\"{k}\" label=\"{} – {}\" render=\"true\"/>",
                    bound(w[0]),
                    bound(w[1]),
                    fmt_num(w[0]),
                    fmt_num(w[1])
                ));
                let colour = GRADED[if n <= 1 { 4 } else { k * 4 / (n - 1) }];
                symbols.push_str(&marker(colour, &k.to_string(), "3", &[]));
            }
            document(
                &format!(
                    "<renderer-v2 type=\"graduatedSymbol\" attr=\"{}\" graduatedMethod=\"GraduatedColor\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\"><ranges>{ranges}</ranges><symbols>{symbols}</symbols></renderer-v2>\n{}",
                    esc(field),
                    labels(label_field, None)
                ),
                true,
            )
        }
        Style::Choropleth { field } => {
            let breaks = quantile_breaks(layer, field);
            let n = breaks.len().saturating_sub(1);
            let mut ranges = String::new();
            let mut symbols = String::new();
            for (k, w) in breaks.windows(2).enumerate() {
                ranges.push_str(&format!(
                    "<range lower=\"{}\" upper=\"{}\" symbol=\"{k}\" label=\"{} – {}\" render=\"true\"/>",
                    bound(w[0]),
                    bound(w[1]),
                    fmt_num(w[0]),
                    fmt_num(w[1])
                ));
                let colour = GRADED[if n <= 1 { 4 } else { k * 4 / (n - 1) }];
                symbols.push_str(&unit_fill(colour, &k.to_string()));
            }
            document(
                &format!(
                    "<renderer-v2 type=\"graduatedSymbol\" attr=\"{}\" graduatedMethod=\"GraduatedColor\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\"><ranges>{ranges}</ranges><symbols>{symbols}</symbols></renderer-v2>",
                    esc(field)
                ),
                false,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use geo::polygon;

    use super::super::layer::{FieldType, GeometryType};
    use super::*;

    #[test]
    fn circle_style_has_one_class_per_budget_in_the_data() {
        let mut l = Layer::new(
            "circles",
            "",
            GeometryType::MultiPolygon,
            &[("minutes", FieldType::Real)],
        );
        let sq = geo::Geometry::MultiPolygon(geo::MultiPolygon(vec![polygon![
            (x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0)
        ]]));
        for (i, m) in [60.0, 30.0, 60.0, 90.0].iter().enumerate() {
            l.push(i.to_string(), sq.clone(), vec![Value::Real(*m)]);
        }
        let s = qml(
            &Style::Circles {
                field: "minutes".into(),
            },
            &l,
        );
        assert_eq!(s.matches("<range ").count(), 3);
        assert!(s.contains("lower=\"30\" upper=\"60\""));
        assert!(s.contains("alpha=\"0.4\""));
        assert_eq!(s.matches("<symbol ").count(), 3);
    }

    /// A point layer with one real field `b` holding `scores`.
    fn scores_layer(scores: &[f64]) -> Layer {
        let mut l = Layer::new(
            "centrality",
            "",
            GeometryType::Point,
            &[("b", FieldType::Real)],
        );
        let p = geo::Geometry::Point(geo::Point::new(0.0, 0.0));
        for (i, x) in scores.iter().enumerate() {
            l.push(i.to_string(), p.clone(), vec![Value::Real(*x)]);
        }
        l
    }

    #[test]
    fn graduated_classes_merge_repeated_breaks() {
        let l = scores_layer(&[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 1.0]);
        let s = qml(
            &Style::Graduated {
                field: "b".into(),
                label_field: "name".into(),
            },
            &l,
        );
        assert!(!s.contains("lower=\"0\" upper=\"0\""), "{s}");
        assert_eq!(s.matches("<range ").count(), s.matches("<symbol ").count());
        assert!(s.contains("upper=\"1\""));
    }

    /// Regression: class bounds were rounded to 6 decimals, so a largest
    /// score of 0.1234564 got an upper bound of 0.123456 and QGIS drew that
    /// city with no symbol (likewise a smallest value rounded up).
    #[test]
    fn class_bounds_hold_the_extreme_values_exactly() {
        let v = [0.0123456789, 0.05, 0.07, 0.09, 0.11, 0.1234564];
        let l = scores_layer(&v);
        let s = qml(
            &Style::Graduated {
                field: "b".into(),
                label_field: "name_zh".into(),
            },
            &l,
        );
        let bounds = |attr: &str| -> Vec<f64> {
            s.match_indices(&format!(" {attr}=\""))
                .map(|(i, m)| {
                    let rest = &s[i + m.len()..];
                    rest[..rest.find('"').unwrap()].parse().unwrap()
                })
                .collect()
        };
        let (lower, upper) = (bounds("lower"), bounds("upper"));
        assert_eq!(lower.len(), upper.len());
        assert!(lower[0] <= v[0], "{lower:?}");
        assert!(*upper.last().unwrap() >= v[5], "{upper:?}");
        // Labels stay short, and use the chosen label field.
        assert!(s.contains("label=\"0.012346 – "), "{s}");
        assert!(s.contains("fieldName=\"name_zh\""));
        let mut c = Layer::new(
            "circles",
            "",
            GeometryType::Point,
            &[("minutes", FieldType::Real)],
        );
        c.push(
            "a",
            geo::Geometry::Point(geo::Point::new(0.0, 0.0)),
            vec![Value::Real(45.0000004)],
        );
        let s = qml(
            &Style::Circles {
                field: "minutes".into(),
            },
            &c,
        );
        assert!(
            s.contains("upper=\"45.0000004\" symbol=\"0\" label=\"45 min\""),
            "{s}"
        );
    }

    #[test]
    fn expressions_are_escaped() {
        let l = Layer::new(
            "cities",
            "",
            GeometryType::Point,
            &[("pop_2020", FieldType::Integer)],
        );
        let s = qml(
            &Style::Cities {
                size_field: "pop_2020".into(),
                label_field: "name_zh".into(),
            },
            &l,
        );
        assert!(
            s.contains("&quot;pop_2020&quot; &gt;= 1000000")
                || s.contains("&quot;pop_2020&quot;, 0) &gt;= 1000000")
        );
        assert!(!s.contains("\"pop_2020\""));
    }
}
