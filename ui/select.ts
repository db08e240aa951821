/**
 * A styled drop-down: the native select (so keyboards, screen readers and phones keep
 * their own picker) drawn like the kit's other controls, with a chevron and optional
 * groups and disabled choices.
 */
import { h } from './dom';

export interface Choice {
  value: string;
  label: string;
  disabled?: boolean;
}

export interface ChoiceGroup {
  label: string;
  choices: Choice[];
}

function option(c: Choice): HTMLOptionElement {
  return h('option', { value: c.value, text: c.label, disabled: c.disabled === true });
}

/** The select itself is returned inside its frame as `.select`; read and set its value as usual. */
export function selectMenu(
  props: { label: string; testid?: string; placeholder?: string; value?: string },
  items: (Choice | ChoiceGroup)[],
  onChange?: (value: string) => void,
): { el: HTMLElement; select: HTMLSelectElement } {
  const select = h('select', { 'aria-label': props.label, 'data-testid': props.testid ?? null });
  if (props.placeholder) select.append(h('option', { value: '', text: props.placeholder, disabled: true }));
  for (const item of items)
    select.append(
      'choices' in item ? h('optgroup', { label: item.label }, ...item.choices.map(option)) : option(item),
    );
  select.value = props.value ?? (props.placeholder ? '' : select.value);
  if (onChange) select.addEventListener('change', () => onChange(select.value));
  return { el: h('span', { class: 'select' }, select), select };
}
