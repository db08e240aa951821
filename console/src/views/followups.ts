/**
 * "My follow-ups": the agent's open tasks, due and overdue first, each with its live
 * countdown, "Contact the customer" (an agent-started conversation) and the outcome form.
 */
import type { FollowUpView } from '../../../shared/protocol';
import { fill, h } from '../../../ui/dom';
import { countdown } from '../countdown';
import type { Key } from '../i18n';
import { time, type ViewContext } from './context';
import { startForm } from './start';

export class FollowUpsPane {
  readonly el = h('section', { class: 'followups', 'data-testid': 'followups' });
  private tasks: FollowUpView[] = [];
  /** A task's form while the agent has it open: kept, with what they typed, when the list is drawn again. */
  private readonly open = new Map<string, HTMLElement>();

  constructor(private readonly v: ViewContext) {
    const upsert = (t: FollowUpView) => {
      this.tasks = this.tasks.filter((x) => x.id !== t.id);
      if (t.status === 'open' && (t.ownerAgentId === v.live.me.id || t.ownerAgentId === null))
        this.tasks.push(t);
      this.render();
    };
    v.live.on('followup:updated', upsert);
    v.live.on('followup:overdue', (a) => upsert(a.task));
  }

  show(): void {
    this.v.live.attempt(async () => {
      this.tasks = (await this.v.api.myFollowUps()).followups;
      this.render();
    });
  }

  render(): void {
    const { t } = this.v;
    const sorted = [...this.tasks].sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
    for (const id of this.open.keys()) if (!this.tasks.some((x) => x.id === id)) this.open.delete(id);
    fill(
      this.el,
      h('h2', { text: t('followUps') }),
      sorted.length === 0 ? h('p', { class: 'placeholder', text: t('none') }) : null,
      h('ul', { class: 'tasks' }, ...sorted.map((task) => this.item(task))),
    );
  }

  private item(task: FollowUpView): HTMLElement {
    const { t, locale } = this.v;
    const due = Date.parse(task.dueAt);
    const created = Date.parse(task.createdAt);
    const clock = {
      startedAt: task.createdAt,
      dueAt: task.dueAt,
      warnAt: new Date(created + (due - created) * 0.75).toISOString(),
      targetMs: due - created,
      warnedAt: null,
      breachedAt: task.overdue ? task.dueAt : null,
      businessHours: false,
      policy: null,
    };
    const slot = h('div', { class: 'task-actions' });
    const li = h(
      'li',
      { class: `task${task.overdue ? ' overdue' : ''}`, 'data-testid': 'followup', 'data-id': task.id },
      h('strong', { text: task.contactName ?? '—' }),
      ' ',
      h('span', { class: 'tag', text: t(`followUpReason_${task.reason}` as Key) }),
      ' ',
      countdown(clock, 'followup-countdown', t('dueIn', { t: time(task.dueAt, locale) })),
      task.note ? h('p', { class: 'note', text: task.note }) : null,
      slot,
    );
    const form = this.open.get(task.id);
    if (form) slot.replaceChildren(form);
    else this.actions(task, slot);
    return li;
  }

  private actions(task: FollowUpView, slot: HTMLElement): void {
    const { t, api, live } = this.v;
    const contact = h('button', {
      'data-testid': 'followup-start',
      text: t('startContact'),
      onclick: () =>
        live.attempt(async () => {
          const { inboxes } = await api.inboxes();
          const form = h(
            'div',
            {},
            startForm(this.v, inboxes, async (body) => {
              const { conversation } = await api.startFollowUp(task.id, body);
              this.open.delete(task.id);
              this.v.open(conversation.id);
            }),
            complete,
          );
          this.open.set(task.id, form);
          slot.replaceChildren(form);
        }),
    });
    const complete = h('button', {
      'data-testid': 'followup-complete',
      text: t('complete'),
      onclick: () => {
        const form = this.outcomeForm(task);
        this.open.set(task.id, form);
        slot.replaceChildren(form);
      },
    });
    slot.replaceChildren(contact, complete);
  }

  private outcomeForm(task: FollowUpView): HTMLElement {
    const { t, api, live } = this.v;
    const reached = h('input', { type: 'checkbox', 'data-testid': 'outcome-reached', checked: true });
    const satisfied = h('select', { 'data-testid': 'outcome-satisfied', 'aria-label': t('satisfied') });
    satisfied.append(
      h('option', { value: 'yes', text: t('yes') }),
      h('option', { value: 'no', text: t('no') }),
      h('option', { value: 'unknown', text: t('satisfiedUnknown') }),
    );
    const note = h('textarea', {
      rows: 2,
      'data-testid': 'outcome-note',
      'aria-label': t('outcomeNote'),
      placeholder: t('outcomeNote'),
    });
    const keepOpen = h('input', { type: 'checkbox', 'data-testid': 'outcome-keep-open' });
    return h(
      'form',
      {
        class: 'outcome',
        'data-testid': 'outcome-form',
        onsubmit: (ev: Event) => {
          ev.preventDefault();
          live.attempt(async () => {
            await api.completeFollowUp(task.id, {
              reached: reached.checked,
              satisfied: satisfied.value === 'unknown' ? null : satisfied.value === 'yes',
              note: note.value.trim(),
              keepOpen: keepOpen.checked,
            });
            this.tasks = this.tasks.filter((x) => x.id !== task.id);
            this.open.delete(task.id);
            this.render();
          });
        },
      },
      h('label', {}, reached, ` ${t('reached')}`),
      h('label', {}, `${t('satisfied')} `, satisfied),
      note,
      h('label', {}, keepOpen, ` ${t('keepOpen')}`),
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'outcome-save', text: t('save') }),
      h('button', {
        type: 'button',
        text: t('cancel'),
        onclick: () => {
          this.open.delete(task.id);
          this.render();
        },
      }),
    );
  }
}
