/**
 * The report as one HTML document: style and script inline, data in a JSON block. The Content-Security-Policy
 * allows exactly that script and that style (by hash) and images from files and data URLs: the page can make no
 * network request, even if a value in it were read as markup.
 */
import { createHash } from 'node:crypto';
import type { ReportData } from './model.js';
import { PAGE_SCRIPT } from './page-script.js';
import { PAGE_STYLE } from './page-style.js';
import { REPORT_SIGNATURE } from './write.js';

const hashOf = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "img-src data: file: 'self'",
  `style-src ${hashOf(PAGE_STYLE)}`,
  `script-src ${hashOf(PAGE_SCRIPT)}`,
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * JSON that can sit inside a <script> element: `<`, `>` and `&` (only ever inside strings) become \u escapes, so no
 * value can close the element or open a comment; U+2028/2029 too, which some parsers end a line on.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** For the few words of our own that are in the markup (labels); every value from a record goes through the script. */
const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderHtml(data: ReportData): string {
  const L = data.labels;
  const imagesNote = data.redacted ? L.imagesHidden : data.images.some((i) => i.state === 'link') ? L.imagesLinked : data.images.some((i) => i.state === 'embedded') ? L.imagesEmbedded : '';
  return `${REPORT_SIGNATURE}: holds personal data -->
<html lang="${data.lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CONTENT_SECURITY_POLICY)}">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(L.title ?? '')}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header class="top">
<h1>${escapeHtml(L.title ?? '')}</h1>
<p class="meta" id="meta"></p>
<div class="banner" role="note"><p>⚠ ${escapeHtml(data.redacted ? (L.personalDataRedacted ?? '') : (L.personalData ?? ''))}</p>${imagesNote ? `<p>${escapeHtml(imagesNote)}</p>` : ''}</div>
<div id="warnings"></div>
<noscript><p class="warn-lines">${escapeHtml(L.noScript ?? '')}</p></noscript>
</header>
<section id="overview" aria-label="Totals"></section>
<section id="controls" aria-label="Filters"></section>
<main>
<table class="list" id="list"><thead></thead><tbody></tbody></table>
<p class="empty" id="empty" hidden></p>
</main>
<p class="keys" id="keys"></p>
<div id="detail" hidden><div class="panel" role="dialog" aria-modal="true" tabindex="-1"></div></div>
<script type="application/json" id="report-data">${jsonForScript(data)}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
