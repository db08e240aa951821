/**
 * The composer's attachment picker: shows the server's limits before a file is chosen,
 * uploads each file at once, and hands the uploaded files to the next reply or note.
 */
import type { AttachmentView } from '../../../shared/protocol';
import { DEFAULT_LIMITS, attachmentProblem, formatSize, type UploadLimits } from '../../../ui/attachments';
import { fill, h } from '../../../ui/dom';
import type { ViewContext } from './context';

export class AttachmentPicker {
  readonly ready: AttachmentView[] = [];
  readonly el = h('div', { class: 'attachments', 'data-testid': 'reply-attachments' });
  readonly button: HTMLButtonElement;
  private readonly input: HTMLInputElement;
  private readonly hint = h('span', { class: 'hint', 'data-testid': 'reply-attach-hint' });
  private readonly chips = h('span', { class: 'chips' });
  private limits: UploadLimits = DEFAULT_LIMITS;

  constructor(private readonly v: ViewContext) {
    this.input = h('input', {
      type: 'file',
      class: 'sr',
      tabindex: -1,
      'aria-hidden': 'true',
      'data-testid': 'reply-file',
      accept: this.limits.types.join(','),
      onchange: () => void this.picked(),
    });
    this.button = h('button', {
      type: 'button',
      class: 'attach',
      text: '📎',
      title: v.t('attach'),
      'aria-label': v.t('attach'),
      'data-testid': 'reply-attach',
      onclick: () => this.input.click(),
    });
    this.el.append(this.input, this.chips, this.hint);
    this.showLimits();
    v.api
      .uploadLimits()
      .then((limits) => {
        this.limits = limits;
        this.input.accept = limits.types.join(',');
        this.showLimits();
      })
      .catch(() => undefined);
  }

  /** The uploaded files, removed from the picker for the message being sent. */
  take(): AttachmentView[] {
    const out = this.ready.splice(0);
    this.renderChips();
    return out;
  }

  private showLimits(error: string | null = null): void {
    this.hint.className = error ? 'hint error' : 'hint';
    this.hint.textContent = error ?? this.v.t('attachLimits', { size: formatSize(this.limits.maxBytes) });
  }

  private async picked(): Promise<void> {
    const { t } = this.v;
    const file = this.input.files?.[0];
    this.input.value = '';
    if (!file) return;
    const problem = attachmentProblem(file, this.limits);
    if (problem)
      return this.showLimits(t(problem, { name: file.name, size: formatSize(this.limits.maxBytes) }));
    this.hint.textContent = t('uploading', { name: file.name });
    try {
      this.ready.push(await this.v.api.upload(file));
      this.renderChips();
      this.showLimits();
    } catch {
      this.showLimits(t('uploadFailed', { name: file.name }));
    }
  }

  private renderChips(): void {
    fill(
      this.chips,
      ...this.ready.map((a, i) =>
        h(
          'span',
          { class: 'chip', 'data-testid': 'reply-attachment' },
          `📎 ${a.name}`,
          h('button', {
            type: 'button',
            text: '×',
            'aria-label': this.v.t('removeAttachment', { name: a.name }),
            onclick: () => {
              this.ready.splice(i, 1);
              this.renderChips();
            },
          }),
        ),
      ),
    );
  }
}
