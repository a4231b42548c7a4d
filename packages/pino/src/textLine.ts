// Byte values the reader compares against.
const QUOTE = 34
const BACKSLASH = 92
const COMMA = 44
const COLON = 58
const OPEN_BRACE = 123
const CLOSE_BRACE = 125
const OPEN_BRACKET = 91
const CLOSE_BRACKET = 93
const ZERO = 48
const NINE = 57
const CR = 13
const MINUS = 45
const DOT = 46
const LOWER_T = 116
const LOWER_F = 102
const LOWER_N = 110
const DEL = 127
/** Lead bytes of the UTF-8 forms of C1 controls (C2 80-9F) and of U+2028/U+2029 (E2 80 A8/A9). */
const C2 = 0xc2
const E2 = 0xe2

/** Distinct domain values kept to be reused. */
const MAX_DOMAINS = 16

/** Top-level keys a line may have for the fast path: more go through `JSON.parse` (a dozen is usual). */
const MAX_KEYS = 64

const UTF8 = new TextDecoder()

/**
 * Reads what the `text` format shows of a pino line straight from its UTF-8 bytes: the message, the domain, and
 * the other fields as the JSON text the line already holds, so that a line costs no `JSON.parse`, no object, no
 * `JSON.stringify` and no string but its domain's. It takes only lines whose top-level text is what `JSON.parse`
 * then `JSON.stringify` would give back, with nothing the text format escapes, and declines (returns false) every
 * other, which the caller then parses:
 * - a backslash anywhere (an escape: the message must be decoded, and a field may be spelled otherwise), or a
 *   control character (a raw C0 is not JSON; DEL, C1 and U+2028/2029 are escaped when shown),
 * - a key twice (`JSON.parse` keeps one, the last value in the first place), or a key starting with a digit
 *   (an integer key moves to the front of an object),
 * - a number not written as JavaScript writes it (`1.0`, `-0`), a space between tokens at any depth,
 * - a message or domain that is not a string, an error field holding an object (its stack is shown apart).
 * Nested objects and arrays are copied as written: pino writes them with `JSON.stringify`'s rules, from objects,
 * so they hold no duplicate key and no other spelling of a number.
 * `level` and `time` are the first ones, pino's own, as {@link LineScanner} reads them.
 *
 * @example
 * ```ts
 * const reader = new TextLineReader('msg', 'domain', 'err')
 * const line = Buffer.from('{"level":30,"time":1764000000000,"pid":7,"domain":"db","ms":5,"msg":"query"}')
 * reader.read(line, 0, line.length) // true
 * reader.domain // 'db'
 * line.toString('utf8', reader.messageStart, reader.messageEnd) // 'query'
 * reader.runCount // 2: `"pid":7` and `"ms":5`, the fields TextLineRenderer.renderBytes writes as {"pid":7,"ms":5}
 * ```
 */
export class TextLineReader {
  /** The first `level` value (pino's own): a number, a string label, or undefined when absent or of another type. */
  level: number | string | undefined
  /** The first `time` value (pino's own) when it is a number, else NaN. */
  timeNumber = Number.NaN
  /** The first `time` value when it is a string (an ISO time), else undefined. */
  timeText: string | undefined
  /** The domain value, undefined when the line has none. */
  domain: string | undefined
  /** Where the message's bytes are in the line (`messageStart` is -1 when it has none). */
  messageStart = -1
  messageEnd = -1
  /**
   * The other fields as runs of adjacent `"key":value` pairs: run k is the bytes from `runs[2k]` to
   * `runs[2k + 1]`, to be joined with commas in braces.
   */
  readonly runs: Int32Array = new Int32Array(2 * MAX_KEYS)
  runCount = 0

  /** Domain values seen (see domainAt), and their UTF-8 bytes. */
  private readonly domains: string[] = []
  private readonly domainBytes: Uint8Array[] = []
  private readonly keyStarts = new Int32Array(MAX_KEYS)
  private readonly keyEnds = new Int32Array(MAX_KEYS)
  private readonly messageKey: Uint8Array
  private readonly domainKey: Uint8Array
  private readonly errorKey: Uint8Array
  /** False when one of the keys is `level` or `time`, or two are the same: every line is parsed then. */
  private readonly usable: boolean

  constructor(messageKey: string, domainKey: string, errorKey: string) {
    const keys = [messageKey, domainKey, errorKey]
    this.usable =
      new Set(keys).size === 3 &&
      keys.every(
        (key) => key !== 'level' && key !== 'time' && key.length > 0 && JSON.stringify(key) === `"${key}"`,
      )
    this.messageKey = Buffer.from(messageKey)
    this.domainKey = Buffer.from(domainKey)
    this.errorKey = Buffer.from(errorKey)
  }

  /**
   * Reads the line `bytes[start, end)` (without its line feed).
   * @returns false when the line must be parsed instead (what is left set then means nothing).
   */
  read(bytes: Uint8Array, start: number, end: number): boolean {
    if (!this.usable || bytes[start] !== OPEN_BRACE) return false
    // A line from Windows or a hand-made file may end with a carriage return.
    if (bytes[end - 1] === CR) end--
    let messageStart = -1
    let messageEnd = -1
    let domain: string | undefined
    const runs = this.runs
    let runCount = 0
    let runEnd = -1
    let levelSeen = false
    let timeSeen = false
    let level: number | string | undefined
    let timeNumber = Number.NaN
    let timeText: string | undefined
    let keys = 0
    // A bit per (first byte, length) of the keys so far: a key is compared with the others only when its bit is
    // set (a dozen keys would otherwise cost some 60 comparisons).
    let keyBits = 0
    let p = start + 1
    // `{}`: no key; otherwise keys until the closing brace (a comma before it is not JSON).
    if (bytes[p] === CLOSE_BRACE) {
      if (p + 1 !== end) return false
    } else
      for (;;) {
        if (bytes[p] !== QUOTE) return false
        const keyStart = p + 1
        const keyEnd = stringEnd(bytes, keyStart, end)
        if (keyEnd < 0 || keyEnd + 1 >= end || bytes[keyEnd + 1] !== COLON) return false
        const first = bytes[keyStart]!
        if ((first >= ZERO && first <= NINE) || keys === MAX_KEYS) return false
        const length = keyEnd - keyStart
        const bit = 1 << ((first ^ length) & 31)
        if ((keyBits & bit) !== 0 && this.seen(bytes, keyStart, length, keys)) return false
        keyBits |= bit
        this.keyStarts[keys] = keyStart
        this.keyEnds[keys++] = keyEnd
        const value = keyEnd + 2
        const c = bytes[value]
        let valueEnd: number
        if (c === QUOTE) {
          valueEnd = stringEnd(bytes, value + 1, end) + 1
          if (valueEnd <= 0) return false
        } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
          valueEnd = nestedEnd(bytes, value, end)
          if (valueEnd < 0) return false
        } else {
          valueEnd = literalEnd(bytes, value, end)
          if (valueEnd < 0) return false
        }
        let kept = true
        if (!levelSeen && length === 5 && matches(bytes, keyStart, LEVEL)) {
          levelSeen = true
          kept = false
          if (c === QUOTE) level = UTF8.decode(bytes.subarray(value + 1, valueEnd - 1))
          else if (c !== OPEN_BRACE && c !== OPEN_BRACKET) level = numberAt(bytes, value, valueEnd)
        } else if (!timeSeen && length === 4 && matches(bytes, keyStart, TIME)) {
          timeSeen = true
          kept = false
          if (c === QUOTE) timeText = UTF8.decode(bytes.subarray(value + 1, valueEnd - 1))
          else if (c !== OPEN_BRACE && c !== OPEN_BRACKET)
            timeNumber = numberAt(bytes, value, valueEnd) ?? Number.NaN
        } else if (isKey(bytes, keyStart, length, this.messageKey)) {
          if (c !== QUOTE) return false
          messageStart = value + 1
          messageEnd = valueEnd - 1
          kept = false
        } else if (isKey(bytes, keyStart, length, this.domainKey)) {
          if (c !== QUOTE) return false
          domain = this.domainAt(bytes, value + 1, valueEnd - 1)
          kept = false
        } else if (c === OPEN_BRACE && isKey(bytes, keyStart, length, this.errorKey)) {
          return false
        }
        if (kept) {
          // Adjacent to the run before (only a comma between): the run grows; else a run starts here.
          if (runCount > 0 && runEnd === keyStart - 2) {
            runs[2 * runCount - 1] = valueEnd
          } else {
            runs[2 * runCount] = keyStart - 1
            runs[2 * runCount + 1] = valueEnd
            runCount++
          }
          runEnd = valueEnd
        }
        const next = bytes[valueEnd]
        if (next === CLOSE_BRACE) {
          if (valueEnd + 1 !== end) return false
          break
        }
        if (next !== COMMA) return false
        p = valueEnd + 1
      }
    this.level = level
    this.timeNumber = timeNumber
    this.timeText = timeText
    this.domain = domain
    this.messageStart = messageStart
    this.messageEnd = messageEnd
    this.runCount = runCount
    return true
  }

  /**
   * The domain value `bytes[start, end)` as a string: one of the values seen before when it is one of them, so a
   * line's domain costs no string (and the lookups keyed by it find its hash computed).
   */
  private domainAt(bytes: Uint8Array, start: number, end: number): string {
    const length = end - start
    const known = this.domainBytes
    for (let i = 0; i < known.length; i++) {
      if (known[i]!.length === length && matches(bytes, start, known[i]!)) return this.domains[i]!
    }
    const value = UTF8.decode(bytes.subarray(start, end))
    // Bounded: a logger putting ids in the domain field must not grow this list or its search.
    if (known.length < MAX_DOMAINS) {
      this.domains.push(value)
      known.push(bytes.slice(start, end))
    }
    return value
  }

  /** Whether the key `bytes[start, start + length)` is one of the line's first `count` keys. */
  private seen(bytes: Uint8Array, start: number, length: number, count: number): boolean {
    for (let k = 0; k < count; k++) {
      const known = this.keyStarts[k]!
      if (this.keyEnds[k]! - known !== length) continue
      let i = 0
      while (i < length && bytes[known + i] === bytes[start + i]) i++
      if (i === length) return true
    }
    return false
  }
}

const LEVEL = Buffer.from('level')
const TIME = Buffer.from('time')

/**
 * Index of the quote closing a string whose content starts at `p`, or -1 when there is none before `end` or the
 * string holds what the fast path declines: a backslash, or a character the text format escapes (a C0 control,
 * DEL, a C1 control, U+2028 or U+2029). One pass, each byte checked once.
 */
function stringEnd(bytes: Uint8Array, p: number, end: number): number {
  for (; p < end; p++) {
    const b = bytes[p]!
    if (b === QUOTE) return p
    // One comparison for the usual bytes, printable ASCII from space to ~ (quote and backslash aside).
    if (b >= 0x20 && b < DEL) {
      if (b === BACKSLASH) return -1
    } else if (isEscaped(bytes, p, b)) {
      return -1
    }
  }
  return -1
}

/** Whether the byte `b` at `p` (not printable ASCII) starts a character the text format escapes. */
function isEscaped(bytes: Uint8Array, p: number, b: number): boolean {
  if (b < 0x20 || b === DEL) return true
  if (b === C2) {
    const next = bytes[p + 1]!
    return next >= 0x80 && next <= 0x9f
  }
  return b === E2 && bytes[p + 1] === 0x80 && (bytes[p + 2] === 0xa8 || bytes[p + 2] === 0xa9)
}

/**
 * Index just past the object or array opening at `p`, or -1 when it is not closed, holds a space outside its
 * strings (JSON as pino writes it has none), or anything {@link stringEnd} declines. Its values are copied as
 * written.
 */
function nestedEnd(bytes: Uint8Array, p: number, end: number): number {
  let depth = 0
  while (p < end) {
    const b = bytes[p]!
    if (b === QUOTE) {
      p = stringEnd(bytes, p + 1, end) + 1
      if (p <= 0) return -1
      continue
    }
    if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++
    else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
      if (--depth === 0) return p + 1
    } else if (b <= 0x20 || b >= DEL || b === BACKSLASH) return -1
    p++
  }
  return -1
}

/**
 * End of the literal at `p` (before the `,` or `}` after it), or -1 unless it is `true`, `false`, `null` or a
 * number written as `JSON.stringify` writes it (`12`, `-3.5`, `1e+21`; not `1.0`, `-0` or `01`, which a parse and
 * stringify would change).
 */
function literalEnd(bytes: Uint8Array, p: number, end: number): number {
  let q = p
  while (q < end && bytes[q] !== COMMA && bytes[q] !== CLOSE_BRACE) q++
  const length = q - p
  const first = bytes[p]!
  if (first === LOWER_T) return length === 4 && matches(bytes, p, TRUE) ? q : -1
  if (first === LOWER_F) return length === 5 && matches(bytes, p, FALSE) ? q : -1
  if (first === LOWER_N) return length === 4 && matches(bytes, p, NULL) ? q : -1
  let i = first === MINUS ? p + 1 : p
  // Not a JSON number (`Infinity`, `NaN`, `.5`, `+1`), though String(Number(...)) gives some of them back.
  if (!(bytes[i]! >= ZERO && bytes[i]! <= NINE)) return -1
  // An integer of up to 15 digits without a leading zero is written back as it is (a time, a count, an id).
  const digits = q - i
  if (bytes[i] === ZERO) {
    if (digits === 1 && first !== MINUS) return q
  } else if (digits <= 15) {
    while (i < q && bytes[i]! >= ZERO && bytes[i]! <= NINE) i++
    if (i === q) return q
  }
  if (isShortDecimal(bytes, first === MINUS ? p + 1 : p, q)) return q
  // An exponent, or many digits: kept only if it is what JavaScript writes for its value.
  const literal = UTF8.decode(bytes.subarray(p, q))
  return String(Number(literal)) === literal ? q : -1
}

const TRUE = Buffer.from('true')
const FALSE = Buffer.from('false')
const NULL = Buffer.from('null')

/**
 * Whether `bytes[p, end)` is `<integer>.<fraction>` with 15 digits at most, no leading zero but a lone one, a
 * fraction not ending in 0, and (below 1) at most five zeros after the point. JavaScript writes such a value back
 * exactly so: 15 digits name one double, so it is the shortest text for its value, and values from 1e-6 up are
 * written without an exponent. A duration or a ratio (`12.5`, `0.25`) is checked without a string.
 */
function isShortDecimal(bytes: Uint8Array, p: number, end: number): boolean {
  if (end - p - 1 > 15 || bytes[end - 1] === ZERO) return false
  let point = -1
  for (let i = p; i < end; i++) {
    const b = bytes[i]!
    if (b === DOT && point < 0) point = i
    else if (b < ZERO || b > NINE) return false
  }
  if (point <= p || point === end - 1) return false
  if (bytes[p] !== ZERO) return true
  if (point !== p + 1) return false
  let zeros = 0
  while (bytes[point + 1 + zeros] === ZERO) zeros++
  return zeros <= 5
}

/** The number a literal checked by {@link literalEnd} holds; undefined for `true`, `false` and `null`. */
function numberAt(bytes: Uint8Array, start: number, end: number): number | undefined {
  const first = bytes[start]
  if (first === LOWER_T || first === LOWER_F || first === LOWER_N) return undefined
  if (end - start <= 15) {
    let value = 0
    let i = start
    for (; i < end; i++) {
      const digit = bytes[i]! - ZERO
      if (digit < 0 || digit > 9) break
      value = value * 10 + digit
    }
    if (i === end) return value
  }
  return Number(UTF8.decode(bytes.subarray(start, end)))
}

/** Whether `bytes` holds `word` at `p`. */
function matches(bytes: Uint8Array, p: number, word: Uint8Array): boolean {
  for (let i = 0; i < word.length; i++) if (bytes[p + i] !== word[i]) return false
  return true
}

function isKey(bytes: Uint8Array, start: number, length: number, key: Uint8Array): boolean {
  return key.length === length && matches(bytes, start, key)
}
