/** The report page's style sheet, inline in the page (allowed by its hash in the Content-Security-Policy). */
export const PAGE_STYLE = `
:root {
  --fg: #1d232b; --muted: #5b6673; --line: #d8dde3; --bg: #ffffff; --panel: #f5f7f9; --focus: #1b63d6;
  --ok: #1e7b3c; --ok-bg: #e2f4e7; --review: #8a5a00; --review-bg: #fff1cc; --nd: #3f5a78; --nd-bg: #e3ebf5;
  --failed: #a8201a; --failed-bg: #fde3e1; --skipped: #55595e; --skipped-bg: #eceef0;
}
* { box-sizing: border-box; }
html { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--fg); background: var(--bg); }
body { margin: 0; }
header.top { padding: 16px 24px 8px; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 15px; margin: 0 0 8px; }
h3 { font-size: 14px; margin: 16px 0 6px; }
.meta { color: var(--muted); margin: 0 0 8px; overflow-wrap: anywhere; }
.banner { border: 2px solid var(--failed); background: var(--failed-bg); color: #5c0f0b; padding: 8px 12px; border-radius: 6px; font-weight: 600; }
.banner p { margin: 0; }
.banner p + p { font-weight: 400; margin-top: 4px; }
.warn-lines { color: var(--review); margin: 6px 0 0; }
#overview { display: flex; flex-wrap: wrap; gap: 16px; padding: 8px 24px; align-items: flex-start; }
.totals { display: flex; flex-wrap: wrap; gap: 8px; flex-basis: 100%; }
.total { border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; min-width: 104px; background: var(--panel); text-align: left; font: inherit; color: inherit; cursor: pointer; }
.total strong { display: block; font-size: 22px; line-height: 1.1; }
.total[aria-pressed="true"] { outline: 3px solid var(--focus); }
.total.all { cursor: default; }
.chart { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; background: var(--panel); }
.chart svg { display: block; width: 420px; max-width: 100%; height: auto; }
.chart p { margin: 4px 0 0; color: var(--muted); font-size: 12px; max-width: 420px; }
.legend { display: flex; gap: 12px; font-size: 12px; color: var(--muted); }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: -1px; border-radius: 2px; }
.sw-match { background: #2f9e55; } .sw-nomatch { background: #d9534f; } .sw-band { background: #c9d7ee; }
#controls { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; padding: 8px 24px; background: var(--bg); border-bottom: 1px solid var(--line); }
#controls input[type="search"] { width: 280px; max-width: 100%; padding: 5px 8px; font: inherit; }
#controls select { font: inherit; padding: 4px; }
#controls label { white-space: nowrap; }
.count { color: var(--muted); }
.pager { display: flex; gap: 6px; align-items: center; margin-left: auto; }
.pager button, .detail-nav button { font: inherit; padding: 3px 10px; }
main { padding: 0 24px 24px; }
table.list { width: 100%; border-collapse: collapse; }
table.list th { text-align: left; font-size: 12px; color: var(--muted); border-bottom: 2px solid var(--line); padding: 6px; position: sticky; top: 0; }
table.list td { border-bottom: 1px solid var(--line); padding: 6px; vertical-align: top; overflow-wrap: anywhere; }
table.list tr.row { cursor: pointer; }
table.list td.k { white-space: nowrap; overflow-wrap: normal; }
table.list tr.row:hover { background: #f0f4fa; }
table.list tr.row:focus { outline: 3px solid var(--focus); outline-offset: -3px; background: #eaf1fd; }
tr.row.current { background: #eaf1fd; }
.thumbs { display: flex; gap: 4px; }
img.thumb { width: 72px; height: 48px; object-fit: cover; border-radius: 4px; background: var(--panel); border: 1px solid var(--line); }
.noimg { display: inline-flex; width: 72px; height: 48px; align-items: center; justify-content: center; text-align: center; font-size: 10px; line-height: 1.1; color: var(--muted); border: 1px dashed var(--line); border-radius: 4px; padding: 2px; }
.file { font-weight: 600; }
table.list td:nth-child(2) { min-width: 200px; }
.dir, .sub { color: var(--muted); font-size: 12px; }
.badge { display: inline-block; border-radius: 10px; padding: 1px 8px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.o-ok { color: var(--ok); background: var(--ok-bg); } .o-review { color: var(--review); background: var(--review-bg); }
.o-not_detected { color: var(--nd); background: var(--nd-bg); } .o-failed { color: var(--failed); background: var(--failed-bg); }
.o-skipped { color: var(--skipped); background: var(--skipped-bg); }
.flagged { background: var(--review-bg); color: #5a3b00; border-radius: 3px; padding: 0 3px; font-weight: 600; }
.flagged::after { content: " ⚠"; }
.bad { color: var(--failed); font-weight: 600; }
.chips { display: flex; flex-wrap: wrap; gap: 4px; }
.chip { border-radius: 4px; padding: 0 6px; font-size: 12px; border: 1px solid var(--line); }
.chip.review { background: var(--review-bg); border-color: #e8c66b; }
.chip.error { background: var(--failed-bg); border-color: #f0a8a3; }
.chip.warning { background: #fff6e0; border-color: #e8c66b; }
.code { font-size: 12px; margin-top: 2px; }
.code b { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
.code .en { color: var(--muted); }
.empty { padding: 24px; color: var(--muted); }
.keys { color: var(--muted); font-size: 12px; padding: 0 24px 16px; }
#detail { position: fixed; inset: 0; z-index: 5; background: rgba(20, 26, 33, 0.45); display: flex; justify-content: flex-end; }
#detail[hidden] { display: none; }
.panel { background: var(--bg); width: min(1100px, 96vw); height: 100%; overflow: auto; padding: 16px 20px; box-shadow: -4px 0 16px rgba(0,0,0,.2); }
.panel:focus { outline: none; }
.panel-head { display: flex; gap: 12px; align-items: flex-start; border-bottom: 1px solid var(--line); padding-bottom: 8px; }
.panel-head h2 { flex: 1; margin: 0; overflow-wrap: anywhere; }
.detail-nav { display: flex; gap: 6px; }
.panel-body { display: grid; grid-template-columns: minmax(240px, 42%) 1fr; gap: 20px; padding-top: 12px; }
.pictures { position: sticky; top: 0; align-self: start; }
.pictures figure { margin: 0 0 12px; }
.pictures img.big { max-width: 100%; max-height: 70vh; border: 1px solid var(--line); border-radius: 6px; background: var(--panel); }
.pictures .noimg { width: 100%; height: 160px; font-size: 13px; }
figcaption { font-size: 12px; color: var(--muted); overflow-wrap: anywhere; }
table.kv { border-collapse: collapse; width: 100%; margin-bottom: 8px; }
table.kv th, table.kv td { text-align: left; border-bottom: 1px solid var(--line); padding: 3px 6px; vertical-align: top; overflow-wrap: anywhere; }
table.kv th { font-size: 12px; color: var(--muted); font-weight: 600; }
table.kv td.name { width: 34%; }
table.kv td.part { padding-left: 18px; }
table.kv .api { color: var(--muted); font-size: 11px; margin-left: 4px; }
tr.m-review td { background: var(--review-bg); }
tr.m-problem td, tr.m-finding td { background: var(--failed-bg); }
.marker { font-weight: 700; white-space: nowrap; }
ul.plain { margin: 0; padding-left: 18px; }
pre.raw { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--panel); padding: 8px; border-radius: 4px; font-size: 12px; }
@media (max-width: 800px) { .panel-body { grid-template-columns: 1fr; } }
@media print {
  #controls, .keys, .detail-nav, .panel-head button, .total.all { display: none !important; }
  header.top, #overview, main { padding-left: 0; padding-right: 0; }
  .banner { border-width: 1px; }
  table.list th { position: static; }
  tr.row { break-inside: avoid; }
  img.thumb, .noimg { width: 56px; height: 38px; }
  .total { cursor: auto; }
  body.detail-open > *:not(#detail):not(header.top) { display: none !important; }
  body.detail-open #detail { position: static; background: none; display: block; }
  body.detail-open .panel { width: auto; height: auto; box-shadow: none; padding: 0; overflow: visible; }
  .pictures { position: static; }
  .pictures img.big { max-height: 60vh; }
}
`;
