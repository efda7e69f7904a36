/* SPDX-License-Identifier: Apache-2.0 */
/* Iswigo funnel, simplefin action: creates a SimpleFIN setup token for the
   session's user and shows it to copy. Plain JavaScript, no build step;
   dynamic parts are filled with textContent only. */
(function () {
  'use strict';
  // The handshake of agent.js: this page is shown (see flow.js).
  if (window.parent !== window) window.parent.postMessage({ iswigo: 1, type: 'ready' }, '*');
  var dataEl = document.getElementById('iswigo-data');
  if (!dataEl) return;
  var D = JSON.parse(dataEl.textContent);
  var S = D.strings || {};
  var parentOrigin = null;
  function $(id) { return document.getElementById(id); }
  function t(key, vars) {
    var s = S[key] || key;
    for (var k in vars || {}) s = s.split('{' + k + '}').join(String(vars[k]));
    return s;
  }
  function say(text) { $('live').textContent = text; }
  function alertText(text) { var a = $('alert'); a.textContent = text; a.hidden = !text; }

  /* The session id leaves the address bar, as in the connection flow. */
  try { history.replaceState(null, '', D.base + '?lang=' + D.lang); } catch (e) { /* ignore */ }

  /* Embedded: the close button talks to the verified parent origin only. */
  window.addEventListener('message', function (e) {
    var m = e.data;
    if (parentOrigin || window.parent === window || e.source !== window.parent || (D.origins || []).indexOf(e.origin) < 0) return;
    if (!m || m.iswigo !== 1 || m.type !== 'hello') return;
    parentOrigin = e.origin;
    window.parent.postMessage({ iswigo: 1, type: 'ready' }, parentOrigin); // agent.js: the frame is shown
    var closers = document.querySelectorAll('[data-close]');
    for (var i = 0; i < closers.length; i++) closers[i].hidden = false;
    window.parent.postMessage({ iswigo: 1, type: 'event', name: 'widgetOpened',
      detail: { user_id: D.user_id || null, action: 'simplefin' } }, parentOrigin);
  });
  document.addEventListener('click', function (e) {
    if (parentOrigin && e.target.closest && e.target.closest('[data-close]')) {
      window.parent.postMessage({ iswigo: 1, type: 'close' }, parentOrigin);
    }
  });

  var busy = false;
  $('sf-create').addEventListener('click', function () {
    if (busy) return;
    busy = true;
    alertText('');
    $('sf-create').setAttribute('aria-disabled', 'true');
    fetch(D.base + 'api/simplefin/token', {
      method: 'POST',
      headers: { 'X-Iswigo-Session': D.session, 'Content-Type': 'application/json' },
      body: '{}'
    }).then(function (resp) {
      return resp.json().then(function (body) { return { status: resp.status, body: body }; });
    }).then(function (res) {
      busy = false;
      $('sf-create').removeAttribute('aria-disabled');
      if (res.status === 201) return showToken(res.body);
      alertText(t(res.status === 409 ? 'too_many' : res.status === 401 || res.status === 410 ? 'ended' : 'error'));
    }).catch(function () {
      busy = false;
      $('sf-create').removeAttribute('aria-disabled');
      alertText(t('error'));
    });
  });

  function showToken(body) {
    var when = new Date(body.expires_at);
    var date = isNaN(when) ? body.expires_at : when.toLocaleString(D.lang);
    $('sf-token-p').textContent = t('token_p', { date: date });
    $('sf-token').value = body.setup_token;
    $('s-simplefin').hidden = true;
    $('s-simplefin-token').hidden = false;
    $('s-simplefin-token').querySelector('h1').focus();
  }

  $('sf-copy').addEventListener('click', function () {
    var input = $('sf-token');
    input.focus();
    input.select();
    var done = function () { say(t('copied')); };
    var fail = function () { say(t('copy_fail')); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(input.value).then(done, function () {
        try { if (document.execCommand('copy')) done(); else fail(); } catch (e) { fail(); }
      });
    } else {
      try { if (document.execCommand('copy')) done(); else fail(); } catch (e) { fail(); }
    }
  });
})();
