/**
 * The customer's notes and attributes in the profile: editable by the agent serving the
 * customer and by supervisors and admins, read-only for others.
 */
import { fill, h } from '../../../ui/dom';
import type { ContactDetails } from '../api';
import type { ViewContext } from './context';

export function contactDetails(v: ViewContext, contactId: string): HTMLElement {
  const el = h('section', { class: 'contact-details', 'data-testid': 'contact-details' });
  v.api
    .contactDetails(contactId)
    .then((d) => draw(v, el, d))
    .catch((err: unknown) =>
      fill(el, h('p', { class: 'error', text: v.t('error', { message: String(err) }) })),
    );
  return el;
}

function draw(v: ViewContext, el: HTMLElement, d: ContactDetails): void {
  const { t, api, live } = v;
  const status = h('p', { class: 'saved', 'data-testid': 'details-status', role: 'status' });
  const notes = h('textarea', {
    rows: 3,
    'data-testid': 'contact-notes',
    'aria-label': t('contactNotes'),
    placeholder: t('contactNotesPlaceholder'),
    readonly: !d.editable,
  });
  notes.value = d.notes;
  const rows = Object.entries(d.attributes).map(([k, value]) => {
    const fixed = !d.editable || d.readOnlyAttributes.includes(k);
    const input = h('input', { type: 'text', 'aria-label': k, 'data-attribute': k, readonly: fixed });
    input.value = String(value);
    return h('li', {}, h('span', { class: 'attr-name', text: k }), ' ', input);
  });
  const newName = h('input', {
    type: 'text',
    'aria-label': t('attributeName'),
    placeholder: t('attributeName'),
    'data-testid': 'attribute-name',
  });
  const newValue = h('input', {
    type: 'text',
    'aria-label': t('attributeValue'),
    placeholder: t('attributeValue'),
    'data-testid': 'attribute-value',
  });
  const save = () =>
    live.attempt(async () => {
      const attributes: Record<string, string | null> = {};
      for (const input of el.querySelectorAll<HTMLInputElement>('input[data-attribute]'))
        if (!input.readOnly && input.value !== String(d.attributes[input.dataset.attribute!]))
          attributes[input.dataset.attribute!] = input.value.trim() || null;
      if (newName.value.trim()) attributes[newName.value.trim()] = newValue.value.trim() || null;
      const next = await api.saveContactDetails(d.contactId, {
        notes: notes.value,
        ...(Object.keys(attributes).length ? { attributes } : {}),
      });
      draw(v, el, next);
      el.querySelector('[data-testid="details-status"]')!.textContent = t('saved');
    });
  fill(
    el,
    h('h3', { text: t('contactNotes') }),
    notes,
    d.notesUpdatedBy ? h('p', { class: 'by', text: t('notesBy', { name: d.notesUpdatedBy }) }) : null,
    h('h3', { text: t('attributes') }),
    h('ul', { class: 'attributes', 'data-testid': 'attributes' }, ...rows),
    d.editable ? h('div', { class: 'attr-new' }, newName, newValue) : null,
    d.editable
      ? h('button', { type: 'button', 'data-testid': 'details-save', text: t('save'), onclick: save })
      : null,
    status,
  );
}
