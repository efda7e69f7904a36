/* SPDX-License-Identifier: Apache-2.0 */
/* Iswigo funnel: the statement upload screen, shown instead of the
   credentials form for a provider fed by statement files. Several files
   are picked (or dropped), sent one at a time as they are, and each gets
   its outcome: the parser's error with its line, or once imported the
   transactions added and already known. Then the usual result screen. */
(function () {
  'use strict';
  var F = null, form = null, connectionID = null, files = [], rows = [], sent = [], last = null;
  var POLL = 300, POLL_LIMIT = 400; // about two minutes of waiting for the import
  function $(id) { return document.getElementById(id); }

  window.IswigoStatements = { open: open };

  function open(f, flow) {
    var first = !F;
    F = flow;
    form = f;
    connectionID = f.connection_id || null;
    if (first) wire();
    reset();
    $('stmt-h').textContent = F.t('stmt_h', { b: f.provider_name });
    $('stmt-back').hidden = f.edit || F.D.action !== 'create' || !!F.D.provider_id;
    F.show('s-statements');
  }

  function reset() {
    files = [];
    rows = [];
    sent = [];
    $('stmt-files').value = '';
    $('stmt-list').textContent = '';
    $('stmt-continue').hidden = true;
    F.fieldError($('stmt-files'), '');
    F.formError($('f-statements'), '');
  }

  function wire() {
    var input = $('stmt-files'), zone = $('stmt-drop');
    input.addEventListener('change', function () { pick(Array.prototype.slice.call(input.files)); });
    zone.addEventListener('dragover', function (e) { e.preventDefault(); zone.classList.add('over'); });
    zone.addEventListener('dragleave', function () { zone.classList.remove('over'); });
    zone.addEventListener('drop', function (e) {
      e.preventDefault();
      zone.classList.remove('over');
      if (e.dataTransfer && e.dataTransfer.files) pick(Array.prototype.slice.call(e.dataTransfer.files));
    });
    F.onSubmit($('f-statements'), submit);
    $('stmt-continue').addEventListener('click', function () {
      if (last) F.watch([last]);
    });
    $('stmt-back').addEventListener('click', function () { F.showProviders(); });
  }

  /* pick lists the chosen files, each ready to import. */
  function pick(list) {
    files = list;
    rows = [];
    sent = [];
    var ul = $('stmt-list');
    ul.textContent = '';
    F.fieldError($('stmt-files'), '');
    files.forEach(function (file) {
      var li = F.el('li');
      li.appendChild(F.el('h2', null, file.name));
      var p = F.el('p', { 'data-stmt-state': 'ready' }, F.t('stmt_ready'));
      li.appendChild(p);
      ul.appendChild(li);
      rows.push(p);
    });
    if (files.length) F.announce(F.t('stmt_selected', { n: files.length }));
  }

  function state(i, key, text, cls) {
    var p = rows[i];
    p.setAttribute('data-stmt-state', key);
    p.className = cls || '';
    p.textContent = text;
  }

  function submit() {
    if (!files.length) {
      F.fieldError($('stmt-files'), F.t('stmt_none'));
      $('stmt-files').focus();
      return;
    }
    return connection().then(uploadAll).then(waitImported).then(outcomes, function (e) {
      F.formError($('f-statements'), F.errorText(e));
    });
  }

  /* connection returns the connection's id, creating it the first time. */
  function connection() {
    if (connectionID) return Promise.resolve(connectionID);
    return F.api('connections/create', { provider_id: form.provider_id, values: {} }).then(function (st) {
      connectionID = st.connection_id;
      F.names[connectionID] = form.provider_name;
      F.emit('connectionCreationDone', { connection_id: connectionID, provider_id: form.provider_id });
      return connectionID;
    }, function (e) {
      F.emit('connectionCreationError', { provider_id: form.provider_id, error: e.message });
      throw e;
    });
  }

  function uploadAll() {
    F.names[connectionID] = form.provider_name;
    var i = 0;
    function nextFile() {
      if (i >= files.length) return Promise.resolve();
      var n = i++;
      if (sent[n]) return nextFile();
      return upload(n).then(nextFile);
    }
    return nextFile();
  }

  function upload(i) {
    var file = files[i];
    state(i, 'sending', F.t('stmt_sending'));
    var url = F.D.base + 'api/statements/upload?connection_id=' + encodeURIComponent(connectionID) +
      '&name=' + encodeURIComponent(file.name.slice(0, 255));
    return fetch(url, {
      method: 'POST', credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer',
      headers: { 'Content-Type': 'application/octet-stream', 'X-Iswigo-Session': F.D.session },
      body: file
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (b) {
        if (res.ok) {
          sent[i] = b.statement;
          last = b.connection;
          if (b.statement.duplicate) state(i, 'duplicate', F.t('stmt_duplicate'), 'ok');
          else state(i, 'reading', F.t('stmt_reading', { n: b.statement.transactions }));
          F.emit('connectionSyncAsked', { connection_id: connectionID });
          return;
        }
        sent[i] = { refused: true };
        if (res.status === 413) state(i, 'refused', F.t('stmt_too_large'), 'ko');
        else if (res.status === 400) state(i, 'refused', F.t('stmt_refused', { reason: (b.error && b.error.description) || '' }), 'ko');
        else state(i, 'refused', F.errorText({ status: res.status }), 'ko');
      });
    }, function () {
      state(i, 'refused', F.t('error_generic'), 'ko');
    });
  }

  /* waitImported polls until the connection's sync is over and no file
     sent is pending any more, then returns the files as listed. */
  function waitImported() {
    var pending = sent.some(function (s) { return s && !s.refused && !s.duplicate; });
    if (!pending) return Promise.resolve(null);
    var tries = 0;
    return new Promise(function (resolve, reject) {
      function poll() {
        F.api('statements/list', { connection_id: connectionID }).then(function (r) {
          last = r.connection;
          var byID = {};
          r.statements.forEach(function (s) { byID[s.id] = s; });
          var waiting = sent.some(function (s) { return s && s.id && byID[s.id] && byID[s.id].status === 'pending'; });
          var over = r.connection.status === 'finished' || r.connection.status === 'error';
          if ((!waiting && over) || ++tries > POLL_LIMIT) return resolve(byID);
          setTimeout(poll, POLL);
        }, reject);
      }
      poll();
    });
  }

  function outcomes(byID) {
    var ok = 0;
    sent.forEach(function (s, i) {
      if (!s || s.refused) return;
      if (s.duplicate) { ok++; return; }
      var f = byID && byID[s.id];
      if (f && f.status === 'imported') {
        ok++;
        state(i, 'imported', F.t('stmt_done', { added: f.transactions_added, known: f.transactions_known }), 'ok');
      } else if (f && f.status === 'error') {
        state(i, 'refused', F.t('stmt_refused', { reason: f.error || '' }), 'ko');
      }
    });
    F.announce(F.t('stmt_summary', { ok: ok, n: sent.length }));
    if (last) {
      $('stmt-continue').hidden = false;
      $('stmt-continue').focus();
    }
  }
})();
