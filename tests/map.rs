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
