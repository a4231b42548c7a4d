import { LineScanner } from '@loglanes/pino'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

/**
 * What the scanner must report for a line, computed with JSON.parse (the reference): the first `level` and `time`
 * (pino writes its own first; a later one is a field the app logged), and the last domain, as JSON.parse keeps it.
 */
function reference(text: string, domainKey: string) {
  const record = JSON.parse(text) as Record<string, unknown>
  const pick = (value: unknown) =>
    typeof value === 'number' || typeof value === 'string' ? value : undefined
  const domain = record[domainKey]
  const entries = topLevelEntries(text)
  const firstLevel = entries.find(([key]) => key === 'level')
  const firstTime = entries.find(([key]) => key === 'time')
  return {
    level: pick(firstLevel?.[1]),
    time: pick(firstTime?.[1]),
    domain: typeof domain === 'string' ? domain : undefined,
  }
}

/**
 * The top-level `[key, value]` pairs of a JSON object line in order, duplicates included, each found with JSON.parse
 * alone: a key or value ends at the first place where the text so far parses and a separator follows (no proper
 * prefix of a JSON value followed by `,`, `:` or `}` is itself valid JSON).
 */
function topLevelEntries(text: string): [string, unknown][] {
  const entries: [string, unknown][] = []
  const body = text.trim()
  const parseUntil = (from: number, separators: string): [unknown, number] => {
    for (let end = from + 1; end <= body.length; end++) {
      if (!separators.includes(body[end] ?? '')) continue
      try {
        return [JSON.parse(body.slice(from, end)), end]
      } catch {}
    }
    throw new Error(`no JSON value at ${from} in ${text}`)
  }
  let p = 1
  while (p < body.length - 1) {
    while (/\s/.test(body[p]!) || body[p] === ',') p++
    if (body[p] === '}') break
    const [key, colon] = parseUntil(p, ':')
    const [value, next] = parseUntil(colon + 1, ',}')
    entries.push([key as string, value])
    p = next
  }
  return entries
}

function scanned(scanner: LineScanner, text: string, start = 0, end = text.length) {
  const ok = scanner.scan(text, start, end)
  return { ok, fields: { level: scanner.level, time: scanner.time, domain: scanner.domain } }
}

const ws = fc.constantFrom('', '', '', ' ', '\t', '\r', ' \r\t ')

/** A string encoded as JSON, sometimes with needless \u escapes (which JSON.parse decodes). */
function encodeString(value: string, escapeAll: boolean): string {
  const plain = JSON.stringify(value)
  if (!escapeAll) return plain
  return `"${[...value].map((c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`).join('')}"`.replace(
    /\\u([0-9a-f]{5,})/g,
    (_m, hex: string) => {
      const code = Number.parseInt(hex, 16) - 0x10000
      const high = (0xd800 + (code >> 10)).toString(16)
      const low = (0xdc00 + (code & 0x3ff)).toString(16)
      return `\\u${high}\\u${low}`
    },
  )
}

/** A number in one of the many JSON spellings of the same value. */
const numberText = fc.oneof(
  fc.integer({ min: -1e15, max: 1e15 }).map(String),
  fc.integer({ min: 0, max: 100 }).map((n) => `${n}.0`),
  fc.integer({ min: 0, max: 100 }).map((n) => `${n}e0`),
  fc.integer({ min: 1, max: 100 }).map((n) => `${n * 10}E-1`),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  fc.constantFrom('0', '-0', '1e3', '1E+3', '-1.5e-7', '1700000000000', '17000000000000000000', '0.1'),
)

const keyName = fc.oneof(
  fc.constantFrom('level', 'time', 'domain', 'area', 'msg', 'lev', 'levels', 'timestamp', 'dom"ain'),
  fc.string({ unit: 'binary', maxLength: 8 }),
)
const keyText = fc.tuple(keyName, fc.boolean()).map(([k, esc]) => encodeString(k, esc))

/** JSON text of an arbitrary value, nested objects and arrays holding the same keys included. */
const valueText: fc.Arbitrary<string> = fc.letrec<{ value: string; object: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    numberText,
    fc.tuple(fc.string({ unit: 'binary' }), fc.boolean()).map(([s, esc]) => encodeString(s, esc)),
    fc.constantFrom('true', 'false', 'null'),
    tie('object'),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
  ),
  object: fc
    .array(fc.tuple(keyText, tie('value'), ws, ws), { maxLength: 5 })
    .map((entries) => `{${entries.map(([k, v, a, b]) => `${a}${k}${b}:${a}${v}${b}`).join(',')}}`),
})).value

/** A whole top-level object with duplicate keys, escapes and whitespace, as one line. */
const line = fc
  .array(fc.tuple(keyText, valueText, ws, ws), { maxLength: 8 })
  .map((entries) => `{${entries.map(([k, v, a, b]) => `${a}${k}${b}:${a}${v}${b}`).join(',')}}`)
  .filter((text) => !text.includes('\n') && isJson(text))

function isJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** Lines shaped as pino writes them (the fast path), with any tail of flat, nested, escaped or duplicate fields. */
const levelText = fc.oneof(
  numberText,
  fc.constantFrom('"info"', '"audit"', '"in\\"fo"', 'true', 'null', '30 '),
)
const timeText = fc.oneof(
  fc.integer({ min: 0, max: 2 ** 48 }).map(String),
  fc.constantFrom('"2026-11-20T14:00:00.000Z"', '"x\\"y"', '1.5e12', 'null', '01'),
)
const key = fc.constantFrom('"domain"', '"time"', '"level"', '"hostname"')
const tailEntry = fc.oneof(
  fc.tuple(key, valueText, ws, ws),
  fc.tuple(
    fc.constantFrom('"domain"'),
    fc.constantFrom('"db"', '"app"', '"dc"', '""', '"ü✓🚀"', '"d\\u0062"', '5', '{"a":1}'),
    ws,
    ws,
  ),
  fc.tuple(keyText, fc.oneof(valueText, key), ws, ws),
  // Our keys inside objects and arrays, with no escape anywhere: only the nesting tells them apart.
  fc.tuple(
    fc.constantFrom('"ctx"', '"list"'),
    fc.constantFrom(
      '{"domain":"x"}',
      '["domain"]',
      '{"a":{"domain":"y","level":1}}',
      '[{"time":2}]',
      '[{"domain":"z"}]',
      '{}',
    ),
    ws,
    ws,
  ),
)
const pinoLine = fc
  .tuple(levelText, timeText, fc.array(tailEntry, { maxLength: 6 }), fc.constantFrom('', ' ', '\r'))
  .map(
    ([level, time, tail, trailing]) =>
      `{"level":${level},"time":${time}${tail.map(([k, v, a, b]) => `,${a}${k}${b}:${a}${v}`).join('')}}${trailing}`,
  )
  .filter(isJson)

describe('LineScanner agrees with JSON.parse', () => {
  it('on generated lines: nested keys, duplicates, escapes, unicode, every number form', () => {
    const scanner = new LineScanner('domain')
    fc.assert(
      fc.property(line, (text) => {
        // Every JSON object is read, escaped keys and values included.
        expect(scanned(scanner, text)).toEqual({ ok: true, fields: reference(text, 'domain') })
      }),
      { numRuns: 3000 },
    )
  })

  it('with another domain key, on lines whose relevant fields appear at any depth and order', () => {
    const scanner = new LineScanner('area')
    const field = fc.tuple(fc.constantFrom('"level"', '"time"', '"area"', '"domain"'), valueText)
    const shaped = fc
      .array(fc.oneof(field, fc.tuple(keyText, valueText)), { minLength: 1, maxLength: 10 })
      .map((entries) => `{${entries.map(([k, v]) => `${k}:${v}`).join(',')}}`)
      .filter(isJson)
    fc.assert(
      fc.property(shaped, (text) => {
        expect(scanned(scanner, text)).toEqual({ ok: true, fields: reference(text, 'area') })
      }),
      { numRuns: 3000 },
    )
  })

  it('on pino-shaped lines (the fast path): any tail of flat, nested, escaped or duplicate fields', () => {
    const scanner = new LineScanner('domain')
    fc.assert(
      fc.property(pinoLine, (text) => {
        expect(scanned(scanner, text)).toEqual({ ok: true, fields: reference(text, 'domain') })
      }),
      { numRuns: 5000 },
    )
  })

  it('inside a larger chunk: only the given range is read', () => {
    const scanner = new LineScanner('domain')
    fc.assert(
      fc.property(line, line, line, (before, text, after) => {
        const chunk = `${before}\n${text}\n${after}\n`
        const start = before.length + 1
        expect(scanned(scanner, chunk, start, start + text.length)).toEqual({
          ok: true,
          fields: reference(text, 'domain'),
        })
      }),
      { numRuns: 1000 },
    )
  })

  it('on pino lines', () => {
    const scanner = new LineScanner('domain')
    const text =
      '{"level":30,"time":1763647200000,"pid":4242,"hostname":"web-1","domain":"db","reqId":"r-1","msg":"query {\\"a\\":1} done"}'
    expect(scanned(scanner, text)).toEqual({
      ok: true,
      fields: { level: 30, time: 1763647200000, domain: 'db' },
    })
    const iso = '{"level":"info","time":"2026-11-20T14:00:00.000Z","msg":"x","domain":"http"}'
    expect(scanned(scanner, iso).fields).toEqual({
      level: 'info',
      time: '2026-11-20T14:00:00.000Z',
      domain: 'http',
    })
  })

  it('the first level and the last domain win, nested keys are ignored', () => {
    const scanner = new LineScanner('domain')
    const text =
      '{"domain":"app","ctx":{"domain":"db","level":60},"level":30,"list":[{"time":1}],"domain":"http","level":60}'
    expect(scanned(scanner, text)).toEqual({
      ok: true,
      fields: { level: 30, time: undefined, domain: 'http' },
    })
  })

  it('a later non-string domain clears an earlier one, as JSON.parse would; a later level changes nothing', () => {
    const scanner = new LineScanner('domain')
    expect(scanned(scanner, '{"domain":"db","domain":{"x":1},"level":30,"level":null}').fields).toEqual({
      level: 30,
      time: undefined,
      domain: undefined,
    })
    // The first level decides even when it is no level at all.
    expect(scanned(scanner, '{"level":null,"level":30}').fields.level).toBe(undefined)
    expect(scanned(scanner, '{"level":{"n":50},"time":1,"level":30}').fields.level).toBe(undefined)
  })

  it("the first level wins: pino's own, not a field or binding the app calls level", () => {
    const scanner = new LineScanner('domain')
    const pinoTime = 1763647200000
    const lines = [
      // logger.info({ level: 'fatal' }, ...), a label a user made, a number, a child binding, both, nested.
      `{"level":30,"time":${pinoTime},"pid":1,"hostname":"h","level":"fatal","msg":"user logged in"}`,
      `{"level":30,"time":${pinoTime},"pid":1,"level":"L5","domain":"db","msg":"sensor reading"}`,
      `{"level":30,"time":${pinoTime},"level":60,"domain":"db","level":"L7","msg":"x"}`,
      `{"level":30,"time":${pinoTime},"domain":"db","ctx":{"level":60},"level":{"access":"admin"}}`,
      // Off the fast path: an escape in the message, an escaped later key spelling level, no time.
      `{"level":30,"time":${pinoTime},"msg":"say \\"hi\\"","level":"fatal"}`,
      `{"level":30,"time":${pinoTime},"le\\u0076el":"fatal","domain":"db"}`,
      `{"level":30,"pid":1,"level":"fatal"}`,
      `{"level":30,"time":"2026-11-20T14:00:00.000Z","level":50}`,
    ]
    for (const text of lines) {
      expect(scanned(scanner, text).fields.level, text).toBe(30)
      const chunk = `${text}\n${text}\n`
      scanner.beginChunk(chunk)
      scanner.scanNext(chunk, 0)
      expect(scanner.level, text).toBe(30)
      scanner.scanNext(chunk, text.length + 1)
      expect(scanner.level, text).toBe(30)
    }
    // A label pino wrote (formatters.level) is the first key too: a later one is the app's.
    expect(scanned(scanner, `{"level":"info","time":${pinoTime},"level":"fatal"}`).fields.level).toBe('info')
    // A line whose level is not first (another producer): its first top-level level counts.
    expect(scanned(scanner, '{"time":1,"domain":"db","level":40,"level":60}').fields.level).toBe(40)
  })

  it("the first time wins: pino's own, not a field or binding the app calls time (issue 16)", () => {
    const scanner = new LineScanner('domain')
    const pinoTime = 1763647200000
    const lines = [
      // logger.info({ time: 5 }, ...), an ISO string, a child binding, both, and one nested in a later object.
      `{"level":30,"time":${pinoTime},"pid":1,"hostname":"h","time":5,"msg":"query took 5 ms"}`,
      `{"level":30,"time":${pinoTime},"pid":1,"time":"2001-01-01T00:00:00Z","domain":"db","msg":"x"}`,
      `{"level":30,"time":${pinoTime},"pid":1,"time":7,"domain":"db","time":8,"msg":"x"}`,
      `{"level":30,"time":${pinoTime},"domain":"db","ctx":{"time":9},"time":{"start":1}}`,
      // Off the fast path: an escape in the message, an escaped later key spelling time, a custom level label.
      `{"level":30,"time":${pinoTime},"msg":"say \\"hi\\"","time":5}`,
      `{"level":30,"time":${pinoTime},"ti\\u006de":5,"domain":"db"}`,
      `{"level":"info","time":${pinoTime},"time":5}`,
    ]
    for (const text of lines) {
      expect(scanned(scanner, text).fields.time, text).toBe(pinoTime)
      const chunk = `${text}\n${text}\n`
      scanner.beginChunk(chunk)
      scanner.scanNext(chunk, 0)
      expect(scanner.time, text).toBe(pinoTime)
      scanner.scanNext(chunk, text.length + 1)
      expect(scanner.time, text).toBe(pinoTime)
    }
    // Without pino's time (timestamp: false, or a timestamp under another key), the line's first time counts.
    expect(scanned(scanner, '{"level":30,"pid":1,"time":5,"time":6}').fields.time).toBe(5)
    expect(scanned(scanner, '{"level":30,"@timestamp":"x","msg":"m"}').fields.time).toBe(undefined)
    // The first time decides even when it is no time at all: the record then goes by now.
    expect(scanned(scanner, '{"level":30,"time":null,"time":5}').fields.time).toBe(undefined)
    expect(scanned(scanner, '{"time":{"a":1},"level":30,"time":5}').fields.time).toBe(undefined)
  })

  it('reads escaped keys and values as JSON.parse does, and declines only what is not a JSON object', () => {
    const scanner = new LineScanner('domain')
    expect(scanned(scanner, '{"dom\\u0061in":"db"}')).toEqual({
      ok: true,
      fields: { level: undefined, time: undefined, domain: 'db' },
    })
    expect(scanned(scanner, '{"le\\u0076el":"a\\"b","time":1,"domain":"d\\u0062"}')).toEqual({
      ok: true,
      fields: { level: 'a"b', time: 1, domain: 'db' },
    })
    // An invalid escape makes the line no JSON: declined.
    expect(scanned(scanner, '{"domain":"d\\x"}').ok).toBe(false)
    expect(scanned(scanner, '{"d\\x":1}').ok).toBe(false)
    for (const text of ['', '[1,2]', '"x"', 'not json', '{"a":1', '{"a" 1}', '{"a":1}x', '{"level":30,}']) {
      expect(scanner.scan(text, 0, text.length)).toBe(false)
    }
    expect(scanned(scanner, '{}')).toEqual({
      ok: true,
      fields: { level: undefined, time: undefined, domain: undefined },
    })
  })
})

describe('LineScanner.scanNext: one sweep finds each line of a chunk and its fields', () => {
  const anyLine = fc.oneof(pinoLine, line, fc.constantFrom('', ' ', '\r', 'not json', '[1]', '{"level":30}'))

  it('returns every line end and agrees with JSON.parse on every line it reads', () => {
    const scanner = new LineScanner('domain')
    fc.assert(
      fc.property(fc.array(anyLine, { minLength: 1, maxLength: 8 }), fc.string(), (lines, before) => {
        // The chunk may start with the tail of an earlier line; scanning starts after it.
        const head = `${before.replaceAll('\n', '')}\n`
        const chunk = `${head}${lines.join('\n')}\n`
        let start = head.length
        scanner.beginChunk(chunk)
        for (const text of lines) {
          const newline = scanner.scanNext(chunk, start)
          expect(newline).toBe(start + text.length)
          expect(scanner.read).toBe(isObject(text))
          if (scanner.read) {
            expect({ level: scanner.level, time: scanner.time, domain: scanner.domain }).toEqual(
              reference(text, 'domain'),
            )
          }
          start = newline + 1
        }
      }),
      { numRuns: 3000 },
    )
  })

  it('agrees with JSON.parse on the lines of one chunk scanned in any order (searches kept per chunk)', () => {
    const scanner = new LineScanner('domain')
    fc.assert(
      fc.property(
        fc.array(anyLine, { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 12 }),
        (lines, order) => {
          const chunk = `${lines.join('\n')}\n`
          const starts = lines.map((_, i) => lines.slice(0, i).join('\n').length + (i > 0 ? 1 : 0))
          for (const pick of order) {
            const i = pick % lines.length
            const text = lines[i]!
            const result = scanned(scanner, chunk, starts[i], starts[i]! + text.length)
            expect(result.ok).toBe(isObject(text))
            if (result.ok) expect(result.fields).toEqual(reference(text, 'domain'))
          }
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('tells keys from look-alikes: longer keys ending alike, the key as a value, keys in nested objects', () => {
    const scanner = new LineScanner('domain')
    const cases = [
      '{"level":30,"time":1,"loglevel":"x","uptime":5,"subdomain":"no","domain":"db"}',
      '{"level":30,"time":1,"type":"domain","domain":"db"}',
      '{"level":30,"time":1,"ctx":{"domain":"no"},"domain":"db"}',
      '{"level":30,"time":1,"ctx":{"domain":"no"}}',
      '{"level":30,"time":1,"list":["domain"],"x":1}',
      '{"level":30,"time":1,"list":[{"domain":"no"}],"x":1}',
      '{"level":30,"time":1,"domain":"db","ctx":{"level":60,"time":2}}',
      '{"level":30,"time":1,"domain":"db","domain":"http"}',
      '{"level":30,"time":1,"domain":{"a":"b"}}',
      '{"level":30,"time":1,"domain":5,"msg":"a[b]{c}"}',
      '{"level":30,"time":1,"domain" :"db"}',
      '{"level":30,"time":1,"domain": "db"}',
      '{"level":30,"time":1,"msg":"new level","level":40}',
      '{"level":30,"time":1,"msg":"level","domain":"db"}',
      '{"level":30,"time":1,"a":"b"}  \r',
    ]
    for (const text of cases) {
      expect(scanned(scanner, text).fields, text).toEqual(reference(text, 'domain'))
      const chunk = `${text}\n${text}\n`
      scanner.beginChunk(chunk)
      expect(scanner.scanNext(chunk, text.length + 1), text).toBe(chunk.length - 1)
      expect({ level: scanner.level, time: scanner.time, domain: scanner.domain }, text).toEqual(
        reference(text, 'domain'),
      )
    }
  })

  it('refuses a chunk it was not given with beginChunk, whose kept searches would belong to another text', () => {
    const scanner = new LineScanner('domain')
    scanner.beginChunk('{"level":30}\n')
    expect(() => scanner.scanNext('{"level":40}\n', 0)).toThrow(/beginChunk/)
  })

  it('reads domains of equal length apart, and any number of distinct domains', () => {
    const scanner = new LineScanner('domain')
    const domains = ['db', 'dc', 'app', 'ü✓', ...Array.from({ length: 40 }, (_, i) => `d${i}`)]
    const lines = [...domains, ...domains].map(
      (domain, i) =>
        `{"level":30,"time":${1763647200000 + i},"pid":1,"domain":${JSON.stringify(domain)},"n":${i}}`,
    )
    const chunk = `${lines.join('\n')}\n`
    let start = 0
    scanner.beginChunk(chunk)
    for (const [i, text] of lines.entries()) {
      const newline = scanner.scanNext(chunk, start)
      expect(newline).toBe(start + text.length)
      expect(scanner.read).toBe(true)
      expect(scanner.domain).toBe(domains[i % domains.length])
      start = newline + 1
    }
  })
})

function isObject(text: string): boolean {
  return isJson(text) && /^\s*\{/.test(text)
}
