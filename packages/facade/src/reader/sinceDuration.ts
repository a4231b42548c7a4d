const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
}
const DURATION = /^(\d+)([smhdw])$/

/**
 * Milliseconds of a duration such as `30s`, `10m`, `2h`, `1d` or `1w`; undefined when `text` is not one.
 *
 * @example
 * ```ts
 * parseDuration('10m') // 600000
 * parseDuration('10') // undefined: the unit is required
 * ```
 */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text)
  if (!match) return undefined
  return Number(match[1]) * UNIT_MS[match[2]!]!
}
