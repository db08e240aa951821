/**
 * Service-level policies: the ordered rules (the first that matches a conversation
 * wins), each matching inboxes, channels, priorities, categories and VIP, and giving
 * clocks their targets in minutes, counted around the clock or in business hours.
 */
import { h } from '../../../../ui/dom';
import type { Key } from '../../i18n';
import type { AdminPolicy } from './client';
import { AdminForm, checkbox, checked, checkList, confirmButton, input, select, words } from './form';
import { cell, Section, type AdminContext, type Lookups } from './section';

const CLOCKS = [
  'pickup',
  'reply',
  'resolution',
  'escalation',
  'complaint_acknowledgement',
  'complaint_solution',
  'complaint_follow_up',
];
const CHANNELS = ['webchat', 'email', 'sms', 'telegram'];
const PRIORITIES: Key[] = ['priorityLow', 'priorityNormal', 'priorityHigh', 'priorityUrgent'];
const MINUTE = 60_000;

export class PoliciesSection extends Section {
  private lookups: Lookups | null = null;
  private policies: AdminPolicy[] = [];

  constructor(c: AdminContext) {
    super(c, 'policies', 'adminPolicies');
  }

  async load(lookups: Lookups): Promise<void> {
    this.lookups = lookups;
    this.policies = await this.c.api.policies.list();
    this.frame('adminNewPolicy', () => this.form(null));
    this.draw();
  }

  private draw(): void {
    const { t } = this.c;
    const sorted = [...this.policies].sort((a, b) => a.order - b.order);
    const rows = sorted.map((p, i) =>
      h(
        'tr',
        { 'data-testid': 'policy-row', 'data-id': p.id, class: p.enabled ? '' : 'admin-off' },
        cell(String(i + 1)),
        cell(h('strong', { text: p.name })),
        cell(this.matchText(p)),
        cell(
          ...Object.entries(p.targets).map(([clock, target]) =>
            h('div', {
              class: 'admin-hint',
              text: `${t(`adminClock_${clock}` as Key)}: ${minutes(target.ms)} ${t('adminMinutes')}${target.businessHours ? ` (${t('adminBusinessHours')})` : ''}`,
            }),
          ),
        ),
        cell(
          h('button', {
            type: 'button',
            'data-testid': 'policy-up',
            text: '↑',
            'aria-label': t('adminMoveUp'),
            disabled: i === 0,
            onclick: () => void this.swap(sorted, i, i - 1),
          }),
          h('button', {
            type: 'button',
            'data-testid': 'policy-down',
            text: '↓',
            'aria-label': t('adminMoveDown'),
            disabled: i === sorted.length - 1,
            onclick: () => void this.swap(sorted, i, i + 1),
          }),
          h('button', {
            type: 'button',
            'data-testid': 'policy-edit',
            text: t('adminEdit'),
            onclick: () => this.form(p),
          }),
          confirmButton(t, 'adminDelete', 'policy-delete', () => void this.remove(p)),
        ),
      ),
    );
    this.list.replaceChildren(
      h('p', { class: 'admin-hint', text: t('adminPoliciesHint') }),
      this.table(['adminOrder', 'adminName', 'adminMatch', 'adminTargets', 'adminActions'], rows),
    );
  }

  private matchText(p: AdminPolicy): string {
    const { t } = this.c;
    const inboxName = (id: string) => this.lookups!.inboxes.find((x) => x.id === id)?.name ?? id;
    const parts = [
      p.match.inboxIds.map(inboxName).join(', '),
      p.match.channels.map((c) => t(`adminChannel_${c}` as Key)).join(', '),
      p.match.priorities.map((n) => t(PRIORITIES[n]!)).join(', '),
      p.match.categories.join(', '),
      p.match.vip === null ? '' : t(p.match.vip ? 'adminVipOnly' : 'adminNotVip'),
    ].filter(Boolean);
    return parts.length ? parts.join(' · ') : t('adminMatchAll');
  }

  /** Moves a rule one place by swapping its order with its neighbour's (distinct orders first). */
  private async swap(sorted: AdminPolicy[], from: number, to: number): Promise<void> {
    const a = sorted[from]!;
    const b = sorted[to]!;
    const [oa, ob] = a.order === b.order ? [b.order + (to > from ? 1 : -1), a.order] : [b.order, a.order];
    await this.attempt(async () => {
      const [na, nb] = await Promise.all([
        this.c.api.policies.update(a.id, { order: Math.max(0, oa) }),
        this.c.api.policies.update(b.id, { order: ob }),
      ]);
      this.policies = this.policies.map((p) => (p.id === na.id ? na : p.id === nb.id ? nb : p));
      this.draw();
    });
  }

  private async remove(p: AdminPolicy): Promise<void> {
    await this.attempt(async () => {
      await this.c.api.policies.remove(p.id);
      this.policies = this.policies.filter((x) => x.id !== p.id);
      this.say(this.c.t('adminDeleted', { name: p.name }));
      this.draw();
    });
  }

  private form(p: AdminPolicy | null): void {
    const { t } = this.c;
    const l = this.lookups!;
    const name = input({ maxlength: 200, value: p?.name ?? '' });
    const next = this.policies.reduce((m, x) => Math.max(m, x.order + 10), 0);
    const order = input({ type: 'number', min: 0, max: 1_000_000, value: p?.order ?? next });
    const enabled = checkbox(p?.enabled ?? true);
    const inboxes = checkList(
      'policy-inboxes',
      l.inboxes.map((i) => [i.id, i.name]),
      (v) => p?.match.inboxIds.includes(v) ?? false,
    );
    const channels = checkList(
      'policy-channels',
      CHANNELS.map((c) => [c, t(`adminChannel_${c}` as Key)]),
      (v) => p?.match.channels.includes(v) ?? false,
    );
    const priorities = checkList(
      'policy-priorities',
      PRIORITIES.map((k, i) => [String(i), t(k)]),
      (v) => p?.match.priorities.includes(Number(v)) ?? false,
    );
    const categories = input({ value: p?.match.categories.join(', ') ?? '' });
    const vip = select(
      [
        ['', t('adminAny')],
        ['true', t('adminVipOnly')],
        ['false', t('adminNotVip')],
      ],
      p?.match.vip === null || p?.match.vip === undefined ? '' : String(p.match.vip),
    );
    const targets = CLOCKS.map((clock) => {
      const now = p?.targets[clock];
      const ms = input({
        type: 'number',
        min: 0,
        step: 'any',
        value: now ? minutes(now.ms) : '',
        placeholder: '—',
      });
      ms.setAttribute('aria-label', `${t(`adminClock_${clock}` as Key)} (${t('adminMinutes')})`);
      const business = checkbox(now?.businessHours ?? false);
      business.setAttribute('aria-label', `${t(`adminClock_${clock}` as Key)}: ${t('adminBusinessHours')}`);
      return { clock, ms, business };
    });
    const form = new AdminForm(t, 'policy-form', async () => {
      const body = {
        name: name.value.trim(),
        order: Number(order.value),
        enabled: enabled.checked,
        match: {
          inboxIds: checked(inboxes),
          channels: checked(channels),
          priorities: checked(priorities).map(Number),
          categories: words(categories.value),
          vip: vip.value === '' ? null : vip.value === 'true',
        },
        targets: Object.fromEntries(
          targets
            .filter((x) => x.ms.value.trim() !== '')
            .map((x) => [
              x.clock,
              { ms: Math.round(Number(x.ms.value) * MINUTE), businessHours: x.business.checked },
            ]),
        ),
      };
      const saved = p ? await this.c.api.policies.update(p.id, body) : await this.c.api.policies.create(body);
      this.policies = [...this.policies.filter((x) => x.id !== saved.id), saved];
      this.closeEditor();
      this.say(t('adminSaved', { name: saved.name }));
      this.draw();
    });
    this.edit(
      h('h4', { text: p ? t('adminEditing', { name: p.name }) : t('adminNewPolicy') }),
      form.build(
        p ? 'save' : 'adminCreate',
        form.field('name', 'adminName', name, undefined, () =>
          name.value.trim() ? null : t('adminRequired'),
        ),
        form.field('order', 'adminOrder', order, 'adminOrderHint', () =>
          Number.isInteger(Number(order.value)) && Number(order.value) >= 0 && order.value !== ''
            ? null
            : t('adminOrderHint'),
        ),
        form.field('enabled', 'adminEnabled', enabled),
        h(
          'fieldset',
          { class: 'admin-settings' },
          h('legend', { text: t('adminMatch') }),
          h('small', { class: 'admin-hint', text: t('adminMatchHint') }),
          l.inboxes.length
            ? h(
                'div',
                { class: 'admin-field', 'data-field': 'match.inboxIds' },
                h('span', { class: 'admin-label', text: t('adminInboxes') }),
                inboxes,
              )
            : null,
          h(
            'div',
            { class: 'admin-field' },
            h('span', { class: 'admin-label', text: t('adminChannel') }),
            channels,
          ),
          h(
            'div',
            { class: 'admin-field' },
            h('span', { class: 'admin-label', text: t('priority') }),
            priorities,
          ),
          form.field('match.categories', 'adminCategories', categories, 'adminListHint'),
          form.field('match.vip', 'vip', vip),
        ),
        h(
          'fieldset',
          { class: 'admin-settings', 'data-testid': 'policy-targets' },
          h('legend', { text: t('adminTargets') }),
          h('small', { class: 'admin-hint', text: t('adminTargetsHint') }),
          form.field('targets', 'adminTargets', h('span'), undefined, () =>
            targets.some((x) => x.ms.value.trim() !== '') ? null : t('adminOneTarget'),
          ),
          ...targets.map((x) =>
            form.field(
              `targets.${x.clock}`,
              `adminClock_${x.clock}` as Key,
              h(
                'span',
                { class: 'admin-target' },
                x.ms,
                h('label', { class: 'admin-check' }, x.business, ` ${t('adminBusinessHours')}`),
              ),
              undefined,
              () => (x.ms.value.trim() === '' || Number(x.ms.value) > 0 ? null : t('adminPositive')),
            ),
          ),
        ),
      ),
    );
  }
}

const minutes = (ms: number) => String(Math.round((ms / MINUTE) * 1000) / 1000);
