/** The staff audit log: who changed what and when, newest first, filtered by action, paged. */
import { fill, h } from '../../../../ui/dom';
import { time } from '../context';
import type { AuditEntry } from './client';
import { input } from './form';
import { cell, Section, type AdminContext, type Lookups } from './section';

export class AuditSection extends Section {
  private lookups: Lookups | null = null;
  private entries: AuditEntry[] = [];
  private next: string | null = null;
  private readonly action = input({
    placeholder: 'inbox.updated',
    'data-testid': 'audit-action',
    list: 'admin-actions',
  });

  constructor(c: AdminContext) {
    super(c, 'audit', 'adminAudit');
    this.action.addEventListener('change', () => void this.attempt(() => this.page(true)));
  }

  async load(lookups: Lookups): Promise<void> {
    this.lookups = lookups;
    this.frame(null, () => undefined);
    await this.page(true);
  }

  private async page(first: boolean): Promise<void> {
    const r = await this.c.api.audit({
      action: this.action.value.trim() || undefined,
      before: first ? undefined : (this.next ?? undefined),
    });
    this.entries = first ? r.entries : [...this.entries, ...r.entries];
    this.next = r.next;
    this.draw();
  }

  private draw(): void {
    const { t, locale } = this.c;
    const who = (id: string | null) =>
      id ? (this.lookups?.agents.find((a) => a.id === id)?.name ?? id) : '—';
    const rows = this.entries.map((e) =>
      h(
        'tr',
        { 'data-testid': 'audit-entry', 'data-action': e.action },
        cell(time(e.at, locale)),
        cell(who(e.actorId)),
        cell(h('code', { text: e.action })),
        cell(e.target ? `${e.target.kind} ${e.target.id}` : '—'),
        cell(h('code', { class: 'admin-details', text: JSON.stringify(e.details) })),
        cell(e.ip ?? ''),
      ),
    );
    fill(
      this.list,
      h(
        'label',
        { class: 'admin-field' },
        h('span', { class: 'admin-label', text: t('adminAuditFilter') }),
        this.action,
      ),
      this.table(
        ['adminWhen', 'adminWho', 'adminAction', 'adminTarget', 'adminDetails', 'adminAddress'],
        rows,
      ),
      this.next
        ? h('button', {
            type: 'button',
            'data-testid': 'audit-more',
            text: t('adminMore'),
            onclick: () => void this.attempt(() => this.page(false)),
          })
        : null,
    );
  }
}
