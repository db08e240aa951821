/** Categories: key, English and Chinese names, order; delete (a category in use is archived) and restore. */
import { h } from '../../../../ui/dom';
import type { AdminCategory } from './client';
import { AdminForm, confirmButton, input } from './form';
import { cell, Section, type AdminContext, type Lookups } from './section';

const KEY = /^[a-z][a-z0-9_-]{1,39}$/;

export class CategoriesSection extends Section {
  private lookups: Lookups | null = null;

  constructor(c: AdminContext) {
    super(c, 'categories', 'adminCategories');
  }

  async load(lookups: Lookups): Promise<void> {
    this.lookups = lookups;
    this.frame('adminNewCategory', () => this.form(null));
    this.draw();
  }

  private draw(): void {
    const { t } = this.c;
    const rows = this.lookups!.categories.map((cat) =>
      h(
        'tr',
        { 'data-testid': 'category-row', 'data-key': cat.key, class: cat.enabled ? '' : 'admin-off' },
        cell(h('code', { text: cat.key })),
        cell(cat.names.en),
        cell(cat.names.zh),
        cell(t(cat.enabled ? 'adminActive' : 'adminArchived')),
        cell(
          h('button', {
            type: 'button',
            'data-testid': 'category-edit',
            text: t('adminEdit'),
            onclick: () => this.form(cat),
          }),
          cat.enabled
            ? confirmButton(t, 'adminDelete', 'category-delete', () => void this.remove(cat))
            : h('button', {
                type: 'button',
                'data-testid': 'category-restore',
                text: t('adminRestore'),
                onclick: () => void this.restore(cat),
              }),
        ),
      ),
    );
    this.list.replaceChildren(
      this.table(['adminKey', 'adminNameEn', 'adminNameZh', 'adminStatus', 'adminActions'], rows),
    );
  }

  private put(next: AdminCategory): void {
    const l = this.lookups!;
    l.categories = [...l.categories.filter((x) => x.key !== next.key), next].sort(
      (a, b) => a.order - b.order,
    );
    this.draw();
  }

  private async restore(cat: AdminCategory): Promise<void> {
    await this.attempt(async () => {
      this.put(await this.c.api.categories.update(cat.key, { enabled: true }));
    });
  }

  private async remove(cat: AdminCategory): Promise<void> {
    const { t } = this.c;
    await this.attempt(async () => {
      const r = await this.c.api.categories.remove(cat.key);
      if (r?.archived) {
        this.put({ ...cat, enabled: false });
        this.say(t('adminCategoryArchived', { name: cat.names.en }));
      } else {
        this.lookups!.categories = this.lookups!.categories.filter((x) => x.key !== cat.key);
        this.say(t('adminDeleted', { name: cat.names.en }));
        this.draw();
      }
    });
  }

  private form(cat: AdminCategory | null): void {
    const { t } = this.c;
    const key = input({ maxlength: 40, value: cat?.key ?? '', placeholder: 'returns' });
    key.disabled = cat !== null;
    const en = input({ maxlength: 60, value: cat?.names.en ?? '' });
    const zh = input({ maxlength: 60, value: cat?.names.zh ?? '' });
    const required = (i: HTMLInputElement) => () => (i.value.trim() ? null : t('adminRequired'));
    const form = new AdminForm(t, 'category-form', async () => {
      const names = { en: en.value.trim(), zh: zh.value.trim() };
      const saved = cat
        ? await this.c.api.categories.update(cat.key, { names })
        : await this.c.api.categories.create({ key: key.value.trim(), names });
      this.closeEditor();
      this.put(saved);
      this.say(t('adminSaved', { name: saved.names.en }));
    });
    this.edit(
      h('h4', { text: cat ? t('adminEditing', { name: cat.names.en }) : t('adminNewCategory') }),
      form.build(
        cat ? 'save' : 'adminCreate',
        form.field('key', 'adminKey', key, 'adminCategoryKeyHint', () =>
          cat || KEY.test(key.value.trim()) ? null : t('adminCategoryKeyHint'),
        ),
        form.field('names.en', 'adminNameEn', en, undefined, required(en)),
        form.field('names.zh', 'adminNameZh', zh, undefined, required(zh)),
      ),
    );
  }
}
