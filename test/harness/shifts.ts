/**
 * Time for shift tests: a gateway clock that starts 50 minutes before a shift boundary a
 * day ahead (B, on the hour) and is moved by the test, and dated duty hours around B.
 */
const HOUR = 3_600_000;

export function shiftClock() {
  const B = Math.ceil(Date.now() / HOUR) * HOUR + 24 * HOUR;
  let offset = B - HOUR + 10 * 60_000 - Date.now();
  return {
    B,
    now: () => new Date(Date.now() + offset),
    moveTo: (at: number) => (offset = at - Date.now()),
  };
}

export const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** A dated duty hour [start, start + 1 h) in UTC. */
export const dutyHour = (start: number) => ({
  date: new Date(start).toISOString().slice(0, 10),
  hours: [{ open: hhmm(start), close: hhmm(start + HOUR) === '00:00' ? '24:00' : hhmm(start + HOUR) }],
});
