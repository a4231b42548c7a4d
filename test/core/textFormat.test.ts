import { escapeControl, renderTextRecord, type TextRecord } from '@loglanes/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

const iso = (t: number): string => new Date(t).toISOString()
const T = '2026-11-20T14:00:00.000Z'
const time = Date.parse(T)

function render(record: Partial<TextRecord>): string {
  return renderTextRecord({ time, level: 'info', domain: 'app', message: 'hello', ...record }, iso)
}

// Any control character the output must never contain raw (the line feed is checked separately).
// biome-ignore lint/suspicious/noControlCharactersInRegex: detecting control characters is the point
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/

describe('escapeControl', () => {
  it('returns the very same string when there is nothing to escape', () => {
    const text = 'plain text, unicode é ü 日本 🎉, backslash \\n stays'
    expect(escapeControl(text)).toBe(text)
    expect(escapeControl('')).toBe('')
  })

  it('escapes line breaks and tabs by name', () => {
    expect(escapeControl('a\nb\rc\td\r\n')).toBe('a\\nb\\rc\\td\\r\\n')
  })

  it('escapes other C0 controls, DEL and C1 controls as \\xHH', () => {
    expect(escapeControl('\u0000\u0001\u0007\u0008\u000b\u000c\u001f')).toBe(
      '\\x00\\x01\\x07\\x08\\x0b\\x0c\\x1f',
    )
    expect(escapeControl('del\u007f')).toBe('del\\x7f')
    expect(escapeControl('\u0080nel\u0085csi\u009b\u009f')).toBe('\\x80nel\\x85csi\\x9b\\x9f')
  })

  it('neutralizes ANSI escape sequences', () => {
    expect(escapeControl('\u001b[31mred\u001b[0m')).toBe('\\x1b[31mred\\x1b[0m')
  })

  it('escapes U+2028 and U+2029 as \\uHHHH', () => {
    expect(escapeControl('a\u2028b\u2029c')).toBe('a\\u2028b\\u2029c')
  })

  it('leaves the characters just outside the ranges alone', () => {
    const text = ' ~\u00a0\u00ff\u2027\u202a'
    expect(escapeControl(text)).toBe(text)
  })
})

describe('renderTextRecord', () => {
  it('renders timestamp, upper-case level, domain, message and fields on one line', () => {
    expect(
      render({ level: 'warn', domain: 'db', message: 'slow query', fields: { ms: 812, table: 'users' } }),
    ).toBe(`${T} WARN [db] slow query {"ms":812,"table":"users"}\n`)
  })

  it('leaves no trailing space without fields', () => {
    expect(render({})).toBe(`${T} INFO [app] hello\n`)
    expect(render({ fields: undefined })).toBe(`${T} INFO [app] hello\n`)
    expect(render({ fields: {} })).toBe(`${T} INFO [app] hello\n`)
    expect(render({ fields: { gone: undefined } })).toBe(`${T} INFO [app] hello\n`)
  })

  it('leaves no double or trailing space with an empty message', () => {
    expect(render({ message: '' })).toBe(`${T} INFO [app]\n`)
    expect(render({ message: '', fields: { a: 1 } })).toBe(`${T} INFO [app] {"a":1}\n`)
  })

  it('renders fields with safeJsonStringify', () => {
    const fields: Record<string, unknown> = { n: 10n, err: Object.assign(new Error('x'), { stack: 'S' }) }
    fields.self = fields
    expect(render({ fields })).toBe(
      `${T} INFO [app] hello {"n":"10","err":{"type":"Error","message":"x","stack":"S"},"self":"[Circular]"}\n`,
    )
  })

  it('escapes CR, LF, ANSI, DEL, C1 and U+2028 in the message', () => {
    expect(render({ message: 'a\r\nb\n2026-01-01 ERROR [app] forged\u001b[2J\u007f\u0085\u2028end' })).toBe(
      `${T} INFO [app] a\\r\\nb\\n2026-01-01 ERROR [app] forged\\x1b[2J\\x7f\\x85\\u2028end\n`,
    )
  })

  it('escapes control characters in the domain and level', () => {
    expect(render({ domain: 'd\nb\u001b[31m', level: 'in\rfo\u2029' })).toBe(
      `${T} IN\\rFO\\u2029 [d\\nb\\x1b[31m] hello\n`,
    )
  })

  it('escapes control characters in field values and keys', () => {
    // JSON escapes \n, \r and ESC itself; DEL, C1 and U+2028/2029 it leaves raw.
    const fields = { 'k\ney\u2028': 'v\r\n\u001b[0m\u007f\u009b\u2029' }
    expect(render({ fields })).toBe(
      `${T} INFO [app] hello {"k\\ney\\u2028":"v\\r\\n\\u001b[0m\\x7f\\x9b\\u2029"}\n`,
    )
  })

  it('renders a stack on continuation lines, indented by four spaces', () => {
    const stack = 'Error: boom\n    at one (a.ts:1:1)\r\n    at two (b.ts:2:2)\rcaused here'
    expect(render({ level: 'error', message: 'failed', stack })).toBe(
      `${T} ERROR [app] failed\n` +
        '    Error: boom\n' +
        '        at one (a.ts:1:1)\n' +
        '        at two (b.ts:2:2)\n' +
        '    caused here\n',
    )
  })

  it('escapes control characters inside stack lines and drops empty trailing lines', () => {
    const stack = 'Error: \u001b[31mred\u001b[0m\n\n  at \u2028x\u0085\n\n\r\n'
    expect(render({ message: 'm', fields: { a: 1 }, stack })).toBe(
      `${T} INFO [app] m {"a":1}\n` +
        '    Error: \\x1b[31mred\\x1b[0m\n' +
        '    \n' +
        '      at \\u2028x\\x85\n',
    )
  })

  it('renders nothing for an empty or absent stack', () => {
    expect(render({ stack: '' })).toBe(`${T} INFO [app] hello\n`)
    expect(render({ stack: '\n\r\n' })).toBe(`${T} INFO [app] hello\n`)
    expect(render({ stack: undefined })).toBe(`${T} INFO [app] hello\n`)
  })

  it('escapes a timestamp formatter that emits a newline', () => {
    expect(renderTextRecord({ time, level: 'info', domain: 'app', message: 'm' }, () => 'day\ntime')).toBe(
      'day\\ntime INFO [app] m\n',
    )
  })

  it('always renders exactly one unindented line, starting with the timestamp, and no raw controls', () => {
    const text = fc.string({ unit: 'binary', maxLength: 60 })
    fc.assert(
      fc.property(
        text,
        text,
        text,
        fc.option(text, { nil: undefined }),
        fc.option(fc.dictionary(text, fc.oneof(text, fc.integer(), fc.array(text, { maxLength: 3 }))), {
          nil: undefined,
        }),
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        (level, domain, message, stack, fields, t) => {
          const out = renderTextRecord({ time: t, level, domain, message, stack, fields }, iso)
          expect(out.endsWith('\n')).toBe(true)
          const lines = out.slice(0, -1).split('\n')
          const unindented = lines.filter((line) => !line.startsWith('    '))
          expect(unindented).toHaveLength(1)
          expect(lines[0]).toBe(unindented[0])
          expect(lines[0]!.startsWith(`${iso(t)} `)).toBe(true)
          expect(RAW_CONTROL.test(out)).toBe(false)
        },
      ),
      { numRuns: 200 },
    )
  })
})
