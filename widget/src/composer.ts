/**
 * The visitor's composer: the message box (Enter sends, Shift+Enter breaks the line),
 * the typing signal, and the attachment picker whose limits are shown before upload.
 */
import {
  DEFAULT_LIMITS,
  UploadUnavailable,
  attachmentProblem,
  fetchLimits,
  formatSize,
  upload,
  type UploadLimits,
} from '../../ui/attachments';
import type { Chat } from './chat';
import { h } from '../../ui/dom';
import type { Translate } from './i18n';
import { clipIcon } from './icons';

export class Composer {
  readonly form: HTMLFormElement;
  readonly hint = h('div', { class: 'hint', 'data-testid': 'attach-hint' });
  private readonly input: HTMLTextAreaElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly file: HTMLInputElement;
  private typingTimer: number | undefined;
  private limits: UploadLimits = DEFAULT_LIMITS;

  constructor(
    private readonly t: Translate,
    private readonly chat: Chat,
    private readonly origin: string,
    private readonly token: () => string,
    /** Hears what the visitor types and sends (the article suggestions). */
    private readonly listener: { typed(text: string): void; sent(text: string): void } | null = null,
  ) {
    this.input = h('textarea', {
      rows: 1,
      placeholder: t('placeholder'),
      'aria-label': t('placeholder'),
      'data-testid': 'composer',
      maxlength: 10000,
      oninput: () => this.composing(),
      onkeydown: (ev) => {
        const k = ev as KeyboardEvent;
        if (k.key === 'Enter' && !k.shiftKey && !k.isComposing) this.submit(k);
      },
    });
    this.sendButton = h('button', {
      class: 'send',
      type: 'submit',
      disabled: true,
      'data-testid': 'send',
      text: t('send'),
    });
    this.file = h('input', {
      type: 'file',
      accept: DEFAULT_LIMITS.types.join(','),
      class: 'sr',
      tabindex: -1,
      'aria-hidden': 'true',
      onchange: () => void this.attach(),
    });
    this.showLimits();
    fetchLimits(`${origin}/channels/webchat/uploads/limits`)
      .then((limits) => {
        this.limits = limits;
        this.file.accept = limits.types.join(',');
        this.showLimits();
      })
      .catch(() => undefined);
    this.form = h(
      'form',
      { class: 'composer', onsubmit: (ev) => this.submit(ev) },
      h(
        'button',
        {
          class: 'icon',
          type: 'button',
          'aria-label': t('attach'),
          title: t('attach'),
          'data-testid': 'attach',
          onclick: () => this.file.click(),
        },
        clipIcon(),
      ),
      this.file,
      this.input,
      this.sendButton,
    );
  }

  focus(): void {
    this.input.focus();
  }

  private composing(): void {
    this.listener?.typed(this.input.value);
    this.sendButton.disabled = this.input.value.trim() === '';
    if (this.typingTimer === undefined) this.chat.typing(true);
    window.clearTimeout(this.typingTimer);
    this.typingTimer = window.setTimeout(() => this.stopTyping(), 2000);
  }

  private stopTyping(): void {
    window.clearTimeout(this.typingTimer);
    if (this.typingTimer !== undefined) this.chat.typing(false);
    this.typingTimer = undefined;
  }

  private submit(ev: Event): void {
    ev.preventDefault();
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = '';
    this.sendButton.disabled = true;
    this.stopTyping();
    this.listener?.sent(text);
    this.chat.send(text);
  }

  private showLimits(): void {
    this.showHint(this.t('limits', { size: formatSize(this.limits.maxBytes) }));
  }

  private showHint(text: string, error = false): void {
    this.hint.className = error ? 'hint error' : 'hint';
    this.hint.textContent = text;
  }

  private async attach(): Promise<void> {
    const { t } = this;
    const file = this.file.files?.[0];
    this.file.value = '';
    if (!file) return;
    const problem = attachmentProblem(file, this.limits);
    if (problem)
      return this.showHint(t(problem, { name: file.name, size: formatSize(this.limits.maxBytes) }), true);
    this.showHint(t('uploading', { name: file.name }));
    try {
      const att = await upload(`${this.origin}/channels/webchat/uploads`, this.token(), file);
      this.showLimits();
      this.chat.send(this.input.value.trim(), [att]);
      this.input.value = '';
    } catch (err) {
      this.showHint(err instanceof UploadUnavailable ? t('uploadUnavailable') : t('error'), true);
    }
  }
}
