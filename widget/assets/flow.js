/* SPDX-License-Identifier: Apache-2.0 */
/* Iswigo funnel: the script of the flow page. Plain JavaScript, no
   dependency, no build step. The server renders every screen; this script
   shows them in turn, fills the dynamic parts with textContent only, calls
   the flow's endpoints with the session id in a header, and tells the
   embedding page what happens (postMessage, to its verified origin only). */
(function () {
  'use strict';
  var embedded = window.parent !== window;
  // The handshake of agent.js: this page is shown (it carries nothing,
  // so any embedder may learn it; the events wait for its hello).
  if (embedded) window.parent.postMessage({ iswigo: 1, type: 'ready' }, '*');
  var dataEl = document.getElementById('iswigo-data');
  if (!dataEl) return;
  var D = JSON.parse(dataEl.textContent);
  var S = D.strings || {};
  var STORE = 'iswigo.session';
  var TERMINAL = { finished: true, error: true };
  var parentOrigin = null;
  var outbox = [];

  function $(id) { return document.getElementById(id); }
  function t(key, vars) {
    var s = S[key] || key;
    for (var k in vars || {}) s = s.split('{' + k + '}').join(String(vars[k]));
    return s;
  }
  /* tn picks the plural form of key for n: key_one or key_other, by the
     language's rules (French: 0 and 1 are singular). */
  var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(D.lang) : null;
  function tn(key, n, vars) {
    var form = plural ? plural.select(n) : (n === 1 ? 'one' : 'other');
    var v = { n: n };
    for (var k in vars || {}) v[k] = vars[k];
    return t(key + '_' + (form === 'one' ? 'one' : 'other'), v);
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) if (attrs[k] !== undefined && attrs[k] !== null) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /* Events for the embedding page. They wait until the page proved its
     origin (the "hello" of agent.js), and only go to that origin. */
  function emit(name, detail) {
    var d = { user_id: D.user_id || null };
    for (var k in detail || {}) d[k] = detail[k];
    var msg = { iswigo: 1, type: 'event', name: name, detail: d };
    if (parentOrigin) window.parent.postMessage(msg, parentOrigin);
    else if (embedded) outbox.push(msg);
  }
  function closeWidget() {
    if (parentOrigin) window.parent.postMessage({ iswigo: 1, type: 'close' }, parentOrigin);
  }
  window.addEventListener('message', function (e) {
    var m = e.data;
    if (parentOrigin || !embedded || e.source !== window.parent || !m || m.iswigo !== 1 || m.type !== 'hello') return;
    // agent.js learns that the page is shown (no data: any origin may).
    window.parent.postMessage({ iswigo: 1, type: 'ready' }, e.origin);
    if ((D.origins || []).indexOf(e.origin) < 0) return;
    parentOrigin = e.origin;
    var closers = document.querySelectorAll('[data-close]');
    for (var i = 0; i < closers.length; i++) closers[i].hidden = false;
    outbox.splice(0).forEach(function (msg) { window.parent.postMessage(msg, parentOrigin); });
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && parentOrigin) { e.preventDefault(); closeWidget(); }
  });
  document.addEventListener('click', function (e) {
    if (e.target.closest && e.target.closest('[data-close]')) closeWidget();
  });

  /* The session id leaves the address bar: it goes in a header from now on,
     and sessionStorage keeps it for a reload of this tab. */
  function store(fn) { try { fn(window.sessionStorage); } catch (e) { /* storage blocked */ } }
  if (D.state === 'restore') {
    var saved = null;
    store(function (s) { saved = s.getItem(STORE); });
    if (saved) { location.replace(D.base + '?session=' + encodeURIComponent(saved) + '&lang=' + D.lang); return; }
  } else if (D.state) {
    store(function (s) { s.removeItem(STORE); });
  }
  if (D.session) {
    store(function (s) { s.setItem(STORE, D.session); });
    try { history.replaceState(null, '', D.base + '?lang=' + D.lang); } catch (e) { /* ignore */ }
  }
  if (D.app && /^#[0-9a-f]{6}$/i.test(D.app.accent || '')) document.documentElement.style.setProperty('--accent', D.app.accent);
  if (D.state) { // a page that only says the session is over or unknown
    emit('widgetOpened', { action: null });
    return;
  }

  /* Screens. */
  var current = null;
  function show(id) {
    var screens = document.querySelectorAll('.screen');
    for (var i = 0; i < screens.length; i++) screens[i].hidden = screens[i].id !== id;
    current = id;
    alertMsg('');
    stepIndicator(id);
    var h = $(id).querySelector('h1');
    if (h) h.focus();
  }
  /* The step indicator (Terms · E-mail · Bank · Sign in · Done) of a
     creation: the current step is marked for assistive technology. */
  var STEP_OF = { 's-terms': 'terms', 's-email': 'email', 's-providers': 'bank', 's-credentials': 'signin', 's-statements': 'signin',
    's-sync': 'signin', 's-step': 'signin', 's-redirect': 'signin', 's-decoupled': 'signin', 's-result': 'done' };
  /* resultFailed: the result shown is not a success, so the last step
     reads "Not connected" instead of "Done". */
  var resultFailed = false;
  function stepIndicator(id) {
    var ol = $('steps'), step = STEP_OF[id];
    if (!ol) return;
    ol.hidden = $('step-now').hidden = D.action !== 'create' || !step;
    var items = ol.querySelectorAll('li'), before = true;
    for (var i = 0; i < items.length; i++) {
      var li = items[i], cur = li.getAttribute('data-step') === step, failed = cur && step === 'done' && resultFailed;
      if (li.getAttribute('data-step') === 'done') li.querySelector('span').textContent = t(failed ? 'step_failed' : 'step_done');
      if (cur) {
        li.setAttribute('aria-current', 'step');
        before = false;
        $('step-now').textContent = t('step_of', { i: i + 1, n: items.length, name: li.textContent });
      } else li.removeAttribute('aria-current');
      li.className = failed ? 'ko' : before && !cur ? 'done' : '';
    }
  }
  /* monogram draws a provider without a logo: its initial on a color
     drawn from its name (each color carries white text at 4.5:1). */
  var MONO = ['#0b57d0', '#1a7f37', '#8250df', '#bf3989', '#cf222e', '#0e7490', '#6e7781'];
  function monogram(name) {
    var h = 0;
    for (var i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
    var m = el('span', { 'class': 'pmono', 'aria-hidden': 'true' }, (name.trim().charAt(0) || '?').toUpperCase());
    m.style.background = MONO[h % MONO.length];
    return m;
  }
  function providerMark(name, logo) {
    return logo ? el('img', { 'class': 'plogo', src: logo, alt: '', width: '36', height: '36' }) : monogram(name);
  }
  function bankHeader(box, id, name) {
    box.textContent = '';
    box.appendChild(providerMark(name, logos[id]));
    box.appendChild(el('span', null, name));
  }
  function announce(text) {
    var live = $('live');
    live.textContent = '';
    setTimeout(function () { live.textContent = text; }, 30);
  }
  function alertMsg(text) { var a = $('alert'); a.textContent = text; a.hidden = !text; }
  function errorText(e) {
    if (e && e.status === 429) return t('too_many');
    return t('error_generic');
  }
  function ended() {
    stopWatching();
    store(function (s) { s.removeItem(STORE); });
    if (current !== 's-ended') show('s-ended');
  }

  /* Requests: JSON, the session in a header, no cookie, no referrer. */
  function api(path, body) {
    return fetch(D.base + 'api/' + path, {
      method: 'POST', credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer',
      headers: { 'Content-Type': 'application/json', 'X-Iswigo-Session': D.session, 'Accept-Language': D.lang },
      body: JSON.stringify(body || {})
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (b) {
        if (res.ok) return b;
        var err = new Error((b.error && b.error.description) || String(res.status));
        err.status = res.status;
        err.field = b.error && b.error.field;
        if (res.status === 401 || res.status === 410) ended();
        throw err;
      });
    });
  }

  /* Forms. Submitting twice while a request runs does nothing. */
  function onSubmit(form, fn) {
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      if (form.getAttribute('aria-busy') === 'true') return;
      formError(form, '');
      var p = fn();
      if (p && p.then) {
        busy(form, true);
        p.then(function () { busy(form, false); }, function () { busy(form, false); });
      }
    });
  }
  function busy(form, on) {
    form.setAttribute('aria-busy', on ? 'true' : 'false');
    var b = form.querySelector('[type=submit]');
    if (b) b.setAttribute('aria-disabled', on ? 'true' : 'false');
  }
  function formError(form, text) {
    var p = form.querySelector('[data-form-error]');
    p.textContent = text;
    p.hidden = !text;
    if (text) p.setAttribute('role', 'alert'); else p.removeAttribute('role');
  }
  function fieldError(input, text) {
    var p = $(input.id + '-err');
    input.setAttribute('aria-invalid', text ? 'true' : 'false');
    if (p) { p.textContent = text; p.hidden = !text; }
  }

  /* Fields generated from a provider's input set. */
  function checkValue(inp, v, keep) {
    if (v === '') return inp.optional || keep ? '' : t('field_required');
    var n = Array.from(v).length;
    if (inp.minlength && n < inp.minlength) return t('field_min', { n: inp.minlength });
    if (inp.maxlength && n > inp.maxlength) return t('field_max', { n: inp.maxlength });
    if (inp.mask === 'numbers' && !/^[0-9]+$/.test(v)) return t('field_digits');
    return '';
  }
  function buildFields(box, prefix, form, edit) {
    box.textContent = '';
    form.inputs.forEach(function (inp, i) {
      var id = prefix + '-' + inp.varname.replace(/[^A-Za-z0-9_-]/g, '') + '-' + i;
      var secret = inp.type === 'password';
      var div = el('div', { 'class': 'field' });
      div.appendChild(el('label', { 'for': id }, inp.label || inp.name));
      var hint = '';
      if (edit) hint = inp.current ? t('keep_value', { v: inp.current }) : (secret ? t('keep_secret') : '');
      if (inp.type === 'select' && inp.choices) {
        var sel = el('select', { id: id, name: inp.varname, 'data-field': '', 'aria-describedby': id + '-err' });
        if (edit || inp.optional) sel.appendChild(el('option', { value: '' }, edit ? (inp.current || '') : ''));
        inp.choices.forEach(function (c) { sel.appendChild(el('option', { value: c.value }, c.label || c.value)); });
        div.appendChild(sel);
        var serr = el('p', { 'class': 'err', id: id + '-err' });
        serr.hidden = true;
        div.appendChild(serr);
        box.appendChild(div);
        return;
      }
      var input = el('input', {
        id: id, name: inp.varname, type: secret ? 'password' : 'text', 'data-field': '',
        autocomplete: prefix === 'step' ? 'one-time-code' : inp.varname === 'login' ? 'username' : secret ? 'current-password' : 'off',
        autocapitalize: 'none', spellcheck: 'false',
        'aria-describedby': (hint ? id + '-hint ' : '') + id + '-err'
      });
      if (inp.maxlength) input.maxLength = inp.maxlength;
      if (inp.minlength) input.minLength = inp.minlength;
      if (!inp.optional && !edit) input.required = true;
      if (inp.mask === 'numbers') { input.inputMode = 'numeric'; input.pattern = '[0-9]*'; }
      if (edit && inp.current) input.placeholder = inp.current;
      div.appendChild(input);
      if (hint) div.appendChild(el('p', { 'class': 'hint', id: id + '-hint' }, hint));
      var err = el('p', { 'class': 'err', id: id + '-err' });
      err.hidden = true;
      div.appendChild(err);
      box.appendChild(div);
      input.addEventListener('input', function () {
        if (input.getAttribute('aria-invalid') === 'true') fieldError(input, checkValue(inp, input.value, edit));
      });
    });
  }
  /* readFields validates the fields as the server does and returns their
     values, or null after marking the errors and focusing the first one. */
  function readFields(box, form, edit) {
    var values = {}, first = null;
    form.inputs.forEach(function (inp, i) {
      var input = box.querySelectorAll('[data-field]')[i];
      var msg = checkValue(inp, input.value, edit);
      fieldError(input, msg);
      if (msg && !first) first = input;
      if (input.value !== '') values[inp.varname] = input.value;
    });
    if (first) { first.focus(); return null; }
    return values;
  }
  /* serverFieldError marks the field a 400 names. */
  function serverFieldError(formEl, box, form, e) {
    if (e.status === 400 && e.field) {
      var i = form.inputs.findIndex(function (inp) { return inp.varname === e.field; });
      if (i >= 0) {
        var input = box.querySelectorAll('[data-field]')[i];
        fieldError(input, checkValue(form.inputs[i], input.value, false) || e.message);
        input.focus();
        formError(formEl, t('form_errors'));
        return;
      }
    }
    formError(formEl, errorText(e));
  }
  function renderTitle(p, segments) {
    p.textContent = '';
    (segments || []).forEach(function (s) {
      var node = document.createTextNode(s.text);
      if (s.em) { var em = el('em'); em.appendChild(node); node = em; }
      if (s.strong) { var st = el('strong'); st.appendChild(node); node = st; }
      p.appendChild(node);
    });
    p.hidden = !(segments && segments.length);
  }

  /* 1. Terms of service. */
  function showTerms() { show('s-terms'); emit('tosDisplayed', {}); }
  onSubmit($('f-terms'), function () {
    var box = $('terms-accept');
    if (!box.checked) { fieldError(box, t('terms_required')); box.focus(); return; }
    fieldError(box, '');
    return api('terms', { accept: true }).then(function (r) {
      D.needs_terms = false;
      emit('tosAccepted', { terms_of_service: r.terms_of_service });
      next();
    }, function (e) {
      formError($('f-terms'), errorText(e));
      emit('tosError', { error: e.message });
    });
  });

  /* 2. E-mail validation. */
  function showEmail() {
    show('s-email');
    emit('emailDisplayed', {});
    if (D.code_pending) showCode(D.email, false); else showAddress(false);
  }
  function showAddress(focus) {
    $('f-code').hidden = true;
    $('f-email').hidden = false;
    if (!$('email').value) $('email').value = D.email || '';
    if (focus) $('email').focus();
  }
  function showCode(email, focus) {
    $('f-email').hidden = true;
    $('f-code').hidden = false;
    $('code-p').textContent = t('code_p', { email: email });
    $('code').value = '';
    if (focus) $('code').focus();
  }
  onSubmit($('f-email'), function () {
    var input = $('email'), email = input.value.trim();
    if (!/^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+$/.test(email) || email.length > 254) {
      fieldError(input, t('email_invalid'));
      input.focus();
      return;
    }
    fieldError(input, '');
    return api('email', { email: email }).then(function (r) {
      if (r.validated) return emailDone();
      D.email = email;
      showCode(email, true);
      announce(t('code_p', { email: email }));
    }, function (e) {
      if (e.field === 'email') { fieldError(input, t('email_invalid')); input.focus(); }
      else formError($('f-email'), errorText(e));
      emit('emailError', { error: e.message });
    });
  });
  onSubmit($('f-code'), function () {
    var input = $('code'), code = input.value.trim();
    if (!/^[0-9]{6}$/.test(code)) { fieldError(input, t('code_invalid')); input.focus(); return; }
    fieldError(input, '');
    return api('email/code', { code: code }).then(emailDone, function (e) {
      if (e.status === 400) { fieldError(input, t('code_wrong')); input.focus(); }
      else formError($('f-code'), errorText(e));
      emit('emailError', { error: e.message });
    });
  });
  $('code-other').addEventListener('click', function () { showAddress(true); });
  function emailDone() {
    D.needs_email = false;
    emit('emailDone', {});
    next();
  }

  /* 3. Provider selection. */
  var searchSeq = 0, searchTimer = null;
  function showProviders() {
    show('s-providers');
    emit('providersDisplayed', { parent_provider_id: null });
    search();
  }
  function search() {
    var seq = ++searchSeq;
    return api('providers', { query: $('search').value, country: $('country').value }).then(function (r) {
      if (seq !== searchSeq) return;
      var list = $('providers');
      list.textContent = '';
      countries(r.countries || []);
      r.providers.forEach(function (p) {
        var b = el('button', { type: 'button', 'data-provider': p.provider_id });
        if (p.logo) logos[p.provider_id] = p.logo;
        b.appendChild(providerMark(p.name, p.logo));
        b.appendChild(el('span', { 'class': 'name' }, p.name));
        if (p.country) b.appendChild(el('span', { 'class': 'muted', 'aria-hidden': 'true' }, p.country));
        b.addEventListener('click', function () { openCreate(p.provider_id); });
        var li = el('li');
        li.appendChild(b);
        list.appendChild(li);
      });
      $('providers-count').textContent = r.total ? tn('results', r.total) : t('no_results');
    }, function (e) { alertMsg(errorText(e)); });
  }
  /* countries offers a filter when the providers are of several countries. */
  function countries(list) {
    var sel = $('country');
    $('country-field').hidden = list.length < 2;
    if (sel.options.length > 1 || list.length < 2) return;
    var names = window.Intl && Intl.DisplayNames ? new Intl.DisplayNames([D.lang], { type: 'region' }) : null;
    list.forEach(function (c) {
      var label = c;
      try { if (names) label = names.of(c) || c; } catch (e) { /* not a region code */ }
      sel.appendChild(el('option', { value: c }, label));
    });
  }
  $('country').addEventListener('change', function () { clearTimeout(searchTimer); search(); });
  $('search').addEventListener('input', function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(search, 200);
  });
  onSubmit($('f-search'), function () { clearTimeout(searchTimer); search(); });

  /* 4. Credentials. */
  var credForm = null;
  var names = {}, logins = {}, logos = {}, fromForm = {};
  function openCreate(providerID) {
    return api('form', { provider_id: providerID }).then(function (f) {
      showCredentials(f);
      emit('connectionCreationDisplayed', { provider_id: f.provider_id });
    }, function (e) { alertMsg(errorText(e)); });
  }
  function openEdit(connectionID, wrong) {
    return api('form', { connection_id: connectionID }).then(function (f) {
      showCredentials(f);
      if (wrong) wrongCredentials();
      emit('connectionEditionDisplayed', { connection_id: connectionID, provider_id: f.provider_id });
    }, function (e) { alertMsg(errorText(e)); });
  }
  function showCredentials(f) {
    credForm = f;
    // A provider fed by statement files: a file picker (statements.js).
    if (f.statements && window.IswigoStatements) return window.IswigoStatements.open(f, F);
    $('creds-h').textContent = t(f.edit ? 'edit_h' : 'creds_h', { b: f.provider_name });
    bankHeader($('creds-bank'), f.provider_id, f.provider_name);
    renderTitle($('creds-title'), f.title);
    buildFields($('creds-fields'), 'cred', f, f.edit);
    formError($('f-credentials'), '');
    $('creds-submit').textContent = t(f.edit ? 'edit_btn' : 'creds_btn');
    $('creds-back').hidden = f.edit || D.action !== 'create' || !!D.provider_id;
    show('s-credentials');
  }
  $('creds-back').addEventListener('click', showProviders);
  /* wrongCredentials puts the bank's refusal (errno 2) on the form: on
     its secret field (else its first), focused, for another try. */
  function wrongCredentials() {
    var box = $('creds-fields'), fields = box.querySelectorAll('[data-field]');
    var target = box.querySelector('input[type=password]') || fields[0];
    if (!target) return;
    fieldError(target, t('wrong_password'));
    formError($('f-credentials'), t('form_errors'));
    target.focus();
  }
  onSubmit($('f-credentials'), function () {
    var f = credForm, box = $('creds-fields');
    var values = readFields(box, f, f.edit);
    if (!values) { formError($('f-credentials'), t('form_errors')); return; }
    var ids = { connection_id: f.connection_id, provider_id: f.provider_id };
    if (f.edit) {
      return api('connections/update', { connection_id: f.connection_id, values: values }).then(function (st) {
        emit('connectionEditionDone', ids);
        emit('connectionSyncAsked', { connection_id: st.connection_id });
        names[st.connection_id] = f.provider_name;
        fromForm[st.connection_id] = true;
        watch([st]);
      }, function (e) {
        serverFieldError($('f-credentials'), box, f, e);
        emit('connectionEditionError', { connection_id: f.connection_id, provider_id: f.provider_id, error: e.message });
      });
    }
    return api('connections/create', { provider_id: f.provider_id, values: values }).then(function (st) {
      emit('connectionCreationDone', { connection_id: st.connection_id, provider_id: f.provider_id });
      emit('connectionSyncAsked', { connection_id: st.connection_id });
      names[st.connection_id] = f.provider_name;
      fromForm[st.connection_id] = true;
      watch([st]);
    }, function (e) {
      serverFieldError($('f-credentials'), box, f, e);
      emit('connectionCreationError', { provider_id: f.provider_id, error: e.message });
    });
  });

  /* 5. Synchronization: live states from the progress stream, or from
     polling when the stream does not work. */
  var watched = {}, order = [], stream = null, pollTimer = null, steps = [], resultTitle = '', starting = false;
  function statusText(st) {
    switch (st.status) {
      case 'pending': return t('st_pending');
      case 'in progress':
        if (st.progress_message === 'accounts_found') return tn('pg_accounts_found', st.progress_count || 0);
        if (S['pg_' + st.progress_message]) return t('pg_' + st.progress_message);
        return st.progression ? t('st_in_progress', { p: st.progression }) : t('pg_working');
      case 'waiting user': return t('st_waiting');
      case 'finished': return t('st_finished');
      default: return t('st_error');
    }
  }
  function watch(statuses, title) {
    stopWatching();
    resultTitle = title || '';
    watched = {};
    order = [];
    steps = [];
    var list = $('sync-list');
    list.textContent = '';
    statuses.forEach(function (st) {
      var name = names[st.connection_id] || '';
      var li = el('li');
      li.appendChild(el('h2', null, name));
      var text = el('p');
      var bar = el('progress', { max: '100', 'aria-label': t('progress_of', { b: name }) });
      li.appendChild(text);
      li.appendChild(bar);
      list.appendChild(li);
      order.push(st.connection_id);
      watched[st.connection_id] = { st: null, ran: false, text: text, bar: bar, name: name };
    });
    show('s-sync');
    starting = true;
    statuses.forEach(update);
    starting = false;
    if (allDone()) showResult(); else openStream();
  }
  function allDone() {
    return order.every(function (id) { var w = watched[id]; return w.st && TERMINAL[w.st.status]; });
  }
  function update(st) {
    var w = watched[st.connection_id];
    if (!w) return;
    var prev = w.st;
    w.st = st;
    // Progress never goes backwards: once the sync ran, "pending" (an
    // answer being taken up) or the step still waiting after its answer
    // keeps what is shown, and the bar only grows.
    var hold = (st.status === 'pending' && w.ran) || (st.status === 'waiting user' && w.answered);
    if (st.status !== 'waiting user') w.answered = false;
    if (!hold) {
      var text = statusText(st);
      if (text !== w.text.textContent) { w.text.textContent = text; if (st.status === 'in progress') announce(w.name + ': ' + text); }
    }
    if (st.status === 'in progress') { w.max = Math.max(w.max || 0, st.progression || 0); w.bar.value = w.max; }
    else if (st.status === 'finished') w.bar.value = 100;
    else if (st.status === 'pending' && !w.ran) w.bar.removeAttribute('value');
    if (!TERMINAL[st.status]) w.ran = true;
    if (!hold && (!prev || prev.status !== st.status) && st.status !== 'in progress') announce(w.name + ': ' + statusText(st));
    if (st.status === 'waiting user' && st.step === 'redirect') showRedirect(st);
    else if (st.status === 'waiting user' && st.step === 'decoupled') showDecoupled(st);
    else if (st.status === 'waiting user' && (!prev || prev.status !== 'waiting user')) askStep(st.connection_id);
    else if (st.status !== 'waiting user' && (current === 's-redirect' || current === 's-decoupled')) show('s-sync');
    if (TERMINAL[st.status] && w.ran && (!prev || !TERMINAL[prev.status])) {
      var d = { connection_id: st.connection_id, status: st.status };
      if (st.errno) d.errno = st.errno;
      emit('connectionSyncDone', d);
      if (st.status === 'error' && st.errno === 2 && fromForm[st.connection_id] && order.length === 1) {
        // The bank refused the credentials just typed: back to the form.
        delete fromForm[st.connection_id];
        stopWatching();
        openEdit(st.connection_id, true);
        return;
      }
    }
    if (!starting && allDone() && (current === 's-sync' || current === 's-step')) showResult();
  }
  function stopWatching() {
    if (stream) { stream.abort(); stream = null; }
    clearTimeout(pollTimer);
    pollTimer = null;
  }
  function openStream() {
    stopWatching();
    if (!window.ReadableStream || !window.TextDecoder || !window.AbortController) return poll();
    var ctl = new AbortController(), last = '';
    stream = ctl;
    fetch(D.base + 'api/connections/stream', {
      method: 'POST', credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer', signal: ctl.signal,
      headers: { 'Content-Type': 'application/json', 'X-Iswigo-Session': D.session, Accept: 'text/event-stream' },
      body: JSON.stringify({ connection_ids: order })
    }).then(function (res) {
      if (res.status === 401 || res.status === 410) return ended();
      if (!res.ok || !res.body || (res.headers.get('Content-Type') || '').indexOf('text/event-stream') !== 0) throw new Error('no stream');
      var reader = res.body.getReader(), dec = new TextDecoder(), buf = '';
      function pump() {
        return reader.read().then(function (r) {
          if (r.done) return closed();
          buf += dec.decode(r.value, { stream: true });
          for (var i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
            handle(buf.slice(0, i));
            buf = buf.slice(i + 2);
          }
          return pump();
        });
      }
      function handle(block) {
        var event = 'message', data = '';
        block.split('\n').forEach(function (line) {
          if (line.indexOf('event: ') === 0) event = line.slice(7);
          else if (line.indexOf('data: ') === 0) data += line.slice(6);
        });
        last = event;
        if (event === 'status') update(JSON.parse(data));
        else if (event === 'ended') ended();
      }
      function closed() {
        if (stream !== ctl) return;
        stream = null;
        if (last === 'again' && !allDone()) pollTimer = setTimeout(openStream, 250);
        else if (!allDone() && last !== 'ended') poll();
      }
      return pump();
    }).catch(function () {
      if (ctl.signal.aborted || stream !== ctl) return;
      stream = null;
      poll();
    });
  }
  function poll() {
    clearTimeout(pollTimer);
    pollTimer = setTimeout(function () {
      api('connections/status', { connection_ids: order }).then(function (r) {
        r.connections.forEach(update);
        if (!allDone()) poll();
      }, function (e) { if (e.status !== 401 && e.status !== 410) poll(); });
    }, 1000);
  }

  /* 6. Additional step. */
  var stepForm = null;
  function askStep(connectionID) {
    if (current === 's-step') { if (steps.indexOf(connectionID) < 0) steps.push(connectionID); return; }
    api('connections/step-form', { connection_id: connectionID }).then(function (f) {
      stepForm = f;
      renderTitle($('step-title'), f.title);
      $('step-message').textContent = f.message || '';
      $('step-message').hidden = !f.message;
      bankHeader($('step-bank'), f.provider_id, f.provider_name);
      buildFields($('step-fields'), 'step', f, false);
      formError($('f-step'), '');
      show('s-step');
      emit('connectionStepDisplayed', { connection_id: f.connection_id, provider_id: f.provider_id, step: f.step });
    }, function () { /* answered or timed out meanwhile: the stream says what follows */ });
  }
  onSubmit($('f-step'), function () {
    var f = stepForm, box = $('step-fields');
    var values = readFields(box, f, false);
    if (!values) { formError($('f-step'), t('form_errors')); return; }
    var d = { connection_id: f.connection_id, provider_id: f.provider_id, step: f.step };
    return api('connections/step', { connection_id: f.connection_id, values: values }).then(function (st) {
      emit('connectionStepDone', d);
      if (watched[f.connection_id]) watched[f.connection_id].answered = true;
      show('s-sync');
      update(st);
      if (steps.length) askStep(steps.shift());
    }, function (e) {
      serverFieldError($('f-step'), box, f, e);
      d.error = e.message;
      emit('connectionStepError', d);
    });
  });

  /* 6b. Steps that are not forms: authorize at the bank's website (the
     bank sends the person back to iswigo's callback, which brings them
     back to this page), or approve in the bank's app (the status moves on
     by itself). */
  function showRedirect(st) {
    var a = $('redirect-link');
    if (!/^https?:\/\//.test(st.redirect_url || '')) return;
    a.href = st.redirect_url;
    if (current !== 's-redirect') {
      show('s-redirect');
      emit('connectionStepDisplayed', { connection_id: st.connection_id, step: 'redirect' });
    }
  }
  function showDecoupled(st) {
    $('decoupled-message').textContent = st.message || '';
    if (current !== 's-decoupled') {
      show('s-decoupled');
      emit('connectionStepDisplayed', { connection_id: st.connection_id, step: 'decoupled' });
    }
  }

  /* 7. Result, and the status of the connections. */
  function showResult() {
    stopWatching();
    var sts = order.map(function (id) { return watched[id].st; });
    var ok = sts.every(function (st) { return st.status === 'finished'; });
    resultFailed = !ok;
    $('result-h').textContent = resultTitle || t(ok ? 'result_ok_h' : 'result_ko_h');
    $('result-mark').className = ok ? 'mark' : 'mark ko';
    $('result-mark').hidden = !!resultTitle;
    var list = $('result-list');
    list.textContent = '';
    sts.forEach(function (st) {
      var li = el('li');
      li.appendChild(el('h2', null, watched[st.connection_id].name));
      if (logins[st.connection_id]) li.appendChild(el('p', { 'class': 'muted' }, t('login_of', { i: logins[st.connection_id] })));
      if (st.status === 'finished') {
        li.appendChild(el('p', { 'class': 'ok' }, t('st_finished')));
        found(li, st.connection_id);
      } else if (st.status === 'error') {
        li.appendChild(el('p', { 'class': 'ko' }, t('st_error')));
        li.appendChild(el('p', { 'data-errno': st.errno }, t('errno_' + (st.errno || 1))));
        bankSays(li, st);
        actions(li, st);
      } else {
        li.appendChild(el('p', null, statusText(st)));
      }
      list.appendChild(li);
    });
    show('s-result');
  }
  function found(li, connectionID) {
    api('connections/result', { connection_id: connectionID }).then(function (r) {
      if (r.documents) li.appendChild(el('p', { 'data-documents': r.documents }, tn('documents', r.documents)));
      if (!r.accounts.length) { if (!r.documents) li.appendChild(el('p', null, t('found_none'))); return; }
      li.appendChild(el('p', null, t('found')));
      var ul = el('ul');
      r.accounts.forEach(function (a) {
        var row = el('li');
        row.appendChild(el('span', null, a.name));
        if (a.balance) row.appendChild(el('span', { 'class': 'amount' }, formatAmount(a.balance, a.currency)));
        ul.appendChild(row);
      });
      li.appendChild(ul);
    }, function () { /* nothing to add */ });
  }
  /* formatAmount writes a balance (a decimal string) for the page's
     language with its currency's symbol; shown only, never computed on. */
  function formatAmount(s, currency) {
    try {
      return new Intl.NumberFormat(D.lang, { style: 'currency', currency: currency || 'EUR' }).format(Number(s));
    } catch (e) {
      return s + ' ' + (currency || '');
    }
  }
  /* bankSays shows what the bank asks of the person (its own words, as
     text) and, when it gave one, a link to the page where they act. */
  function bankSays(li, st) {
    if (st.message) {
      var p = el('p', { 'data-bank-message': '' });
      p.appendChild(el('span', { 'class': 'muted' }, t('bank_message') + ' '));
      p.appendChild(el('q', null, st.message));
      li.appendChild(p);
    }
    if (st.action_url && /^https?:\/\//.test(st.action_url)) {
      var go = el('a', { 'class': 'button', href: st.action_url, target: '_blank', rel: 'noopener noreferrer', 'data-action': 'bank' }, t('act_bank'));
      go.appendChild(el('span', { 'class': 'sr-only' }, t('new_tab')));
      li.appendChild(go);
    }
  }
  /* actions offers the next step of each errno: edit the credentials for
     wrong ones, synchronize again where the person can act now. */
  function actions(li, st) {
    var id = st.connection_id;
    if (st.errno === 2) {
      var edit = el('button', { type: 'button', 'data-action': 'edit' }, t('act_edit'));
      edit.addEventListener('click', function () { openEdit(id); });
      li.appendChild(edit);
    } else if (st.errno === 9) {
      var renew = el('button', { type: 'button', 'data-action': 'edit' }, t('act_renew'));
      renew.addEventListener('click', function () { openEdit(id); });
      li.appendChild(renew);
    } else if ([1, 3, 4, 5, 6, 10].indexOf(st.errno) >= 0) {
      var retry = el('button', { type: 'button', 'data-action': 'retry' }, t('act_retry'));
      retry.addEventListener('click', function () { syncNow([id]); });
      li.appendChild(retry);
    }
  }
  function withNames(ids) {
    return api('connections', { connection_ids: ids }).then(function (r) {
      r.connections.forEach(function (c) { names[c.connection_id] = c.provider_name; });
      return r.connections;
    });
  }
  function syncNow(ids) {
    return withNames(ids).then(function () {
      return api('connections/sync', { connection_ids: ids });
    }).then(function (r) {
      r.connections.forEach(function (st) { emit('connectionSyncAsked', { connection_id: st.connection_id }); });
      watch(r.connections);
    }, function (e) { alertMsg(errorText(e)); });
  }
  function showStatus() {
    return withNames(D.connection_ids).then(function (conns) {
      conns.forEach(function (c) { logins[c.connection_id] = c.login; });
      watch(conns, t(conns.length ? 'status_h' : 'status_none'));
    }, function (e) { alertMsg(errorText(e)); });
  }

  /* The screens needed, in order. */
  function next() {
    if (D.needs_terms) return showTerms();
    if (D.needs_email) return showEmail();
    if (D.resume) {
      return withNames([D.resume]).then(function (conns) { watch(conns); }, function (e) { alertMsg(errorText(e)); });
    }
    switch (D.action) {
      case 'create': return D.provider_id ? openCreate(D.provider_id) : showProviders();
      case 'edit': return openEdit(D.connection_ids[0]);
      case 'sync': return syncNow(D.connection_ids);
      case 'status': return showStatus();
    }
  }
  /* What the statement upload screen (statements.js) uses of the flow. */
  var F = {
    D: D, api: api, t: t, el: el, show: show, announce: announce, alertMsg: alertMsg, emit: emit, errorText: errorText,
    onSubmit: onSubmit, formError: formError, fieldError: fieldError, watch: watch, names: names, showProviders: showProviders
  };
  emit('widgetOpened', { action: D.action });
  next();
})();
