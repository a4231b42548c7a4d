import { closestName } from './closestName.js'
import { LanesConfigError } from './lanesConfigError.js'
import type { LevelFilesMode, ResolveContext } from './options.js'
import { isPlainObject } from './optionsRead.js'

// Names and lanes: domains, extra lanes, level files and levels, mirrors. They are file names in one folder.

/** File names of lanes: a letter, then letters, digits, `_` or `-`, 64 characters at most. */
export const LANE_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/
/** Names longer than a lane name can be get no "did you mean" (the edit distance is quadratic in the length). */
export const MAX_SUGGESTED_LENGTH = 64

export function checkName(option: string, name: unknown): string {
  if (typeof name !== 'string' || !LANE_NAME_PATTERN.test(name)) {
    throw new LanesConfigError(
      option,
      'must be a name of a letter followed by up to 63 letters, digits, "_" or "-" (it becomes a file name)',
      name,
    )
  }
  return name
}

export function nameList(
  input: Record<string, unknown>,
  key: string,
  fallback: readonly string[],
): readonly string[] {
  const value = input[key]
  if (value === undefined) return fallback
  if (!Array.isArray(value)) throw new LanesConfigError(key, 'must be an array of names', value)
  const names = value.map((name) => checkName(key, name))
  const seen = new Set<string>()
  for (const name of names) {
    if (seen.has(name)) throw new LanesConfigError(key, 'must not list a name twice', name)
    seen.add(name)
  }
  return Object.freeze(names)
}

export function resolveLevelFiles(value: unknown): {
  mode: LevelFilesMode
  listed: readonly string[] | undefined
} {
  if (value === undefined) return { mode: 'exact', listed: undefined }
  if (value === 'exact' || value === 'threshold' || value === false) return { mode: value, listed: undefined }
  if (!isPlainObject(value)) {
    throw new LanesConfigError(
      'levelFiles',
      "must be 'exact', 'threshold', false or { mode: 'exact' | 'threshold', levels: [level, ...] }",
      value,
    )
  }
  for (const key of Object.keys(value)) {
    if (key !== 'mode' && key !== 'levels') {
      throw new LanesConfigError(
        `levelFiles.${key}`,
        'is not a levelFiles option (use mode and levels)',
        value[key],
      )
    }
  }
  if (value.mode !== 'exact' && value.mode !== 'threshold') {
    throw new LanesConfigError('levelFiles.mode', "must be 'exact' or 'threshold'", value.mode)
  }
  if (value.levels === undefined)
    throw new LanesConfigError('levelFiles.levels', 'must list the levels that get files', value.levels)
  const listed = nameList({ 'levelFiles.levels': value.levels }, 'levelFiles.levels', [])
  if (listed.length === 0)
    throw new LanesConfigError('levelFiles.levels', 'must list at least one level', value.levels)
  return { mode: value.mode, listed }
}

/** Every level listed in `levelFiles.levels` must be one of the logger's. */
export function checkListedLevels(listed: readonly string[], levels: ReadonlyMap<string, number>): void {
  for (const name of listed) {
    if (levels.has(name)) continue
    const known = [...levels.keys()]
    const suggestion = name.length <= MAX_SUGGESTED_LENGTH ? closestName(name, known) : undefined
    throw new LanesConfigError(
      'levelFiles.levels',
      `must list levels of the logger (${known.join(', ')})`,
      name,
      suggestion ? `did you mean '${suggestion}'?` : undefined,
    )
  }
}

export function resolveLevels(
  input: Record<string, unknown>,
  context: ResolveContext,
): ReadonlyMap<string, number> {
  const levels = new Map<string, number>(Object.entries(context.levels ?? {}))
  for (const key of ['levels', 'customLevels'] as const) {
    const value = input[key]
    if (value === undefined) continue
    if (!isPlainObject(value)) {
      throw new LanesConfigError(key, 'must be an object of { levelName: number }', value)
    }
    for (const [label, severity] of Object.entries(value)) {
      checkName(`${key}.${label}`, label)
      if (typeof severity !== 'number' || !Number.isFinite(severity)) {
        throw new LanesConfigError(
          `${key}.${label}`,
          'must be a finite number (higher is more severe)',
          severity,
        )
      }
      levels.set(label, severity)
    }
  }
  return levels
}

/** Domain, extra lane and (with level files on) level names are file names in one folder: no clash, even by case. */
export function checkNamespace(
  domains: readonly string[],
  lanes: readonly string[],
  levelNames: readonly string[],
  everyLevel: boolean,
): void {
  const owner = new Map<string, string>()
  for (const name of levelNames) owner.set(name.toLowerCase(), `level "${name}"`)
  const claim = (option: string, name: string) => {
    const existing = owner.get(name.toLowerCase())
    if (existing !== undefined) {
      // Every level has a file: listing the ones that need a file frees the others' names.
      const wayOut =
        everyLevel && existing.startsWith('level ')
          ? `or give only some levels files: levelFiles: { mode: 'exact', levels: [...] } without "${name}"`
          : undefined
      throw new LanesConfigError(
        option,
        `must not reuse a lane name: '${name}' clashes with ${existing} (domains, extra lanes and level files share one folder)`,
        name,
        wayOut,
      )
    }
    owner.set(name.toLowerCase(), `${option === 'domains' ? 'domain' : 'extra lane'} "${name}"`)
  }
  for (const name of domains) claim('domains', name)
  for (const name of lanes) claim('lanes', name)
}

/**
 * `levelNames`: the level lanes, or undefined while the logger's levels are pending, when any name that is not a
 * domain or an extra lane is taken for a level (checked again once the levels are known).
 */
export function resolveMirrors(
  value: unknown,
  domains: readonly string[],
  lanes: readonly string[],
  levelNames: readonly string[] | undefined,
): ReadonlyMap<string, readonly string[]> {
  const mirrors = new Map<string, readonly string[]>()
  if (value === undefined) return mirrors
  if (!isPlainObject(value))
    throw new LanesConfigError('mirrors', 'must be an object of { lane: [lane, ...] }', value)
  const sources = [...domains, ...(levelNames ?? [])]
  const targets = [...domains, ...(levelNames ?? []), ...lanes]
  const maybeLevel = (name: unknown) =>
    levelNames === undefined &&
    typeof name === 'string' &&
    LANE_NAME_PATTERN.test(name) &&
    !domains.includes(name) &&
    !lanes.includes(name)
  for (const [key, list] of Object.entries(value)) {
    if (!sources.includes(key) && !maybeLevel(key)) {
      const suggestion = key.length <= MAX_SUGGESTED_LENGTH ? closestName(key, sources) : undefined
      const hint = lanes.includes(key)
        ? `'${key}' is an extra lane, which only receives mirrored records and so cannot be a mirror source`
        : suggestion
          ? `did you mean '${suggestion}'?`
          : undefined
      throw new LanesConfigError(
        `mirrors.${key}`,
        levelNames === undefined
          ? `must be keyed by a domain (${sources.join(', ')}) or a level of the logger`
          : `must be keyed by a domain or level lane (${sources.join(', ')})`,
        key,
        hint,
      )
    }
    if (!Array.isArray(list))
      throw new LanesConfigError(`mirrors.${key}`, 'must be an array of lane names', list)
    for (const target of list) {
      if (typeof target !== 'string' || !(targets.includes(target) || maybeLevel(target))) {
        const suggestion =
          typeof target === 'string' && target.length <= MAX_SUGGESTED_LENGTH
            ? closestName(target, targets)
            : undefined
        throw new LanesConfigError(
          `mirrors.${key}`,
          `must list only lanes (domains, level files or names declared in "lanes": ${targets.join(', ')})`,
          target,
          suggestion ? `did you mean '${suggestion}'?` : undefined,
        )
      }
    }
    mirrors.set(key, Object.freeze([...list]))
  }
  return mirrors
}
