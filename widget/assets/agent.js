/* SPDX-License-Identifier: Apache-2.0 */
/* Iswigo widget: embeds the funnel in a page.
     window.iswigo('init', {onConnectionSyncDone: function (event) {...}, ...});
     window.iswigo('start', sessionUrl);
     window.iswigo('close');
   Calls made before this script loads are kept by the stub
     window.iswigo=window.iswigo||function(){(window.iswigo.q=window.iswigo.q||[]).push(arguments)};
   Each event of the flow is given to the option on<Event> and dispatched
   on document as a CustomEvent named "iswigo." + its words in lower case,
   joined by dots (connectionSyncAsked: iswigo.connection.sync.asked).
   When the flow does not show, widgetError fires with detail.reason and
   the dialog says so instead of a broken frame: "refused" when the frame
   loaded without the flow's "ready" handshake (the server refuses this
   page's origin: Chromium still fires load, on its error page), "timeout"
   when the frame did not even load within options.timeout (20 s). */
(function (w, d) {
  'use strict';
  if (w.iswigo && w.iswigo.loaded) return;
  var EVENTS = ['widgetOpened', 'widgetClosed', 'providersDisplayed', 'providerSuggestionDisplayed',
    'providerSuggestionDone', 'providerSuggestionError', 'connectionSyncAsked', 'connectionSyncDone',
    'connectionCreationDisplayed', 'connectionCreationError', 'connectionCreationDone',
    'connectionEditionDisplayed', 'connectionEditionError', 'connectionEditionDone',
    'connectionStepDisplayed', 'connectionStepError', 'connectionStepDone',
    'tosDisplayed', 'tosAccepted', 'tosError', 'emailDisplayed', 'emailDone', 'emailError'];
  var options = {}, dialog = null, frame = null, box = null, origin = null, userID = null, lastFocus = null;
  var ready = false, readyTimer = null;
  // HANDSHAKE_BOUND is how long after the frame's load event its "ready"
  // may still arrive: the flow posts it while its page loads, before the
  // load event, but the message crosses processes.
  var HANDSHAKE_BOUND = 1500;
  var fr = /^fr\b/i.test(d.documentElement.lang || '');
  var TEXT = fr ? { refused: 'Ce service ne peut pas s\u2019afficher sur ce site. Contactez l\u2019application.',
    timeout: 'Le service ne r\u00e9pond pas. R\u00e9essayez plus tard.', close: 'Fermer', title: 'Connexion de vos comptes' }
    : { refused: 'This service cannot be shown on this site. Contact the application.',
    timeout: 'The service does not answer. Try again later.', close: 'Close', title: 'Connect your accounts' };

  function domName(name) { return 'iswigo.' + name.replace(/[A-Z]/g, function (c) { return '.' + c; }).toLowerCase(); }

  function dispatch(name, detail) {
    var ev = new CustomEvent(domName(name), { detail: detail });
    var cb = options['on' + name.charAt(0).toUpperCase() + name.slice(1)];
    if (typeof cb === 'function') {
      try { cb(ev); } catch (err) { setTimeout(function () { throw err; }); }
    }
    d.dispatchEvent(ev);
  }

  /* plain keeps the JSON values of a detail object from the flow. */
  function plain(v) {
    try { return JSON.parse(JSON.stringify(v)); } catch (err) { return {}; }
  }

  function style(el, css) { for (var k in css) el.style[k] = css[k]; }

  function start(url) {
    var u;
    try { u = new URL(url, w.location.href); } catch (err) { return; }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return;
    if (!d.body) { d.addEventListener('DOMContentLoaded', function () { start(url); }); return; }
    if (dialog) close();
    origin = u.origin;
    userID = null;
    lastFocus = d.activeElement;
    dialog = d.createElement('dialog');
    dialog.setAttribute('role', 'dialog');
    dialog.setAttribute('aria-modal', 'true');
    dialog.setAttribute('aria-label', options.title || TEXT.title);
    dialog.className = 'iswigo-widget';
    style(dialog, { position: 'fixed', inset: '0', width: '100%', height: '100%', maxWidth: 'none', maxHeight: 'none',
      margin: '0', padding: '0', border: '0', background: 'rgba(0,0,0,.55)', display: 'flex',
      alignItems: 'center', justifyContent: 'center', zIndex: '2147483647' });
    box = d.createElement('div');
    style(box, { position: 'relative', width: '480px', maxWidth: '100%', height: '720px', maxHeight: '100%' });
    frame = d.createElement('iframe');
    frame.title = options.title || TEXT.title;
    frame.setAttribute('referrerpolicy', 'no-referrer');
    frame.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-forms');
    style(frame, { display: 'block', width: '100%', height: '100%', border: '0', borderRadius: '12px', background: 'transparent',
      colorScheme: 'normal' });
    ready = false;
    clearTimeout(readyTimer);
    // No answer at all: the server is unreachable or far too slow.
    readyTimer = setTimeout(function () { fail('timeout'); }, options.timeout || 20000);
    frame.addEventListener('load', function () {
      // Tell the flow who embeds it (each document the frame loads): the
      // browser vouches for our origin. A flow that is shown has posted
      // "ready" while loading (and answers hello with it again); a frame
      // the server refused to this origin (frame-ancestors) loads an
      // error page that cannot: no handshake within the bound is a refusal.
      if (!frame) return;
      frame.contentWindow.postMessage({ iswigo: 1, type: 'hello' }, origin);
      clearTimeout(readyTimer);
      if (!ready) readyTimer = setTimeout(function () { fail('refused'); }, HANDSHAKE_BOUND);
    });
    frame.src = u.href;
    box.appendChild(frame);
    dialog.appendChild(box);
    dialog.addEventListener('cancel', function (e) { e.preventDefault(); close(); });
    dialog.addEventListener('keydown', function (e) { if (e.key === 'Escape') { e.preventDefault(); close(); } });
    d.body.appendChild(dialog);
    if (dialog.showModal) dialog.showModal(); else dialog.setAttribute('open', '');
    frame.focus();
  }

  /* fail replaces a frame that does not show with a readable message. */
  function fail(reason) {
    if (!dialog || ready) return;
    clearTimeout(readyTimer);
    var panel = d.createElement('div');
    panel.setAttribute('role', 'alert');
    panel.className = 'iswigo-error';
    style(panel, { position: 'absolute', inset: '0', display: 'flex', flexDirection: 'column', justifyContent: 'center',
      gap: '16px', padding: '24px', borderRadius: '12px', background: '#fff', color: '#1b1f24', font: '16px/1.5 system-ui, sans-serif' });
    var p = d.createElement('p');
    p.textContent = TEXT[reason] || TEXT.refused;
    style(p, { margin: '0' });
    var btn = d.createElement('button');
    btn.type = 'button';
    btn.textContent = TEXT.close;
    style(btn, { font: 'inherit', fontWeight: '600', minHeight: '48px', borderRadius: '8px', border: '0', background: '#0b57d0', color: '#fff', cursor: 'pointer' });
    btn.addEventListener('click', close);
    panel.appendChild(p);
    panel.appendChild(btn);
    frame.style.visibility = 'hidden';
    box.appendChild(panel);
    btn.focus();
    dispatch('widgetError', { user_id: userID, reason: reason });
  }

  function close() {
    if (!dialog) return;
    clearTimeout(readyTimer);
    var dl = dialog;
    dialog = frame = null;
    if (dl.close && dl.open) dl.close();
    if (dl.parentNode) dl.parentNode.removeChild(dl);
    if (lastFocus && lastFocus.focus) lastFocus.focus();
    dispatch('widgetClosed', { user_id: userID });
  }

  // Focus stays in the dialog: anything outside it sends focus back.
  d.addEventListener('focusin', function (e) {
    if (dialog && !dialog.contains(e.target)) (ready ? frame : dialog).focus();
  });

  w.addEventListener('message', function (e) {
    if (!frame || e.source !== frame.contentWindow || e.origin !== origin) return;
    var m = e.data;
    if (!m || m.iswigo !== 1) return;
    if (m.type === 'ready') { ready = true; clearTimeout(readyTimer); return; }
    if (m.type === 'close') return close();
    if (m.type !== 'event' || EVENTS.indexOf(m.name) < 0 || m.name === 'widgetClosed') return;
    var detail = plain(m.detail || {});
    if (detail.user_id) userID = detail.user_id;
    dispatch(m.name, detail);
  });

  function iswigo(command, arg) {
    if (command === 'init') options = arg || {};
    else if (command === 'start') start(arg);
    else if (command === 'close') close();
  }
  iswigo.loaded = true;
  var queued = (w.iswigo && w.iswigo.q) || [];
  w.iswigo = iswigo;
  for (var i = 0; i < queued.length; i++) iswigo.apply(null, queued[i]);
})(window, document);
