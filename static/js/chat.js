// The conversation reads like a chat: it opens at the newest message, new messages (polled by
// htmx) appear at the bottom without moving what the reader is reading, and earlier messages
// load above while the view stays where it was.
(() => {
  const log = document.querySelector(".chat-log");
  if (!log) return;
  const NEAR_BOTTOM_PX = 80;
  const atBottom = () => log.scrollHeight - log.scrollTop - log.clientHeight < NEAR_BOTTOM_PX;
  const toBottom = () => { log.scrollTop = log.scrollHeight; };
  const pill = document.querySelector(".new-messages");

  toBottom();
  // Opening the page at the newest message also puts the composer in view.
  const composer = document.querySelector(".composer");
  if (composer && window.location.hash === "") composer.scrollIntoView({ block: "end" });

  // Whether the reader is at the newest message; a resize (a phone turned) keeps them there.
  let following = true;
  log.addEventListener("scroll", () => {
    following = atBottom();
    if (pill && following) pill.hidden = true;
  });
  window.addEventListener("resize", () => { if (following) toBottom(); });
  if (pill) pill.addEventListener("click", () => { toBottom(); pill.hidden = true; });

  // A day already shown keeps one separator: the earliest.
  const dedupeDays = () => {
    const seen = new Set();
    log.querySelectorAll(".day-break").forEach((item) => {
      if (seen.has(item.dataset.day)) item.remove();
      else seen.add(item.dataset.day);
    });
  };

  // What each swap needs to know from just before it, by its request.
  const before = new WeakMap();
  const status = document.getElementById("chat-status");
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    before.set(event.detail.xhr, {
      poll: event.detail.elt.id === "poller",
      earlier: event.detail.elt.closest("#load-earlier") !== null,
      followed: atBottom(),
      fromBottom: log.scrollHeight - log.scrollTop,
    });
  });
  document.body.addEventListener("htmx:afterSwap", (event) => {
    dedupeDays();
    const swap = before.get(event.detail.xhr);
    if (!swap || !swap.earlier) return;
    // Earlier messages went in above: keep the reader's text where it was (the browser's
    // scroll anchoring does not when the reader is at the very top), and keep keyboard focus
    // on the control, which the swap replaced: the next "earlier" link, or the chat itself.
    log.scrollTop = log.scrollHeight - swap.fromBottom;
    const next = document.querySelector("#load-earlier a");
    (next || log).focus({ preventScroll: true });
  });
  document.body.addEventListener("htmx:afterSettle", (event) => {
    const swap = before.get(event.detail.xhr);
    if (!swap || !swap.poll) return;
    const arrived = (event.detail.xhr.responseText.match(/data-message/g) || []).length;
    if (!arrived) return;
    // Said once by a status line, not by reading out the whole list.
    if (status) status.textContent = status.dataset.template.replace("{count}", String(arrived));
    if (swap.followed) toBottom();
    else if (pill) pill.hidden = false;
  });
})();
