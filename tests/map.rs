//! `agglo map`: the SVG holds one shape per city and link in view, one path
//! per circle, a legend, a scale bar and a title; PNG output is a real PNG of
//! the requested size.

mod common;

use std::collections::BTreeSet;

use common::*;

fn members(agg: &str) -> BTreeSet<String> {
    ok(&["cities", "--agglomeration", agg, "--format", "csv"])
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_owned())
        .collect()
}

fn svg(args: &[&str]) -> String {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("m.svg");
    let mut a = vec!["map", "--out", p.to_str().unwrap()];
    a.extend_from_slice(args);
    ok(&a);
    std::fs::read_to_string(p).unwrap()
}

fn class_of<'a>(doc: &'a roxmltree::Document<'a>, class: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.split(' ').any(|w| w == class))
        })
        .collect()
}

#[test]
fn agglomeration_map_has_every_member_link_circle_and_the_legend() {
    let agg = "chengdu-chongqing";
    let text = svg(&["--agglomeration", agg, "--minutes", "30,60,90"]);
    let doc = roxmltree::Document::parse(&text).expect("well-formed SVG");
    // One shape per city in view, each city once, every member among them.
    let cities: Vec<String> = class_of(&doc, "city")
        .iter()
        .map(|n| n.attribute("data-id").unwrap().to_owned())
        .collect();
    let unique: BTreeSet<String> = cities.iter().cloned().collect();
    assert_eq!(unique.len(), cities.len(), "a city drawn twice");
    let m = members(agg);
    assert!(
        m.is_subset(&unique),
        "members missing: {:?}",
        m.difference(&unique)
    );
    // Every link between two members is drawn, once, coloured by its mode.
    let drawn: Vec<(String, String)> = class_of(&doc, "link")
        .iter()
        .map(|n| {
            let mode = n
                .attribute("class")
                .unwrap()
                .split(' ')
                .find_map(|w| w.strip_prefix("mode-"))
                .unwrap()
                .to_owned();
            (n.attribute("data-id").unwrap().to_owned(), mode)
        })
        .collect();
    let ids: BTreeSet<&str> = drawn.iter().map(|(i, _)| i.as_str()).collect();
    assert_eq!(ids.len(), drawn.len(), "a link drawn twice");
    let d = tempfile::tempdir().unwrap();
    let gj = d.path().join("net.geojson");
    ok(&["export", "--out", gj.to_str().unwrap()]);
    let fc: geojson::FeatureCollection = std::fs::read_to_string(&gj).unwrap().parse().unwrap();
    let mut inner = 0;
    for f in &fc.features {
        let (Some(a), Some(b)) = (f.property("from"), f.property("to")) else {
            continue;
        };
        let id = f.id.as_ref().map(|i| match i {
            geojson::feature::Id::String(s) => s.clone(),
            geojson::feature::Id::Number(n) => n.to_string(),
        });
        if m.contains(a.as_str().unwrap()) && m.contains(b.as_str().unwrap()) {
            inner += 1;
            let id = id.unwrap();
            let mode = f.property("mode").unwrap().as_str().unwrap();
            assert!(
                drawn.contains(&(id.clone(), mode.to_owned())),
                "{id} ({mode}) not drawn"
            );
        }
    }
    assert!(inner > 10, "the cluster has its own links");
    // One circle path per core and budget, as `agglo circles` counts them.
    let rows = ok(&[
        "circles",
        "--agglomeration",
        agg,
        "--minutes",
        "30,60,90",
        "--format",
        "csv",
    ])
    .lines()
    .count()
        - 1;
    assert_eq!(class_of(&doc, "circle").len(), rows);
    // Legend: one item per budget, per mode drawn, and the city symbol.
    let legend = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("legend"))
        .expect("legend");
    let items = legend
        .descendants()
        .filter(|n| n.attribute("class") == Some("legend-item"))
        .count();
    let modes: BTreeSet<&str> = drawn.iter().map(|(_, m)| m.as_str()).collect();
    assert_eq!(items, 3 + modes.len() + 1);
    assert!(
        doc.descendants()
            .any(|n| n.attribute("id") == Some("scale-bar"))
    );
    let title = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("title"))
        .and_then(|n| n.text())
        .unwrap();
    assert!(title.contains("Chengdu-Chongqing"), "{title}");
}

#[test]
fn chinese_labels_and_no_circles() {
    let text = svg(&[
        "--agglomeration",
        "chengdu-chongqing",
        "--lang",
        "zh",
        "--minutes",
        "0",
    ]);
    let doc = roxmltree::Document::parse(&text).unwrap();
    assert!(class_of(&doc, "circle").is_empty());
    let labels: Vec<&str> = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("labels"))
        .unwrap()
        .children()
        .filter_map(|n| n.text())
        .collect();
    assert!(
        labels.contains(&"成都") && labels.contains(&"重庆"),
        "{labels:?}"
    );
}

#[test]
fn png_is_a_png_of_the_requested_size() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("m.png");
    ok(&[
        "map",
        "--agglomeration",
        "chengdu-chongqing",
        "--width",
        "800",
        "--out",
        p.to_str().unwrap(),
    ]);
    let b = std::fs::read(&p).unwrap();
    assert_eq!(&b[..8], b"\x89PNG\r\n\x1a\n");
    let w = u32::from_be_bytes(b[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(b[20..24].try_into().unwrap());
    assert_eq!((w, h), (800, 600));
    // Not a blank image: many distinct bytes after the header.
    assert!(b.len() > 20_000, "{} bytes", b.len());
}

#[test]
fn bad_output_names_are_refused() {
    let o = run(&["map", "--out", "/tmp/x.jpg"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains(".svg or .png"), "{}", stderr(&o));
    let o = run(&["map", "--out", "/tmp/x.svg", "--agglomeration", "atlantis"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("atlantis"));
}

#[test]
fn centrality_colours_the_members_and_fills_the_legend() {
    let agg = "chengdu-chongqing";
    let text = svg(&["--agglomeration", agg, "--centrality", "betweenness_norm"]);
    let doc = roxmltree::Document::parse(&text).unwrap();
    let m = members(agg);
    for n in class_of(&doc, "city") {
        let id = n.attribute("data-id").unwrap();
        let fill = n.attribute("fill").unwrap();
        // Members are coloured by class; other cities in view are grey.
        assert_eq!(m.contains(id), fill != "#cccccc", "{id}: {fill}");
    }
    let legend: String = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("legend"))
        .unwrap()
        .descendants()
        .filter_map(|n| n.text())
        .collect();
    assert!(legend.contains("betweenness_norm"), "{legend}");
    let o = run(&["map", "--out", "/tmp/x.svg", "--centrality", "degree"]);
    assert!(!o.status.success() && stderr(&o).contains("--agglomeration"));
}

/// A shipped scenario file.
fn scenario(name: &str) -> String {
    format!("{}/data/scenarios/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// `(status, from, to)` of the links `agglo scenario FILE` lists as changed.
fn diff_rows(file: &str) -> Vec<(String, String, String)> {
    ok(&["scenario", file, "--section", "links", "--format", "csv"])
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_owned(), f[1].to_owned(), f[2].to_owned())
        })
        .collect()
}

/// `(from, to)` of the scenario paths with this `data-status`, sorted.
fn with_status(doc: &roxmltree::Document, status: &str) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = doc
        .descendants()
        .filter(|n| n.attribute("data-status") == Some(status))
        .map(|n| {
            (
                n.attribute("data-from").unwrap().to_owned(),
                n.attribute("data-to").unwrap().to_owned(),
            )
        })
        .collect();
    v.sort();
    v
}

/// Rows of `diff` with this status and an end among the cities drawn, sorted.
fn expected(
    diff: &[(String, String, String)],
    status: &str,
    drawn: &BTreeSet<String>,
) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = diff
        .iter()
        .filter(|(s, a, b)| s == status && (drawn.contains(a) || drawn.contains(b)))
        .map(|(_, a, b)| (a.clone(), b.clone()))
        .collect();
    v.sort();
    v
}

fn drawn_cities(doc: &roxmltree::Document) -> BTreeSet<String> {
    class_of(doc, "city")
        .iter()
        .map(|n| n.attribute("data-id").unwrap().to_owned())
        .collect()
}

fn legend_text(doc: &roxmltree::Document) -> String {
    doc.descendants()
        .find(|n| n.attribute("id") == Some("legend"))
        .expect("legend")
        .descendants()
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("|")
}

#[test]
fn scenario_map_highlights_the_added_links_and_draws_circles_before_and_after() {
    for (agg, file, name) in [
        (
            "chengdu-chongqing",
            "chengdu-chongqing-central-line.toml",
            "Chengdu–Chongqing central line HSR",
        ),
        (
            "beijing-tianjin-hebei",
            "beijing-xiongan.toml",
            "Beijing–Xiong'an intercity",
        ),
    ] {
        let file = scenario(file);
        let text = svg(&[
            "--agglomeration",
            agg,
            "--minutes",
            "60,120",
            "--scenario",
            &file,
        ]);
        let doc = roxmltree::Document::parse(&text).unwrap();
        let cities = drawn_cities(&doc);
        let diff = diff_rows(&file);
        let want = expected(&diff, "added", &cities);
        assert!(!want.is_empty(), "{file}: the scenario adds links in view");
        // Each added link in view once, as a highlighted link of the network.
        let got = with_status(&doc, "added");
        assert_eq!(got, want, "{file}");
        let paths: Vec<_> = class_of(&doc, "added")
            .into_iter()
            .filter(|n| n.tag_name().name() == "path")
            .collect();
        assert_eq!(paths.len(), want.len());
        for n in paths {
            assert!(
                class_of(&doc, "link").contains(&n),
                "an added link is a link"
            );
            let w: f64 = n.attribute("stroke-width").unwrap().parse().unwrap();
            assert!(w >= 4.5, "highlighted links are thick: {w}");
            assert_eq!(n.attribute("stroke"), Some("#e7008a"));
        }
        assert!(with_status(&doc, "removed").is_empty(), "{file}");
        // Circles after (filled, one per core and budget) and before (dashed
        // outline per budget), for both budgets.
        let minutes = |class: &str| -> BTreeSet<String> {
            class_of(&doc, class)
                .iter()
                .map(|n| n.attribute("data-minutes").unwrap().to_owned())
                .collect()
        };
        let both: BTreeSet<String> = ["60", "120"].map(String::from).into();
        assert_eq!(minutes("circle"), both, "{file}");
        assert_eq!(minutes("circle-before"), both, "{file}");
        for n in class_of(&doc, "circle-before") {
            assert!(n.attribute("stroke-dasharray").is_some());
            assert_eq!(n.attribute("fill"), None, "outline only");
        }
        let legend = legend_text(&doc);
        for entry in [
            "60 min circle with the scenario",
            "circle before the scenario",
            "link added by the scenario",
        ] {
            assert!(legend.contains(entry), "{file}: {entry} not in {legend}");
        }
        assert!(legend.contains(&format!("({})", want.len())), "{legend}");
        assert!(!legend.contains("removed"), "{legend}");
        let title = doc
            .descendants()
            .find(|n| n.attribute("id") == Some("title"))
            .and_then(|n| n.text())
            .unwrap();
        assert!(title.contains(name), "{title}");
    }
}

#[test]
fn scenario_map_shows_the_added_city_and_its_centrality() {
    let file = scenario("beijing-xiongan.toml");
    let text = svg(&[
        "--agglomeration",
        "beijing-tianjin-hebei",
        "--scenario",
        &file,
        "--centrality",
        "degree",
    ]);
    let doc = roxmltree::Document::parse(&text).unwrap();
    let added: Vec<_> = class_of(&doc, "added")
        .into_iter()
        .filter(|n| n.tag_name().name() == "circle")
        .collect();
    assert_eq!(added.len(), 1);
    assert_eq!(added[0].attribute("data-id"), Some("xiongan"));
    // Centrality is that of the scenario network, where Xiong'an is a member.
    assert_ne!(added[0].attribute("fill"), Some("#cccccc"));
    let labels: Vec<&str> = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("labels"))
        .unwrap()
        .children()
        .filter_map(|n| n.text())
        .collect();
    assert!(labels.contains(&"Xiong'an"), "{labels:?}");
    assert!(legend_text(&doc).contains("city added by the scenario (1)"));
}

#[test]
fn scenario_map_draws_removed_links_as_removed() {
    for (agg, file) in [
        ("chengdu-chongqing", "chengdu-chongqing-hsr-removed.toml"),
        ("pearl-river-delta", "hzmb-removed.toml"),
    ] {
        let file = scenario(file);
        let text = svg(&[
            "--agglomeration",
            agg,
            "--minutes",
            "60,120",
            "--scenario",
            &file,
        ]);
        let doc = roxmltree::Document::parse(&text).unwrap();
        let want = expected(&diff_rows(&file), "removed", &drawn_cities(&doc));
        assert!(!want.is_empty());
        assert_eq!(with_status(&doc, "removed"), want, "{file}");
        for n in class_of(&doc, "link-removed") {
            assert!(n.attribute("stroke-dasharray").is_some());
            assert!(
                !class_of(&doc, "link").contains(&n),
                "not a link of the network"
            );
        }
        assert!(with_status(&doc, "added").is_empty());
        let legend = legend_text(&doc);
        assert!(
            legend.contains(&format!("link removed by the scenario ({})", want.len())),
            "{legend}"
        );
    }
    // Without the Chengdu–Chongqing HSR, Ziyang and Neijiang leave the two-hour
    // area of the cores: the area lost is drawn and in the legend.
    let text = svg(&[
        "--agglomeration",
        "chengdu-chongqing",
        "--minutes",
        "120",
        "--scenario",
        &scenario("chengdu-chongqing-hsr-removed.toml"),
    ]);
    let doc = roxmltree::Document::parse(&text).unwrap();
    assert!(!class_of(&doc, "area-lost").is_empty());
    assert!(class_of(&doc, "area-gained").is_empty());
    assert!(legend_text(&doc).contains("area no longer within a circle"));
}

#[test]
fn scenario_map_marks_added_changed_and_removed_links_apart() {
    let d = tempfile::tempdir().unwrap();
    let file = d.path().join("mixed.toml");
    std::fs::write(
        &file,
        r#"name = "Mixed edits"
[[edit]]
op = "set_link"
from = "chengdu"
to = "chongqing"
line = "Chengdu–Chongqing Intercity (express)"
minutes = 55
[[edit]]
op = "remove_link"
from = "ziyang"
to = "neijiang"
line = "Chengdu–Chongqing HSR"
[[edit]]
op = "add_link"
from = "suining"
to = "neijiang"
mode = "hsr"
minutes = 30
"#,
    )
    .unwrap();
    let f = file.to_str().unwrap();
    for lang in ["en", "zh"] {
        let text = svg(&[
            "--agglomeration",
            "chengdu-chongqing",
            "--scenario",
            f,
            "--lang",
            lang,
        ]);
        let doc = roxmltree::Document::parse(&text).unwrap();
        let pair = |a: &str, b: &str| vec![(a.to_owned(), b.to_owned())];
        assert_eq!(with_status(&doc, "changed"), pair("chengdu", "chongqing"));
        assert_eq!(with_status(&doc, "added"), pair("suining", "neijiang"));
        assert_eq!(with_status(&doc, "removed"), pair("ziyang", "neijiang"));
        // Three different strokes.
        let strokes: BTreeSet<&str> = ["added", "changed", "link-removed"]
            .iter()
            .map(|c| class_of(&doc, c)[0].attribute("stroke").unwrap())
            .collect();
        assert_eq!(strokes.len(), 3, "{strokes:?}");
        let legend = legend_text(&doc);
        let entries: &[&str] = if lang == "en" {
            &[
                "link added by the scenario (1)",
                "link changed by the scenario (1)",
                "link removed by the scenario (1)",
                "circle before the scenario",
            ]
        } else {
            &[
                "情景新增线路 (1)",
                "情景调整线路 (1)",
                "情景移除线路 (1)",
                "情景前的通勤圈",
            ]
        };
        for e in entries {
            assert!(legend.contains(e), "{e} not in {legend}");
        }
        let title = doc
            .descendants()
            .find(|n| n.attribute("id") == Some("title"))
            .and_then(|n| n.text())
            .unwrap();
        assert_eq!(title, "Mixed edits");
    }
    // The same as PNG.
    let p = d.path().join("m.png");
    ok(&[
        "map",
        "--agglomeration",
        "chengdu-chongqing",
        "--scenario",
        f,
        "--out",
        p.to_str().unwrap(),
    ]);
    assert_eq!(&std::fs::read(&p).unwrap()[..8], b"\x89PNG\r\n\x1a\n");
}

#[test]
fn bad_scenario_fails_with_its_message_and_writes_nothing() {
    let d = tempfile::tempdir().unwrap();
    let file = d.path().join("bad.toml");
    std::fs::write(
        &file,
        "name = \"bad\"\n[[edit]]\nop = \"add_link\"\nfrom = \"chengdu\"\nto = \"atlantis\"\nmode = \"hsr\"\nminutes = 30\n",
    )
    .unwrap();
    for out in ["m.svg", "m.png"] {
        let out = d.path().join(out);
        let o = run(&[
            "map",
            "--scenario",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(!o.status.success());
        let e = stderr(&o);
        assert!(
            e.contains("edit 1 (add_link): field `to`: unknown city `atlantis`"),
            "{e}"
        );
        assert!(!e.contains("panicked"), "{e}");
        assert!(!out.exists(), "no output on error");
    }
    let missing = d.path().join("missing.toml");
    let out = d.path().join("m.svg");
    let o = run(&[
        "map",
        "--scenario",
        missing.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("cannot read scenario"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
    // No stray temporary file either.
    assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
}

#[test]
fn basemap_draws_land_coast_province_and_county_borders_under_the_data() {
    let text = svg(&["--agglomeration", "chengdu-chongqing"]);
    let doc = roxmltree::Document::parse(&text).unwrap();
    let ids: Vec<&str> = doc
        .root_element()
        .children()
        .filter_map(|n| n.attribute("id"))
        .collect();
    let pos = |id: &str| ids.iter().position(|x| *x == id).unwrap();
    assert!(pos("basemap") < pos("circles") && pos("circles") < pos("cities"));
    let rings = |id: &str| {
        doc.descendants()
            .find(|n| n.attribute("id") == Some(id))
            .and_then(|n| n.attribute("d"))
            .unwrap()
            .matches('M')
            .count()
    };
    // The view holds eastern Sichuan and Chongqing: 170 units and rings.
    assert!(rings("county-borders") > 120, "{}", rings("county-borders"));
    let provinces = rings("province-borders");
    assert!((2..31).contains(&provinces), "{provinces}");
    assert!(rings("land") >= 1 && rings("coastline") == rings("land"));
    let bare = svg(&["--agglomeration", "chengdu-chongqing", "--no-basemap"]);
    assert!(!bare.contains("id=\"basemap\""));
    // The national map keeps every province; thinning keeps the file small.
    let national = svg(&["--minutes", "0"]);
    let doc = roxmltree::Document::parse(&national).unwrap();
    let d = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("province-borders"))
        .and_then(|n| n.attribute("d"))
        .unwrap();
    assert!(d.matches('M').count() >= 31);
    assert!(national.len() < 4_000_000, "{} bytes", national.len());
}

/// At the county level the units' modelled local roads are drawn thin and
/// faint; rail and the prefecture network's own road links keep full weight.
#[test]
fn county_map_draws_local_roads_faint() {
    let text = svg(&[
        "--level",
        "county",
        "--agglomeration",
        "chengdu-metro",
        "--minutes",
        "60",
    ]);
    let doc = roxmltree::Document::parse(&text).unwrap();
    let links = class_of(&doc, "link");
    assert!(!links.is_empty());
    let opacity = |n: &roxmltree::Node| n.attribute("stroke-opacity").unwrap().to_owned();
    let faint = links.iter().filter(|n| opacity(n) == "0.35").count();
    assert!(faint > 100, "{faint} faint links");
    for n in &links {
        let class = n.attribute("class").unwrap();
        if class.contains("mode-hsr") || class.contains("mode-rail") {
            assert_eq!(opacity(n), "0.85", "{class}");
        }
        if opacity(n) == "0.35" {
            assert!(class.contains("mode-road") || class.contains("mode-expressway"));
        }
    }
    // The prefecture-level map has no faint links.
    let text = svg(&["--agglomeration", "chengdu-metro", "--minutes", "60"]);
    assert!(!text.contains("stroke-opacity=\"0.35\""));
}
