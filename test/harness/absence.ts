/**
 * Proving that something did not happen: a value must hold for a whole window after the
 * work that could change it was acknowledged. Only for absences; presence is awaited.
 */
export async function staysAt<T>(probe: () => Promise<T>, expected: T, windowMs = 1500): Promise<void> {
  const until = Date.now() + windowMs;
  while (Date.now() < until) {
    const v = await probe();
    if (v !== expected) throw new Error(`expected ${String(expected)} to hold, found ${String(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
