/**
 * Inboxes of every channel: their list with health (enabled, connection state, last
 * error), the form with the channel's settings, the widget snippet and webhook URLs to
 * copy, enable/disable and delete (an inbox with conversations is archived instead).
 */
import { h } from '../../../../ui/dom';
import type { Key } from '../../i18n';
import type { AdminInbox, Json } from './client';
import { AdminForm, confirmButton, copyable, input, select } from './form';
import { cell, Section, type AdminContext, type Lookups } from './section';
import { settingsFields } from './settings';

const CHANNELS = ['webchat', 'email', 'sms', 'telegram'];
const ENDPOINT_LABELS: Record<string, Key> = {
  snippet: 'adminSnippet',
  widgetScript: 'adminWidgetScript',
  smsInbound: 'adminSmsInbound',
  smsStatus: 'adminSmsStatus',
  telegramWebhook: 'adminTelegramWebhook',
};

export class InboxesSection extends Section {
  private lookups: Lookups | null = null;

  constructor(c: AdminContext) {
    super(c, 'inboxes', 'adminInboxes');
  }

  async load(lookups: Lookups): Promise<void> {
    this.lookups = lookups;
    this.frame('adminNewInbox', () => this.form(null, 'webchat'));
    this.draw();
  }

  private draw(): void {
    const { t } = this.c;
    const rows = (this.lookups?.inboxes ?? []).map((i) =>
      h(
        'tr',
        { 'data-testid': 'inbox-row', 'data-id': i.id, 'data-key': i.key },
        cell(h('strong', { text: i.name })),
        cell(t(`adminChannel_${i.channel}` as Key)),
        cell(this.health(i)),
        cell(
          h('button', {
            type: 'button',
            'data-testid': 'inbox-edit',
            text: t('adminEdit'),
            onclick: () => this.form(i, i.channel),
          }),
          h('button', {
            type: 'button',
            'data-testid': 'inbox-toggle',
            text: t(i.enabled ? 'adminDisable' : 'adminEnable'),
            onclick: () => void this.save(i, { enabled: !i.enabled }),
          }),
          i.archivedAt ? null : confirmButton(t, 'adminDelete', 'inbox-delete', () => void this.remove(i)),
        ),
      ),
    );
    this.list.replaceChildren(this.table(['adminName', 'adminChannel', 'adminHealth', 'adminActions'], rows));
  }

  private health(i: AdminInbox): HTMLElement {
    const { t } = this.c;
    const status = i.archivedAt
      ? 'archived'
      : !i.enabled
        ? 'disabled'
        : !i.configured
          ? 'unconfigured'
          : i.state.status;
    return h(
      'span',
      { class: `admin-health admin-health-${status}`, 'data-testid': 'inbox-health', 'data-status': status },
      t(`adminHealth_${status}` as Key),
      i.state.error ? h('small', { class: 'admin-hint', text: ` ${i.state.error}` }) : null,
    );
  }

  private async save(i: AdminInbox, patch: Json): Promise<void> {
    await this.attempt(async () => {
      const next = await this.c.api.inboxes.update(i.id, patch);
      this.replace(next);
      this.say(this.c.t('adminSaved', { name: next.name }));
    });
  }

  private async remove(i: AdminInbox): Promise<void> {
    const { t } = this.c;
    await this.attempt(async () => {
      const r = await this.c.api.inboxes.remove(i.id);
      if (r?.archived) {
        this.say(t('adminInboxArchived', { name: i.name }));
        this.replace({ ...i, enabled: false, archivedAt: new Date().toISOString() });
      } else {
        this.say(t('adminDeleted', { name: i.name }));
        if (this.lookups) this.lookups.inboxes = this.lookups.inboxes.filter((x) => x.id !== i.id);
        this.draw();
      }
    });
  }

  private replace(next: AdminInbox): void {
    if (!this.lookups) return;
    const all = this.lookups.inboxes.filter((x) => x.id !== next.id);
    this.lookups.inboxes = [...all, next].sort((a, b) => a.name.localeCompare(b.name));
    this.draw();
  }

  /** The create or edit form; a new inbox's channel picks its settings fields. */
  private form(i: AdminInbox | null, channel: string): void {
    const { t } = this.c;
    const lookups = this.lookups!;
    const form = new AdminForm(t, 'inbox-form', async () => {
      const body: Json = {
        name: name.value.trim(),
        teamId: team.value || null,
        calendarId: calendar.value || null,
        secondLineTeamId: secondLine.value || null,
        locale: locale.value,
        settings: settings.read(),
      };
      if (!i) {
        body.channel = channel;
        if (key.value.trim()) body.key = key.value.trim();
      }
      const saved = i ? await this.c.api.inboxes.update(i.id, body) : await this.c.api.inboxes.create(body);
      this.replace(saved);
      this.say(t('adminSaved', { name: saved.name }));
      this.ready(saved);
    });
    const name = input({ maxlength: 200, value: i?.name ?? '' });
    const kind = select(
      CHANNELS.map((c) => [c, t(`adminChannel_${c}` as Key)]),
      channel,
    );
    kind.disabled = i !== null;
    kind.addEventListener('change', () => this.form(null, kind.value));
    const key = input({ maxlength: 64, value: i?.key ?? '' });
    key.disabled = i !== null;
    const none: [string, string][] = [['', t('adminNone')]];
    const teamOptions = lookups.teams.map((x): [string, string] => [x.id, x.name]);
    const team = select([...none, ...teamOptions], i?.teamId);
    const secondLine = select(
      [
        ...none,
        ...lookups.teams.filter((x) => x.tier === 'second').map((x): [string, string] => [x.id, x.name]),
      ],
      i?.secondLineTeamId,
    );
    const calendar = select(
      [['', t('adminAroundTheClock')], ...lookups.calendars.map((x): [string, string] => [x.id, x.name])],
      i?.calendarId,
    );
    const locale = select(
      [
        ['en', 'English'],
        ['zh-CN', '简体中文'],
      ],
      i?.locale ?? 'en',
    );
    const settings = settingsFields(t, form, channel, i?.settings ?? null);
    const required = () => (name.value.trim() ? null : t('adminRequired'));
    const keyCheck = () =>
      !key.value.trim() || /^[A-Za-z0-9_-]{4,64}$/.test(key.value.trim()) ? null : t('adminKeyHint');
    this.edit(
      h('h4', { text: i ? t('adminEditing', { name: i.name }) : t('adminNewInbox') }),
      form.build(
        i ? 'save' : 'adminCreate',
        form.field('name', 'adminName', name, undefined, required),
        form.field('channel', 'adminChannel', kind),
        form.field('key', 'adminKey', key, 'adminKeyHint', keyCheck),
        form.field('teamId', 'team', team, 'adminTeamHint'),
        form.field('secondLineTeamId', 'adminSecondLine', secondLine, 'adminSecondLineHint'),
        form.field('calendarId', 'adminCalendar', calendar),
        form.field('locale', 'language', locale, 'adminLocaleHint'),
        settings.el,
      ),
      i ? this.endpoints(i) : null,
    );
  }

  /** After saving: what to paste where. */
  private ready(i: AdminInbox): void {
    this.edit(
      h('h4', { text: this.c.t('adminInboxReady', { name: i.name }) }),
      this.endpoints(i),
      h('button', {
        type: 'button',
        'data-testid': 'inbox-done',
        text: this.c.t('adminDone'),
        onclick: () => this.closeEditor(),
      }),
    );
  }

  private endpoints(i: AdminInbox): HTMLElement {
    const { t } = this.c;
    const entries = Object.entries(i.endpoints).filter(([k]) => k !== 'widgetScript');
    const hint: Key | null =
      i.channel === 'webchat'
        ? 'adminSnippetHint'
        : i.channel === 'sms'
          ? 'adminSmsHint'
          : i.channel === 'telegram'
            ? 'adminTelegramHint'
            : i.channel === 'email'
              ? 'adminEmailHint'
              : null;
    return h(
      'div',
      { class: 'admin-endpoints', 'data-testid': 'inbox-endpoints' },
      hint ? h('p', { class: 'admin-hint', text: t(hint) }) : null,
      ...entries.map(([k, url]) => copyable(t, ENDPOINT_LABELS[k] ?? 'adminUrl', url, `endpoint-${k}`)),
    );
  }
}
