/* Iswigo widget: embeds the funnel in a page.
     window.iswigo('init', {onConnectionSyncDone: function (event) {...}, ...});
     window.iswigo('start', sessionUrl);
     window.iswigo('close');
   Calls made before this script loads are kept by the stub
     window.iswigo=window.iswigo||function(){(window.iswigo.q=window.iswigo.q||[]).push(arguments)};
   Each event of the flow is given to the option on<Event> and dispatched
   on document as a CustomEvent named "iswigo." + its words in lower case,
   joined by dots (connectionSyncAsked: iswigo.connection.sync.asked). */
(function (w, d) {
  'use strict';
  if (w.iswigo && w.iswigo.loaded) return;
  var EVENTS = ['widgetOpened', 'widgetClosed', 'providersDisplayed', 'providerSuggestionDisplayed',
    'providerSuggestionDone', 'providerSuggestionError', 'connectionSyncAsked', 'connectionSyncDone',
    'connectionCreationDisplayed', 'connectionCreationError', 'connectionCreationDone',
    'connectionEditionDisplayed', 'connectionEditionError', 'connectionEditionDone',
    'connectionStepDisplayed', 'connectionStepError', 'connectionStepDone',
    'tosDisplayed', 'tosAccepted', 'tosError', 'emailDisplayed', 'emailDone', 'emailError'];
  var options = {}, dialog = null, frame = null, origin = null, userID = null, lastFocus = null;
  var fr = /^fr\b/i.test(d.documentElement.lang || '');

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
    dialog.setAttribute('aria-label', options.title || (fr ? 'Connexion de vos comptes' : 'Connect your accounts'));
    dialog.className = 'iswigo-widget';
    style(dialog, { position: 'fixed', inset: '0', width: '100%', height: '100%', maxWidth: 'none', maxHeight: 'none',
      margin: '0', padding: '0', border: '0', background: 'rgba(0,0,0,.55)', display: 'flex',
      alignItems: 'center', justifyContent: 'center', zIndex: '2147483647' });
    var box = d.createElement('div');
    style(box, { position: 'relative', width: '480px', maxWidth: '100%', height: '720px', maxHeight: '100%' });
    var btn = d.createElement('button');
    btn.type = 'button';
    btn.textContent = '\u00d7';
    btn.setAttribute('aria-label', fr ? 'Fermer' : 'Close');
    style(btn, { position: 'absolute', top: '4px', right: '4px', width: '44px', height: '44px', border: '0',
      borderRadius: '22px', background: '#fff', color: '#1b1f24', font: '28px/44px sans-serif', cursor: 'pointer', zIndex: '1' });
    btn.addEventListener('click', close);
    frame = d.createElement('iframe');
    frame.title = options.title || (fr ? 'Connexion de vos comptes' : 'Connect your accounts');
    frame.setAttribute('referrerpolicy', 'no-referrer');
    frame.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-forms');
    style(frame, { display: 'block', width: '100%', height: '100%', border: '0', borderRadius: '8px', background: '#fff' });
    frame.addEventListener('load', function () {
      // Tell the flow who embeds it: the browser vouches for our origin.
      if (frame) frame.contentWindow.postMessage({ iswigo: 1, type: 'hello' }, origin);
    });
    frame.src = u.href;
    box.appendChild(frame);
    box.appendChild(btn);
    dialog.appendChild(box);
    dialog.addEventListener('cancel', function (e) { e.preventDefault(); close(); });
    dialog.addEventListener('keydown', function (e) { if (e.key === 'Escape') { e.preventDefault(); close(); } });
    d.body.appendChild(dialog);
    if (dialog.showModal) dialog.showModal(); else dialog.setAttribute('open', '');
    frame.focus();
  }

  function close() {
    if (!dialog) return;
    var dl = dialog;
    dialog = frame = null;
    if (dl.close && dl.open) dl.close();
    if (dl.parentNode) dl.parentNode.removeChild(dl);
    if (lastFocus && lastFocus.focus) lastFocus.focus();
    dispatch('widgetClosed', { user_id: userID });
  }

  // Focus stays in the dialog: anything outside it sends focus back.
  d.addEventListener('focusin', function (e) {
    if (dialog && !dialog.contains(e.target)) frame.focus();
  });

  w.addEventListener('message', function (e) {
    if (!frame || e.source !== frame.contentWindow || e.origin !== origin) return;
    var m = e.data;
    if (!m || m.iswigo !== 1) return;
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
