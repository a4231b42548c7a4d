import { literalEnd } from './lineScanner.js'

const QUOTE = 34
const COMMA = 44
const COLON = 58
const OPEN_BRACE = 123
const CLOSE_BRACE = 125
const OPEN_BRACKET = 91
const CLOSE_BRACKET = 93
const SPACE = 32
const TAB = 9
const LF = 10
const ZERO = 48
const NINE = 57
const CR = 13
const MINUS = 45
const LOWER_T = 116
const LOWER_F = 102
const LOWER_N = 110

/** "No backslash": past any line end (V8 strings are shorter), a small integer. */
const NONE = 0x3fffffff

/**
 * What escapeControl changes, but the line feed (which ends each line of a chunk): raw in a line, a C0 control is
 * not JSON at all, and DEL, C1 and U+2028/2029 must be escaped in the text shown. A line holding one is parsed.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/g

/** Distinct domain values kept to be reused. */
const MAX_DOMAINS = 16

/** Top-level keys a line may have for the fast path: more go through `JSON.parse` (a dozen is usual). */
const MAX_KEYS = 64

/**
 * Reads what the `text` format shows of a pino line straight from its characters: the message, the domain, and the
 * other fields as the JSON text the line already holds (with nothing to escape: see `clean` of
 * `LaneRouter.routeTextLine`), so that a line costs no `JSON.parse`, no object and no
 * `JSON.stringify`. It takes only lines whose top-level text is what `JSON.parse` then `JSON.stringify` would
 * give back, and declines (returns false) every other, which the caller then parses:
 * - a backslash anywhere (an escape: the message must be decoded, and a field may be spelled otherwise), or a
 *   control character (not JSON when raw, or one the text format escapes: DEL, C1, U+2028/2029),
 * - a key twice (`JSON.parse` keeps one, the last value in the first place), or a key starting with a digit
 *   (an integer key moves to the front of an object),
 * - a number not written as JavaScript writes it (`1.0`, `-0`), a space between tokens at any depth,
 * - a message or domain that is not a string, an error field holding an object (its stack is shown apart).
 * Nested objects and arrays are copied as written: pino writes them with `JSON.stringify`'s rules, from objects,
 * so they hold no duplicate key and no other spelling of a number.
 * `level` and the first `time` are pino's own, shown in front (the caller has them from {@link LineScanner}).
 *
 * @example
 * ```ts
 * const reader = new TextLineReader('msg', 'domain', 'err')
 * const line = '{"level":30,"time":1764000000000,"pid":7,"domain":"db","ms":5,"msg":"query"}'
 * reader.read(line, 0, line.length) // true
 * reader.message // 'query'
 * reader.domain // 'db'
 * reader.fields // '{"pid":7,"ms":5}'
 * ```
 */
export class TextLineReader {
  /** The first `level` value (pino's own): a number, a string label, or undefined when absent or of another type. */
  level: number | string | undefined
  /** The first `time` value (pino's own) when it is a number, else NaN. */
  timeNumber = Number.NaN
  /** The first `time` value when it is a string (an ISO time), else undefined. */
  timeText: string | undefined
  /** The message, '' when the line has none. */
  message = ''
  /** The domain value, undefined when the line has none. */
  domain: string | undefined
  /** The other fields as a JSON object's text, '' when there are none. */
  fields = ''

  /** The chunk searched for backslashes, and the next one at or after `backslashFrom` (see nextBackslash). */
  private swept = ''
  private backslashFrom = 0
  private backslashAt = -1
  private controlSwept = ''
  private controlFrom = 0
  private controlAt = -1
  /** Domain values seen (see domainAt). */
  private readonly domains: string[] = []
  private readonly keyStarts = new Int32Array(MAX_KEYS)
  private readonly keyEnds = new Int32Array(MAX_KEYS)
  /** False when one of the keys is `level` or `time`, or two are the same: every line is parsed then. */
  private readonly usable: boolean

  constructor(
    private readonly messageKey: string,
    private readonly domainKey: string,
    private readonly errorKey: string,
  ) {
    const keys = [messageKey, domainKey, errorKey]
    this.usable =
      new Set(keys).size === 3 &&
      keys.every(
        (key) => key !== 'level' && key !== 'time' && key.length > 0 && JSON.stringify(key) === `"${key}"`,
      )
  }

  /**
   * Reads the line `text[start, end)` (without its line feed).
   * @returns false when the line must be parsed instead (nothing is left set then).
   */
  read(text: string, start: number, end: number): boolean {
    if (!this.usable || text.charCodeAt(start) !== OPEN_BRACE) return false
    if (this.nextBackslash(text, start) < end || this.nextControl(text, start) < end) return false
    // A line from Windows or a hand-made file may end with a carriage return.
    if (text.charCodeAt(end - 1) === CR) end--
    let message = ''
    let domain: string | undefined
    let fields = ''
    // The kept fields come in runs of adjacent `"key":value` pairs, each copied as one slice.
    let runStart = -1
    let runEnd = -1
    let levelSeen = false
    let timeSeen = false
    let level: number | string | undefined
    let timeNumber = Number.NaN
    let timeText: string | undefined
    let keys = 0
    // A bit per (first character, length) of the keys so far: a key is compared with the others only when its
    // bit is set (a dozen keys would otherwise cost some 60 comparisons).
    let keyBits = 0
    let p = start + 1
    if (text.charCodeAt(p) === CLOSE_BRACE) {
      if (p + 1 !== end) return false
      this.level = undefined
      this.timeNumber = Number.NaN
      this.timeText = undefined
      return this.set('', undefined, '')
    }
    for (;;) {
      if (text.charCodeAt(p) !== QUOTE) return false
      const keyStart = p + 1
      // No backslash in the line: the next quote closes the key. A loop: keys are short, and each indexOf call
      // costs more than walking a few characters.
      let keyEnd = keyStart
      while (keyEnd < end && text.charCodeAt(keyEnd) !== QUOTE) keyEnd++
      if (keyEnd + 1 >= end || text.charCodeAt(keyEnd + 1) !== COLON) return false
      const first = text.charCodeAt(keyStart)
      if ((first >= ZERO && first <= NINE) || keys === MAX_KEYS) return false
      const bit = 1 << ((first ^ (keyEnd - keyStart)) & 31)
      if ((keyBits & bit) !== 0 && this.seen(text, keyStart, keyEnd, keys)) return false
      keyBits |= bit
      this.keyStarts[keys] = keyStart
      this.keyEnds[keys++] = keyEnd
      const value = keyEnd + 2
      const c = text.charCodeAt(value)
      let valueEnd: number
      if (c === QUOTE) {
        valueEnd = text.indexOf('"', value + 1) + 1
        if (valueEnd <= 0 || valueEnd > end) return false
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        valueEnd = nestedEnd(text, value, end)
        if (valueEnd < 0) return false
      } else {
        valueEnd = literalEnd(text, value, end)
        if (!isLiteral(text, value, valueEnd)) return false
      }
      const length = keyEnd - keyStart
      let kept = true
      if (!levelSeen && length === 5 && text.startsWith('level', keyStart)) {
        levelSeen = true
        kept = false
        if (c === QUOTE) level = text.slice(value + 1, valueEnd - 1)
        else if (c !== OPEN_BRACE && c !== OPEN_BRACKET) level = numberAt(text, value, valueEnd)
      } else if (!timeSeen && length === 4 && text.startsWith('time', keyStart)) {
        timeSeen = true
        kept = false
        if (c === QUOTE) timeText = text.slice(value + 1, valueEnd - 1)
        else if (c !== OPEN_BRACE && c !== OPEN_BRACKET)
          timeNumber = numberAt(text, value, valueEnd) ?? Number.NaN
      } else if (isKey(text, keyStart, length, this.messageKey)) {
        if (c !== QUOTE) return false
        message = text.slice(value + 1, valueEnd - 1)
        kept = false
      } else if (isKey(text, keyStart, length, this.domainKey)) {
        if (c !== QUOTE) return false
        domain = this.domainAt(text, value + 1, valueEnd - 1)
        kept = false
      } else if (c === OPEN_BRACE && isKey(text, keyStart, length, this.errorKey)) {
        return false
      }
      if (kept) {
        if (runEnd !== keyStart - 1) {
          if (runStart >= 0) fields += `${fields === '' ? '' : ','}${text.slice(runStart, runEnd)}`
          runStart = keyStart - 1
        }
        runEnd = valueEnd
      }
      const next = text.charCodeAt(valueEnd)
      if (next === CLOSE_BRACE) {
        if (valueEnd + 1 !== end) return false
        break
      }
      if (next !== COMMA) return false
      p = valueEnd + 1
    }
    if (runStart >= 0) fields += `${fields === '' ? '' : ','}${text.slice(runStart, runEnd)}`
    this.level = level
    this.timeNumber = timeNumber
    this.timeText = timeText
    return this.set(message, domain, fields === '' ? '' : `{${fields}}`)
  }

  /**
   * The string `text[start, end)`, as one of the domain values seen before when it is one of them: a line's domain
   * then costs no string (and the lookups keyed by it find its hash computed).
   */
  private domainAt(text: string, start: number, end: number): string {
    const length = end - start
    const domains = this.domains
    for (let i = 0; i < domains.length; i++) {
      const known = domains[i]!
      if (known.length === length && text.startsWith(known, start)) return known
    }
    const value = text.slice(start, end)
    // Bounded: a logger putting ids in the domain field must not grow this list or its search.
    if (domains.length < MAX_DOMAINS) domains.push(value)
    return value
  }

  /**
   * Index of the first backslash at or after `from` in `text`, or past any line end. Kept across the lines of one
   * chunk: one search per backslash, not one per line (a chunk without any is searched once, to its end).
   */
  private nextBackslash(text: string, from: number): number {
    if (text !== this.swept || from < this.backslashFrom) {
      this.swept = text
      this.backslashFrom = from
      this.backslashAt = -1
    }
    if (this.backslashAt < from) {
      const at = text.indexOf('\\', from)
      this.backslashAt = at < 0 ? NONE : at
      this.backslashFrom = from
    }
    return this.backslashAt
  }

  /** Index of the first control character (see CONTROL) at or after `from` in `text`, or `NONE`; kept per chunk. */
  private nextControl(text: string, from: number): number {
    if (text !== this.controlSwept || from < this.controlFrom || this.controlAt < from) {
      this.controlSwept = text
      this.controlFrom = from
      CONTROL.lastIndex = from
      const match = CONTROL.exec(text)
      this.controlAt = match === null ? NONE : match.index
    }
    return this.controlAt
  }

  private set(message: string, domain: string | undefined, fields: string): true {
    this.message = message
    this.domain = domain
    this.fields = fields
    return true
  }

  /** Whether the key `text[start, end)` is one of the line's first `count` keys. */
  private seen(text: string, start: number, end: number, count: number): boolean {
    const length = end - start
    for (let k = 0; k < count; k++) {
      const known = this.keyStarts[k]!
      if (this.keyEnds[k]! - known !== length) continue
      let i = 0
      while (i < length && text.charCodeAt(known + i) === text.charCodeAt(start + i)) i++
      if (i === length) return true
    }
    return false
  }
}

/**
 * Whether `text[start, end)` is `true`, `false`, `null` or a number written as `JSON.stringify` writes it (`12`,
 * `-3.5`, `1e+21`; not `1.0`, `-0` or `01`, which a parse and stringify would change).
 */
function isLiteral(text: string, start: number, end: number): boolean {
  const length = end - start
  if (length === 0) return false
  const first = text.charCodeAt(start)
  if (first === LOWER_T) return length === 4 && text.startsWith('true', start)
  if (first === LOWER_F) return length === 5 && text.startsWith('false', start)
  if (first === LOWER_N) return length === 4 && text.startsWith('null', start)
  // An integer of up to 15 digits without a leading zero is written back as it is (a time, a count, an id).
  let i = first === MINUS ? start + 1 : start
  const digits = end - i
  let c = text.charCodeAt(i)
  // Not a JSON number (`Infinity`, `NaN`, `.5`, `+1`), though String(Number(...)) gives some of them back.
  if (c < ZERO || c > NINE) return false
  if (digits > 0 && digits <= 15 && c > ZERO && c <= NINE) {
    while (++i < end) {
      c = text.charCodeAt(i)
      if (c < ZERO || c > NINE) break
    }
    if (i === end) return true
  } else if (length === 1 && first === ZERO) {
    return true
  }
  if (isShortDecimal(text, first === MINUS ? start + 1 : start, end)) return true
  // An exponent, or many digits: kept only if it is what JavaScript writes for its value.
  const literal = text.slice(start, end)
  return String(Number(literal)) === literal
}

/**
 * Whether `text[p, end)` is `<integer>.<fraction>` with 15 digits at most, no leading zero but a lone one, a
 * fraction not ending in 0, and (below 1) at most five zeros after the point. JavaScript writes such a value back
 * exactly so: 15 digits name one double, so it is the shortest text for its value, and values from 1e-6 up are
 * written without an exponent. A duration or a ratio (`12.5`, `0.25`) is checked without a string.
 */
function isShortDecimal(text: string, p: number, end: number): boolean {
  const point = text.indexOf('.', p)
  if (point < 0 || point >= end || end - p - 1 > 15 || point === p || point === end - 1) return false
  if (text.charCodeAt(end - 1) === ZERO) return false
  const lead = text.charCodeAt(p)
  if (lead === ZERO && point !== p + 1) return false
  for (let i = p; i < end; i++) {
    const c = text.charCodeAt(i)
    if (i !== point && (c < ZERO || c > NINE)) return false
  }
  if (lead !== ZERO) return true
  let zeros = 0
  while (text.charCodeAt(point + 1 + zeros) === ZERO) zeros++
  return zeros <= 5
}

/** The number a JSON literal checked by {@link isLiteral} holds; undefined for `true`, `false` and `null`. */
function numberAt(text: string, start: number, end: number): number | undefined {
  const first = text.charCodeAt(start)
  if (first === LOWER_T || first === LOWER_F || first === LOWER_N) return undefined
  if (end - start > 15) return Number(text.slice(start, end))
  let value = 0
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - ZERO
    if (digit < 0 || digit > 9) return Number(text.slice(start, end))
    value = value * 10 + digit
  }
  return value
}

/**
 * Index just past the object or array opening at `p` (a line without backslashes), or -1 when it is not closed or
 * holds a space outside its strings (JSON as pino writes it has none). Its values are copied as written.
 */
function nestedEnd(text: string, p: number, end: number): number {
  let depth = 0
  while (p < end) {
    const c = text.charCodeAt(p)
    if (c === QUOTE) {
      p = text.indexOf('"', p + 1) + 1
      if (p <= 0 || p > end) return -1
      continue
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (--depth === 0) return p + 1
    } else if (c === SPACE || c === TAB || c === CR || c === LF) return -1
    p++
  }
  return -1
}

function isKey(text: string, start: number, length: number, key: string): boolean {
  return key.length === length && text.startsWith(key, start)
}
