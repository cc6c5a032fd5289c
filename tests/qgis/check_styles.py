#!/usr/bin/python3
"""Opens `agglo export --qgis` folders in a real (headless) QGIS and checks
that every layer comes up with the style `agglo` means it to have.

How to run (Debian: `apt-get install --no-install-recommends python3-qgis`;
use the system Python, which is the one PyQGIS is built for):

    agglo export --qgis /tmp/q
    agglo export --qgis /tmp/qg --format gpkg
    mkdir -p -m 700 /tmp/xdg
    QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=/tmp/xdg \
        /usr/bin/python3 tests/qgis/check_styles.py --png /tmp/png /tmp/q /tmp/qg

`cargo test --test qgis` runs it when `/usr/bin/python3 -c 'import qgis.core'`
works. Each DIR holds either NAME.geojson + NAME.qml per layer, or
agglo.gpkg (styles in its `layer_styles` table) + NAME.qml per layer.

For every layer the check
- opens it as QGIS does on drag and drop (default style on) and checks that
  the default style was applied: the `.qml` beside a GeoJSON file, the
  `layer_styles` row of a GeoPackage table;
- applies NAME.qml explicitly with `loadNamedStyle` and checks the flag and
  message;
- checks the renderer is the intended one: circles graduated by `minutes`,
  one class per budget, semi-transparent, larger budgets drawn first; cities
  a single marker sized by `pop_2020` and labelled; links categorised by
  `mode` (every mode in the data has a category) with width by
  `services_per_day`; centrality graduated by the measure, every feature in a
  class; counties filled in graduated classes of `density` with thin
  borders, every feature in a class;
- for a GeoPackage, checks that QGIS sees the table's spatial index;
- checks every field the style refers to exists and every expression parses
  and evaluates without error on every feature;
- renders the layer (and all layers of the folder together) to a PNG and
  checks that the style's colours are on it.

Exit status 0 when everything holds; otherwise each problem is printed as a
`FAIL` line and the status is 1.
"""

import argparse
import os
import sqlite3
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if "XDG_RUNTIME_DIR" not in os.environ:
    os.environ["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="xdg-")

from qgis.core import (  # noqa: E402
    Qgis,
    QgsApplication,
    QgsCategorizedSymbolRenderer,
    QgsCoordinateReferenceSystem,
    QgsExpression,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsFeatureSource,
    QgsGraduatedSymbolRenderer,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsPalLayerSettings,
    QgsProperty,
    QgsRenderContext,
    QgsSingleSymbolRenderer,
    QgsSymbolLayer,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

LAYERS = ["cities", "links", "circles", "centrality", "counties",
          # `agglo scenario --out` folders
          "circles_before", "circles_after", "scenario_links", "scenario_cities"]
REQUIRED = {"cities", "links"}
FIXED_FIELDS = {"fid", "id", "name", "name_zh", "agglomeration", "pop_2020", "rank"}

failures = []
log = []


def fail(where, what):
    failures.append(f"{where}: {what}")
    print(f"FAIL {where}: {what}", flush=True)


def check(cond, where, what):
    if not cond:
        fail(where, what)
    return cond


def on_message(message, tag, level):
    log.append((level, tag, message))


def features(layer):
    return list(layer.getFeatures())


def expression_ok(layer, where, text):
    """The expression parses, uses only existing fields and evaluates on
    every feature without error; returns the values."""
    e = QgsExpression(text)
    if not check(not e.hasParserError(), where, f"`{text}`: {e.parserErrorString()}"):
        return []
    names = set(layer.fields().names())
    for col in e.referencedColumns():
        check(col in names, where, f"`{text}` refers to missing field {col!r}")
    ctx = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    e.prepare(ctx)
    values = []
    for f in features(layer):
        ctx.setFeature(f)
        v = e.evaluate(ctx)
        if e.hasEvalError():
            fail(where, f"`{text}` on feature {f['id']}: {e.evalErrorString()}")
            return values
        values.append(v)
    return values


def dd_property(layer, where, symbol_layer, key, field):
    """Data-defined property `key` of a symbol layer is an active
    expression referring to `field`; returns its values over the layer."""
    prop = symbol_layer.dataDefinedProperties().property(key)
    if not check(prop.isActive(), where, f"data-defined {QgsSymbolLayer.propertyDefinitions()[key].name()} not active"):
        return []
    check(prop.propertyType() == QgsProperty.ExpressionBasedProperty, where, "data-defined property is not an expression")
    text = prop.expressionString()
    check(field in QgsExpression(text).referencedColumns(), where, f"`{text}` does not use {field}")
    return expression_ok(layer, where, text)


def renderer_attrs_exist(layer, where):
    ctx = QgsRenderContext()
    names = set(layer.fields().names())
    for a in layer.renderer().usedAttributes(ctx):
        check(a in names, where, f"renderer uses missing field {a!r}")


def every_feature_has_a_symbol(layer, where):
    r = layer.renderer().clone()
    ctx = QgsRenderContext()
    ctx.setExpressionContext(QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer)))
    r.startRender(ctx, layer.fields())
    missing = [f["id"] for f in features(layer) if r.symbolForFeature(f, ctx) is None]
    r.stopRender(ctx)
    check(not missing, where, f"{len(missing)} features drawn with no symbol, e.g. {missing[:3]}")


def check_circles(layer, where):
    r = layer.renderer()
    if not check(isinstance(r, QgsGraduatedSymbolRenderer), where, f"renderer is {r.type()}, not graduatedSymbol"):
        return set()
    check(r.classAttribute() == "minutes", where, f"graduated by {r.classAttribute()!r}, not minutes")
    budgets = sorted({f["minutes"] for f in features(layer)})
    ranges = r.ranges()
    check(len(ranges) == len(budgets), where, f"{len(ranges)} classes for budgets {budgets}")
    for rg, b in zip(ranges, budgets):
        check(rg.lowerValue() < b <= rg.upperValue(), where, f"class {rg.label()} does not hold {b}")
    colours = set()
    for rg in ranges:
        s = rg.symbol()
        fill = s.color()
        opacity = s.opacity() * fill.alphaF()
        check(0.2 <= opacity <= 0.7, where, f"class {rg.label()} opacity {opacity:.2f}, not semi-transparent")
        colours.add(fill.name())
    darkness = [QColor(rg.symbol().color()).lightness() for rg in ranges]
    check(darkness == sorted(darkness), where, f"nearer budgets are not darker: lightness {darkness}")
    ob = r.orderBy()
    check(
        r.orderByEnabled() and len(ob.list()) == 1 and not ob.list()[0].ascending() and "minutes" in ob.list()[0].expression().referencedColumns(),
        where,
        "features are not drawn largest budget first (order by minutes descending)",
    )
    every_feature_has_a_symbol(layer, where)
    return colours


def check_labels(layer, where, show_field=None):
    check(layer.labelsEnabled(), where, "labels not enabled")
    lab = layer.labeling()
    if not check(isinstance(lab, QgsVectorLayerSimpleLabeling), where, "no simple labeling"):
        return
    s = lab.settings()
    check(not s.isExpression and s.fieldName in layer.fields().names(), where, f"label field {s.fieldName!r} missing")
    if show_field:
        p = s.dataDefinedProperties().property(QgsPalLayerSettings.Show)
        if check(p.isActive(), where, "label Show rule not active"):
            shown = expression_ok(layer, where, p.expressionString())
            check(show_field in QgsExpression(p.expressionString()).referencedColumns(), where, "Show rule ignores population")
            check(0 < sum(bool(v) for v in shown) < len(shown), where, f"Show rule labels {sum(bool(v) for v in shown)} of {len(shown)} cities")


def check_cities(layer, where):
    r = layer.renderer()
    if not check(isinstance(r, QgsSingleSymbolRenderer), where, f"renderer is {r.type()}, not singleSymbol"):
        return set()
    sym = r.symbol()
    check(sym.type() == Qgis.SymbolType.Marker, where, "symbol is not a marker")
    sl = sym.symbolLayer(0)
    sizes = dd_property(layer, where, sl, QgsSymbolLayer.PropertySize, "pop_2020")
    if sizes:
        check(min(sizes) >= 1 and max(sizes) > 2 * min(sizes), where, f"sizes {min(sizes)}..{max(sizes)} mm do not grow with population")
    check_labels(layer, where, "pop_2020")
    return {sym.color().name()}


def check_links(layer, where):
    r = layer.renderer()
    if not check(isinstance(r, QgsCategorizedSymbolRenderer), where, f"renderer is {r.type()}, not categorizedSymbol"):
        return set()
    check(r.classAttribute() == "mode", where, f"categorised by {r.classAttribute()!r}, not mode")
    cats = {c.value(): c for c in r.categories()}
    counts = {}
    for f in features(layer):
        counts[f["mode"]] = counts.get(f["mode"], 0) + 1
    modes = set(counts)
    check(modes <= set(cats), where, f"modes without a category: {sorted(modes - set(cats))}")
    colours = set()
    for m in sorted(modes & set(cats)):
        sym = cats[m].symbol()
        if counts[m] >= 0.05 * sum(counts.values()):
            # Rare modes (a few thin lines) may be hidden under others.
            colours.add(sym.color().name())
        widths = dd_property(layer, f"{where} [{m}]", sym.symbolLayer(0), QgsSymbolLayer.PropertyStrokeWidth, "services_per_day")
        if widths:
            check(min(widths) > 0 and max(widths) > min(widths), where, f"widths {min(widths)}..{max(widths)} do not vary")
    check(len({cats[m].symbol().color().name() for m in modes & set(cats)}) == len(modes & set(cats)), where, "two modes share a colour")
    every_feature_has_a_symbol(layer, where)
    return colours


def check_centrality(layer, where):
    r = layer.renderer()
    if not check(isinstance(r, QgsGraduatedSymbolRenderer), where, f"renderer is {r.type()}, not graduatedSymbol"):
        return set()
    measure = [n for n in layer.fields().names() if n not in FIXED_FIELDS]
    check(len(measure) == 1 and r.classAttribute() == measure[0], where, f"graduated by {r.classAttribute()!r}, measure fields {measure}")
    ranges = r.ranges()
    check(2 <= len(ranges) <= 5, where, f"{len(ranges)} classes")
    lows = [rg.lowerValue() for rg in ranges]
    check(lows == sorted(lows), where, "classes not ascending")
    every_feature_has_a_symbol(layer, where)
    check_labels(layer, where)
    return {rg.symbol().color().name() for rg in ranges}


def check_scenario_links(layer, where):
    r = layer.renderer()
    if not check(isinstance(r, QgsCategorizedSymbolRenderer), where, f"renderer is {r.type()}, not categorizedSymbol"):
        return set()
    check(r.classAttribute() == "status", where, f"categorised by {r.classAttribute()!r}, not status")
    cats = {c.value(): c for c in r.categories()}
    check(set(cats) == {"added", "changed", "removed"}, where, f"categories {sorted(cats)}")
    statuses = {f["status"] for f in features(layer)}
    check(statuses <= set(cats), where, f"statuses without a category: {sorted(statuses - set(cats))}")
    check(len({c.symbol().color().name() for c in cats.values()}) == 3, where, "two statuses share a colour")
    if "removed" in cats:
        pen = cats["removed"].symbol().symbolLayer(0).penStyle()
        check(pen != 1, where, "removed links are not dashed")  # 1 = Qt.SolidLine
    every_feature_has_a_symbol(layer, where)
    return {cats[s].symbol().color().name() for s in statuses & set(cats)}


def check_scenario_cities(layer, where):
    r = layer.renderer()
    if not check(isinstance(r, QgsGraduatedSymbolRenderer), where, f"renderer is {r.type()}, not graduatedSymbol"):
        return set()
    check(r.classAttribute() == "access_change_pct", where, f"graduated by {r.classAttribute()!r}")
    ranges = r.ranges()
    check(1 <= len(ranges) <= 5, where, f"{len(ranges)} classes")
    every_feature_has_a_symbol(layer, where)
    check_labels(layer, where)
    return set()


def check_counties(layer, where):
    r = layer.renderer()
    if not check(isinstance(r, QgsGraduatedSymbolRenderer), where, f"renderer is {r.type()}, not graduatedSymbol"):
        return set()
    check(r.classAttribute() == "density", where, f"graduated by {r.classAttribute()!r}, not density")
    ranges = r.ranges()
    check(2 <= len(ranges) <= 5, where, f"{len(ranges)} classes")
    lows = [rg.lowerValue() for rg in ranges]
    check(lows == sorted(lows), where, "classes not ascending")
    for rg in ranges:
        sym = rg.symbol()
        check(sym.type() == Qgis.SymbolType.Fill, where, f"class {rg.label()} is not a fill")
        check(sym.symbolLayer(0).strokeWidth() <= 0.2, where, f"class {rg.label()} border wider than 0.2 mm")
    every_feature_has_a_symbol(layer, where)
    return {rg.symbol().color().name() for rg in ranges}


CHECKS = {"cities": check_cities, "counties": check_counties, "links": check_links, "circles": check_circles, "centrality": check_centrality,
          "circles_before": check_circles, "circles_after": check_circles,
          "scenario_links": check_scenario_links, "scenario_cities": check_scenario_cities}


def describe(layer):
    r = layer.renderer()
    return f"{r.type()} attr={getattr(r, 'classAttribute', lambda: '-')()} labels={layer.labelsEnabled()}"


def render(layers, path, where, colours=()):
    ms = QgsMapSettings()
    ms.setLayers(layers)
    ms.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    ext = layers[0].extent()
    for l in layers[1:]:
        ext.combineExtentWith(l.extent())
    ext.scale(1.05)
    ms.setExtent(ext)
    ms.setOutputSize(QSize(900, 700))
    ms.setBackgroundColor(QColor("white"))
    ms.setFlag(QgsMapSettings.Antialiasing, True)
    job = QgsMapRendererParallelJob(ms)
    job.start()
    job.waitForFinished()
    for e in job.errors():
        fail(where, f"render error in {e.layerID}: {e.message}")
    img = job.renderedImage()
    check(img.save(path), where, f"could not save {path}")
    # Sample the image: something is drawn, and the style's colours show.
    w, h = img.width(), img.height()
    seen = set()
    drawn = 0
    for y in range(0, h, 2):
        for x in range(0, w, 2):
            c = QColor(img.pixel(x, y))
            if c.name() != "#ffffff":
                drawn += 1
                seen.add((c.red() // 8, c.green() // 8, c.blue() // 8))
    check(drawn > 200, where, f"only {drawn} sampled pixels drawn in {path}")
    for hexc in colours:
        q = QColor(hexc)
        near = any(abs(r - q.red() // 8) <= 1 and abs(g - q.green() // 8) <= 1 and abs(b - q.blue() // 8) <= 1 for r, g, b in seen)
        # Semi-transparent fills show blended with white, not pure.
        check(near, where, f"colour {hexc} of the style not found in {path}")
    return drawn


def blend(hexc, alpha):
    q = QColor(hexc)
    m = lambda v: round(v * alpha + 255 * (1 - alpha))  # noqa: E731
    return QColor(m(q.red()), m(q.green()), m(q.blue())).name()


def open_layer(d, name):
    gpkg = os.path.join(d, "agglo.gpkg")
    if os.path.exists(gpkg):
        with sqlite3.connect(gpkg) as db:
            if not db.execute("SELECT 1 FROM gpkg_contents WHERE table_name = ?", (name,)).fetchone():
                return None, None
        return QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr"), "layer_styles table"
    src = os.path.join(d, f"{name}.geojson")
    if not os.path.exists(src):
        return None, None
    return QgsVectorLayer(src, name, "ogr"), f"{name}.qml"


def check_folder(d, png):
    loaded = []
    for name in LAYERS:
        where = f"{d}:{name}"
        layer, default_from = open_layer(d, name)
        if layer is None:
            check(name not in REQUIRED, where, "layer missing")
            continue
        if not check(layer.isValid(), where, "QGIS cannot open the layer"):
            continue
        check(layer.featureCount() > 0, where, "no features")
        if default_from == "layer_styles table":
            check(
                layer.hasSpatialIndex() == QgsFeatureSource.SpatialIndexPresent,
                where,
                f"QGIS sees no spatial index (hasSpatialIndex() = {layer.hasSpatialIndex()})",
            )
        # 1. Opened as on drag and drop: the default style is already applied.
        before = len(failures)
        CHECKS[name](layer, f"{where} (default style from {default_from})")
        auto_ok = len(failures) == before
        # 2. The .qml applied explicitly.
        qml = os.path.join(d, f"{name}.qml")
        if check(os.path.exists(qml), where, f"{qml} missing"):
            fresh, _ = open_layer(d, name)
            # loadFromLocalDb=True: read the file itself; with False a
            # GeoPackage layer would reload its layer_styles row instead.
            msg, ok = fresh.loadNamedStyle(qml, True)
            check(ok, where, f"loadNamedStyle({qml}) failed: {msg}")
            check(msg == "", where, f"loadNamedStyle({qml}) did not read the file: {msg!r}")
            before = len(failures)
            colours = CHECKS[name](fresh, f"{where} ({name}.qml)")
            renderer_attrs_exist(fresh, where)
            print(f"ok   {where}: default style applied={auto_ok}, loadNamedStyle -> {ok} {msg!r}; {describe(fresh)}; {fresh.featureCount()} features; style checks {'passed' if len(failures) == before else 'FAILED'}", flush=True)
            if name.startswith("circles"):
                # Circles nest, so only the largest budget shows alone over
                # the white background: look for its colour blended at the
                # symbol's opacity (drawn opaque, it would show unblended).
                # (Keep the list alive: symbol() points into it.)
                ranges = fresh.renderer().ranges()
                top = ranges[-1].symbol()
                colours = {blend(top.color().name(), top.opacity())}
                del top, ranges
            if name == "cities":
                colours = set()  # Small markers partly covered by labels.
            base = os.path.basename(os.path.normpath(d))
            render([fresh], os.path.join(png, f"{base}_{name}.png"), where, colours)
            loaded.append(fresh)
    labelled = {l.name(): l.labeling().settings().fieldName for l in loaded if l.labelsEnabled() and l.labeling()}
    if "cities" in labelled and "centrality" in labelled:
        check(labelled["cities"] == labelled["centrality"], d, f"cities labelled by {labelled['cities']}, centrality by {labelled['centrality']} (one --lang)")
    if loaded:
        order = {n: i for i, n in enumerate(["centrality", "scenario_cities", "cities", "scenario_links", "links",
                                             "circles", "circles_after", "circles_before", "counties"])}
        loaded.sort(key=lambda l: order[l.name()])
        base = os.path.basename(os.path.normpath(d))
        render(loaded, os.path.join(png, f"{base}_all.png"), f"{d}:all")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dirs", nargs="+", help="folders written by `agglo export --qgis`")
    ap.add_argument("--png", help="folder for the rendered PNGs (default: a temporary folder)")
    a = ap.parse_args()
    png = a.png or tempfile.mkdtemp(prefix="agglo-qgis-png-")
    os.makedirs(png, exist_ok=True)
    app = QgsApplication([], False)
    app.initQgis()
    QgsApplication.messageLog().messageReceived.connect(on_message)
    print(f"QGIS {Qgis.QGIS_VERSION}; PNGs in {png}", flush=True)
    for d in a.dirs:
        check_folder(d, png)
    for level, tag, message in log:
        if level >= Qgis.Warning:
            print(f"QGIS log [{tag}] {message}", flush=True)
    app.exitQgis()
    if failures:
        print(f"{len(failures)} problem(s)")
        return 1
    print("all QGIS style checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
