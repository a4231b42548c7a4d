import { LanesConfigError } from './lanesConfigError.js'

// Reading the options: the input as plain data, read once, and the checks of single values every concern uses.

/** Nesting the options copy follows (`mirrors` → list → name); deeper values are kept as they are. */
const COPY_DEPTH = 3

/** Anything thrown while options were read or described, as the `LanesConfigError` every caller expects. */
export function asConfigError(error: unknown): LanesConfigError {
  if (error instanceof LanesConfigError) return error
  // A value whose own code throws even when it is only described (a revoked proxy, a throwing toString).
  return new LanesConfigError(
    'options',
    'must hold plain data (reading or describing a value threw)',
    thrownMessage(error),
  )
}

/**
 * The options as plain data, read once: own enumerable properties, with arrays and plain objects copied a few
 * levels deep. Every check then sees the same values (a getter or proxy cannot answer differently on a second
 * read), and one that throws while being read is reported as a {@link LanesConfigError} naming the option.
 */
export function readOptions(input: unknown): Record<string, unknown> {
  if (!readOption('options', () => isPlainObject(input)))
    throw new LanesConfigError('options', 'must be an object', input)
  return copyData(input, 'options', 0) as Record<string, unknown>
}

export function copyData(value: unknown, option: string, depth: number): unknown {
  const isArray = readOption(option, () => Array.isArray(value))
  const isObject = !isArray && readOption(option, () => isPlainObject(value))
  if (depth >= COPY_DEPTH || !(isArray || isObject)) return value
  const source = value as Record<string, unknown>
  if (isArray) {
    const length = readOption(option, () => (source as unknown as unknown[]).length)
    const copy: unknown[] = []
    for (let i = 0; i < length; i++)
      copy.push(
        copyData(
          readOption(option, () => source[i]),
          option,
          depth + 1,
        ),
      )
    return copy
  }
  // A null prototype: a '__proto__' key stays an ordinary property, as JSON.parse makes it.
  const copy: Record<string, unknown> = Object.create(null)
  for (const key of readOption(option, () => Object.keys(source))) {
    const path = depth === 0 ? key : `${option}.${key}`
    copy[key] = copyData(
      readOption(path, () => source[key]),
      path,
      depth + 1,
    )
  }
  return copy
}

/**
 * `get()`, with anything it throws (a getter, a proxy trap) reported as a {@link LanesConfigError} saying that the
 * option `option` cannot be read.
 *
 * @example
 * ```ts
 * const transform = readOption('format', () => format.transform)
 * ```
 */
export function readOption<T>(option: string, get: () => T): T {
  try {
    return get()
  } catch (error) {
    throw unreadable(option, error)
  }
}

export function unreadable(option: string, error: unknown): LanesConfigError {
  return new LanesConfigError(option, 'must be readable data (reading it threw)', thrownMessage(error))
}

/** The message of anything thrown, without running more of its code than that. */
export function thrownMessage(error: unknown): string {
  try {
    return error instanceof Error ? String(error.message) : typeof error === 'string' ? error : typeof error
  } catch {
    return 'an error that cannot be read'
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

export function optionalString(input: Record<string, unknown>, key: string, fallback: string): string {
  const value = input[key]
  if (value === undefined) return fallback
  if (typeof value !== 'string' || value.length === 0) {
    throw new LanesConfigError(key, 'must be a non-empty string', value)
  }
  return value
}

export function oneOf<T extends string>(
  input: Record<string, unknown>,
  key: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = input[key]
  if (value === undefined) return fallback
  if (!allowed.includes(value as T)) {
    throw new LanesConfigError(key, `must be ${allowed.map((v) => `'${v}'`).join(' or ')}`, value)
  }
  return value as T
}

/**
 * A permission mode that gives the owner at least `ownerBits`: lane files are reopened to append and read back to
 * compress (`0o600`), folders are listed and entered (`0o700`); a mode without them fails only later, lane by lane.
 */
export function fileMode(
  input: Record<string, unknown>,
  key: string,
  fallback: number,
  ownerBits: number,
): number {
  const value = input[key]
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0o777) {
    throw new LanesConfigError(key, 'must be a permission mode from 0 to 0o777 (e.g. 0o640)', value)
  }
  if ((value & ownerBits) !== ownerBits) {
    throw new LanesConfigError(
      key,
      `must give the owner ${ownerBits === 0o700 ? 'read, write and search (0o700)' : 'read and write (0o600)'}`,
      `0o${value.toString(8)}`,
    )
  }
  return value
}
