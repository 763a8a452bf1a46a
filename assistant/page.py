"""The page as the browser gets it: the CSS (sizes from WCAG), the JS run on load (copy, share,
the vote confirmation, a new question pinned to the top), and the Gradio theme."""

from __future__ import annotations

import gradio as gr

# Sizes from the issue: body text 16 px, secondary text 14 px at full contrast (WCAG AA), tap
# targets 44×44 px (WCAG 2.5.5); Gradio's default theme has 14 px text and 18 px icon buttons.
CSS = """
.gradio-container {--text-md: 16px; --text-sm: 14px; --text-xs: 14px;}
#chat {height: auto !important; max-height: none !important;}
#chat .bubble-wrap, #chat [role=log] {height: auto !important; max-height: none !important;
                                      overflow: visible !important;}
/* the chat's own clear button sits top right: the first question starts below it */
#chat .bubble-wrap {padding-top: 48px !important;}
#chat .message, #chat .message * {font-size: 16px; line-height: 1.65;}
/* placeholders carry the boxes' only instructions: #6b7280 on white is 4.8:1 (WCAG AA 4.5:1);
   the theme's grey was 1.9:1 */
textarea::placeholder, input::placeholder {color: #6b7280 !important; opacity: 1;}
/* the question and feedback boxes are tap targets too (44 px, WCAG 2.5.5): 42 px on a phone */
#question textarea, #reason textarea {min-height: 44px;}
/* on a phone the feedback box's hint takes three lines: all of it shows (it says how to send) */
@media (max-width: 700px) {#reason textarea {min-height: 5.6em;}}
#chat .md, #chat .prose {opacity: 1 !important;}  /* Gradio shows answers at 0.8 opacity */
#chat .user-text {white-space: pre-wrap; overflow-wrap: anywhere;}
.answer p {margin: 0 0 .5em;}
.answer p.lead {font-size: 18px !important; font-weight: 600;}
.answer .quote {border-left: 3px solid #93c5fd; padding-left: .6em;}
.answer .note, .answer .note * {font-size: 14px !important; color: var(--body-text-color);}
/* a line's last character and its [n] marks, as large as its line (#chat .message * sizes a span) */
.answer .tail {white-space: nowrap; font-size: inherit !important;}
.answer sup.ref {font-size: 14px !important; font-weight: 700; color: #1d4ed8;
                 margin-left: .15em; vertical-align: super;}
.answer sup.ref button {all: unset; cursor: pointer; color: inherit; font: inherit;
                        padding: 0 .15em; text-decoration: underline dotted; position: relative;}
/* a tap target of 44 px (WCAG 2.5.5) around a mark one reads as a superscript */
.answer sup.ref button::after {content: ""; position: absolute; inset: -10px -10px;}
.sr-only {position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
          white-space: nowrap;}
.answer sup.ref button:focus-visible {outline: 2px solid #1d4ed8; outline-offset: 1px;}
.refusal {border-left: 4px solid #d97706; background: #fffbeb; color: #1f2937;
          padding: .5em .8em; border-radius: 6px;}
.refusal .tag {color: #92400e; font-weight: 700; margin-right: .3em;}
.refusal .related-head {font-weight: 600; margin-top: .5em;}
.refusal ul {padding-left: 0; margin: .2em 0; list-style: none;}
.refusal .related-passage summary::before {content: "▸"; color: #92400e; margin-right: .4em;}
.refusal .related-passage[open] summary::before {content: "▾";}
.refusal .related-passage summary {cursor: pointer; min-height: 44px; box-sizing: border-box;
                                   display: block; padding: .6em 0; list-style: none;}
.refusal .related-passage summary::-webkit-details-marker {display: none;}
.refusal .related-passage .passage {margin: .3em 0; padding-left: .6em;
                                    border-left: 3px solid #d1d5db;}
.pending {color: var(--body-text-color); font-style: italic;}
.sources {margin-top: .6em;}
.sources .head, .sources .doc-title {font-size: 14px !important; font-weight: 600;}
.sources .doc {margin: .4em 0;}
.sources .chips {display: flex; flex-wrap: wrap; gap: 6px; margin-top: .2em;}
.sources details {border: 1px solid var(--border-color-primary); border-radius: 22px;
                  background: var(--background-fill-secondary);}
.sources details[open] {flex-basis: 100%; border-radius: 8px; padding: 0 .6em .4em;}
.sources summary {cursor: pointer; min-height: 44px; min-width: 44px; box-sizing: border-box;
                  display: flex; align-items: center; padding: 0 .8em; font-size: 14px !important;
                  list-style: none;}
.sources summary::-webkit-details-marker {display: none;}
.sources .where {font-size: 14px !important; margin: .3em 0;}
.sources .passage {margin: .3em 0; padding-left: .6em; border-left: 3px solid #93c5fd;}
.actions {display: flex; flex-wrap: wrap; gap: 8px; margin-top: .6em; align-items: center;}
.actions button, .actions a {min-height: 44px; min-width: 44px; padding: 0 14px;
                             display: inline-flex; align-items: center; border-radius: 8px;
                             border: 1px solid var(--border-color-primary); font-size: 14px !important;
                             background: var(--background-fill-primary); color: #1d4ed8;
                             text-decoration: none; cursor: pointer;}
.actions .said {font-size: 14px !important; color: #166534;}
.answer .plain {display: none;}
#chat .answer sup.ref, #chat .actions button, #chat .actions a {color: #1d4ed8 !important;}
button[role=tab].selected {color: #1d4ed8 !important;}
button.primary {background: #1d4ed8 !important; border-color: #1d4ed8 !important;}
button.primary:hover {background: #1e40af !important;}
h1 {font-size: 24px !important; margin: .2em 0 .3em !important;}
mark {background: #fde68a; color: #1f2937; padding: 0 1px; border-radius: 2px;}
#chat button.icon-button {min-width: 44px !important; min-height: 44px !important;
                          justify-content: center;}
#chat button.icon-button svg {width: 22px; height: 22px;}
button[role=tab], #ask-row button, #tools button, #targets-tools button,
#targets-tools a {min-height: 44px !important;}
#feedback-status {position: absolute; width: 1px; height: 1px; overflow: hidden;
                  clip: rect(0 0 0 0);}
.vote-said {position: absolute; z-index: 1000; background: #166534; color: #fff;
            font-size: 16px; padding: 10px 14px; border-radius: 8px; max-width: 90vw;
            box-shadow: 0 2px 8px rgba(0,0,0,.25);}
#ask-row button, #tools button {white-space: nowrap; min-width: 5.5em !important;}
.answer .date {white-space: nowrap; font-size: inherit !important;}  /* Gradio sizes a span 16 px */
.target-source table, table.compare {border-collapse: collapse; margin-top: .4em;}
.target-source td, .target-source th, table.compare td, table.compare th {
    border: 1px solid var(--border-color-primary); padding: .3em .6em; text-align: left;}
table.compare caption {text-align: left; font-weight: 700; padding: .4em 0;}
table.compare .doc {font-weight: 400; font-size: 14px;}
.cards {display: none;}
.card {border: 1px solid var(--border-color-primary); border-radius: 8px; padding: .6em .8em;
       margin: .5em 0; background: var(--background-fill-secondary);}
.card h2 {font-size: 17px; margin: 0 0 .3em;}
.card .kind {font-size: 14px; font-weight: 400; margin-left: .5em; padding: 0 .4em;
             border: 1px solid var(--border-color-primary); border-radius: 4px;}
.card dl {display: grid; grid-template-columns: 1fr 1fr; gap: .2em .8em; margin: 0;}
.card dt {font-size: 14px;} .card dd {margin: 0; font-weight: 600;}
.card .src, .muted {font-size: 14px; margin: .4em 0 0;}
.truncated {font-size: 14px; color: var(--body-text-color);}
.gradio-container .main.app {padding-left: clamp(6px, 2.5vw, 32px);
                             padding-right: clamp(6px, 2.5vw, 32px);}
@media (max-width: 700px) {
  #targets, #target-source {display: none !important;}
  .cards {display: block;}
  /* the question and feedback boxes take their rows; 发送 and 清空对话 are their text plus
     padding (a 44 px tap target still), not the 110 px of a desktop button (the question box
     had 60% of a phone's row) */
  #ask-row, #tools {gap: 10px;}
  #ask-row button, #tools button {flex: 0 0 auto !important; min-width: 44px !important;
                                  padding: 0 14px;}
  /* an answer takes the chat's width: Gradio leaves 60 px of it empty, 13% of a phone;
     8 px gutters, the question and the vote buttons lined up with it */
  #chat .message-row.bot-row {max-width: none !important; align-self: stretch;
                              margin-left: 8px; margin-right: 8px;}
  #chat .message-row.user-row {margin-right: 8px; max-width: calc(100% - 48px);}
  #chat .message-buttons .icon-button-wrapper {margin: 0 8px;}
}
"""
# The page's own behaviour, run once on load (Gradio's `js`): copy and share buttons inside
# answers, [n] opening its source, the vote confirmation placed by the button clicked, and
# scrolling a new question to the top of the screen so its answer is read from the start (Gradio's autoscroll went to the
# bottom, past the answer to its source list).
JS = """
() => {
  const copyText = async (text) => {
    window.assistantCopied = text;
    try { await navigator.clipboard.writeText(text); return true; } catch (e) {}
    const area = document.createElement('textarea');
    area.value = text; area.setAttribute('readonly', '');
    area.style.position = 'fixed'; area.style.opacity = '0';
    document.body.appendChild(area); area.select();
    let done = false;
    try { done = document.execCommand('copy'); } catch (e) {}
    area.remove();
    return done;
  };
  const say = (element, text) => {
    const row = element.closest('.actions');
    let said = row.querySelector('.said');
    if (!said) { said = document.createElement('span'); said.className = 'said';
                 said.setAttribute('role', 'status'); row.appendChild(said); }
    said.textContent = text;
  };
  let voted = null;
  document.addEventListener('click', async (event) => {
    const copy = event.target.closest('#chat .copy-answer');
    const share = event.target.closest('#chat .share-answer');
    const ref = event.target.closest('#chat sup.ref button');
    if (ref) {  // [n] opens source n of this answer and brings it into view
      const n = ref.textContent.match(/\[\d+\]/)[0];
      const source = [...ref.closest('.answer').querySelectorAll('details.citation')]
        .find((d) => d.querySelector('summary').textContent.trim().startsWith(n));
      pinnedUntil = 0;  // the reader is reading on: the question is no longer kept on top
      if (source) { source.open = true; source.scrollIntoView({block: 'nearest'});
                    source.querySelector('summary').focus(); }
      return;
    }
    if (event.target.closest('#clear')) {  // a new conversation starts at the top of the page
      pinnedUntil = 0;
      setTimeout(() => window.scrollTo({top: 0, behavior: 'instant'}), 300);
    }
    if (copy) {
      const plain = copy.closest('.answer').querySelector('.plain').textContent;
      say(copy, await copyText(plain) ? '已复制' : '复制失败，请长按选择文字');
    } else if (share) {
      event.preventDefault();
      const url = new URL(share.getAttribute('href'), location.href).href;
      say(share, await copyText(url) ? '链接已复制，发给别人打开即可看到这个回答' : url);
    } else {
      voted = event.target.closest('#chat button[aria-label^=Like], #chat button[aria-label^=Dislike]')
              || voted;
    }
  }, true);
  let bubble = null, hide = null;
  const showStatus = (text) => {
    // by the vote button clicked; by the opinion box when Enter was pressed in it
    const typing = document.activeElement && document.activeElement.closest
                   && document.activeElement.closest('#reason');
    const anchor = typing || voted;
    if (!text || !anchor || !anchor.isConnected) return;
    if (!bubble) { bubble = document.createElement('div'); bubble.className = 'vote-said';
                   bubble.setAttribute('role', 'status'); document.body.appendChild(bubble); }
    const at = anchor.getBoundingClientRect();
    bubble.textContent = text;
    bubble.style.display = 'block';
    const width = Math.min(bubble.offsetWidth, window.innerWidth - 16);
    bubble.style.left = Math.max(8, Math.min(at.left + window.scrollX,
                                             window.scrollX + window.innerWidth - width - 8)) + 'px';
    const below = at.bottom + 8 + bubble.offsetHeight < window.innerHeight;
    bubble.style.top = (window.scrollY + (below ? at.bottom + 8 : at.top - bubble.offsetHeight - 8))
                       + 'px';
    clearTimeout(hide);
    hide = setTimeout(() => { bubble.style.display = 'none'; }, 6000);
  };
  // the chat re-renders every message as the answer streams in, moving what is above; the
  // new question is kept at the top for PIN_MS after it appears, then the reader scrolls
  const PIN_MS = 2000;
  let asked = 0, pinnedUntil = 0;
  const pin = () => {
    const questions = document.querySelectorAll('#chat .user-text');
    if (!questions.length) return;
    const last = questions[questions.length - 1];
    const row = last.closest('.message-row') || last;
    const top = row.getBoundingClientRect().top + window.scrollY - 8;
    if (Math.abs(window.scrollY - top) > 2) window.scrollTo({top: Math.max(0, top), behavior: 'instant'});
  };
  ['wheel', 'touchmove', 'keydown'].forEach((kind) => window.addEventListener(kind, (e) => {
    if (!e.target.closest || !e.target.closest('#question')) pinnedUntil = 0;
  }, {passive: true}));
  new MutationObserver(() => {
    const status = document.querySelector('#feedback-status');
    const text = status ? status.innerText.trim() : '';
    if (text && text !== window.assistantStatus) showStatus(text);
    window.assistantStatus = text;
    const count = document.querySelectorAll('#chat .user-text').length;
    if (count > asked) pinnedUntil = Date.now() + PIN_MS;
    asked = count;
    if (Date.now() < pinnedUntil) pin();
  }).observe(document.body, {childList: true, subtree: true, characterData: true});
}
"""
FOCUS_SEARCH = ("() => setTimeout(() => document.querySelector('#target-search textarea, "
                "#target-search input')?.focus(), 50)")
FONTS = ["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "sans-serif"]


def theme():
    # text_lg: 16 px body and 14 px small text (the default theme's are 14 and 12)
    return gr.themes.Default(primary_hue="blue", font=FONTS, text_size=gr.themes.sizes.text_lg,
                             font_mono=["ui-monospace", "Consolas", "monospace"])
