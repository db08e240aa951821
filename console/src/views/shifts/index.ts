/**
 * The Shifts tab. Every agent sees their own shifts, whether they are on duty now, and
 * writes the handover note of a running shift for the next one; supervisors and admins
 * also keep the rota. At sign-in, and when the agent comes online (as their shift starts),
 * the handover passed on to the agent's teams is shown above the console (the pane's
 * notice) until dismissed.
 */
import type { ShiftsMineView, ShiftView } from '../../../../shared/protocol';
import { fill, h } from '../../../../ui/dom';
import { adminApi } from '../admin/client';
import type { ViewContext } from '../context';
import { shiftsApi } from './api';
import { HandoverPanel } from './handover';
import { RotaSection } from './rota';
import { shiftStatus, when } from './words';

export class ShiftsPane {
  readonly el = h('section', { class: 'shifts admin', 'data-testid': 'shifts' });
  private readonly handover: HandoverPanel;
  private readonly api;
  private readonly rota: RotaSection | null;
  private readonly mine = h('section', { class: 'shifts-mine', 'data-testid': 'shifts-mine' });
  /** Notes written in this tab, by shift: the editor opens with them again. */
  private readonly notes = new Map<string, string>();

  constructor(private readonly v: ViewContext) {
    this.api = shiftsApi(v.token);
    this.handover = new HandoverPanel(v);
    this.rota = v.live.isSupervisor
      ? new RotaSection({ t: v.t, api: adminApi(v.token), locale: v.locale }, this.api)
      : null;
    const refresh = () =>
      v.live.attempt(async () => this.handover.show((await v.live.call('shift:mine', {})).handover));
    refresh();
    // A shift starting puts its signed-in agents online: the shift before it has just handed over.
    let presence = v.live.me.presence;
    v.live.subscribe((topic) => {
      if (topic !== 'me' || v.live.me.presence === presence) return;
      presence = v.live.me.presence;
      if (presence === 'online') refresh();
    });
  }

  /** The handover panel, shown above every tab. */
  get notice(): HTMLElement {
    return this.handover.el;
  }

  show(): void {
    const { t, live } = this.v;
    fill(this.el, h('h2', { text: t('shifts') }), this.mine, this.rota?.el);
    live.attempt(async () => {
      this.drawMine(await live.call('shift:mine', {}));
      await this.rota?.load();
    });
  }

  private drawMine(m: ShiftsMineView): void {
    const { t, locale } = this.v;
    fill(
      this.mine,
      h('h3', { text: t('shiftsMine') }),
      h('p', {
        class: `shifts-duty${m.onDuty ? ' on' : ''}`,
        'data-testid': 'shifts-duty',
        'data-on-duty': String(m.onDuty),
        text: !m.onRota ? t('shiftsNoRota') : m.onDuty ? t('shiftsOnDuty') : t('shiftsOffDuty'),
      }),
      h(
        'ul',
        { class: 'shifts-list' },
        ...m.shifts.map((s) =>
          h(
            'li',
            { 'data-testid': 'my-shift', 'data-id': s.id },
            h('strong', { text: s.name }),
            ' ',
            shiftStatus(s, t, locale),
            s.running ? this.noteEditor(s) : null,
          ),
        ),
      ),
      m.onRota && !m.shifts.some((s) => s.running)
        ? h('p', { class: 'admin-hint', text: t('shiftsHandoverLater') })
        : null,
    );
  }

  /** The handover note of a running shift, for the shift after it. */
  private noteEditor(s: ShiftView): HTMLElement {
    const { t, locale } = this.v;
    const box = h('textarea', {
      rows: 4,
      maxlength: 5000,
      'data-testid': 'handover-note-input',
      'aria-label': t('shiftsHandover'),
    });
    box.value = this.notes.get(s.id) ?? '';
    const status = h('p', { class: 'admin-notice', role: 'status', 'data-testid': 'handover-saved' });
    const error = h('p', { class: 'admin-error', role: 'alert', 'data-testid': 'handover-error' });
    const form = h(
      'form',
      {
        class: 'handover-editor',
        'data-testid': 'handover-editor',
        onsubmit: (ev: Event) => {
          ev.preventDefault();
          status.textContent = '';
          error.textContent = '';
          this.api.writeHandover(s.id, box.value).then(
            (x) => {
              this.notes.set(s.id, x.note);
              status.textContent = t('shiftsHandoverSaved', {
                t: when(x.noteAt ?? new Date().toISOString(), locale),
              });
            },
            (err: unknown) => (error.textContent = err instanceof Error ? err.message : String(err)),
          );
        },
      },
      h('h4', { text: t('shiftsHandover') }),
      h('small', { class: 'admin-hint', text: t('shiftsHandoverHint') }),
      box,
      error,
      status,
      h('button', {
        type: 'submit',
        class: 'primary',
        'data-testid': 'handover-save',
        text: t('shiftsHandoverSave'),
      }),
    );
    return form;
  }
}
