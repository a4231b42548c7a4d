// Hostile input: log forging. Line breaks, ANSI escape sequences and other control characters in a message, a
// field key or value, an error stack or a domain can neither start a fake record in a text-format lane file nor
// reach a terminal raw through `loglanes tail`.
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { compileStrftime, createZone, renderTextRecord } from '@loglanes/core'
import { endLogger as endWinston, LanesTransport } from '@loglanes/winston'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import winston from 'winston'
import { cli, cliEnv } from '../facade/fixtures/laneLogs.js'
import { listFiles, tempDir } from '../support/files.js'
import { endLogger, timedLogger } from '../support/pinoLogger.js'

const T0 = Date.UTC(2026, 10, 20, 13, 30)
const DAY = '2026-11-20'

/** Pieces an attacker puts in log data to forge a line or drive a terminal. */
const HOSTILE_PIECES = [
  '\n',
  '\r',
  '\r\n',
  '\u2028',
  '\u2029',
  '\u0085', // NEL
  '\u000b', // VT
  '\u000c', // FF
  '\u0000',
  '\u0007',
  '\u0008', // backspace
  '\u007f',
  '\u009b', // C1 CSI
  '\u001b[31m',
  '\u001b[2J\u001b[H', // clear the screen
  '\u001b]0;pwned\u0007', // OSC: set the window title
  '\u001b]8;;https://evil.example\u001b\\link\u001b]8;;\u001b\\', // OSC 8 hyperlink
  '\u001bc', // reset the terminal
  '\u009d2;x\u009c', // C1 OSC
]

/** A message that, rendered raw, would look like a record of its own on the next line. */
const FORGED = `\n${new Date(T0).toISOString().replace('Z', '+00:00')} INFO [app] user logged in as admin`

// A raw control character other than the line feed that separates physical lines.
// biome-ignore lint/suspicious/noControlCharactersInRegex: detecting control characters is the point
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/
/** The head of a record in the default timestamp format, in UTC. */
const RECORD_HEAD = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00 [A-Z0-9_-]* \[/

const hostileText = fc
  .array(fc.oneof(fc.constantFrom(...HOSTILE_PIECES, FORGED), fc.string({ maxLength: 8 })), { maxLength: 8 })
  .map((parts) => parts.join(''))

/** Checks a text-format lane file: `records` record heads, every other line a continuation, nothing raw. */
function expectUnforged(text: string, records: number): void {
  expect(text.endsWith('\n')).toBe(true)
  const lines = text.slice(0, -1).split('\n')
  const heads = lines.filter((line) => !line.startsWith('    '))
  expect(heads).toHaveLength(records)
  for (const head of heads) expect(head).toMatch(RECORD_HEAD)
  expect(text).not.toMatch(RAW_CONTROL)
}

/** Every hostile piece in every place a record carries text, as pino and winston get them from an app. */
function hostileCalls(): {
  message: string
  fields: Record<string, unknown>
  stack: string
  domain: string
}[] {
  return [...HOSTILE_PIECES, FORGED].map((piece, k) => ({
    message: `msg ${k} ${piece} end`,
    fields: { [`key${piece}`]: `value ${piece}`, nested: { [piece]: [piece] }, k },
    stack: `Error: boom ${piece}\n    at a (a.js:1:1)${piece}\n    at b (b.js:2:2)\n`,
    domain: `dom${piece}`,
  }))
}

describe('text format log forging', () => {
  it('core renderTextRecord: any mix of hostile text in any field gives one head line per record', () => {
    const timestamp = compileStrftime('%Y-%m-%dT%H:%M:%S.%L%:z', createZone('UTC'))
    let records = 0
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            level: hostileText,
            domain: hostileText,
            message: hostileText,
            key: hostileText,
            value: hostileText,
            stack: fc.option(hostileText, { nil: undefined }),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        (batch) => {
          const text = batch
            .map((r) =>
              renderTextRecord(
                {
                  time: T0,
                  level: r.level,
                  domain: r.domain,
                  message: r.message,
                  fields: { [r.key]: r.value },
                  stack: r.stack,
                },
                timestamp,
              ),
            )
            .join('')
          records += batch.length
          const lines = text.slice(0, -1).split('\n')
          expect(lines.filter((line) => !line.startsWith('    '))).toHaveLength(batch.length)
          for (const line of lines)
            if (!line.startsWith('    ')) expect(line.startsWith('2026-11-20T13:30')).toBe(true)
          expect(text).not.toMatch(RAW_CONTROL)
        },
      ),
      { numRuns: 300 },
    )
    expect(records).toBeGreaterThan(300)
  })

  it('a timestampFormat holding a line feed, a tab or a carriage return cannot break a record either', () => {
    const timestamp = compileStrftime('%Y\n%H\t%M\r', createZone('UTC'))
    const text = renderTextRecord({ time: T0, level: 'info', domain: 'app', message: 'm' }, timestamp)
    expect(text).toBe('2026\\n13\\t30\\r INFO [app] m\n')
  })

  it('pino transport, format text: every hostile message, field, stack and domain stays inside its record', async () => {
    const dir = tempDir()
    const logger = timedLogger(
      {
        transport: {
          target: '@loglanes/pino',
          options: { dir, timezone: 'UTC', format: 'text', levelFiles: false },
        },
      },
      () => T0,
    )
    const calls = hostileCalls()
    for (const call of calls) {
      const err = Object.assign(new Error(call.message), { stack: call.stack })
      logger.child({ domain: call.domain }).error({ ...call.fields, err }, call.message)
      logger.info(call.fields, call.message)
    }
    await endLogger(logger)
    expect(listFiles(dir)).toEqual([`${DAY}/app.log`])
    expectUnforged(readFileSync(join(dir, DAY, 'app.log'), 'utf8'), 2 * calls.length)
  })

  it('winston transport, format text: the same', async () => {
    const dir = tempDir()
    const logger = winston.createLogger({
      format: winston.format.timestamp({ format: () => new Date(T0).toISOString() }),
      transports: [new LanesTransport({ dir, timezone: 'UTC', format: 'text', levelFiles: false })],
    })
    const calls = hostileCalls()
    for (const call of calls) {
      logger.error(call.message, { ...call.fields, domain: call.domain, stack: call.stack })
      logger.info(call.message, call.fields)
      // A level label is data too, for a logger with custom levels.
      logger.log({ level: 'info', message: call.message, [Symbol.for('level')]: `info${call.message}` })
    }
    await endWinston(logger)
    expect(listFiles(dir)).toEqual([`${DAY}/app.log`])
    expectUnforged(readFileSync(join(dir, DAY, 'app.log'), 'utf8'), 3 * calls.length)
  })

  it('loglanes tail prints hostile JSON, text and raw lines with no escape, carriage return or C1 control of theirs', async () => {
    const dir = tempDir()
    const calls = hostileCalls()
    // JSON lanes, as pino writes them.
    const logger = timedLogger(
      { transport: { target: '@loglanes/pino', options: { dir, timezone: 'UTC', domains: ['app', 'db'] } } },
      () => T0,
    )
    for (const call of calls) {
      const err = Object.assign(new Error(call.message), { stack: call.stack })
      logger.child({ domain: call.domain }).error({ ...call.fields, err }, call.message)
      logger.child({ domain: 'db' }).warn({ level: call.message, time: call.message }, call.message)
    }
    await endLogger(logger)
    // Lines no loglanes writer makes: raw bytes appended by something else, valid JSON holding raw C1 and U+2028.
    const raw = [
      ...HOSTILE_PIECES.map((piece) => `raw ${piece} line`.replace(/[\n]/g, ' ')),
      `{"level":30,"time":${T0},"msg":"json with raw \u009b31m and \u2028 and \u0085"}`,
      `{"level":"info\u009b31m","time":${T0},"domain":"app\u0085x","msg":"m"}`,
    ]
    appendFileSync(join(dir, DAY, 'app.log'), `${raw.join('\n')}\n`)
    // A text-format lane, with a record line of raw control characters.
    mkdirSync(join(dir, DAY), { recursive: true })
    appendFileSync(
      join(dir, DAY, 'text.log'),
      `${new Date(T0).toISOString()} INFO [app] raw \u001b[31m\r red\n`,
    )

    const result = await cli(['tail', dir], { env: cliEnv({ FORCE_COLOR: '1' }) })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    // tail's own colors are SGR codes around the level word; nothing else may be a control character.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: tail's own color codes
    const own = /\u001b\[(?:3[0-9]|9[0-7])m/g
    expect(result.stdout.match(own)?.length).toBeGreaterThan(0)
    const plain = result.stdout.replace(own, '')
    expect(plain).not.toMatch(RAW_CONTROL)
    // Every record is printed: a head line per record; stacks on indented lines.
    const heads = plain
      .slice(0, -1)
      .split('\n')
      .filter((line) => !line.startsWith('    '))
    expect(heads).toHaveLength(2 * calls.length + raw.length + 1)
  })
})
