import { types } from 'node:util'

const CIRCULAR = '[Circular]'
const UNSERIALIZABLE = '[Unserializable]'

// Limits of the pre-check walk. Past them we stop checking and take the careful path,
// which keeps the walk cheap on big or cyclic graphs (a depth cap alone is exponential on
// shared references).
const SCAN_MAX_DEPTH = 8
const SCAN_MAX_NODES = 256

const dateToJSON = Date.prototype.toJSON

/**
 * `JSON.stringify` that never throws, for log fields of unknown shape.
 *
 * - a circular reference (an ancestor on the current path) becomes `"[Circular]"`; a shared
 *   but non-circular reference (`{ a: x, b: x }`) is serialized each time it appears
 * - a BigInt becomes its decimal string (`12n` → `"12"`)
 * - an Error, at any depth, becomes `{ type: err.name, message, stack, ...ownEnumerable }`;
 *   own enumerable props (`code`, `errno`, ...) never overwrite `type`/`message`/`stack`,
 *   and a non-enumerable own `cause` (ES2022) or `errors` (AggregateError) is kept
 * - symbol keys and symbol/function values are dropped, as `JSON.stringify` does
 * - `toJSON` is honoured
 * - a getter, `toJSON` or proxy trap that throws yields `"[Unserializable]"` for that value
 *
 * A top-level value JSON cannot represent (`undefined`, a function, a symbol) gives `null`.
 *
 * @param value - anything
 * @returns compact single-line JSON
 *
 * @example
 * ```ts
 * const a: Record<string, unknown> = { n: 1n }
 * a.self = a
 * safeJsonStringify(a) // '{"n":"1","self":"[Circular]"}'
 * ```
 */
export function safeJsonStringify(value: unknown): string {
  // Fast path: plain data gets native JSON.stringify with no replacer.
  if (isPlainData(value)) {
    try {
      return JSON.stringify(value) ?? 'null'
    } catch {
      // A getter or proxy that threw only on this second read: the careful path handles it.
    }
  }
  try {
    return JSON.stringify(toSafe(value, '', new Set())) ?? 'null'
  } catch {
    // Only pathological input gets here, e.g. nesting deep enough to overflow the stack.
    return `"${UNSERIALIZABLE}"`
  }
}

/** True when native JSON.stringify is known to render `value` exactly as the careful path would. */
function isPlainData(value: unknown): boolean {
  try {
    return scan(value, 0, SCAN_MAX_NODES) >= 0
  } catch {
    return false
  }
}

/** Walks `value`; returns the remaining node budget, or -1 when the careful path is needed. */
function scan(value: unknown, depth: number, budget: number): number {
  if (typeof value === 'bigint') return -1
  if (typeof value === 'function') return (value as { toJSON?: unknown }).toJSON === undefined ? budget : -1
  if (typeof value !== 'object' || value === null) return budget
  if (--budget < 0 || depth >= SCAN_MAX_DEPTH) return -1
  const toJSON = (value as { toJSON?: unknown }).toJSON
  // Date's own toJSON cannot throw (an invalid date gives null); any other toJSON might
  // return something that needs care.
  if (toJSON !== undefined) return toJSON === dateToJSON ? budget : -1
  if (value instanceof Error || types.isNativeError(value)) return -1
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && budget >= 0; i++) budget = scan(value[i], depth + 1, budget)
    return budget
  }
  // for...in also visits inherited enumerable keys JSON skips; that only makes the check stricter.
  for (const key in value) {
    budget = scan((value as Record<string, unknown>)[key], depth + 1, budget)
    if (budget < 0) return -1
  }
  return budget
}

/**
 * Mirrors JSON.stringify's SerializeJSONProperty, but returns a tree-shaped copy that native
 * JSON.stringify can render without throwing. `undefined` means "omit" (or null in arrays).
 */
function toSafe(input: unknown, key: string, ancestors: Set<object>): unknown {
  let value = input
  if (
    (typeof value === 'object' && value !== null) ||
    typeof value === 'function' ||
    typeof value === 'bigint'
  ) {
    try {
      const toJSON = (value as { toJSON?: unknown }).toJSON
      if (typeof toJSON === 'function') value = toJSON.call(value, key)
    } catch {
      return UNSERIALIZABLE
    }
  }
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value
    case 'bigint':
      return value.toString()
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined
  }
  if (value === null) return null
  const object = value as object
  if (ancestors.has(object)) return CIRCULAR
  ancestors.add(object)
  try {
    return objectToSafe(object, ancestors)
  } catch {
    // A proxy trap or a boxed primitive's valueOf/toString that threw.
    return UNSERIALIZABLE
  } finally {
    ancestors.delete(object)
  }
}

function objectToSafe(object: object, ancestors: Set<object>): unknown {
  // Boxed primitives serialize as their primitive, as in JSON.stringify.
  if (object instanceof Number) return Number(object)
  if (object instanceof String) return String(object)
  if (object instanceof Boolean || object instanceof BigInt) return toSafe(object.valueOf(), '', ancestors)
  if (object instanceof Error || types.isNativeError(object)) return errorToSafe(object as Error, ancestors)
  if (Array.isArray(object)) {
    const out: unknown[] = new Array(object.length)
    for (let i = 0; i < object.length; i++) out[i] = property(object, String(i), ancestors)
    return out
  }
  // Null prototype, so a '__proto__' key stays an ordinary own property.
  const out: Record<string, unknown> = Object.create(null)
  for (const key of Object.keys(object)) {
    const item = property(object, key, ancestors)
    if (item !== undefined) out[key] = item
  }
  return out
}

function errorToSafe(err: Error, ancestors: Set<object>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null)
  for (const key of ['name', 'message', 'stack']) {
    const item = property(err, key, ancestors)
    if (item !== undefined) out[key === 'name' ? 'type' : key] = item
  }
  for (const key of Object.keys(err)) {
    // `this.name = 'MyError'` in a subclass makes name own enumerable; it is already `type`.
    if (key === 'name' || out[key] !== undefined) continue
    const item = property(err, key, ancestors)
    if (item !== undefined) out[key] = item
  }
  // Both are non-enumerable own props when set by the constructor, yet carry the real cause
  // (e.g. `fetch failed`, or Node's dual-stack ECONNREFUSED AggregateError).
  for (const key of ['cause', 'errors']) {
    if (out[key] !== undefined || !Object.hasOwn(err, key)) continue
    const item = property(err, key, ancestors)
    if (item !== undefined) out[key] = item
  }
  return out
}

/** Reads `holder[key]` (a getter may throw) and makes the result safe. */
function property(holder: object, key: string, ancestors: Set<object>): unknown {
  let value: unknown
  try {
    value = (holder as Record<string, unknown>)[key]
  } catch {
    return UNSERIALIZABLE
  }
  return toSafe(value, key, ancestors)
}
