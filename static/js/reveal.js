// M-10: media in a trust-and-safety case (a call's recording) stay blurred and muted until the
// reviewer chooses to reveal them. Without script nothing is blurred (site.css blurs only under
// .js), so a reviewer is never locked out of the evidence.
document.addEventListener("DOMContentLoaded", () => {
  for (const box of document.querySelectorAll("[data-concealed]")) {
    const media = box.querySelector("video, audio");
    const button = box.querySelector("[data-reveal]");
    if (!media || !button) continue;
    media.muted = true;
    button.hidden = false;
    button.addEventListener("click", () => {
      box.removeAttribute("data-concealed");
      media.muted = false;
      button.hidden = true;
      const note = box.querySelector("[data-concealed-note]");
      if (note) note.hidden = true;
      media.focus();
    });
  }
});
