// The development tenant's sign-out page: waits until every front-channel logout iframe has loaded
// (or 5 seconds have passed), then continues to the app (the Continue link). Served as a file so the
// page needs no inline script.
(() => {
  const next = document.getElementById('dt-continue');
  const frames = [...document.querySelectorAll('iframe.dt-front-channel')];
  let left = frames.length;
  let gone = false;
  const go = () => {
    if (gone || !next) return;
    gone = true;
    window.location.replace(next.href);
  };
  // An iframe may have loaded before this deferred script ran: its navigation is then in the
  // resource timing entries already.
  const loaded = (frame) => performance.getEntriesByName(frame.src).some((e) => e.initiatorType === 'iframe');
  for (const frame of frames) {
    if (loaded(frame)) left -= 1;
    else frame.addEventListener('load', () => { left -= 1; if (left <= 0) go(); }, { once: true });
  }
  if (left <= 0) go();
  setTimeout(go, 5000);
})();
