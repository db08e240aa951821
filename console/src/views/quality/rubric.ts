/** The admin's rubric editor: criteria with labels in both languages, weights and error marks; saving makes a new version. */
import type { CriterionView, RubricView } from '../../../../shared/quality';
import { h } from '../../../../ui/dom';
import type { ViewContext } from '../context';
import type { QualityApi, RubricInput } from './api';

type Row = { el: HTMLElement; read(): RubricInput['criteria'][number] };

function row(c: Partial<CriterionView>, v: ViewContext, remove: (r: Row) => void): Row {
  const { t } = v;
  const field = (name: string, label: string, value: string, type = 'text') =>
    h('input', { type, 'data-testid': `rubric-${name}`, 'aria-label': label, placeholder: label, value });
  const key = field('key', t('qualityCriterionKey'), c.key ?? '');
  const en = field('label-en', t('qualityLabelEn'), c.label?.en ?? '');
  const zh = field('label-zh', t('qualityLabelZh'), c.label?.zh ?? '');
  const weight = field('weight', t('qualityWeight', { w: '' }).trim(), String(c.weight ?? 1), 'number');
  const kind = h('select', { 'data-testid': 'rubric-kind', 'aria-label': t('qualityKind') });
  kind.append(
    h('option', { value: 'scale', text: t('qualityKindScale') }),
    h('option', { value: 'pass_fail', text: t('qualityKindPassFail') }),
  );
  kind.value = c.kind ?? 'scale';
  const max = field('max', t('qualityMax'), String(c.max ?? 5), 'number');
  const errorBelow = field('error-below', t('qualityErrorBelow'), String(c.errorBelow ?? 0), 'number');
  const auto = h('input', {
    type: 'checkbox',
    'data-testid': 'rubric-auto',
    checked: c.auto === 'timeliness',
  });
  const r: Row = {
    el: h('li', { class: 'rubric-row', 'data-testid': 'rubric-criterion' }),
    read: () => ({
      key: key.value.trim(),
      label: { en: en.value, zh: zh.value },
      weight: Number(weight.value),
      kind: kind.value === 'pass_fail' ? 'pass_fail' : 'scale',
      ...(kind.value === 'scale' ? { max: Number(max.value), errorBelow: Number(errorBelow.value) } : {}),
      auto: auto.checked ? 'timeliness' : null,
    }),
  };
  r.el.append(
    key,
    en,
    zh,
    weight,
    kind,
    max,
    errorBelow,
    h('label', {}, auto, ` ${t('qualityAuto')}`),
    h('button', { type: 'button', text: t('qualityRemoveCriterion'), onclick: () => remove(r) }),
  );
  return r;
}

export function rubricEditor(
  current: RubricView | null,
  v: ViewContext,
  q: QualityApi,
  saved: () => void,
): HTMLElement {
  const { t, live } = v;
  const list = h('ol', { class: 'rubric-criteria' });
  const rows: Row[] = [];
  const remove = (r: Row) => {
    rows.splice(rows.indexOf(r), 1);
    r.el.remove();
  };
  const add = (c: Partial<CriterionView>) => {
    const r = row(c, v, remove);
    rows.push(r);
    list.append(r.el);
  };
  for (const c of current?.criteria ?? []) add(c);
  if (rows.length === 0) add({});
  const name = h('input', {
    'data-testid': 'rubric-name',
    'aria-label': t('qualityRubricName'),
    placeholder: t('qualityRubricName'),
    value: current?.name ?? '',
  });
  const status = h('p', { class: 'status', role: 'status', 'data-testid': 'rubric-status' });
  return h(
    'form',
    {
      class: 'rubric-editor',
      'data-testid': 'rubric-editor',
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        live.attempt(async () => {
          const { rubric } = await q.saveRubric({
            name: name.value,
            basedOn: current?.version ?? 0,
            criteria: rows.map((r) => r.read()),
          });
          status.textContent = t('qualityRubricSaved', { v: rubric.version });
          saved();
        });
      },
    },
    h('h3', { text: t('qualityEditRubric') }),
    name,
    list,
    h('button', {
      type: 'button',
      'data-testid': 'rubric-add',
      text: t('qualityAddCriterion'),
      onclick: () => add({}),
    }),
    h('button', {
      type: 'submit',
      class: 'primary',
      'data-testid': 'rubric-save',
      text: t('qualitySaveRubric'),
    }),
    status,
  );
}
