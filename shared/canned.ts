/**
 * The variables a canned response may contain and how they are filled when an agent
 * inserts it: `{customer.name}`, `{agent.name}`, `{conversation.number}`. A value that is
 * missing (a customer who never gave a name) is replaced by the fallback given, so the
 * customer never reads a raw placeholder. Shared by the server (validation) and the console.
 */
export const CANNED_VARIABLES = ['customer.name', 'agent.name', 'conversation.number'] as const;
export type CannedVariable = (typeof CANNED_VARIABLES)[number];

const PLACEHOLDER = /\{([a-z]+(?:\.[a-z]+)*)\}/gi;

/** The placeholders in `text` that are not known variables, each once. */
export function unknownVariables(text: string): string[] {
  const known = new Set<string>(CANNED_VARIABLES);
  const out = new Set<string>();
  for (const m of text.matchAll(PLACEHOLDER)) if (!known.has(m[1]!)) out.add(m[0]);
  return [...out];
}

/** `text` with every known variable replaced by its value, or its fallback when the value is empty. */
export function fillVariables(
  text: string,
  values: Partial<Record<CannedVariable, string | number | null>>,
  fallbacks: Partial<Record<CannedVariable, string>> = {},
): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    if (!(CANNED_VARIABLES as readonly string[]).includes(name)) return whole;
    const v = values[name as CannedVariable];
    const s = v === null || v === undefined ? '' : String(v).trim();
    return s || (fallbacks[name as CannedVariable] ?? '');
  });
}
