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
const LOWER_E = 101
const LOWER_L = 108
const LOWER_V = 118

/** Which top-level field a key is. */
const OTHER = 0
const LEVEL = 1
const TIME = 2
const DOMAIN = 3

/**
 * "Not found" for the searches: past any line end (V8 strings are shorter). A constant rather than `text.length`,
 * which optimized code would read only on a chunk's last line and fall back to the interpreter for (it has never
 * seen that read); a small integer, so that the fields holding it stay small integers.
 */
const NONE = 0x3fffffff

/** Distinct domain values the scanner keeps (and numbers, see `domainSlot`). */
export const MAX_DOMAIN_SLOTS = 16

/** How pino starts every line (with its default level formatter). */
const PINO_PREFIX = '{"level":'
const TIME_KEY = ',"time":'

/**
 * Finds the top-level `level`, `time` and domain fields of one JSON line without parsing the whole line.
 *
 * Duplicate keys: for `level` and `time` the **first** one wins; for the domain the last one wins, as with
 * `JSON.parse` (an explicit field overrides a child binding). pino writes its own level first and its own time
 * right after it (`{"level":30,"time":1764…,`), before any binding or field, so a field the app happens to call
 * `level` (`logger.info({ level: 'fatal' }, 'user logged in')`, a user's access level, a sensor reading) never
 * changes a record's level lanes nor names a file, and one it calls `time` (`logger.info({ time: 5 }, 'query took
 * 5 ms')`) never moves a record to another folder. A line with no `level` or `time` there (pino's
 * `timestamp: false`, a custom `messageKey` order, a producer other than pino) takes its first top-level one.
 *
 * Lines as pino writes them (`{"level":30,"time":…,` then fields) take a fast path: the prefix is read in place,
 * and a few string searches (memchr-fast, unlike a regular expression's per-character loop) find the domain key
 * and anything that needs a closer look: an escape, a second domain key at any depth, an object opened before
 * the domain key. Every other line is walked token by token; keys and relevant values holding escape
 * sequences are decoded there. `scan` returns false only when the line is not a JSON object (the caller then
 * routes it as it is). Results are left in fields of the scanner.
 *
 * @example
 * ```ts
 * const scanner = new LineScanner('domain')
 * const line = '{"level":30,"time":1764000000000,"domain":"db","level":"fatal","time":5,"msg":"query took 5 ms"}'
 * scanner.scan(line, 0, line.length) // true
 * scanner.level // 30: pino's own, not the field
 * scanner.time // 1764000000000: pino's own, not the field
 * ```
 */
export class LineScanner {
  /** The `level` value: a number, a string label, or undefined when absent or of another type. */
  level: number | string | undefined
  /**
   * The `time` value when it is a number (epoch ms, or seconds), else NaN. A field that only ever holds numbers
   * is stored unboxed: setting it per line allocates nothing, unlike a field that may also hold a string.
   */
  timeNumber = Number.NaN
  /** The `time` value when it is a string (an ISO time), else undefined. */
  timeText: string | undefined
  /** The domain value when it is a string, else undefined. */
  domain: string | undefined
  /**
   * Which of the first {@link MAX_DOMAIN_SLOTS} distinct domain values `domain` is (0, 1, …); -1 when there is
   * none; {@link MAX_DOMAIN_SLOTS} for any later one, and for every line the fast path did not read.
   */
  domainSlot = -1

  /** Set by {@link scanNext}: true when the fields were read, false when the line needs `JSON.parse`. */
  read = false

  /** False when the domain key cannot take the fast path (it needs escaping in JSON, or is `level` or `time`). */
  private readonly fast: boolean
  /** The domain key as it appears in JSON text, quotes included. */
  private readonly quotedKey: string
  /** The domain key with its closing quote: searched for, its opening quote checked (a rarer first character). */
  private readonly keyTail: string
  /** Domain values seen, reused so that a line's domain costs no string allocation (and its hash is cached). */
  private readonly domains: string[] = []
  /**
   * Search results kept across the lines of one chunk (`swept`): the next backslash and domain key at or
   * after `…From` is at `…At` (`NONE` when there is none). Each is searched once per occurrence, not once per line.
   * The chunk is let go at its end ({@link endChunk}).
   */
  private swept = ''
  private backslashFrom = 0
  private backslashAt = -1
  private keyFrom = 0
  private keyAt = -1
  /** Where the last {@link prefixValue} ended. */
  private at = 0

  /** The `time` value: epoch ms, an ISO string, or undefined. */
  get time(): number | string | undefined {
    return this.timeText ?? (Number.isNaN(this.timeNumber) ? undefined : this.timeNumber)
  }

  set time(value: number | string | undefined) {
    this.timeNumber = typeof value === 'number' ? value : Number.NaN
    this.timeText = typeof value === 'string' ? value : undefined
  }

  constructor(private readonly domainKey: string) {
    this.quotedKey = JSON.stringify(domainKey)
    this.keyTail = this.quotedKey.slice(1)
    this.fast =
      domainKey.length > 0 &&
      this.quotedKey === `"${domainKey}"` &&
      domainKey !== 'level' &&
      domainKey !== 'time'
  }

  /**
   * Scans `text[start, end)`, one line without its line feed.
   * @returns false when the line is not a JSON object.
   */
  scan(text: string, start: number, end: number): boolean {
    this.beginChunk(text)
    return this.scanPinoLine(text, start, end) || this.scanObject(text, start, end)
  }

  /**
   * Scans the line starting at `start` in a chunk holding a line feed after it, and returns the index of that
   * line feed. Consecutive lines of one chunk share their searches: call {@link beginChunk} with the chunk first.
   * Sets {@link read}.
   */
  scanNext(text: string, start: number): number {
    if (text !== this.swept) throw new Error('LineScanner.scanNext: call beginChunk(text) first')
    const newline = text.indexOf('\n', start)
    this.read = this.scanPinoLine(text, start, newline) || this.scanObject(text, start, newline)
    return newline
  }

  /** The fast path over `text[start, end)`: false when the line is not shaped as pino writes it (nothing decided). */
  private scanPinoLine(text: string, start: number, end: number): boolean {
    if (!this.fast || end - start < 20 || !startsLikePino(text, start)) return false
    let p = start + PINO_PREFIX.length
    // "level", pino's own: an integer as pino writes it, else a label or another number (kept out of line:
    // optimized code that never needed it compiles without it, and sooner). It is the line's first `level` key, so
    // no later one (the app's field, a binding) can change it.
    let level: number | string | undefined = this.prefixInteger(text, p, end)
    if (this.at < 0) level = this.prefixValue(text, p, end)
    p = this.at
    if (p < 0 || p + TIME_KEY.length >= end || !matchesAt(text, p, TIME_KEY)) return false
    // "time", pino's own: epoch digits or an ISO string; the digits are read apart, so that no number is boxed on
    // the way. It is the line's first `time` key, so no later one (the app's field, a binding) can change it.
    p += TIME_KEY.length
    let timeNumber = this.prefixInteger(text, p, end)
    let timeText: string | undefined
    if (this.at < 0) {
      const time = this.prefixValue(text, p, end)
      if (this.at < 0) return false
      if (typeof time === 'string') timeText = time
      else timeNumber = time ?? Number.NaN
    }
    p = this.at
    let c = text.charCodeAt(p)
    let domain: string | undefined
    if (c === CLOSE_BRACE) {
      while (++p < end) {
        c = text.charCodeAt(p)
        if (c !== SPACE && c !== TAB && c !== CR) return false
      }
    } else {
      if (c !== COMMA) return false
      // An escape could spell the domain key: the walk decides. A later `level` or `time` needs no search: the
      // first one counts.
      if (this.nextBackslash(text, p) < end) return false
      const key = this.nextKey(text, p)
      if (key < end) {
        const value = key + this.quotedKey.length + 1
        // A second key, the key spelled as a value, or a key inside an object opened before it (an array can only
        // hold keys inside an object): the walk.
        if (value >= end || text.charCodeAt(value - 1) !== COLON || this.nextKey(text, key + 1) < end)
          return false
        const brace = text.indexOf('{', p)
        if (brace >= 0 && brace < key) return false
        c = text.charCodeAt(value)
        if (c === QUOTE) {
          // No backslash before the line end, so the next quote closes the value.
          let close = value + 1
          while (close < end && text.charCodeAt(close) !== QUOTE) close++
          if (close >= end) return false
          domain = this.domainAt(text, value + 1, close)
        } else if (c === SPACE || c === TAB || c === CR) {
          return false
        }
      }
    }
    this.level = level
    this.timeNumber = timeNumber
    this.timeText = timeText
    this.domain = domain
    if (domain === undefined) this.domainSlot = -1
    return true
  }

  /**
   * Starts a chunk for {@link scanNext}: search results are kept across its lines. Once per chunk, apart from
   * the per-line path: optimized code never meets a step it has no feedback for at a chunk boundary.
   */
  beginChunk(text: string): void {
    if (text === this.swept) return
    this.swept = text
    this.keyFrom = 0
    this.keyAt = -1
    this.backslashFrom = 0
    const at = text.indexOf('\\')
    this.backslashAt = at < 0 ? NONE : at
  }

  /** Ends the chunk {@link beginChunk} started: its text is let go, so it is garbage while the next one is read. */
  endChunk(): void {
    this.swept = ''
  }

  /** Index of the first backslash at or after `from`, or `NONE`. */
  private nextBackslash(text: string, from: number): number {
    if (this.backslashAt < from || from < this.backslashFrom) {
      this.backslashFrom = from
      const at = text.indexOf('\\', from)
      this.backslashAt = at < 0 ? NONE : at
    }
    return this.backslashAt
  }

  /** Index of the opening quote of the first quoted domain key at or after `from`, or `NONE`. */
  private nextKey(text: string, from: number): number {
    if (from < this.keyFrom || this.keyAt < from) {
      this.keyFrom = from
      this.keyAt = quotedAt(text, this.keyTail, from)
    }
    return this.keyAt
  }

  /** A plain integer at `p` ending in `,` or `}` (how pino writes times); sets {@link at} to -1 when it is not. */
  private prefixInteger(text: string, p: number, end: number): number {
    let c = text.charCodeAt(p)
    if (c > ZERO && c <= NINE) {
      let value = 0
      let q = p
      while (q < end && c >= ZERO && c <= NINE) {
        value = value * 10 + c - ZERO
        c = text.charCodeAt(++q)
      }
      if (q < end && q - p <= 15 && (c === COMMA || c === CLOSE_BRACE)) {
        this.at = q
        return value
      }
    }
    this.at = -1
    return Number.NaN
  }

  /**
   * The level or time value at `p` that is not a plain integer (see {@link prefixInteger}): a number, or a string
   * without escapes. Sets {@link at} to its end, or to -1 when it is neither (then the walk decides).
   */
  private prefixValue(text: string, p: number, end: number): number | string | undefined {
    const first = text.charCodeAt(p)
    const valueEnd = first === QUOTE ? plainStringEnd(text, p + 1, end) : literalEnd(text, p, end)
    if (valueEnd < 0 || valueEnd === p) {
      this.at = -1
      return undefined
    }
    if (first === QUOTE) {
      this.at = valueEnd + 1
      return text.slice(p + 1, valueEnd)
    }
    this.at = valueEnd
    return parseNumber(text, p, valueEnd)
  }

  /** The string `text[start, end)`, as one of the domain values seen before when it is one of them. */
  private domainAt(text: string, start: number, end: number): string {
    const domains = this.domains
    const length = end - start
    for (let i = 0; i < domains.length; i++) {
      const known = domains[i]!
      if (known.length === length && matchesAt(text, start, known)) {
        this.domainSlot = i
        return known
      }
    }
    const value = text.slice(start, end)
    // Bounded: a logger putting ids in the domain field must not grow this list or its search.
    this.domainSlot = domains.length
    if (domains.length < MAX_DOMAIN_SLOTS) domains.push(value)
    return value
  }

  /** The general path: a walk over the top-level object. */
  private scanObject(text: string, start: number, end: number): boolean {
    this.level = undefined
    this.time = undefined
    this.domain = undefined
    this.domainSlot = MAX_DOMAIN_SLOTS
    // The first `level` and `time` keys decide, whatever their values; later ones are read as any other field.
    let levelSeen = false
    let timeSeen = false
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
      let field = this.fieldOf(text, keyStart, keyEnd)
      if (field < 0) return false
      if (field === LEVEL) {
        if (levelSeen) field = OTHER
        levelSeen = true
      } else if (field === TIME) {
        if (timeSeen) field = OTHER
        timeSeen = true
      }
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
          const value = stringValue(text, p + 1, valueEnd)
          if (value === undefined) return false
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

  /** Which field the key `text[start, end)` names (decoded when it has escapes); -1 when it is not valid JSON. */
  private fieldOf(text: string, start: number, end: number): number {
    const length = end - start
    if (length === 5 && text.startsWith('level', start)) return LEVEL
    if (length === 4 && text.startsWith('time', start)) return TIME
    if (length === this.domainKey.length && text.startsWith(this.domainKey, start)) return DOMAIN
    if (!hasBackslash(text, start, end)) return OTHER
    // An escape may spell one of ours (`"ti\u006de"`): rare, and off the fast path, so decoded as JSON would.
    const key = stringValue(text, start, end)
    if (key === undefined) return -1
    return key === 'level' ? LEVEL : key === 'time' ? TIME : key === this.domainKey ? DOMAIN : OTHER
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

/**
 * Index of the quote closing a string whose content starts at `p`, or -1. A character loop, not `indexOf`:
 * strings in log lines are short, and each `indexOf` call costs more than walking a few dozen characters.
 */
function stringEnd(text: string, p: number, end: number): number {
  while (p < end) {
    const c = text.charCodeAt(p)
    if (c === QUOTE) return p
    p += c === BACKSLASH ? 2 : 1
  }
  return -1
}

/**
 * Index of the opening quote of the first `"` + `tail` (a key or string ending in its quote) at or after `from`, or
 * `NONE`. The tail is searched without its opening quote: a rarer first character stops the search less.
 */
function quotedAt(text: string, tail: string, from: number): number {
  let at = text.indexOf(tail, from + 1)
  while (at >= 0 && text.charCodeAt(at - 1) !== QUOTE) at = text.indexOf(tail, at + 1)
  return at < 0 ? NONE : at - 1
}

/**
 * Whether `text` holds {@link PINO_PREFIX}, `{"level":`, at `p`. Unrolled: it runs once per line, and takes about
 * 190 fewer instructions per line than {@link matchesAt}'s loop over the word (callgrind, the W1 lines).
 */
function startsLikePino(text: string, p: number): boolean {
  return (
    text.charCodeAt(p) === OPEN_BRACE &&
    text.charCodeAt(p + 1) === QUOTE &&
    text.charCodeAt(p + 2) === LOWER_L &&
    text.charCodeAt(p + 3) === LOWER_E &&
    text.charCodeAt(p + 4) === LOWER_V &&
    text.charCodeAt(p + 5) === LOWER_E &&
    text.charCodeAt(p + 6) === LOWER_L &&
    text.charCodeAt(p + 7) === QUOTE &&
    text.charCodeAt(p + 8) === COLON
  )
}

/** `text.startsWith(word, p)` as a loop: for the short words here, cheaper than the call. */
function matchesAt(text: string, p: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) if (text.charCodeAt(p + i) !== word.charCodeAt(i)) return false
  return true
}

/** End quote of a string without escapes starting at `p` (short: a label or an ISO time), or -1. */
function plainStringEnd(text: string, p: number, end: number): number {
  const close = stringEnd(text, p, end)
  return close < 0 || hasBackslash(text, p, close) ? -1 : close
}

/** The JSON string whose content is `text[start, end)`, escapes decoded; undefined when an escape is invalid. */
function stringValue(text: string, start: number, end: number): string | undefined {
  if (!hasBackslash(text, start, end)) return text.slice(start, end)
  try {
    return JSON.parse(text.slice(start - 1, end + 1)) as string
  } catch {
    return undefined
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
