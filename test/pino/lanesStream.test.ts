import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { LaneRouter, type LanesOptions, resolveOptions } from '@loglanes/core'
import { LanesStream, PINO_LEVELS } from '@loglanes/pino'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { lineCounts, listFiles, tempDir } from '../support/files.js'

const T0 = Date.UTC(2026, 10, 20, 13, 30)

function stream(dir: string, options: LanesOptions = {}): LanesStream {
  const resolved = resolveOptions(
    { dir, timezone: 'UTC', domains: ['app', 'db'], ...options },
    { levels: PINO_LEVELS },
  )
  return new LanesStream(new LaneRouter(resolved, { stderr: false }))
}

async function end(s: LanesStream): Promise<void> {
  const finished = once(s, 'finish')
  s.end()
  await finished
}

/** pino-like lines, some with multi-byte characters, one in three for db. */
function lines(count: number): string[] {
  return Array.from({ length: count }, (_, n) =>
    JSON.stringify({
      level: n % 2 ? 30 : 50,
      time: T0 + n,
      domain: n % 3 ? 'app' : 'db',
      n,
      msg: `héllo wörld ✓ 🚀 ${n}`,
    }),
  )
}

describe('LanesStream', () => {
  it('joins lines split across string chunks at any position', async () => {
    const text = `${lines(60).join('\n')}\n`
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 30 }),
        async (cuts) => {
          const dir = tempDir()
          const s = stream(dir, { levelFiles: false })
          const points = [...new Set([0, ...cuts, text.length])].sort((a, b) => a - b)
          for (let i = 1; i < points.length; i++) s.write(text.slice(points[i - 1], points[i]))
          await end(s)
          const all = text.split('\n').slice(0, -1)
          expect(readFileSync(join(dir, '2026-11-20/db.log'), 'utf8')).toBe(
            `${all.filter((l) => l.includes('"db"')).join('\n')}\n`,
          )
          expect(readFileSync(join(dir, '2026-11-20/app.log'), 'utf8')).toBe(
            `${all.filter((l) => l.includes('"app"')).join('\n')}\n`,
          )
        },
      ),
      { numRuns: 40 },
    )
  })

  it('joins Buffer chunks split inside multi-byte characters', async () => {
    const dir = tempDir()
    const s = stream(dir, { levelFiles: false })
    const bytes = Buffer.from(`${lines(30).join('\n')}\n`)
    for (let i = 0; i < bytes.length; i += 7) s.write(bytes.subarray(i, i + 7))
    await end(s)
    const expected = `${lines(30)
      .filter((l) => l.includes('"app"'))
      .join('\n')}\n`
    expect(readFileSync(join(dir, '2026-11-20/app.log'), 'utf8')).toBe(expected)
  })

  it('writes a last line that has no line feed when the stream ends', async () => {
    const dir = tempDir()
    const s = stream(dir, { levelFiles: false })
    s.write(`{"level":30,"time":${T0},"msg":"no newline"}`)
    await end(s)
    expect(readFileSync(join(dir, '2026-11-20/app.log'), 'utf8')).toBe(
      `{"level":30,"time":${T0},"msg":"no newline"}\n`,
    )
  })

  it("places records by epoch ms, epoch seconds, ISO time, and pino's own time before a later time field", async () => {
    const dir = tempDir()
    const s = stream(dir, { levelFiles: false })
    const day = 86_400_000
    s.write(
      [
        `{"level":30,"time":${T0},"domain":"db"}`,
        `{"level":30,"time":${Math.floor((T0 + day) / 1000)},"domain":"db"}`,
        `{"level":30,"time":"${new Date(T0 + 2 * day).toISOString()}","domain":"db"}`,
        // A field the app calls time (logger.info({ time }, ...)) comes after pino's own: the first one counts.
        `{"level":30,"time":${T0},"domain":"db","time":${T0 + 3 * day}}`,
        '',
      ].join('\n'),
    )
    await end(s)
    expect(lineCounts(dir)).toEqual({
      '2026-11-20/db.log': 2,
      '2026-11-21/db.log': 1,
      '2026-11-22/db.log': 1,
    })
  })

  it("gives levels that are not the logger's (a number with no label, an unknown label) no file: the domain lane only", async () => {
    const dir = tempDir()
    const s = stream(dir)
    s.write(`{"level":35,"time":${T0},"msg":"custom"}\n{"level":"notice","time":${T0},"msg":"label"}\n`)
    await end(s)
    expect(lineCounts(dir)).toEqual({ '2026-11-20/app.log': 2 })
  })

  it("routes by pino's own level, the line's first: a field the app calls level changes no lane", async () => {
    const dir = tempDir()
    const s = stream(dir)
    const lines = [
      `{"level":30,"time":${T0},"level":"fatal","msg":"user logged in"}`,
      `{"level":30,"time":${T0},"pid":1,"level":"L5","msg":"sensor reading"}`,
      `{"level":30,"time":${T0},"level":60,"domain":"x","msg":"say \\"hi\\""}`,
      `{"level":50,"time":${T0},"level":10}`,
    ]
    s.write(`${lines.join('\n')}\n`)
    // A line on its own, joined across chunks.
    s.write(`{"level":30,"time":${T0},"level":"fa`)
    s.write('tal"}\n')
    await end(s)
    expect(lineCounts(dir)).toEqual({
      '2026-11-20/app.log': 5,
      '2026-11-20/info.log': 4,
      '2026-11-20/error.log': 1,
    })
  })

  it('learns custom labels from the config pino sends, holding lines until it arrives', async () => {
    const dir = tempDir()
    const resolved = resolveOptions({ dir, timezone: 'UTC' }, { levels: PINO_LEVELS })
    const s = new LanesStream(new LaneRouter(resolved, { stderr: false }), true)
    s.write(`{"level":35,"time":${T0},"msg":"before config"}\n`)
    s.configure({ levels: { values: { ...PINO_LEVELS, audit: 35 } }, messageKey: 'msg', errorKey: 'err' })
    s.write(`{"level":35,"time":${T0},"msg":"after config"}\n`)
    await end(s)
    expect(lineCounts(dir)).toEqual({ '2026-11-20/app.log': 2, '2026-11-20/audit.log': 2 })
  })

  it('routes pino lines of many domains and levels to the lanes of each, also after the levels change', async () => {
    const dir = tempDir()
    const s = stream(dir, { domains: ['app', 'db', 'other'], defaultDomain: 'other' })
    // 20 domain values: more than the scanner numbers, so later ones take the uncached path. One line in ten is
    // escaped (JSON.parse reads it) and one in ten has its keys in another order (the scanner's walk reads it).
    const domains = ['app', 'db', ...Array.from({ length: 18 }, (_, i) => `x${i}`)]
    const levels = [30, 50, 35]
    const expected: Record<string, number> = {}
    const count = (file: string) => {
      expected[`2026-11-20/${file}.log`] = (expected[`2026-11-20/${file}.log`] ?? 0) + 1
    }
    const batch = (from: number, levelName35: string): string =>
      Array.from({ length: 600 }, (_, i) => {
        const n = from + i
        const domain = domains[(n * 7) % domains.length]!
        const level = levels[n % levels.length]!
        count(domain === 'app' || domain === 'db' ? domain : 'other')
        if (levelName35 !== '' || level !== 35)
          count(level === 30 ? 'info' : level === 50 ? 'error' : levelName35)
        if (n % 10 === 5) return `{"domain":"${domain}","level":${level},"time":${T0},"n":${n}}\n`
        const value =
          n % 10 === 0 ? domain.replace(/^./, (c) => `\\u00${c.charCodeAt(0).toString(16)}`) : domain
        return `{"level":${level},"time":${T0},"pid":1,"hostname":"h","domain":"${value}","n":${n}}\n`
      }).join('')
    // 35 has no label until pino's config names it: no level file before.
    s.write(batch(0, ''))
    await new Promise((resolve) => setImmediate(resolve))
    s.configure({ levels: { values: { ...PINO_LEVELS, audit: 35 } } })
    s.write(batch(600, 'audit'))
    await end(s)
    expect(lineCounts(dir)).toEqual(expected)
  })

  it('routes escaped, duplicate-key and unusual lines as JSON.parse reads them, and keeps lines that are not JSON', async () => {
    const dir = tempDir()
    const s = stream(dir, { defaultDomain: 'app' })
    const input = [
      `{"dom\\u0061in":"db","level":40,"time":${T0}}`, // escaped key: JSON.parse reads domain=db
      `{"domain":"d\\u0062","level":40,"time":${T0}}`, // escaped value: db
      `{"domain":"app","level":30,"time":${T0},"domain":"db"}`, // last wins: db
      `{"level":30,"time":${T0},"ctx":{"domain":"db"}}`, // nested only: default domain
      'not json at all',
      `{"level":30,"time":${T0},"domain":"../../etc/passwd"}`,
      '   ',
    ]
    s.write(`${input.join('\n')}\n`)
    await end(s)
    const expected: Record<string, number> = {
      '2026-11-20/db.log': 3,
      '2026-11-20/warn.log': 2,
      '2026-11-20/app.log': 2,
      '2026-11-20/info.log': 3,
    }
    // The line that is not JSON has no time: it is routed by now, into the default domain only.
    const today = `${new Date().toISOString().slice(0, 10)}/app.log`
    expected[today] = (expected[today] ?? 0) + 1
    expect(lineCounts(dir)).toEqual(expected)
    expect(listFiles(dir).every((f) => !f.includes('..'))).toBe(true)
  })

  it('renders the text format with the message, fields and the error stack', async () => {
    const dir = tempDir()
    const s = stream(dir, { format: 'text', levelFiles: false, timestampFormat: '%H:%M:%S' })
    const err = { type: 'Error', message: 'boom', stack: 'Error: boom\n    at db.js:1:1' }
    s.write(`${JSON.stringify({ level: 50, time: T0, domain: 'db', reqId: 7, err, msg: 'query failed' })}\n`)
    await end(s)
    expect(readFileSync(join(dir, '2026-11-20/db.log'), 'utf8')).toBe(
      '13:30:00 ERROR [db] query failed {"reqId":7,"err":{"type":"Error","message":"boom"}}\n' +
        '    Error: boom\n' +
        '        at db.js:1:1\n',
    )
  })

  it("text format: the level shown and its lane are pino's own; a field the app calls level stays a field", async () => {
    const dir = tempDir()
    const s = stream(dir, { format: 'text', timestampFormat: '%H:%M:%S' })
    s.write(`{"level":30,"time":${T0},"level":"fatal","user":1,"msg":"user logged in"}\n`)
    s.write(`{"level":50,"time":${T0},"level":50,"msg":"same twice"}\n`)
    await end(s)
    expect(lineCounts(dir)).toEqual({
      '2026-11-20/app.log': 2,
      '2026-11-20/info.log': 1,
      '2026-11-20/error.log': 1,
    })
    expect(readFileSync(join(dir, '2026-11-20/info.log'), 'utf8')).toBe(
      '13:30:00 INFO [app] user logged in {"level":"fatal","user":1}\n',
    )
    expect(readFileSync(join(dir, '2026-11-20/error.log'), 'utf8')).toBe('13:30:00 ERROR [app] same twice\n')
  })
})
