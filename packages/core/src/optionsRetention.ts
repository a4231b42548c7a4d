import { closestName } from './closestName.js'
import { LanesConfigError } from './lanesConfigError.js'
import type { ResolvedRetention } from './options.js'
import { LANE_NAME_PATTERN, MAX_SUGGESTED_LENGTH } from './optionsNames.js'
import { isPlainObject } from './optionsRead.js'
import { parseDuration } from './optionsTime.js'
import { parseSize } from './sizes.js'

// Retention: which interval folders (and lanes' files in them) are kept, by count, age and total size.

const RETENTION_KEYS = ['keep', 'maxAge', 'maxTotalSize', 'lanes']

/** The lanes of the options, which `retention.lanes` may name. */
export interface RetainedLanes {
  readonly domains: readonly string[]
  readonly lanes: readonly string[]
  /** The level lanes; undefined while the logger's levels are pending (any other lane name may be a level). */
  readonly levelLanes: readonly string[] | undefined
}

/**
 * Reads `retention`: `keep` (an integer ≥ 1), `maxAge` (a duration), `maxTotalSize` (the size syntax of
 * {@link parseSize}), `lanes` (`{ lane: { maxAge } }`, each key a lane of `known`); at least one of them. Needs
 * interval folders.
 *
 * @throws {LanesConfigError} naming the option (`retention.keep`, `retention.maxTotalSize`,
 *   `retention.lanes.<lane>`, `retention.lanes.<lane>.maxAge`, ...).
 */
export function resolveRetention(
  value: unknown,
  intervalMinutes: number | null,
  known: RetainedLanes,
): ResolvedRetention | undefined {
  if (value === undefined || value === false) return undefined
  if (!isPlainObject(value))
    throw new LanesConfigError(
      'retention',
      'must be an object { keep?, maxAge?, maxTotalSize?, lanes? }',
      value,
    )
  for (const key of Object.keys(value)) {
    if (!RETENTION_KEYS.includes(key)) {
      throw new LanesConfigError(
        `retention.${key}`,
        'is not a retention option (use keep, maxAge, maxTotalSize or lanes)',
        value[key],
      )
    }
  }
  if (RETENTION_KEYS.every((key) => value[key] === undefined)) {
    throw new LanesConfigError(
      'retention',
      'must set keep, maxAge, maxTotalSize or lanes (or several)',
      value,
    )
  }
  if (intervalMinutes === null) {
    throw new LanesConfigError(
      'retention',
      "needs interval folders; it cannot be used with interval 'none'",
      value,
    )
  }
  const keep = value.keep
  if (keep !== undefined && (typeof keep !== 'number' || !Number.isInteger(keep) || keep < 1)) {
    throw new LanesConfigError('retention.keep', 'must be an integer of at least 1', keep)
  }
  const maxAgeMs = value.maxAge === undefined ? undefined : parseDuration('retention.maxAge', value.maxAge)
  const maxTotalSize =
    value.maxTotalSize === undefined ? undefined : parseSize('retention.maxTotalSize', value.maxTotalSize)
  const laneMaxAgeMs = resolveLaneAges(value.lanes, known)
  return { keep: keep as number | undefined, maxAgeMs, maxTotalSize, laneMaxAgeMs }
}

/** `retention.lanes`: `{ lane: { maxAge } }`, each key a lane (domain, level lane or extra lane). */
function resolveLaneAges(value: unknown, known: RetainedLanes): ReadonlyMap<string, number> {
  const ages = new Map<string, number>()
  if (value === undefined) return ages
  if (!isPlainObject(value)) {
    throw new LanesConfigError('retention.lanes', "must be an object { lane: { maxAge: '30d' } }", value)
  }
  const { domains, lanes, levelLanes } = known
  const names = [...domains, ...(levelLanes ?? []), ...lanes]
  // While the logger's levels are pending, any other lane name may be one of its levels (checked again later).
  const maybeLevel = (name: string) => levelLanes === undefined && LANE_NAME_PATTERN.test(name)
  for (const [lane, rule] of Object.entries(value)) {
    const option = `retention.lanes.${lane}`
    if (!names.includes(lane) && !maybeLevel(lane)) {
      const suggestion = lane.length <= MAX_SUGGESTED_LENGTH ? closestName(lane, names) : undefined
      throw new LanesConfigError(
        option,
        `must be keyed by a lane (domains, level files or names declared in "lanes": ${names.join(', ')})`,
        lane,
        suggestion ? `did you mean '${suggestion}'?` : undefined,
      )
    }
    if (!isPlainObject(rule)) throw new LanesConfigError(option, "must be an object { maxAge: '30d' }", rule)
    for (const key of Object.keys(rule)) {
      if (key !== 'maxAge')
        throw new LanesConfigError(
          `${option}.${key}`,
          'is not a per-lane retention option (use maxAge)',
          rule[key],
        )
    }
    ages.set(lane, parseDuration(`${option}.maxAge`, rule.maxAge))
  }
  return ages
}
