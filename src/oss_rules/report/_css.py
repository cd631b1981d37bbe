"""The style sheet of the audit report, inlined so the file needs nothing else.

Colour only repeats what the text says (levels and statuses are written out), so a
black-and-white print loses nothing. In print, each ruleset starts a new page, table
headers repeat on every page, and rows are not split.
"""

CSS = """\
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.4 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #111;
       background: #fff; margin: 1.5rem auto; max-width: 64rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid #333; padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.1rem; margin: 1.4rem 0 .4rem; }
h4 { font-size: 1rem; margin: 1rem 0 .3rem; }
code, .digest { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .9em; }
.digest { word-break: break-all; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; }
th, td { border: 1px solid #888; padding: .2rem .4rem; text-align: left; vertical-align: top; }
thead th { background: #e8e8e8; }
caption { caption-side: top; text-align: left; font-weight: 600; padding: .2rem 0; }
.empty { color: #555; font-style: italic; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .4rem 0; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; }
.matrices { display: flex; flex-wrap: wrap; gap: 1rem; }
table.matrix { width: auto; table-layout: fixed; }
table.matrix th { width: 2.5rem; text-align: center; background: #e8e8e8; }
table.matrix th[scope=col]:first-child { width: 6rem; font-size: .75rem; font-weight: normal; }
table.matrix td { width: 8rem; height: 3.6rem; }
table.matrix ul { list-style: none; margin: 0; padding: 0; }
table.matrix li { font-size: .85rem; }
.score { float: right; color: #444; font-size: .75rem; }
.tag { font-size: .72rem; font-weight: 700; text-transform: uppercase; letter-spacing: .02em; }
.level-high { background: #f3a5a0; }
.level-medium { background: #fbd98b; }
.level-low { background: #bfe3b4; }
.level-none { background: #fff; }
.legend .key { display: inline-block; border: 1px solid #888; padding: 0 .4rem; margin-right: .3rem;
               font-size: .8rem; }
.legend { font-size: .85rem; color: #333; }
ul.proof, ul.proof ul { margin: 0; padding-left: 1rem; }
ul.proof { padding-left: 0; list-style: none; }
.proof .fact { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .8rem; }
.proof .rule { font-size: .85rem; }
.proof .absent { font-size: .85rem; font-style: italic; }
.given { font-size: .75rem; color: #333; border: 1px solid #999; padding: 0 .2rem; }
dl.citations { margin: 0; font-size: .85rem; }
dl.citations dt { font-weight: 600; }
dl.citations dd { margin: 0 0 .3rem .6rem; }
.overdue, .status-overdue { font-weight: 700; color: #9b1111; }
.status-due_soon { font-weight: 700; color: #7a4b00; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.summary th { font-size: .8rem; font-weight: 600; }
footer { margin-top: 2rem; font-size: .8rem; color: #444; border-top: 1px solid #999; }
@media print {
  @page { margin: 14mm 12mm; }
  body { margin: 0; max-width: none; padding: 0; font-size: 9pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  nav.contents { break-after: page; }
  /* A new page for each evaluation and each ruleset but the first of an evaluation,
     whose header stays on the page with it. */
  section.evaluation + section.evaluation, section.ruleset + section.ruleset,
  section.inputs { break-before: page; }
  h2, h3, h4, caption { break-after: avoid; }
  tr, li, table.matrix { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
"""
"""The report's CSS."""
