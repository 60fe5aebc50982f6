/**
 * The report page's script, inline in the page (allowed by its hash in the Content-Security-Policy). It reads the
 * JSON data block and builds everything with DOM calls: every value from a record goes in through textContent or a
 * property, never as markup, because OCR'd values and file names are hostile. Plain browser JavaScript: no
 * template literals (this is one), nothing fetched, nothing stored.
 */
export const PAGE_SCRIPT = String.raw`
(() => {
  'use strict';
  const D = JSON.parse(document.getElementById('report-data').textContent);
  const L = D.labels;
  const MARK = { review: 1, problem: 2, finding: 4 };
  const OUTCOMES = ['ok', 'review', 'not_detected', 'failed', 'skipped'];
  const KEY_FIELDS = ['idNumber', 'name', 'dob', 'expiry'];
  const PAGE_SIZE = 100;
  const SVG = 'http://www.w3.org/2000/svg';
  const collator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });

  // ---- building blocks: values go in as text, never as markup -------------------------------------------
  const own = (object, key) => (object && Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined);
  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null && text !== '') e.textContent = String(text);
    return e;
  }
  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    for (const k of Object.keys(attrs)) e.setAttribute(k, String(attrs[k]));
    if (text !== undefined) e.textContent = String(text);
    return e;
  }
  function button(text, onClick, className) {
    const b = el('button', className || '', text);
    b.type = 'button';
    b.addEventListener('click', onClick);
    return b;
  }
  function checkbox(text, onChange) {
    const label = el('label');
    const box = el('input');
    box.type = 'checkbox';
    box.addEventListener('change', () => onChange(box.checked));
    label.append(box, ' ' + text);
    return label;
  }
  function select(options, onChange) {
    const s = el('select');
    for (const [value, text] of options) {
      const o = el('option', '', text);
      o.value = value;
      s.append(o);
    }
    s.addEventListener('change', () => onChange(s.value));
    return s;
  }
  const fold = (s) => String(s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
  const cut = (p) => Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  const baseName = (p) => p.slice(cut(p) + 1);
  const dirName = (p) => p.slice(0, cut(p) + 1);
  const fieldLabel = (name) => own(D.fieldLabels, name) || name;
  const outcomeBadge = (o) => el('span', 'badge o-' + o, own(L, 'outcome.' + o) || o);
  const score = (n) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  function docTypeName(type) {
    const t = own(D.docTypes, type);
    if (!t) return type;
    return D.lang === 'vi' ? t.vi + ' / ' + t.en : t.en + ' / ' + t.vi;
  }

  // ---- rows ---------------------------------------------------------------------------------------------
  const rows = D.rows.map((r, i) => {
    r.index = i;
    r.hay = fold([r.file].concat(r.files || [], r.key.name || '', r.key.idNumber || '').join('\n'));
    r.flagCount = r.reviewFlags.length + (r.findings ? r.findings.length : 0);
    return r;
  });
  const state = { outcome: '', review: false, findings: false, q: '', sort: 'input', page: 0, cursor: 0, open: false };
  let view = rows;

  const byText = (a, b) => (a ? (b ? collator.compare(a, b) : -1) : b ? 1 : 0);
  const scoreOf = (r) => (r.compare ? r.compare.score : Infinity);
  const SORTS = {
    input: () => 0,
    file: (a, b) => collator.compare(a.file, b.file),
    name: (a, b) => byText(a.key.name, b.key.name),
    idNumber: (a, b) => byText(a.key.idNumber, b.key.idNumber),
    outcome: (a, b) => OUTCOMES.indexOf(a.outcome) - OUTCOMES.indexOf(b.outcome),
    score: (a, b) => (scoreOf(a) === scoreOf(b) ? 0 : scoreOf(a) < scoreOf(b) ? -1 : 1),
    flags: (a, b) => b.flagCount - a.flagCount,
  };

  // ---- page skeleton ------------------------------------------------------------------------------------
  const meta = document.getElementById('meta');
  const warnings = document.getElementById('warnings');
  const overview = document.getElementById('overview');
  const controls = document.getElementById('controls');
  const tbody = document.querySelector('#list tbody');
  const thead = document.querySelector('#list thead');
  const empty = document.getElementById('empty');
  const detail = document.getElementById('detail');
  const panel = detail.querySelector('.panel');

  meta.textContent = L.generated + ' ' + new Date(D.generatedAt).toLocaleString() + ' · ' + L.checkedOn + ' ' + D.checkedOn + ' · ' + L.sources + ': ' +
    D.sources.map((s) => s.path + ' (' + s.records + ')').join(', ');
  for (const s of D.sources) {
    if (s.unreadableCount) warnings.append(el('p', 'warn-lines', s.path + ': ' + s.unreadableCount + ' ' + L.unreadableLines + ' (' + L.line + ' ' + s.unreadable.join(', ') + (s.unreadableCount > s.unreadable.length ? ', …' : '') + ')'));
    if (s.replaced) warnings.append(el('p', 'warn-lines', s.path + ': ' + s.replaced + ' ' + L.replaced));
  }

  const totalButtons = {};
  function renderOverview() {
    const totals = el('div', 'totals');
    const all = el('div', 'total all');
    all.append(el('strong', '', rows.length), L.total);
    totals.append(all);
    for (const o of OUTCOMES) {
      const b = button('', () => setOutcome(state.outcome === o ? '' : o), 'total');
      b.setAttribute('aria-pressed', 'false');
      b.dataset.outcome = o;
      b.append(el('strong', '', D.totals[o] || 0), outcomeBadge(o));
      totalButtons[o] = b;
      totals.append(b);
    }
    overview.append(totals);
    if (D.compare) overview.append(compareChart(D.compare));
    if (D.liveness) overview.append(livenessChart(D.liveness));
  }

  function compareChart(c) {
    const box = el('figure', 'chart');
    box.append(el('h2', '', L.compareChart));
    const W = 420, H = 170, X0 = 34, X1 = 410, Y0 = 12, Y1 = 132;
    const xOf = (s) => X0 + (s / 100) * (X1 - X0);
    const max = Math.max(1, ...c.bins.map((b) => b.match + b.noMatch));
    const yOf = (n) => Y1 - (n / max) * (Y1 - Y0);
    const chart = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': L.compareChart });
    chart.append(svg('title', {}, L.compareChart));
    if (c.band) chart.append(svg('rect', { x: xOf(c.band.low), y: Y0, width: Math.max(1, xOf(c.band.high) - xOf(c.band.low)), height: Y1 - Y0, fill: '#c9d7ee' }));
    const bw = (X1 - X0) / c.bins.length;
    for (const b of c.bins) {
      const x = xOf(b.from) + 1;
      const g = svg('g', {});
      g.append(svg('title', {}, b.from + '–' + (b.from + c.width) + ': ' + b.match + ' ' + L.match + ', ' + b.noMatch + ' ' + L.noMatch));
      if (b.noMatch) g.append(svg('rect', { x: x, y: yOf(b.noMatch), width: bw - 2, height: Y1 - yOf(b.noMatch), fill: '#d9534f' }));
      if (b.match) g.append(svg('rect', { x: x, y: yOf(b.noMatch + b.match), width: bw - 2, height: Y1 - yOf(b.match), fill: '#2f9e55' }));
      chart.append(g);
    }
    chart.append(svg('line', { x1: X0, y1: Y1, x2: X1, y2: Y1, stroke: '#5b6673' }));
    for (const s of [0, 25, 50, 75, 100]) chart.append(svg('text', { x: xOf(s), y: Y1 + 14, 'text-anchor': 'middle', 'font-size': 11, fill: '#5b6673' }, s));
    chart.append(svg('text', { x: X0 - 4, y: Y0 + 8, 'text-anchor': 'end', 'font-size': 11, fill: '#5b6673' }, max));
    chart.append(svg('text', { x: X0 - 4, y: Y1, 'text-anchor': 'end', 'font-size': 11, fill: '#5b6673' }, 0));
    if (c.threshold !== undefined) {
      chart.append(svg('line', { x1: xOf(c.threshold), y1: Y0 - 6, x2: xOf(c.threshold), y2: Y1, stroke: '#1d232b', 'stroke-width': 2, 'stroke-dasharray': '4 3' }));
      chart.append(svg('text', { x: xOf(c.threshold) + 4, y: Y0 + 2, 'font-size': 11, fill: '#1d232b' }, L.threshold + ' ' + c.threshold));
    }
    chart.append(svg('text', { x: (X0 + X1) / 2, y: H - 4, 'text-anchor': 'middle', 'font-size': 11, fill: '#5b6673' }, L.score));
    box.append(chart);
    const legend = el('div', 'legend');
    const key = (cls, text) => {
      const s = el('span');
      s.append(el('span', 'swatch ' + cls), text);
      return s;
    };
    legend.append(key('sw-match', L.match), key('sw-nomatch', L.noMatch));
    if (c.band) legend.append(key('sw-band', L.thresholdBand + ' (' + score(c.band.low) + '–' + score(c.band.high) + ')'));
    box.append(legend);
    if (c.threshold === undefined && !c.band) box.append(el('p', '', L.thresholdUnknown));
    return box;
  }

  function livenessChart(v) {
    const box = el('figure', 'chart');
    box.append(el('h2', '', L.livenessChart));
    const bars = [[L.live, v.live, '#2f9e55'], [L.liveReview, v.liveReview, '#e0a100'], [L.notLive, v.notLive, '#d9534f']];
    const max = Math.max(1, v.live, v.liveReview, v.notLive);
    const chart = svg('svg', { viewBox: '0 0 420 96', role: 'img', 'aria-label': L.livenessChart });
    chart.append(svg('title', {}, L.livenessChart));
    bars.forEach(([label, n, color], i) => {
      const y = 8 + i * 28;
      chart.append(svg('text', { x: 104, y: y + 14, 'text-anchor': 'end', 'font-size': 12, fill: '#1d232b' }, label));
      chart.append(svg('rect', { x: 112, y: y, width: Math.max(n ? 2 : 0, (n / max) * 250), height: 20, fill: color }));
      chart.append(svg('text', { x: 118 + (n / max) * 250, y: y + 14, 'font-size': 12, fill: '#1d232b' }, n));
    });
    box.append(chart);
    return box;
  }

  // ---- controls -----------------------------------------------------------------------------------------
  const search = el('input');
  search.type = 'search';
  search.placeholder = L.search;
  search.setAttribute('aria-label', L.search);
  search.addEventListener('input', () => {
    state.q = search.value;
    applyFilters();
  });
  const outcomeSelect = select([['', L.allOutcomes]].concat(OUTCOMES.map((o) => [o, own(L, 'outcome.' + o)])), (v) => setOutcome(v));
  outcomeSelect.setAttribute('aria-label', L.allOutcomes);
  const sortSelect = select(Object.keys(SORTS).map((k) => [k, own(L, 'sort.' + k)]), (v) => {
    state.sort = v;
    applyFilters();
  });
  const sortLabel = el('label', '', L.sortBy + ' ');
  sortLabel.append(sortSelect);
  const count = el('span', 'count');
  count.setAttribute('aria-live', 'polite');
  const pageInfo = el('span', 'count');
  const prev = button(L.previous, () => turnPage(-1));
  const next = button(L.next, () => turnPage(1));
  const pager = el('div', 'pager');
  pager.append(prev, pageInfo, next);
  controls.append(
    search,
    outcomeSelect,
    checkbox(L.hasReview, (on) => {
      state.review = on;
      applyFilters();
    }),
    checkbox(L.hasFindings, (on) => {
      state.findings = on;
      applyFilters();
    }),
    sortLabel,
    count,
    pager,
  );

  function setOutcome(o) {
    state.outcome = o;
    outcomeSelect.value = o;
    for (const k of OUTCOMES) totalButtons[k].setAttribute('aria-pressed', String(k === o));
    applyFilters();
  }

  function applyFilters() {
    const q = fold(state.q.trim());
    view = rows.filter(
      (r) =>
        (!state.outcome || r.outcome === state.outcome) &&
        (!state.review || r.reviewFlags.length > 0) &&
        (!state.findings || (r.findings && r.findings.length > 0)) &&
        (!q || r.hay.includes(q)),
    );
    const order = SORTS[state.sort];
    view.sort((a, b) => order(a, b) || a.index - b.index);
    state.page = 0;
    state.cursor = 0;
    renderList();
  }

  // ---- the list -----------------------------------------------------------------------------------------
  const headRow = el('tr');
  for (const h of [L.image, L.file + ' · ' + L.documentType, L.idNumber, L.name, L.dob, L.expiry, L.result, L.notes]) headRow.append(el('th', '', h));
  thead.append(headRow);
  empty.textContent = L.noRows;
  document.getElementById('keys').textContent = L.keys;

  function picture(index, className, long) {
    const v = D.images[index];
    if (!v || v.state === 'missing' || v.state === 'unviewable') {
      const note = !v ? '' : v.state === 'missing' ? L.imageMissing : L.imageUnviewable + (v.note ? ': ' + v.note : '');
      const box = el('span', 'noimg', long ? note : '—');
      box.title = note;
      return box;
    }
    const img = el('img', className);
    img.alt = '';
    img.decoding = 'async';
    if (!long) img.loading = 'lazy';
    img.addEventListener('error', () => img.replaceWith(el('span', 'noimg', long ? L.imageFailed : '—')), { once: true });
    img.src = v.src;
    return img;
  }

  function docTypes(r) {
    return r.documents ? r.documents.map((d) => docTypeName(d.type)).join(' + ') : r.kind === 'compare' ? L.faceCompare : r.kind === 'liveness' ? L.liveness : '';
  }

  function keyCell(r, k) {
    const td = el('td', k === 'name' ? '' : 'k');
    const v = r.key[k];
    if (!v) return td;
    const marks = (r.keyMarks && r.keyMarks[k]) || 0;
    const span = el('span', marks & MARK.review ? 'flagged' : marks & (MARK.finding | MARK.problem) ? 'bad' : '', v);
    if (marks & MARK.finding) span.append(' ✗');
    td.append(span);
    return td;
  }

  function verdictLines(r) {
    const out = [];
    if (r.compare) {
      const s = el('div', r.compare.review ? 'flagged' : '', L.score + ' ' + score(r.compare.score) + ' · ' + (r.compare.match ? L.match : L.noMatch));
      out.push(s);
    }
    if (r.liveness) out.push(el('div', r.liveness.review ? 'flagged' : r.liveness.live ? '' : 'bad', r.liveness.live ? L.live : L.notLive));
    if (r.summary) out.push(el('div', r.summary.action === 'review' ? 'sub bad' : 'sub', L.summary + ': ' + (r.summary.action === 'pass' ? L.summaryPass : L.summaryReview)));
    if (r.indexed) out.push(el('div', 'sub', L.indexed));
    if (r.matches) out.push(el('div', 'sub', r.matches.length ? L.matches + ': ' + r.matches.length : L.noMatches));
    if (r.unrecognised && r.unrecognised.problem) out.push(el('div', 'bad', L.unrecognised));
    if (r.error) out.push(el('div', r.outcome === 'not_detected' ? 'sub' : 'bad', r.error.code + (r.error.status ? ' (HTTP ' + r.error.status + ')' : '') + ': ' + r.error.message));
    return out;
  }

  function codeLine(code, message) {
    const known = own(D.codes, code);
    const line = el('div', 'code');
    line.append(el('b', '', code), ' ' + (known ? known.vi : message));
    if (known) line.append(el('span', 'en', ' — ' + known.en));
    return line;
  }

  function notes(r) {
    const box = el('div');
    const chips = el('div', 'chips');
    for (const f of r.reviewFlags) chips.append(el('span', 'chip review', '⚠ ' + fieldLabel(f)));
    for (const f of r.findings || []) {
      const chip = el('span', 'chip ' + f.severity, (f.severity === 'error' ? '✗ ' : '! ') + f.code);
      chip.title = f.message;
      chips.append(chip);
    }
    for (const p of r.preflight || []) chips.append(el('span', 'chip warning', L.preflight + ': ' + p.code));
    if (chips.childNodes.length) box.append(chips);
    if (r.summary) for (const [code, message] of r.summary.codes) box.append(codeLine(code, message));
    return box;
  }

  function rowElement(r, pos) {
    const tr = el('tr', 'row');
    tr.tabIndex = -1;
    tr.dataset.pos = String(pos);
    tr.dataset.outcome = r.outcome;
    const cells = [];
    const thumbs = el('div', 'thumbs');
    for (const i of r.images) thumbs.append(picture(i, 'thumb', false));
    cells.push(thumbs);
    const file = el('div');
    file.append(el('div', 'file', baseName(r.file)));
    if (dirName(r.file)) file.append(el('div', 'dir', dirName(r.file)));
    for (const f of (r.files || []).slice(1)) file.append(el('div', 'dir', '+ ' + f));
    const types = docTypes(r);
    if (types) file.append(el('div', 'sub', types));
    cells.push(file);
    for (const cell of cells) {
      const td = el('td');
      td.append(cell);
      tr.append(td);
    }
    for (const k of KEY_FIELDS) tr.append(keyCell(r, k));
    const result = el('td');
    result.append(outcomeBadge(r.outcome), ...verdictLines(r));
    const note = el('td');
    note.append(notes(r));
    tr.append(result, note);
    tr.addEventListener('click', () => {
      state.cursor = pos;
      markCurrent(false);
      openDetail();
    });
    return tr;
  }

  function renderList() {
    const pages = Math.max(1, Math.ceil(view.length / PAGE_SIZE));
    state.page = Math.min(Math.max(0, state.page), pages - 1);
    const start = state.page * PAGE_SIZE;
    tbody.replaceChildren(...view.slice(start, start + PAGE_SIZE).map((r, i) => rowElement(r, start + i)));
    empty.hidden = view.length > 0;
    count.textContent = L.count.replace('{shown}', String(view.length)).replace('{total}', String(rows.length));
    pageInfo.textContent = L.page + ' ' + (state.page + 1) + ' / ' + pages;
    prev.disabled = state.page === 0;
    next.disabled = state.page >= pages - 1;
    markCurrent(false);
  }

  function currentRow() {
    return tbody.querySelector('tr.row[data-pos="' + state.cursor + '"]');
  }

  function markCurrent(focus) {
    for (const tr of tbody.querySelectorAll('tr.row.current')) {
      tr.classList.remove('current');
      tr.tabIndex = -1;
    }
    const tr = currentRow();
    if (!tr) return;
    tr.classList.add('current');
    tr.tabIndex = 0;
    if (focus) {
      tr.focus({ preventScroll: true });
      tr.scrollIntoView({ block: 'nearest' });
    }
  }

  function move(delta) {
    if (!view.length) return;
    const onRow = document.activeElement && document.activeElement.classList.contains('row');
    if (onRow || state.open || !Number.isFinite(delta)) state.cursor = Math.max(0, Math.min(view.length - 1, state.cursor + delta));
    const page = Math.floor(state.cursor / PAGE_SIZE);
    if (page !== state.page) {
      state.page = page;
      renderList();
    }
    markCurrent(!state.open);
    if (state.open) renderDetail(view[state.cursor]);
  }

  function turnPage(delta) {
    const pages = Math.max(1, Math.ceil(view.length / PAGE_SIZE));
    const page = Math.min(Math.max(0, state.page + delta), pages - 1);
    if (page === state.page) return;
    state.page = page;
    state.cursor = page * PAGE_SIZE;
    renderList();
    if (state.open) renderDetail(view[state.cursor]);
    else markCurrent(true);
  }

  // ---- the detail view ----------------------------------------------------------------------------------
  function section(title, ...content) {
    const s = el('section');
    s.append(el('h3', '', title), ...content);
    return s;
  }

  function markerText(marks) {
    const parts = [];
    if (marks & MARK.review) parts.push('⚠ ' + L.review);
    if (marks & MARK.problem) parts.push('✗');
    if (marks & MARK.finding) parts.push('✗ ' + L.findingMark);
    return parts.join(' ');
  }

  function entryTable(entries) {
    const withConf = entries.some((e) => e.length > 3);
    const table = el('table', 'kv');
    const head = el('tr');
    head.append(el('th', '', L.field), el('th', '', L.value), el('th', '', ''));
    if (withConf) head.append(el('th', '', L.confidence));
    const thead = el('thead');
    thead.append(head);
    const body = el('tbody');
    for (const [name, value, marks = 0, conf] of entries) {
      const tr = el('tr', marks & MARK.review ? 'm-review' : marks & (MARK.problem | MARK.finding) ? 'm-problem' : '');
      tr.dataset.field = name;
      // An address split's parts (permanentAddress.province) sit under their address.
      const part = name.indexOf('.') > 0 ? name.slice(name.indexOf('.') + 1) : '';
      const label = part ? '↳ ' + fieldLabel(part) : fieldLabel(name);
      const nameCell = el('td', part ? 'name part' : 'name', label);
      if (fieldLabel(part || name) !== (part || name)) nameCell.append(el('span', 'api', part || name));
      tr.append(nameCell, el('td', 'value', value), el('td', 'marker', markerText(marks)));
      if (withConf) tr.append(el('td', '', conf === undefined ? '' : score(conf) + '%'));
      body.append(tr);
    }
    table.append(thead, body);
    return table;
  }

  function keyValues(pairs) {
    const table = el('table', 'kv');
    const body = el('tbody');
    for (const [k, v, cls] of pairs) {
      if (v === undefined || v === null || v === '') continue;
      const tr = el('tr', cls || '');
      tr.append(el('td', 'name', k), el('td', '', v));
      body.append(tr);
    }
    table.append(body);
    return table;
  }

  function renderDetail(r) {
    if (!r) return;
    const head = el('div', 'panel-head');
    const title = el('h2', '', r.file);
    title.id = 'detail-title';
    const nav = el('div', 'detail-nav');
    nav.append(button('↑', () => move(-1)), button('↓', () => move(1)), button('✕ ' + L.close, closeDetail));
    head.append(title, outcomeBadge(r.outcome), nav);

    const pictures = el('div', 'pictures');
    const files = r.files || [r.file];
    r.images.forEach((index, i) => {
      const fig = el('figure');
      fig.append(picture(index, 'big', true), el('figcaption', '', files[i] || ''));
      pictures.append(fig);
    });

    const info = el('div', 'info');
    if (r.summary) {
      const list = el('div');
      for (const [code, message] of r.summary.codes) {
        const known = own(D.codes, code);
        const line = codeLine(code, message);
        if (known && known.check) line.append(el('span', 'en', ' [' + known.check + ']'));
        list.append(line);
      }
      const verdict = r.summary.action === 'pass' ? L.summaryPass : L.summaryReview;
      // The API's own word when it is not the one shown ("manualReview", "Manual Review").
      const raw = r.summary.rawAction.toLowerCase() === verdict ? '' : ' (' + r.summary.rawAction + ')';
      info.append(section(L.summary + ': ' + verdict + raw, list));
    }
    if (r.findings && r.findings.length) {
      const ul = el('ul', 'plain');
      for (const f of r.findings) {
        const li = el('li', f.severity === 'error' ? 'bad' : '');
        li.append(el('b', '', (f.severity === 'error' ? '✗ ' + L.findingError : '! ' + L.findingWarning) + ' ' + f.code), (f.field ? ' (' + fieldLabel(f.field) + ')' : '') + ': ' + f.message);
        ul.append(li);
      }
      info.append(section(L.findings, ul));
    }
    if (r.reviewFlags.length) info.append(section(L.reviewFlags, el('p', 'flagged', r.reviewFlags.map(fieldLabel).join(', '))));
    for (const d of r.documents || []) {
      info.append(section(docTypeName(d.type) + ' (' + d.type + ')', entryTable(d.fields)));
      for (const c of d.checks) info.append(section(fieldLabel(c.group), entryTable(c.entries)));
    }
    if (r.compare) {
      info.append(section(L.faceCompare, keyValues([
        [L.match, r.compare.match ? L.yes : L.no],
        [L.score, score(r.compare.score)],
        [L.confidence, r.compare.conf === undefined ? '' : score(r.compare.conf)],
        ['⚠ ' + L.review, r.compare.review ? L.yes : L.no, r.compare.review ? 'm-review' : ''],
      ])));
    }
    if (r.liveness) {
      info.append(section(L.liveness, keyValues([
        [L.live, r.liveness.live ? L.yes : L.no, r.liveness.live ? '' : 'm-problem'],
        ['⚠ ' + L.review, r.liveness.review ? L.yes : L.no, r.liveness.review ? 'm-review' : ''],
      ])));
      if (r.liveness.checks.length) info.append(section(fieldLabel('qualityChecks'), entryTable(r.liveness.checks)));
    }
    if (r.indexed) info.append(section(L.indexed, keyValues([[L.idNumber, r.indexed.idNumber], [fieldLabel('milvusId'), r.indexed.milvusId], [fieldLabel('indexingTime'), r.indexed.indexingTime]])));
    if (r.matches) {
      info.append(section(L.matches, r.matches.length ? keyValues(r.matches.map((m, i) => [String(i + 1) + '. ' + m.idNumber, L.similarity + ' ' + score(m.similarity) + ' · ' + m.indexingTime])) : el('p', '', L.noMatches)));
    }
    if (r.unrecognised) {
      const pre = el('pre', 'raw', r.unrecognised.body);
      const problem = r.unrecognised.problem;
      info.append(problem ? section(L.unrecognised, el('p', 'bad', problem), pre) : section(L.answer, pre));
    }
    if (r.error) info.append(section(L.error, keyValues([['code', r.error.code, 'm-problem'], ['HTTP', r.error.status], ['message', r.error.message]])));
    if (r.preflight && r.preflight.length) info.append(section(L.preflight, keyValues(r.preflight.map((p) => [p.code, p.message]))));
    if (r.prepared) {
      const ul = el('ul', 'plain');
      for (const line of r.prepared) ul.append(el('li', '', line));
      info.append(section(L.prepared, ul));
    }
    const source = D.sources[r.source];
    info.append(section(L.request, keyValues([
      ['HTTP', r.httpStatus],
      ['requestId', r.requestId],
      ['transactionId', r.transactionId],
      [L.duration, r.durationMs === undefined ? '' : r.durationMs + ' ms'],
      [L.source, (source ? source.path : '') + ', ' + L.line + ' ' + r.line],
    ])));

    const body = el('div', 'panel-body');
    body.append(pictures, info);
    panel.replaceChildren(head, body);
    panel.setAttribute('aria-labelledby', 'detail-title');
    panel.scrollTop = 0;
  }

  function openDetail() {
    const r = view[state.cursor];
    if (!r) return;
    state.open = true;
    renderDetail(r);
    detail.hidden = false;
    document.body.classList.add('detail-open');
    panel.focus();
  }

  function closeDetail() {
    state.open = false;
    detail.hidden = true;
    document.body.classList.remove('detail-open');
    markCurrent(true);
  }

  detail.addEventListener('click', (ev) => {
    if (ev.target === detail) closeDetail();
  });

  // ---- keyboard -----------------------------------------------------------------------------------------
  document.addEventListener('keydown', (ev) => {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const t = ev.target;
    const typing = (t instanceof HTMLInputElement && t.type !== 'checkbox') || t instanceof HTMLSelectElement;
    if (ev.key === 'Escape') {
      if (state.open) closeDetail();
      else if (typing) markCurrent(true);
      else return;
      ev.preventDefault();
      return;
    }
    if (typing) {
      if (t === search && (ev.key === 'ArrowDown' || ev.key === 'Enter')) {
        ev.preventDefault();
        markCurrent(true);
      }
      return;
    }
    if (t instanceof HTMLButtonElement && (ev.key === 'Enter' || ev.key === ' ')) return;
    switch (ev.key) {
      case 'ArrowDown':
      case 'j':
        move(1);
        break;
      case 'ArrowUp':
      case 'k':
        move(-1);
        break;
      case 'PageDown':
        turnPage(1);
        break;
      case 'PageUp':
        turnPage(-1);
        break;
      case 'Home':
        move(-Infinity);
        break;
      case 'End':
        move(Infinity);
        break;
      case 'Enter':
        if (state.open) return;
        if (!(document.activeElement && document.activeElement.classList.contains('row'))) return;
        openDetail();
        break;
      case '/':
        search.focus();
        break;
      default:
        return;
    }
    ev.preventDefault();
  });

  renderOverview();
  applyFilters();
  document.body.dataset.ready = 'true';
})();
`;
