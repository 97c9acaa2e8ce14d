// summarizer web page: plain ES2020, no framework, no build step.
// All data is rendered with textContent / createElement — never as HTML.
'use strict';

(() => {
  const MAX_ARTICLES = 10;
  const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  const SCROLL = reduceMotion ? 'auto' : 'smooth';

  // ---------------------------------------------------------------- DOM helpers

  /** createElement with properties; children are nodes or strings (text nodes). */
  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key === 'dataset') Object.assign(node.dataset, value);
      else if (key.startsWith('on')) throw new Error('no inline handlers');
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));
  const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

  function clock(ms) {
    const s = Math.max(0, Math.floor(ms / 1000));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const ss = String(s % 60).padStart(2, '0');
    return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
  }

  function seconds(value) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return '–';
    return value < 10 ? `${value.toFixed(1)} s` : clock(value * 1000);
  }

  const number = (value) => (typeof value === 'number' ? value.toLocaleString('en-US') : '–');

  // ------------------------------------------------------------ Unicode offsets

  /** The API counts offsets in Unicode code points; JS strings index UTF-16 units.
   *  map[i] = UTF-16 index of code point i; map[length in code points] = text.length. */
  function codePointMap(text) {
    const map = [];
    let unit = 0;
    for (const ch of text) {
      map.push(unit);
      unit += ch.length;
    }
    map.push(unit);
    return map;
  }

  /** A code-point span as UTF-16 [start, end), or null when it does not fit the text. */
  function toUnits(map, start, end) {
    if (!Number.isInteger(start) || !Number.isInteger(end)) return null;
    if (start < 0 || end <= start || end >= map.length) return null;
    return [map[start], map[end]];
  }

  // ------------------------------------------------------------------ API calls

  class ApiError extends Error {
    constructor(message, { status = 0, code = 'error', details = null } = {}) {
      super(message);
      this.status = status;
      this.code = code;
      this.details = details;
    }
  }

  // The key stays in the field: never stored, sent only to this server.
  function authHeaders() {
    const key = $('#api-key').value.trim();
    return key ? { Authorization: `Bearer ${key}` } : {};
  }

  async function postJSON(path, body, signal) {
    let response;
    try {
      response = await fetch(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...authHeaders() },
        body: JSON.stringify(body),
        signal,
      });
    } catch (err) {
      if (err && err.name === 'AbortError') throw err;
      throw new ApiError(`Could not reach the server (${err && err.message ? err.message : err}).`, {
        code: 'network_error',
      });
    }
    let payload = null;
    try {
      payload = await response.json();
    } catch (err) {
      if (err && err.name === 'AbortError') throw err;
      payload = null;
    }
    if (!response.ok) {
      const error = payload && typeof payload === 'object' ? payload.error : null;
      if (error && typeof error === 'object') {
        throw new ApiError(String(error.message || 'request failed'), {
          status: response.status,
          code: String(error.code || 'error'),
          details: Array.isArray(error.details) ? error.details : null,
        });
      }
      throw new ApiError(`The server answered ${response.status} ${response.statusText}.`, {
        status: response.status,
        code: 'http_error',
      });
    }
    if (!payload || typeof payload !== 'object') {
      throw new ApiError('The server sent a response that is not JSON.', { status: response.status });
    }
    return payload;
  }

  function errorBox(err, prefix) {
    const box = el('div', { class: 'error-box', role: 'alert' });
    const where = err.status ? ` (${err.code}, HTTP ${err.status})` : err.code ? ` (${err.code})` : '';
    append(box, [el('strong', { text: prefix ? `${prefix}: ` : 'Error: ' }), err.message, el('span', { class: 'muted', text: where })]);
    if (err.status === 401) box.append(el('p', { class: 'muted', text: 'Enter a key in the API key field (summarizer keys create) and try again.' }));
    if (err.details && err.details.length) {
      const list = el('ul', { class: 'error-details' });
      for (const d of err.details) {
        const loc = Array.isArray(d.loc) ? d.loc.filter((p) => p !== 'body').join(' → ') : '';
        list.append(el('li', { text: loc ? `${loc}: ${d.msg}` : String(d.msg) }));
      }
      box.append(list);
    }
    return box;
  }

  // ------------------------------------------------------------- article boxes

  const form = $('#input-form');
  const boxes = $('#articles');
  const template = $('#article-template');
  const addButton = $('#add-article');
  const fileInput = $('#files');
  const maxWords = $('#max-words');
  const submitButton = $('#summarize');
  const cancelButton = $('#cancel');
  let boxCounter = 0;

  function addBox(values = {}) {
    if ($$('.article-box', boxes).length >= MAX_ARTICLES) return null;
    const box = template.content.firstElementChild.cloneNode(true);
    boxCounter += 1;
    const uid = `box${boxCounter}`;
    for (const [cls, field] of [
      ['article-text', 'text'],
      ['article-format', 'format'],
      ['article-outlet', 'outlet'],
      ['article-url', 'url'],
      ['article-date', 'date'],
    ]) {
      const input = $(`.${cls}`, box);
      input.id = `${uid}-${field}`;
      input.closest('label').setAttribute('for', input.id);
      if (values[field] !== undefined) input.value = values[field];
    }
    if (values.file) $('.box-file', box).textContent = values.file;
    $('.remove-article', box).addEventListener('click', () => {
      box.remove();
      renumber();
      const first = $('.article-text', boxes);
      if (first) first.focus();
    });
    boxes.append(box);
    renumber();
    return box;
  }

  function renumber() {
    const all = $$('.article-box', boxes);
    all.forEach((box, i) => {
      const n = i + 1;
      $('.box-title', box).textContent = `Article ${n}`;
      $('legend', box).textContent = `Article ${n}`;
      $('.remove-article', box).setAttribute('aria-label', `Remove article ${n}`);
      $('.remove-article', box).disabled = all.length <= 1 || busy;
    });
    addButton.disabled = all.length >= MAX_ARTICLES || busy;
  }

  function readBoxes() {
    return $$('.article-box', boxes).map((box, i) => {
      const text = $('.article-text', box).value;
      const format = $('.article-format', box).value === 'html' ? 'html' : 'text';
      const outlet = $('.article-outlet', box).value.trim();
      const url = $('.article-url', box).value.trim();
      const date = $('.article-date', box).value;
      const article = { [format]: text };
      if (outlet) article.outlet = outlet;
      if (url) article.url = url;
      if (date) article.published_at = date;
      const name = outlet || hostOf(url);
      return { index: i, article, name, label: name || `Article ${i + 1}`, title: name ? `Article ${i + 1} · ${name}` : `Article ${i + 1}` };
    });
  }

  function hostOf(url) {
    try {
      return url ? new URL(url).hostname.replace(/^www\./, '') : '';
    } catch (_err) {
      return '';
    }
  }

  fileInput.addEventListener('change', async () => {
    const files = Array.from(fileInput.files || []);
    const skipped = [];
    for (const file of files) {
      const isHtml = /\.html?$/i.test(file.name) || file.type === 'text/html';
      let text;
      try {
        text = await file.text();
      } catch (_err) {
        skipped.push(file.name);
        continue;
      }
      const values = { text, format: isHtml ? 'html' : 'text', file: file.name };
      const empty = $$('.article-box', boxes).find((b) => !$('.article-text', b).value.trim());
      if (empty) {
        $('.article-text', empty).value = text;
        $('.article-format', empty).value = values.format;
        $('.box-file', empty).textContent = file.name;
      } else if (!addBox(values)) {
        skipped.push(file.name);
      }
    }
    fileInput.value = '';
    showFormError(
      skipped.length
        ? new ApiError(`Not loaded (at most ${MAX_ARTICLES} articles, or unreadable): ${skipped.join(', ')}`, { code: '' })
        : null,
    );
  });

  addButton.addEventListener('click', () => {
    const box = addBox();
    if (box) $('.article-text', box).focus();
  });

  function showFormError(err) {
    const area = $('#form-error');
    area.replaceChildren();
    area.hidden = !err;
    if (err) area.append(...errorBox(err).childNodes);
  }

  // ------------------------------------------------------------------ progress

  const progress = {
    section: $('#progress'),
    text: $('#progress-text'),
    time: $('#progress-time'),
    bar: $('#progress-bar'),
    steps: $('#progress-steps'),
    started: 0,
    stepStarted: 0,
    timer: 0,
  };

  function startProgress(labels, withStory) {
    progress.section.hidden = false;
    progress.section.classList.add('working');
    progress.steps.replaceChildren();
    labels.forEach((label, i) => {
      progress.steps.append(
        el('li', { class: 'step waiting', dataset: { step: String(i) } },
          el('span', { class: 'step-name', text: label }),
          el('span', { class: 'step-state', text: 'waiting' })),
      );
    });
    if (withStory) {
      progress.steps.append(
        el('li', { class: 'step waiting', dataset: { step: 'story' } },
          el('span', { class: 'step-name', text: 'Compare the articles' }),
          el('span', { class: 'step-state', text: 'waiting' })),
      );
    }
    progress.bar.max = labels.length + (withStory ? 1 : 0);
    progress.bar.value = 0;
    progress.started = performance.now();
    progress.timer = window.setInterval(tick, 250);
  }

  function tick() {
    progress.time.textContent = `— ${clock(performance.now() - progress.started)} elapsed`;
  }

  function setStage(message) {
    progress.text.textContent = message;
    progress.stepStarted = performance.now();
    tick();
  }

  function setStep(step, state, note) {
    const item = $(`.step[data-step="${step}"]`, progress.steps);
    if (!item) return;
    item.className = `step ${state}`;
    $('.step-state', item).textContent = note || state;
    if (state === 'active') item.setAttribute('aria-current', 'step');
    else item.removeAttribute('aria-current');
  }

  function stopProgress(message) {
    window.clearInterval(progress.timer);
    progress.section.classList.remove('working');
    progress.text.textContent = message;
    progress.time.textContent = `— ${seconds((performance.now() - progress.started) / 1000)} in total`;
  }

  // ------------------------------------------------------------------- running

  let busy = false;
  let controller = null;

  function setBusy(value) {
    busy = value;
    submitButton.disabled = value;
    submitButton.textContent = value ? 'Working…' : 'Summarize';
    cancelButton.hidden = !value;
    fileInput.disabled = value;
    $$('.article-box textarea, .article-box input, .article-box select', boxes).forEach((i) => {
      i.readOnly = value;
    });
    $$('.article-box select', boxes).forEach((s) => {
      s.disabled = value;
    });
    form.setAttribute('aria-busy', String(value));
    renumber();
  }

  cancelButton.addEventListener('click', () => {
    if (controller) controller.abort();
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    if (!form.reportValidity()) return;
    const items = readBoxes();
    if (!items.length) {
      showFormError(new ApiError('Add an article first.', { code: '' }));
      return;
    }
    const words = Number(maxWords.value);
    showFormError(null);
    const results = $('#results');
    const story = $('#story');
    results.replaceChildren();
    story.replaceChildren();
    story.hidden = true;
    const slots = items.map((item) => {
      const slot = el('section', { class: 'panel result pending', id: `r${item.index + 1}`, 'aria-busy': 'true' },
        el('h2', { class: 'result-title', text: item.title }),
        el('p', { class: 'muted', text: 'Waiting…' }));
      results.append(slot);
      return slot;
    });

    controller = new AbortController();
    const { signal } = controller;
    setBusy(true);
    const withStory = items.length >= 2;
    startProgress(items.map((i) => i.title), withStory);
    progress.section.scrollIntoView({ block: 'start', behavior: SCROLL });
    const done = [];
    let failed = 0;
    let cancelled = false;
    try {
      for (const [n, item] of items.entries()) {
        setStage(`Analysing article ${n + 1} of ${items.length}`);
        setStep(n, 'active', 'analysing…');
        $('p.muted', slots[n]).textContent = 'Analysing…';
        const t0 = performance.now();
        try {
          const result = await postJSON('/v1/summaries', { ...item.article, max_words: words }, signal);
          renderArticle(slots[n], item, result);
          done.push({ item, result });
          setStep(n, 'done', `done in ${seconds((performance.now() - t0) / 1000)}`);
        } catch (err) {
          if (err && err.name === 'AbortError') throw err;
          failed += 1;
          renderFailure(slots[n], item, err);
          setStep(n, 'failed', 'failed');
        }
        progress.bar.value = n + 1;
      }
      if (withStory) {
        if (done.length >= 2) {
          setStage(`Comparing ${done.length} articles`);
          setStep('story', 'active', 'comparing…');
          story.hidden = false;
          story.replaceChildren(el('h2', { id: 'story-heading', text: 'Story' }), el('p', { class: 'muted', text: 'Comparing the articles…' }));
          try {
            const body = { articles: done.map((d) => d.item.article), max_words: words };
            const result = await postJSON('/v1/stories', body, signal);
            renderStory(story, result, done);
            setStep('story', 'done', 'done');
          } catch (err) {
            if (err && err.name === 'AbortError') throw err;
            failed += 1;
            story.replaceChildren(el('h2', { id: 'story-heading', text: 'Story' }), errorBox(err, 'Could not compare the articles'));
            setStep('story', 'failed', 'failed');
          }
        } else {
          setStep('story', 'skipped', 'skipped: needs two analysed articles');
        }
        progress.bar.value = progress.bar.max;
      }
    } catch (err) {
      if (!(err && err.name === 'AbortError')) throw err;
      cancelled = true;
      $$('.result.pending', results).forEach((slot) => {
        slot.classList.remove('pending');
        slot.removeAttribute('aria-busy');
        $('p.muted', slot).textContent = 'Cancelled.';
      });
      $$('.step.waiting, .step.active', progress.steps).forEach((s) => {
        s.className = 'step skipped';
        $('.step-state', s).textContent = 'cancelled';
      });
      if (!story.hidden && !$('table', story)) story.hidden = true;
    } finally {
      controller = null;
      const summary = cancelled
        ? 'Cancelled'
        : failed
          ? `Finished with ${plural(failed, 'error')}`
          : `Finished ${plural(items.length, 'article')}${withStory ? ' and the story' : ''}`;
      stopProgress(summary);
      setBusy(false);
    }
  });

  function renderFailure(slot, item, err) {
    slot.classList.remove('pending');
    slot.classList.add('failed');
    slot.removeAttribute('aria-busy');
    slot.replaceChildren(
      el('h2', { class: 'result-title', text: item.title }),
      errorBox(err, `Article ${item.index + 1} failed`),
    );
  }

  // ---------------------------------------------------------- article results

  function sourceTextOf(item, result) {
    const source = result.source || {};
    if (source.offsets_refer_to === 'extracted_text') return source.extracted_text;
    return item.article.text !== undefined ? item.article.text : null;
  }

  function renderArticle(slot, item, result) {
    const n = item.index + 1;
    const prefix = `r${n}`;
    const source = result.source || {};
    const summary = result.summary || {};
    const claims = Array.isArray(result.claims) ? result.claims : [];
    const claimById = new Map(claims.map((c) => [c.id, c]));
    const text = sourceTextOf(item, result);
    const problems = [];

    slot.classList.remove('pending');
    slot.removeAttribute('aria-busy');
    slot.dataset.article = String(n);
    slot.replaceChildren();

    // Heading: which article, where from.
    const meta = [];
    if (source.outlet && source.outlet !== item.name) meta.push(source.outlet);
    if (source.published_at) meta.push(String(source.published_at).slice(0, 10));
    if (source.title && source.title !== summary.headline) meta.push(`“${source.title}”`);
    meta.push(source.input_type === 'html' ? 'HTML page' : 'plain text');
    const head = el('header', { class: 'result-head' },
      el('h2', { class: 'result-title', text: item.title }),
      el('p', { class: 'result-meta' }, meta.join(' · '), source.url ? [' · ', safeLink(source.url)] : null));
    slot.append(head);

    if (result.partial) {
      slot.append(el('p', { class: 'notice warn', text: 'Partial result: part of the article could not be analysed.' }));
    }

    // Summary and key points.
    const keyPoints = el('ol', { class: 'key-points' });
    for (const point of summary.key_points || []) {
      const ids = (point.claim_ids || []).filter((id) => claimById.has(id));
      const li = el('li', { class: 'key-point', dataset: { claims: ids.join(' ') } }, el('span', { text: point.text }));
      if (ids.length) {
        li.append(' ', ...ids.map((id) => claimLink(prefix, id, id, `Show claim ${id}`)));
      }
      const doubt = checkerDoubt(point);
      if (doubt) li.append(doubt);
      keyPoints.append(li);
    }
    slot.append(
      el('div', { class: 'summary-block' },
        el('h3', { class: 'headline', text: summary.headline || '(no headline)' }),
        checkerDoubt(summary.headline_check),
        el('p', { class: 'summary-text', text: summary.summary || '' }),
        el('p', { class: 'muted small', text: `${plural(summary.word_count || 0, 'word')} · ${plural(claims.length, 'claim')}` }),
        keyPoints.childElementCount ? [el('h4', { text: 'Key points' }), keyPoints] : null),
    );

    // Claims beside the source text.
    const claimList = el('ol', { class: 'claims', 'aria-label': `Claims of article ${n}` });
    for (const claim of claims) claimList.append(claimRow(prefix, claim));
    if (!claims.length) claimList.append(el('li', { class: 'muted', text: 'No claims were found.' }));

    const sourceBox = el('div', { class: 'source-text', id: `${prefix}-source`, tabindex: '0', 'aria-label': `Text of article ${n} with evidence highlighted` });
    if (typeof text === 'string') {
      renderSource(sourceBox, text, result, claimById, problems);
    } else {
      sourceBox.append(el('p', { class: 'muted', text: 'The source text is not available, so the evidence cannot be shown.' }));
    }

    slot.append(
      el('div', { class: 'result-grid' },
        el('div', { class: 'claims-col' },
          el('h4', { text: `Claims (${claims.length})` }),
          el('p', { class: 'muted small', text: 'Hover or select a claim to see its evidence; click highlighted text to find its claim.' }),
          claimList),
        el('div', { class: 'source-col' },
          el('h4', { text: source.offsets_refer_to === 'extracted_text' ? 'Text extracted from the HTML' : 'Article text' }),
          el('p', { class: 'legend small' },
            el('mark', { class: 'legend-mark', text: 'evidence' }), ' ',
            el('mark', { class: 'legend-mark active', text: 'selected claim' }), ' ',
            el('span', { class: 'removed legend-removed', text: 'removed boilerplate' })),
          sourceBox)),
    );

    // Warnings, audit trail and costs.
    const warnings = [...(result.warnings || []), ...problems];
    if (warnings.length) {
      slot.append(el('div', { class: 'notice warn' },
        el('strong', { text: `Warnings (${warnings.length})` }),
        el('ul', {}, warnings.map((w) => el('li', { text: w })))));
    }
    const removed = Array.isArray(result.removed) ? result.removed : [];
    const dropped = Array.isArray(result.dropped) ? result.dropped : [];
    const audit = el('div', { class: 'audit' });
    audit.append(el('details', { class: 'removed-list' },
      el('summary', { text: `Removed boilerplate (${removed.length})` }),
      removed.length
        ? el('ul', {}, removed.map((r) => el('li', {}, el('span', { class: 'badge reason', text: r.reason }), ' ', el('span', { text: r.text }))))
        : el('p', { class: 'muted', text: 'Nothing was removed.' })));
    audit.append(el('details', { class: 'dropped-list' },
      el('summary', { text: `Dropped claims (${dropped.length})` }),
      dropped.length
        ? el('ul', {}, dropped.map((d) => el('li', {}, el('span', { class: 'badge reason', text: d.reason }), ' ', el('strong', { text: `${d.speaker}: ` }), el('span', { text: d.text }))))
        : el('p', { class: 'muted', text: 'No claim was dropped.' })));
    slot.append(audit);

    const usage = result.usage || {};
    const provenance = result.provenance || {};
    const versions = Object.entries(provenance.prompt_versions || {}).map(([k, v]) => `${k}@${v}`).join(', ');
    slot.append(el('dl', { class: 'facts' },
      fact('Time', seconds(usage.wall_seconds)),
      fact('Tokens computed', number(usage.computed_tokens)),
      fact('Model calls', number(usage.model_calls)),
      fact('Article tokens', number(usage.article_tokens)),
      fact('Model', provenance.model || '–'),
      fact('Prompts', versions || '–'),
      fact('Pipeline', provenance.pipeline_version || '–')));

    wireArticle(slot, sourceBox);
  }

  function fact(label, value) {
    return el('div', { class: 'fact' }, el('dt', { text: label }), el('dd', { text: value }));
  }

  function safeLink(url) {
    let parsed = null;
    try {
      parsed = new URL(url);
    } catch (_err) {
      parsed = null;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol)) return el('span', { text: url });
    return el('a', { href: parsed.href, rel: 'noopener noreferrer nofollow', target: '_blank', text: url });
  }

  /** The faithfulness checker's doubt (opt-in on the server), as text: what the article's
   *  sentences do not say, and the model's probability when it was asked. */
  function checkerDoubt(item) {
    if (!item || !item.flagged) return null;
    const why = (item.check_failures || []).join('; ');
    const p = typeof item.support_probability === 'number' ? `P(stated) ${item.support_probability.toFixed(2)}` : '';
    return el('p', { class: 'checker-doubt small', role: 'note', text: `Checker doubts this: ${[why, p].filter(Boolean).join(' · ')}` });
  }

  function claimLink(prefix, id, label, title) {
    return el('a', { class: 'chip claim-link', href: `#${prefix}-${id}`, title, dataset: { target: `${prefix}-${id}` }, text: label });
  }

  function claimRow(prefix, claim) {
    const li = el('li', {
      class: 'claim',
      id: `${prefix}-${claim.id}`,
      tabindex: '0',
      role: 'button',
      'aria-pressed': 'false',
      dataset: { claim: claim.id },
    });
    const kind = String(claim.kind || 'statement');
    li.append(el('div', { class: 'claim-head' },
      el('span', { class: 'claim-id', text: claim.id }),
      el('span', { class: `badge kind kind-${kind.replace(/[^a-z]/g, '')}`, text: kind }),
      el('span', { class: 'speaker', text: claim.speaker })));
    li.append(el('p', { class: 'claim-text', text: claim.text }));
    if (Array.isArray(claim.numbers) && claim.numbers.length) {
      li.append(el('p', { class: 'numbers small' }, 'Numbers: ', claim.numbers.map((x) => el('span', { class: 'chip num', text: x }))));
    }
    const doubt = checkerDoubt(claim);
    if (doubt) li.append(doubt);
    if (Array.isArray(claim.repairs) && claim.repairs.length) {
      li.append(el('ul', { class: 'repairs small', 'aria-label': 'Repairs' }, claim.repairs.map((r) => el('li', { text: `Repaired: ${r}` }))));
    }
    if (Array.isArray(claim.unresolved) && claim.unresolved.length) {
      // A pronoun kept as written: the article leaves more than one person it may mean.
      li.append(el('ul', { class: 'unresolved small', 'aria-label': 'Unresolved' }, claim.unresolved.map((u) => el('li', {
        text: `Kept as written: “${u.original}”${(u.candidates || []).length ? ` may be ${u.candidates.join(' or ')}` : ''} (${u.reason})`,
      }))));
    }
    return li;
  }

  /** Wrap every evidence span in <mark data-claim="c1 c2">; overlapping spans are split into
   *  segments that carry all their claim ids. Removed boilerplate is shown struck through. */
  function renderSource(box, text, result, claimById, problems) {
    const map = codePointMap(text);
    const ranges = [];
    for (const claim of claimById.values()) {
      for (const span of claim.evidence || []) {
        const units = toUnits(map, span.start, span.end);
        if (units && text.slice(units[0], units[1]) === span.quote) {
          ranges.push({ start: units[0], end: units[1], claim: claim.id });
          continue;
        }
        // Offsets do not match: fall back to the quote's first occurrence, and say so.
        const at = span.quote ? text.indexOf(span.quote) : -1;
        if (at >= 0) {
          ranges.push({ start: at, end: at + span.quote.length, claim: claim.id });
          problems.push(`Evidence of ${claim.id} is not at its offsets ${span.start}–${span.end}; shown where the quote occurs.`);
        } else {
          problems.push(`Evidence of ${claim.id} (offsets ${span.start}–${span.end}) is not in the source text.`);
        }
      }
    }
    if (result.source && result.source.offsets_refer_to === 'input') {
      for (const r of result.removed || []) {
        const units = toUnits(map, r.start, r.end);
        if (units && text.slice(units[0], units[1]) === r.text) {
          ranges.push({ start: units[0], end: units[1], removed: r.reason });
        }
      }
    }
    const cuts = new Set([0, text.length]);
    for (const r of ranges) {
      cuts.add(r.start);
      cuts.add(r.end);
    }
    const points = Array.from(cuts).sort((a, b) => a - b);
    const frag = document.createDocumentFragment();
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i];
      const b = points[i + 1];
      const piece = text.slice(a, b);
      const covering = ranges.filter((r) => r.start <= a && r.end >= b);
      const ids = [...new Set(covering.filter((r) => r.claim).map((r) => r.claim))];
      const removed = covering.find((r) => r.removed);
      let node;
      if (ids.length) {
        node = el('mark', {
          class: ids.length > 1 ? 'multi' : null,
          dataset: { claim: ids.join(' ') },
          title: ids.map((id) => `${id} · ${claimById.get(id).speaker}: ${claimById.get(id).text}`).join('\n'),
          text: piece,
        });
        if (removed) node.classList.add('removed');
      } else if (removed) {
        node = el('span', { class: 'removed', title: `removed: ${removed.removed}`, text: piece });
      } else {
        node = document.createTextNode(piece);
      }
      frag.append(node);
    }
    box.append(frag);
  }

  // ------------------------------------------------------ claim ↔ mark linking

  function wireArticle(section, sourceBox) {
    let pinned = [];

    const marksOf = (ids) => ids.flatMap((id) => $$(`mark[data-claim~="${CSS.escape(id)}"]`, sourceBox));
    const rowOf = (id) => $(`.claim[data-claim="${CSS.escape(id)}"]`, section);

    function show(ids, { scroll = false } = {}) {
      $$('mark.active', sourceBox).forEach((m) => m.classList.remove('active'));
      $$('.claim.active', section).forEach((c) => c.classList.remove('active'));
      $$('.key-point.active', section).forEach((k) => k.classList.remove('active'));
      const marks = marksOf(ids);
      marks.forEach((m) => m.classList.add('active'));
      ids.forEach((id) => {
        const row = rowOf(id);
        if (row) row.classList.add('active');
      });
      if (scroll && marks.length) scrollWithin(sourceBox, marks[0]);
    }

    function pin(ids) {
      pinned = ids;
      $$('.claim', section).forEach((c) => c.setAttribute('aria-pressed', String(ids.includes(c.dataset.claim))));
    }

    const restore = () => show(pinned);

    section.addEventListener('mouseover', (event) => {
      const row = event.target.closest('.claim');
      if (row && !row.contains(event.relatedTarget)) show([row.dataset.claim], { scroll: true });
      const point = event.target.closest('.key-point');
      if (point && !point.contains(event.relatedTarget) && point.dataset.claims) {
        show(point.dataset.claims.split(' '), { scroll: true });
        point.classList.add('active');
      }
    });
    section.addEventListener('mouseout', (event) => {
      const from = event.target.closest('.claim, .key-point');
      if (from && !from.contains(event.relatedTarget)) restore();
    });
    section.addEventListener('focusin', (event) => {
      const row = event.target.closest('.claim');
      if (row) show([row.dataset.claim], { scroll: true });
    });
    section.addEventListener('focusout', (event) => {
      const next = event.relatedTarget;
      const toClaim = next instanceof Element && next.closest('.claim') && section.contains(next);
      if (event.target.closest('.claim') && !toClaim) restore();
    });

    function toggle(row) {
      const id = row.dataset.claim;
      const same = pinned.length === 1 && pinned[0] === id;
      pin(same ? [] : [id]);
      show(same ? [] : [id], { scroll: true });
      const first = same ? null : marksOf([id])[0];
      const box = sourceBox.getBoundingClientRect();
      // Side by side the text panel is sticky and visible; stacked (narrow screens) it may not be.
      if (first && (box.bottom < 0 || box.top > window.innerHeight)) {
        first.scrollIntoView({ block: 'center', behavior: SCROLL });
      }
    }

    section.addEventListener('click', (event) => {
      const link = event.target.closest('a.claim-link');
      if (link) return; // handled globally
      const mark = event.target.closest('mark[data-claim]');
      if (mark && sourceBox.contains(mark)) {
        const ids = mark.dataset.claim.split(' ');
        pin(ids);
        show(ids);
        const row = rowOf(ids[0]);
        if (row) row.scrollIntoView({ block: 'nearest', behavior: SCROLL });
        return;
      }
      const row = event.target.closest('.claim');
      if (row) toggle(row);
    });
    section.addEventListener('keydown', (event) => {
      const row = event.target.closest('.claim');
      if (!row || event.target !== row) return;
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        toggle(row);
      } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const next = event.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling;
        if (next && next.matches('.claim')) next.focus();
      } else if (event.key === 'Escape') {
        pin([]);
        show([]);
      }
    });

    section.selectClaim = (id) => {
      const row = rowOf(id);
      if (!row) return;
      pin([id]);
      show([id], { scroll: true });
      row.scrollIntoView({ block: 'center', behavior: SCROLL });
      row.focus({ preventScroll: true });
    };
  }

  /** Scroll the mark into view inside its own scrolling panel, without moving the page. */
  function scrollWithin(box, target) {
    const boxRect = box.getBoundingClientRect();
    const rect = target.getBoundingClientRect();
    if (rect.top >= boxRect.top + 8 && rect.bottom <= boxRect.bottom - 8) return;
    const top = box.scrollTop + (rect.top - boxRect.top) - box.clientHeight / 3;
    box.scrollTo({ top: Math.max(0, top), behavior: SCROLL });
  }

  // Links to a claim (key points, story table, discrepancies) select it in its article.
  document.addEventListener('click', (event) => {
    const link = event.target.closest('a.claim-link');
    if (!link) return;
    const target = document.getElementById(link.dataset.target || '');
    const section = target && target.closest('.result');
    if (!section || !section.selectClaim) return;
    event.preventDefault();
    section.selectClaim(target.dataset.claim);
  });

  // --------------------------------------------------------------------- story

  function renderStory(container, story, done) {
    const articles = Array.isArray(story.articles) ? story.articles : [];
    // Story articles come in the order sent; map their ids to the result sections.
    const prefixOf = new Map(articles.map((a, i) => [a.id, done[i] ? `r${done[i].item.index + 1}` : null]));
    const clusters = [...(story.clusters || [])].sort(
      (a, b) => b.support - a.support || b.independent_support - a.independent_support,
    );
    // Single-source claims in reading order: by article, then by claim number (c2 before c10).
    const order = new Map(articles.map((a, i) => [a.id, i]));
    const claimNumber = (id) => {
      const m = /(\d+)$/.exec(id || '');
      return m ? Number(m[1]) : 0;
    };
    const single = [...(story.single_source || [])].sort((x, y) => {
      const a = (x.articles || [])[0] || {};
      const b = (y.articles || [])[0] || {};
      return (order.get(a.article) ?? 0) - (order.get(b.article) ?? 0) || claimNumber(a.claim_id) - claimNumber(b.claim_id);
    });
    const discrepancies = story.discrepancies || [];
    const entities = story.entities || [];
    const origins = story.origins || [];

    const link = (article, claimId, label, title) => {
      const prefix = prefixOf.get(article);
      return prefix ? claimLink(prefix, claimId, label, title) : el('span', { class: 'chip', title, text: label });
    };

    container.replaceChildren(
      el('h2', { id: 'story-heading', text: `Story · ${plural(articles.length, 'article')} compared` }),
      el('p', { class: 'story-summary', text: story.summary || '' }),
      el('ul', { class: 'counts' },
        el('li', {}, el('strong', { text: String(clusters.length) }), ' corroborated'),
        el('li', {}, el('strong', { text: String(single.length) }), ' single-source'),
        el('li', { class: discrepancies.length ? 'bad' : null }, el('strong', { text: String(discrepancies.length) }), ' ', discrepancies.length === 1 ? 'discrepancy' : 'discrepancies'),
        el('li', {}, el('strong', { text: String(origins.length) }), ` ${origins.length === 1 ? 'origin' : 'origins'}`)),
    );

    // Clusters × articles.
    const table = el('table', { class: 'matrix', id: 'story-matrix' });
    table.append(el('caption', { text: 'Claims stated by two or more articles (✓ = the article states it; hover for its wording). ↳ rows: the same fact with a figure, supported only by the articles that state that figure.' }));
    const headRow = el('tr', {}, el('th', { scope: 'col', text: 'Claim' }));
    for (const a of articles) {
      headRow.append(el('th', { scope: 'col', class: 'article-col', title: a.title || a.url || a.id, text: a.id }));
    }
    headRow.append(el('th', { scope: 'col', class: 'num', text: 'Support' }), el('th', { scope: 'col', class: 'num', text: 'Independent' }));
    table.append(el('thead', {}, headRow));
    const body = el('tbody');
    // One row per cluster; the same fact with a figure ("up to 40%") nested under it, with
    // its own ticks: only the articles that state the figure support it.
    const clusterRow = (c, parent) => {
      const claimCell = el('th', { scope: 'row', class: 'claim-cell' });
      if (parent) {
        claimCell.append(el('span', { class: 'nest', 'aria-hidden': 'true', text: '↳ ' }),
          el('span', { class: 'visually-hidden', text: `Figure within ${parent.id}: ` }));
        for (const n of c.numbers || []) claimCell.append(el('span', { class: 'badge figure', text: n }), ' ');
      }
      claimCell.append(el('span', { class: 'cell-text', text: c.text }), el('span', { class: 'cell-speaker', text: c.speaker }));
      const row = el('tr', { class: parent ? 'specific' : null, dataset: parent ? { cluster: c.id, parent: parent.id } : { cluster: c.id } }, claimCell);
      for (const a of articles) {
        const support = (c.articles || []).find((s) => s.article === a.id);
        if (support) {
          const ids = (support.claim_ids || [support.claim_id]).join(', ');
          row.append(el('td', { class: 'tick', title: support.text },
            link(a.id, support.claim_id, '✓', `${a.id} (${ids}): ${support.text}`)));
        } else {
          row.append(el('td', { class: 'no-tick' }, el('span', { 'aria-hidden': 'true', text: '·' }), el('span', { class: 'visually-hidden', text: 'not stated' })));
        }
      }
      row.append(el('td', { class: 'num', text: String(c.support) }), el('td', { class: 'num', text: String(c.independent_support) }));
      return row;
    };
    for (const c of clusters) {
      body.append(clusterRow(c, null));
      for (const s of c.specific || []) body.append(clusterRow(s, c));
    }
    if (!clusters.length) {
      body.append(el('tr', { class: 'empty' }, el('td', { colspan: String(articles.length + 3), text: 'No claim is stated by more than one article.' })));
    }
    table.append(body);
    container.append(el('h3', { text: `Corroborated claims (${clusters.length})` }), el('div', { class: 'table-wrap' }, table));

    // Discrepancies.
    container.append(el('h3', { text: `Discrepancies (${discrepancies.length})` }));
    if (discrepancies.length) {
      const list = el('div', { class: 'discrepancies' });
      for (const d of discrepancies) {
        list.append(el('article', { class: 'discrepancy', dataset: { kind: d.kind } },
          el('p', { class: 'discrepancy-head' }, el('span', { class: 'badge bad', text: d.kind }), ' ', el('span', { text: d.description })),
          el('div', { class: 'sides' }, side(d.a, link), side(d.b, link))));
      }
      container.append(list);
    } else {
      container.append(el('p', { class: 'muted', text: 'No conflicting numbers, scopes, dates or attributions were found.' }));
    }

    // Single-source claims.
    const singleTable = el('table', { class: 'plain single' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Article' }), el('th', { scope: 'col', text: 'Speaker' }), el('th', { scope: 'col', text: 'Claim' }))));
    const singleBody = el('tbody');
    for (const c of single) {
      for (const [x, nested] of [[c, false], ...(c.specific || []).map((k) => [k, true])]) {
        const s = (x.articles || [])[0] || {};
        singleBody.append(el('tr', { class: nested ? 'specific' : null },
          el('td', { class: 'nowrap' }, s.article ? link(s.article, s.claim_id, s.article, `Show ${s.claim_id} in ${s.article}`) : '–'),
          el('td', { class: 'speaker', text: x.speaker }),
          el('td', {}, nested ? el('span', { class: 'nest', text: '↳ ' }) : '', x.text)));
      }
    }
    singleTable.append(singleBody);
    container.append(el('details', { class: 'section-details', open: single.length <= 40 },
      el('summary', {}, el('h3', { text: `Single-source claims (${single.length})` })),
      single.length ? el('div', { class: 'table-wrap' }, singleTable) : el('p', { class: 'muted', text: 'Every claim is stated by more than one article.' })));

    // Entities and origins side by side.
    const entityTable = el('table', { class: 'plain entities' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Entity' }), el('th', { scope: 'col', text: 'Type' }), el('th', { scope: 'col', text: 'Also written' }), el('th', { scope: 'col', text: 'Articles' }))));
    const entityBody = el('tbody');
    for (const e of entities) {
      const aliases = (e.aliases || []).filter((x) => x !== e.name);
      entityBody.append(el('tr', {},
        el('th', { scope: 'row', text: e.name }),
        el('td', {}, el('span', { class: `badge type-${String(e.type).replace(/[^a-z]/g, '')}`, text: e.type })),
        el('td', {}, aliases.length ? aliases.map((x) => el('span', { class: 'chip', text: x })) : el('span', { class: 'muted', text: '—' })),
        el('td', { class: 'small', text: (e.articles || []).join(', ') })));
    }
    entityTable.append(entityBody);

    const originList = el('ul', { class: 'origins' });
    for (const o of origins) {
      originList.append(el('li', {},
        el('strong', { text: o.description }),
        el('span', { class: 'muted', text: ` — ${(o.articles || []).length > 1 ? 'relayed by' : 'reported by'} ` }),
        (o.articles || []).map((a) => el('span', { class: 'chip', text: a }))));
    }
    if (!origins.length) originList.append(el('li', { class: 'muted', text: 'No shared interview or event was detected.' }));

    container.append(el('div', { class: 'story-columns' },
      el('div', {}, el('h3', { text: `Entities (${entities.length})` }), entities.length ? el('div', { class: 'table-wrap' }, entityTable) : el('p', { class: 'muted', text: 'No entities.' })),
      el('div', {}, el('h3', { text: `Origins (${origins.length})` }), el('p', { class: 'muted small', text: 'Articles relaying the same interview or event count once as independent support.' }), originList)));
  }

  function side(s, link) {
    const box = el('div', { class: 'side' },
      el('p', { class: 'side-head' }, el('strong', { text: s.article }), ' ',
        s.claim_id ? link(s.article, s.claim_id, s.claim_id, `Show ${s.claim_id} in ${s.article}`) : el('span', { class: 'muted', text: 'in the text' })),
      el('p', { class: 'side-text', text: s.text }));
    const quotes = (s.evidence || []).map((span) => span.quote);
    // The claim's wording only adds something when it differs from its evidence.
    if (quotes.join(' ').trim() === String(s.text).trim()) $('.side-text', box).hidden = true;
    for (const quote of quotes) box.append(el('blockquote', { class: 'quote', text: quote }));
    return box;
  }

  // ---------------------------------------------------------------------- init

  addBox();
  document.documentElement.classList.add('js');
})();
