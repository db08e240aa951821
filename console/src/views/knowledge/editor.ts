/**
 * An article's editor: address, category and its English and Chinese translations.
 * "Save draft" writes both drafts (a language left empty is left out); each language is
 * published or taken off on its own. The server's reasons are shown beside the fields.
 */
import { h } from '../../../../ui/dom';
import type { Translate } from '../../i18n';
import { AdminForm, confirmButton, input, select } from '../admin/form';
import {
  ARTICLE_LOCALES,
  type Article,
  type ArticleCategory,
  type ArticleInput,
  type ArticleLocale,
  type KnowledgeApi,
} from './client';

export const languageName = (t: Translate, l: ArticleLocale) => t(l === 'en' ? 'kbEnglish' : 'kbChinese');

export interface EditorHost {
  t: Translate;
  api: KnowledgeApi;
  categories: ArticleCategory[];
  locale: string;
  /** The article was saved, published or taken off (null: deleted), with what to tell the editor. */
  changed(article: Article | null, message?: string): void;
}

export function articleEditor(host: EditorHost, article: Article | null): HTMLElement {
  const { t, api } = host;
  const slug = input({ type: 'text', value: article?.slug ?? '' });
  const category = select(
    [
      ['', t('kbNoCategory')],
      ...host.categories.map((c): [string, string] => [
        c.id,
        host.locale.startsWith('zh') ? c.names.zh : c.names.en,
      ]),
    ],
    article?.categoryId ?? '',
  );
  const texts = ARTICLE_LOCALES.map((l) => {
    const tr = article?.translations[l];
    const shown = tr?.draft ?? tr?.published ?? null;
    const title = input({ type: 'text', value: shown?.title ?? '' });
    const body = h('textarea', { rows: 8 });
    body.value = shown?.body ?? '';
    return { l, title, body };
  });

  const form: AdminForm = new AdminForm(t, 'kb-form', async () => {
    const b: ArticleInput = { categoryId: category.value || null, translations: {} };
    if (slug.value.trim()) b.slug = slug.value.trim();
    for (const { l, title, body } of texts)
      if (title.value.trim() || body.value.trim())
        b.translations[l] = { title: title.value, body: body.value };
    const saved = article ? await api.update(article.id, b) : await api.create(b);
    host.changed(saved, t('kbSaved'));
  });
  const act = (run: () => Promise<Article | null>) => () => {
    form.clear();
    run().then(
      (a) => host.changed(a),
      (err: unknown) => form.show(err),
    );
  };

  form.build(
    'kbSaveDraft',
    h('h3', { text: t(article ? 'kbEdit' : 'kbNew') }),
    form.field('slug', 'kbSlug', slug, 'kbSlugHint'),
    form.field('categoryId', 'kbCategory', category),
    ...texts.map(({ l, title, body }) =>
      h(
        'fieldset',
        { class: 'kb-translation', 'data-locale': l },
        h('legend', { text: languageName(t, l) }),
        form.field(`translations.${l}.title`, 'kbTitle', title),
        form.field(`translations.${l}.body`, 'kbBody', body, 'kbBodyHint'),
      ),
    ),
  );
  if (article) {
    const buttons = form.el.querySelector('.admin-buttons')!;
    for (const l of ARTICLE_LOCALES) {
      const tr = article.translations[l];
      const lang = languageName(t, l);
      const verbs = [
        ['publish', 'kbPublish', Boolean(tr?.draft)],
        ['unpublish', 'kbUnpublish', Boolean(tr?.published)],
      ] as const;
      for (const [verb, label, offered] of verbs)
        if (offered)
          buttons.append(
            h('button', {
              type: 'button',
              'data-testid': `kb-${verb}-${l}`,
              text: t(label, { lang }),
              onclick: act(() => api[verb](article.id, l)),
            }),
          );
    }
    buttons.append(
      confirmButton(
        t,
        'kbDelete',
        'kb-delete',
        act(() => api.remove(article.id).then(() => null)),
      ),
    );
  }
  return form.el;
}
