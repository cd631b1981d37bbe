"""The style sheet of the audit report, inlined so the file needs nothing else.

Colour only repeats what the text says (levels, bands and statuses are written out),
so a black-and-white print loses nothing. Nothing is wider than the page: long words
break, and on a narrow screen (a phone) every table becomes a list of cards, one per
row, each cell labelled with its column. In print, each workplace or employer starts a
new page, table headers repeat on every page, and rows are not split.
"""

CSS = """\
:root { color-scheme: light; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { font: 10.5pt/1.45 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #111;
       background: #fff; margin: 1.5rem auto; max-width: 72rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid #333; padding-bottom: .2rem;
     margin: 2rem 0 .4rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
h4 { font-size: .95rem; margin: .8rem 0 .3rem; }
td, th, p, li, dd, summary { overflow-wrap: break-word; }
/* A safety net: a table that cannot fit scrolls inside its box, never the page. */
.table-wrap { max-width: 100%; overflow-x: auto; }
code, .digest { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .88em; }
.digest { word-break: break-all; }
table { border-collapse: collapse; width: 100%; margin: .3rem 0 .8rem; }
th, td { border: 1px solid #999; padding: .25rem .4rem; text-align: left; vertical-align: top; }
thead th { background: #e8e8e8; font-size: .85rem; }
caption { caption-side: top; text-align: left; font-size: .85rem; color: #333; padding: .2rem 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.empty { color: #555; font-style: italic; }
.describe { color: #333; margin: 0 0 .5rem; }
.source, .when, .ruleset-id { font-size: .78rem; color: #555; }
.badge { display: inline-block; border-radius: .7rem; padding: 0 .55rem; font-size: .8rem;
         font-weight: 700; border: 1px solid; white-space: nowrap; }
.badge.attention { background: #fde2e0; color: #8a0f0f; border-color: #c44; }
.badge.ok { background: #e3f3de; color: #245a17; border-color: #5a9a4a; }
.verdict { margin: .2rem 0 .4rem; }
.glance { display: flex; flex-wrap: wrap; gap: .5rem; margin: 0 0 .6rem; }
.stat { border: 1px solid #aaa; border-radius: .3rem; padding: .3rem .6rem; min-width: 8.5rem;
        flex: 1 1 8.5rem; }
.stat.open { border-color: #c44; background: #fff5f4; }
.stat .label { display: block; font-size: .75rem; color: #444; }
.stat .value { display: block; font-size: 1.25rem; font-weight: 700; }
.stat .detail { display: block; font-size: .75rem; color: #444; }
.overdue, .status-overdue { font-weight: 700; color: #9b1111; }
.status-due_soon { font-weight: 700; color: #7a4b00; }
table.matrix { width: auto; max-width: 100%; table-layout: fixed; }
table.matrix th { width: 2rem; text-align: center; background: #e8e8e8; font-size: .8rem; }
table.matrix th.corner { font-weight: normal; font-size: .7rem; }
table.matrix td { width: 8.5rem; height: 3.4rem; padding: .15rem .25rem; font-size: .8rem; }
table.heat td { width: 4.5rem; height: 2.6rem; text-align: center; }
table.matrix ul { list-style: none; margin: 0; padding: 0; }
table.matrix .score { float: right; color: #444; font-size: .68rem; }
table.matrix .band { display: block; font-size: .66rem; color: #333; text-transform: uppercase;
                     letter-spacing: .03em; }
table.heat .count { font-size: 1.15rem; font-weight: 700; }
.hazard { font-weight: 700; }
.tag { font-size: .72rem; }
.level-high { background: #f3a5a0; }
.level-medium { background: #fbd98b; }
.level-low { background: #bfe3b4; }
.level-none { background: #fff; }
.legend { font-size: .8rem; color: #333; }
.legend .key { display: inline-block; border: 1px solid #888; padding: 0 .4rem;
               margin-right: .3rem; }
details.why { margin-top: .25rem; font-size: .85rem; }
details.why > summary { cursor: pointer; color: #1a4f8a; font-size: .8rem; }
details.why p.rule { margin: .2rem 0; }
details.why ul { margin: .1rem 0 .2rem; padding-left: 1.1rem; }
details.why li.absent { font-style: italic; }
details.why li.step { list-style: circle; }
.rule-id { color: #555; font-size: .75rem; }
a.ref { font-size: .75rem; text-decoration: none; }
ol.references { font-size: .85rem; padding-left: 2rem; }
ol.references li { margin-bottom: .3rem; }
.cite-id { font-weight: 700; }
details.input > summary, details.listing > summary { cursor: pointer; font-weight: 600; }
footer { margin-top: 2rem; font-size: .8rem; color: #444; border-top: 1px solid #999; }
@media (max-width: 40rem) {
  body { margin: .8rem auto; padding: 0 .6rem; font-size: 10pt; }
  table:not(.matrix) thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
                             clip: rect(0 0 0 0); }
  table:not(.matrix), table:not(.matrix) tbody, table:not(.matrix) tr { display: block;
                                                                      width: 100%; }
  table:not(.matrix) tr { border: 1px solid #999; margin-bottom: .5rem; }
  /* The label floats in the cell's left padding; flow-root makes the cell as tall as
     the label when the label is the taller. */
  table:not(.matrix) td { display: flow-root; border: 0; border-bottom: 1px solid #ddd;
                          text-align: left; padding-left: 7.6rem; }
  table:not(.matrix) td:empty { display: none; }
  table:not(.matrix) td[data-label]::before { content: attr(data-label); float: left;
                                              width: 6.8rem; margin-left: -7.2rem;
                                              font-size: .72rem; color: #555; }
  table.matrix { width: 100%; }
  table.matrix td { width: auto; height: 2.6rem; font-size: .68rem; padding: .1rem; }
  table.matrix .score { float: none; display: block; text-align: right; }
  table.matrix .band { font-size: .55rem; letter-spacing: 0; }
  table.matrix .tag { display: none; }
  table.matrix th { width: 1.4rem; }
  .stat { min-width: 7rem; flex-basis: 7rem; }
}
@media print {
  @page { margin: 14mm 12mm; }
  body { margin: 0; max-width: none; padding: 0; font-size: 9pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  /* Each workplace or employer on pages of its own; the overview on the first. */
  section.subject, section.rulesets, section.inputs, section.references { break-before: page; }
  h2, h3, h4, caption { break-after: avoid; }
  tr, li, table.matrix, .stat { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
"""
"""The report's CSS."""
