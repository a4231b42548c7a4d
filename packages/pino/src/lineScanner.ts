// Character codes the scanner compares against.
const QUOTE = 34
const BACKSLASH = 92
const COMMA = 44
const COLON = 58
const OPEN_BRACE = 123
const CLOSE_BRACE = 125
const OPEN_BRACKET = 91
const CLOSE_BRACKET = 93
const SPACE = 32
const TAB = 9
const CR = 13
const LF = 10
const ZERO = 48
const NINE = 57
const MINUS = 45

/** Which top-level field a key is. */
const OTHER = 0
const LEVEL = 1
const TIME = 2
const DOMAIN = 3

/**
 * Finds the top-level `level`, `time` and domain fields of one JSON line without parsing the whole line.
 *
 * It walks the top-level object, skipping nested values and strings, and agrees with `JSON.parse` on every
 * valid line (duplicate keys: the last one wins). When a relevant key or value holds an escape sequence, or the
 * line is not a JSON object, `scan` returns false and the caller falls back to `JSON.parse`.
 * Results are left in fields of the scanner, so a scan allocates nothing but the strings it returns.
 */
export class LineScanner {
  /** The `level` value: a number, a string label, or undefined when absent or of another type. */
  level: number | string | undefined
  /** The `time` value: epoch ms, an ISO string, or undefined. */
  time: number | string | undefined
  /** The domain value when it is a string, else undefined. */
  domain: string | undefined

  constructor(private readonly domainKey: string) {}

  /**
   * Scans `text[start, end)`, one line without its line feed.
   * @returns false when the line needs `JSON.parse` (not an object, escapes in a relevant key or value).
   */
  scan(text: string, start: number, end: number): boolean {
    this.level = undefined
    this.time = undefined
    this.domain = undefined
    let p = skipSpace(text, start, end)
    if (p >= end || text.charCodeAt(p) !== OPEN_BRACE) return false
    p = skipSpace(text, p + 1, end)
    if (p < end && text.charCodeAt(p) === CLOSE_BRACE) return skipSpace(text, p + 1, end) === end
    for (;;) {
      // Key.
      if (p >= end || text.charCodeAt(p) !== QUOTE) return false
      const keyStart = p + 1
      const keyEnd = stringEnd(text, keyStart, end)
      if (keyEnd < 0) return false
      const field = this.fieldOf(text, keyStart, keyEnd)
      if (field < 0) return false
      p = skipSpace(text, keyEnd + 1, end)
      if (p >= end || text.charCodeAt(p) !== COLON) return false
      p = skipSpace(text, p + 1, end)
      if (p >= end) return false
      // Value.
      const c = text.charCodeAt(p)
      if (c === QUOTE) {
        const valueEnd = stringEnd(text, p + 1, end)
        if (valueEnd < 0) return false
        if (field !== OTHER) {
          if (hasBackslash(text, p + 1, valueEnd)) return false
          const value = text.slice(p + 1, valueEnd)
          if (field === LEVEL) this.level = value
          else if (field === TIME) this.time = value
          else this.domain = value
        }
        p = valueEnd + 1
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        p = skipNested(text, p, end)
        if (p < 0) return false
        if (field !== OTHER) this.clear(field)
      } else {
        const valueEnd = literalEnd(text, p, end)
        if (valueEnd === p) return false
        if (field === LEVEL || field === TIME) {
          const value = c === MINUS || (c >= ZERO && c <= NINE) ? parseNumber(text, p, valueEnd) : undefined
          if (field === LEVEL) this.level = value
          else this.time = value
        } else if (field === DOMAIN) {
          this.domain = undefined
        }
        p = valueEnd
      }
      p = skipSpace(text, p, end)
      if (p >= end) return false
      const next = text.charCodeAt(p)
      if (next === CLOSE_BRACE) return skipSpace(text, p + 1, end) === end
      if (next !== COMMA) return false
      p = skipSpace(text, p + 1, end)
    }
  }

  /** Which field the key `text[start, end)` names; -1 when it has an escape (it might spell one). */
  private fieldOf(text: string, start: number, end: number): number {
    const length = end - start
    if (length === 5 && text.startsWith('level', start)) return LEVEL
    if (length === 4 && text.startsWith('time', start)) return TIME
    if (length === this.domainKey.length && text.startsWith(this.domainKey, start)) return DOMAIN
    return hasBackslash(text, start, end) ? -1 : OTHER
  }

  private clear(field: number): void {
    if (field === LEVEL) this.level = undefined
    else if (field === TIME) this.time = undefined
    else this.domain = undefined
  }
}

function skipSpace(text: string, p: number, end: number): number {
  while (p < end) {
    const c = text.charCodeAt(p)
    if (c !== SPACE && c !== TAB && c !== CR && c !== LF) break
    p++
  }
  return p
}

/** Index of the quote closing a string whose content starts at `p`, or -1. */
function stringEnd(text: string, p: number, end: number): number {
  for (;;) {
    const q = text.indexOf('"', p)
    if (q < 0 || q >= end) return -1
    let backslashes = 0
    for (let i = q - 1; i >= p && text.charCodeAt(i) === BACKSLASH; i--) backslashes++
    if ((backslashes & 1) === 0) return q
    p = q + 1
  }
}

function hasBackslash(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === BACKSLASH) return true
  return false
}

/** Index just past the object or array opening at `p`, or -1. */
function skipNested(text: string, p: number, end: number): number {
  let depth = 0
  while (p < end) {
    const c = text.charCodeAt(p)
    if (c === QUOTE) {
      const q = stringEnd(text, p + 1, end)
      if (q < 0) return -1
      p = q + 1
      continue
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (--depth === 0) return p + 1
    }
    p++
  }
  return -1
}

/** End of a number or `true`/`false`/`null` starting at `p`: the next structural character or space. */
function literalEnd(text: string, p: number, end: number): number {
  while (p < end) {
    const c = text.charCodeAt(p)
    if (
      c === COMMA ||
      c === CLOSE_BRACE ||
      c === CLOSE_BRACKET ||
      c === SPACE ||
      c === TAB ||
      c === CR ||
      c === LF
    ) {
      break
    }
    if (c === QUOTE || c === COLON || c === OPEN_BRACE || c === OPEN_BRACKET) return p
    p++
  }
  return p
}

/** A JSON number: plain integers of up to 15 digits are summed directly, anything else goes through Number. */
function parseNumber(text: string, start: number, end: number): number | undefined {
  const length = end - start
  if (length <= 15) {
    let value = 0
    let i = start
    for (; i < end; i++) {
      const digit = text.charCodeAt(i) - ZERO
      if (digit < 0 || digit > 9) break
      value = value * 10 + digit
    }
    // A leading zero is only valid alone ("0"); "01" is not JSON.
    if (i === end && (length === 1 || text.charCodeAt(start) !== ZERO)) return value
  }
  const value = Number(text.slice(start, end))
  return Number.isNaN(value) ? undefined : value
}
