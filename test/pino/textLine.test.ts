// The text format's fast path: what it reads from a pino line's characters must be exactly what parsing the line
// and stringifying its other fields gives, and it must take the lines pino writes (or it would be no fast path).
import { escapeControl, renderTextLine, TextLineRenderer } from '@loglanes/core'
import { LineScanner, TextLineReader } from '@loglanes/pino'
import fc from 'fast-check'
import pino from 'pino'
import { describe, expect, it } from 'vitest'

const PREFIX = '{"level":30,"time":1763647200000,'
/** pino's prefix with its level and time as pino may write them (labels, seconds, ISO), or without them. */
const PREFIXES = [
  PREFIX,
  '{"level":"info","time":"2026-11-20T14:00:00.000Z",',
  '{"level":35,"time":1763647200,',
  '{"level":30,"time":1763647200000.5,',
  '{"level":true,"time":{"a":1},',
  '{"time":1763647200000,',
  '{',
]

/** What the slow path shows of a line: the message, the domain, and the other fields as JSON ('' for none). */
function parsed(line: string): { message: string; domain: unknown; fields: string } {
  const { level: _level, time: _time, msg, domain, ...rest } = JSON.parse(line) as Record<string, unknown>
  const fields = JSON.stringify(rest)
  return { message: (msg as string | undefined) ?? '', domain, fields: fields === '{}' ? '' : fields }
}

/**
 * What the fast path reads of `line`, as UTF-8 inside a chunk of several lines as the worker reads them; undefined
 * when it declines. Its level and time must be the ones LineScanner finds (pino's own, the first ones).
 */
function read(line: string): { message: string; domain: unknown; fields: string } | undefined {
  const reader = new TextLineReader('msg', 'domain', 'err')
  const before = Buffer.from(`${PREFIX}"msg":"before"}\n`)
  const chunk = Buffer.concat([before, Buffer.from(`${line}\n${PREFIX}"msg":"after"}\n`)])
  const start = before.length
  if (!reader.read(chunk, start, start + Buffer.byteLength(line))) return undefined
  const message =
    reader.messageStart < 0 ? '' : chunk.toString('utf8', reader.messageStart, reader.messageEnd)
  const runs = Array.from({ length: reader.runCount }, (_, k) =>
    chunk.toString('utf8', reader.runs[2 * k], reader.runs[2 * k + 1]),
  )
  const fields = runs.length === 0 ? '' : `{${runs.join(',')}}`
  // Shown as they are (the router is told they are clean): nothing in them may need escaping.
  expect([escapeControl(message), escapeControl(fields)]).toEqual([message, fields])
  // Rendered from the line's bytes as the text format renders its message and fields, byte for byte.
  const renderer = new TextLineRenderer((t) => new Date(t).toISOString())
  const fromBytes = renderer.renderBytes(
    5,
    'info',
    'db',
    chunk,
    reader.messageStart,
    reader.messageEnd,
    reader.runs,
    reader.runCount,
  )
  expect(Buffer.from(fromBytes).toString()).toBe(
    renderTextLine(new Date(5).toISOString(), 'info', 'db', message, fields),
  )
  const scanner = new LineScanner('domain')
  expect(scanner.scan(line, 0, line.length)).toBe(true)
  expect([reader.level, reader.timeText ?? reader.timeNumber]).toEqual([
    scanner.level,
    scanner.time ?? Number.NaN,
  ])
  return { message, domain: reader.domain, fields }
}

describe('TextLineReader', () => {
  it('takes the lines pino writes, with bindings, nested objects, arrays and unicode', () => {
    const lines: string[] = []
    const logger = pino(
      { base: { pid: 7, hostname: 'h' } },
      { write: (line: string) => lines.push(line.trimEnd()) },
    )
    const db = logger.child({ domain: 'db' })
    db.info({ ms: 5, ok: true, tags: ['a', 'b'], req: { id: 1, url: '/x?y=é✓' }, none: null }, 'query 🚀')
    db.warn('no fields')
    logger.info({ durationMs: 12.5, big: 1e21, small: 1e-7, neg: -3 }, 'numbers')
    logger.info({ n: 0 })
    for (const line of lines) {
      expect({ line, read: read(line) }).toEqual({ line, read: parsed(line) })
    }
  })

  it.each([
    ['an escape in the message', `${PREFIX}"msg":"a\\nb"}`],
    ['an escape in a field', `${PREFIX}"path":"C:\\\\x","msg":"m"}`],
    ['a key twice', `${PREFIX}"a":1,"a":2,"msg":"m"}`],
    ['the domain twice', `${PREFIX}"domain":"a","domain":"b","msg":"m"}`],
    ['a second level', `${PREFIX}"level":"fatal","msg":"m"}`],
    ['an integer key', `${PREFIX}"b":1,"1":2,"msg":"m"}`],
    ['a number JavaScript writes otherwise', `${PREFIX}"n":1.0,"msg":"m"}`],
    ['minus zero', `${PREFIX}"n":-0,"msg":"m"}`],
    ['a leading zero', `${PREFIX}"n":01,"msg":"m"}`],
    ['not a JSON number', `${PREFIX}"n":Infinity,"msg":"m"}`],
    ['a space between tokens', `${PREFIX}"n": 1,"msg":"m"}`],
    ['a space inside a nested value', `${PREFIX}"n":[1, 2],"msg":"m"}`],
    ['a message that is not a string', `${PREFIX}"msg":5}`],
    ['a domain that is not a string', `${PREFIX}"domain":5,"msg":"m"}`],
    ['an error object (its stack is shown apart)', `${PREFIX}"err":{"message":"x"},"msg":"m"}`],
    ['a line cut short', `${PREFIX}"msg":"m"`],
    ['text after the object', `${PREFIX}"msg":"m"}x`],
    ['not an object', '[1,2]'],
  ])('declines %s, which the caller parses', (_what, line) => {
    expect(read(line)).toBeUndefined()
  })

  it('reads exactly what parsing gives, for any record it takes (and declines the rest)', () => {
    const key = fc.constantFrom(
      'a',
      'b',
      'msg',
      'domain',
      'err',
      'time',
      'level',
      '1',
      'ünï',
      'x y',
      '__proto__',
    )
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.string({ unit: 'binary' }),
      fc.constantFrom('1.0', '-0', '1e400', '1E5', '0.0000001', '12.50', '007', 'true', 'nul'),
    )
    // Raw members: any key, a JSON value or a raw literal (some of them not JSON at all).
    const member = fc
      .tuple(key, value, fc.boolean())
      .map(([k, v, raw]) =>
        raw && typeof v === 'string' && /^[\w.+-]+$/.test(v)
          ? `"${k}":${v}`
          : `"${k}":${JSON.stringify(v) ?? 'null'}`,
      )
    // Raw characters inside a string: a C0 control is not JSON, DEL, C1 and U+2028 must be escaped when shown.
    const rawString = fc
      .tuple(key, fc.constantFrom('\t', '\u0001', '\u007f', '\u0085', '\u2028', 'é', '✓'))
      .map(([k, raw]) => `"${k}":"a${raw}b"`)
    let taken = 0
    fc.assert(
      fc.property(
        fc.constantFrom(...PREFIXES),
        fc.array(fc.oneof(member, rawString), { maxLength: 8 }),
        (prefix, members) => {
          const line = `${prefix}${members.join(',')}${members.length === 0 ? '"msg":"m"' : ''}}`
          const result = read(line)
          if (result === undefined) return
          taken++
          expect(result).toEqual(parsed(line))
        },
      ),
      { numRuns: 3000 },
    )
    // The property means something: a good share of the lines took the fast path.
    expect(taken).toBeGreaterThan(300)
  })
})
