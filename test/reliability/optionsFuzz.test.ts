// Hostile input: options fuzzing. Whatever the core resolver, the pino transport factory, `new LanesTransport` and
// `createLanes` are given, they either resolve valid options or throw `LanesConfigError`: never another exception,
// never a hang. Entry points that touch the disk get a `dir` inside a sandbox (the tests run as any user, root too).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import {
  compileStrftime,
  createZone,
  isKnownTimeZone,
  LANE_NAME_PATTERN,
  LANES_OPTION_NAMES,
  LanesConfigError,
  parseInterval,
  type ResolvedLanesOptions,
  resolveOptions,
} from '@loglanes/core'
import lanesTransport, { PINO_LEVELS } from '@loglanes/pino'
import { LanesTransport } from '@loglanes/winston'
import fc from 'fast-check'
import { createLanes, resolveFacadeOptions } from 'loglanes'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import winston from 'winston'
import { figure } from './confinement.js'

/** Every option, plus `levels`, which pino sets for a single target. */
const OPTION_KEYS = [...LANES_OPTION_NAMES, 'levels'] as const
const FACADE_KEYS = ['backend', 'level', 'debug', 'console'] as const
const WINSTON_KEYS = ['level', 'silent', 'handleExceptions', 'handleRejections'] as const
/** Longest a single call may take: far above any real run, far below a hang. */
const MAX_CALL_MS = 2_000

let sandbox: string
let cwd: string
let dirs = 0

beforeAll(() => {
  sandbox = mkdtempSync(join(tmpdir(), 'loglanes-fuzz-'))
  cwd = process.cwd()
  // Relative dirs ('logs', the default) resolve in the sandbox.
  process.chdir(sandbox)
})

afterAll(() => {
  process.chdir(cwd)
  rmSync(sandbox, { recursive: true, force: true })
})

// ---- Arbitraries ---------------------------------------------------------------------------------------------

const laneName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,8}$/)
const keyArbitrary = fc.oneof(
  fc.constantFrom(...OPTION_KEYS, ...FACADE_KEYS, '__proto__', 'constructor', 'toString', '$context'),
  fc.string({ maxLength: 12 }),
)
const anything = fc.anything({
  key: keyArbitrary,
  maxDepth: 3,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
})

/** Values that are wrong, or right, for some option: the edges each check must get right. */
const edgeValue = fc.oneof(
  fc.constantFrom<unknown>(
    '',
    ' ',
    'x'.repeat(100_000),
    'logs\u0000',
    '../..',
    '/',
    -1,
    0,
    0.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    2 ** 53,
    0o1000,
    0o777,
    0o600,
    0o700,
    0o400,
    '0o640',
    true,
    false,
    null,
    undefined,
    [],
    [''],
    ['app', 'app'],
    ['app', 'APP'],
    ['1bad'],
    ['__proto__'],
    ['error'],
    {},
    { a: 1 },
    JSON.parse('{"__proto__":{"dir":1}}'),
    { keep: 0 },
    { keep: 1.5 },
    { maxAge: '0d' },
    { maxAge: '7d', extra: 1 },
    { maxTotalSize: '10XB' },
    { maxTotalSize: '1GB' },
    { lanes: { app: { maxAge: '1d' } } },
    { lanes: { nope: { maxAge: '1d' } } },
    { lanes: { app: { maxAge: '-1d' } } },
    { error: ['nope'] },
    { app: 'app' },
    '24h',
    '7m',
    '0m',
    '1440m',
    '25h',
    'none',
    'UTC',
    'Mars/Olympus',
    '%Q',
    '%',
    'gzip',
    'exact',
    'threshold',
    'json',
    'text',
    'current',
    Symbol('x'),
    () => 'logs',
    10n,
    new Date(Number.NaN),
    new Map([['a', 1]]),
  ),
  anything,
)

/** Options that resolve, then the base of a mutation. */
const validOptions = fc.record(
  {
    dir: fc.constantFrom('logs', 'a/b', './x'),
    domains: fc.uniqueArray(laneName, { minLength: 1, maxLength: 4, selector: (s) => s.toLowerCase() }),
    domainKey: fc.constantFrom('domain', 'area', '__proto__', 'constructor'),
    levelFiles: fc.constantFrom('exact', 'threshold', false),
    customLevels: fc.dictionary(fc.constantFrom('audit', 'notice', 'verbose'), fc.integer()),
    interval: fc.constantFrom('1m', '15m', '1h', '24h', 'none'),
    timezone: fc.constantFrom('local', 'UTC', 'Europe/Berlin'),
    format: fc.constantFrom('json', 'text'),
    timestampFormat: fc.constantFrom('%H:%M:%S', '%Y-%m-%dT%H:%M:%S.%L%:z'),
    fileMode: fc.constantFrom(0o600, 0o640, 0o644),
    dirMode: fc.constantFrom(0o700, 0o750, 0o755),
  },
  { requiredKeys: [] },
)

/** A near-valid object: valid options with one key set to an edge value (or removed, or added). */
const mutated = fc
  .tuple(validOptions, fc.constantFrom<string>(...OPTION_KEYS, ...FACADE_KEYS, 'unknownKey'), edgeValue)
  .map(([options, key, value]) => {
    const out: Record<string, unknown> = { ...options }
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
    return out
  })

/** The forms an options object can take besides a plain one. */
type Wrapper =
  | 'plain'
  | 'frozen'
  | 'nullProto'
  | 'classInstance'
  | 'proxy'
  | 'throwingGet'
  | 'throwingOwnKeys'
  | 'throwingGetter'
  | 'changingGetter'
  | 'revokedValue'
  | 'revoked'
  | 'protoKey'
const wrapper = fc.constantFrom<Wrapper>(
  'plain',
  'frozen',
  'nullProto',
  'classInstance',
  'proxy',
  'throwingGet',
  'throwingOwnKeys',
  'throwingGetter',
  'changingGetter',
  'revokedValue',
  'revoked',
  'protoKey',
)

class OptionsBag {}

function deepFreeze<T>(value: T): T {
  // Typed arrays with elements cannot be frozen.
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value) && !ArrayBuffer.isView(value)) {
    Object.freeze(value)
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key])
  }
  return value
}

function wrap(options: Record<string, unknown>, how: Wrapper, key: string): unknown {
  switch (how) {
    case 'plain':
      return options
    case 'frozen':
      return deepFreeze(structuredCloneOrSelf(options))
    case 'nullProto':
      return Object.assign(Object.create(null), options)
    case 'classInstance':
      return Object.assign(new OptionsBag(), options)
    case 'proxy':
      return new Proxy(options, {})
    case 'throwingGet':
      return new Proxy(options, {
        get(target, property, receiver) {
          if (property === key) throw new Error(`get ${key}`)
          return Reflect.get(target, property, receiver)
        },
      })
    case 'throwingOwnKeys':
      return new Proxy(options, {
        ownKeys() {
          throw new TypeError('ownKeys')
        },
      })
    case 'throwingGetter':
      return Object.defineProperty({ ...options }, key, {
        enumerable: true,
        get() {
          throw new RangeError(`getter ${key}`)
        },
      })
    case 'changingGetter': {
      // Valid on the first read, something else on every later one.
      let reads = 0
      const first = options[key]
      return Object.defineProperty({ ...options }, key, {
        enumerable: true,
        get: () => (reads++ === 0 ? first : { changed: reads }),
      })
    }
    case 'revokedValue': {
      const revocable = Proxy.revocable({}, {})
      revocable.revoke()
      return { ...options, [key]: revocable.proxy }
    }
    case 'revoked': {
      const revocable = Proxy.revocable(options, {})
      revocable.revoke()
      return revocable.proxy
    }
    case 'protoKey':
      return Object.defineProperty({ ...options }, '__proto__', {
        value: { dir: 5 },
        enumerable: true,
        configurable: true,
        writable: true,
      })
  }
}

function structuredCloneOrSelf(options: Record<string, unknown>): Record<string, unknown> {
  try {
    return structuredClone(options)
  } catch {
    return { ...options }
  }
}

/** Gives a plain object (not a proxy) a dir in the sandbox when it names one; leaves other dir values to be rejected. */
function confine<T>(input: T): T {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input
  const proto = Object.getPrototypeOf(input)
  if (proto !== Object.prototype && proto !== null) return input
  const dir = Object.getOwnPropertyDescriptor(input, 'dir')
  if (dir !== undefined && 'value' in dir && typeof dir.value === 'string' && dir.value !== '') {
    const copy = { ...input } as Record<string, unknown>
    copy.dir = join(sandbox, `d${dirs++}${dir.value.includes('\u0000') ? '\u0000' : ''}`)
    return copy as T
  }
  return input
}

const structured = fc
  .tuple(fc.oneof(mutated, validOptions), wrapper, fc.constantFrom<string>(...OPTION_KEYS))
  .map(([options, how, key]) => ({ options, how, key }))

// ---- Checks --------------------------------------------------------------------------------------------------

interface Tally {
  resolved: number
  rejected: number
}

/** Runs `call`: it returns (checked by `valid`) or throws a LanesConfigError, within MAX_CALL_MS. */
async function expectResolvedOrConfigError<T>(
  tally: Tally,
  call: () => T | Promise<T>,
  valid: (result: T) => void | Promise<void>,
): Promise<void> {
  const start = performance.now()
  let result: T
  try {
    result = await call()
  } catch (error) {
    expect(performance.now() - start).toBeLessThan(MAX_CALL_MS)
    if (!(error instanceof LanesConfigError)) throw new Error(`not a LanesConfigError: ${String(error)}`)
    expect(error.message).toMatch(/^loglanes: option "/)
    expect(typeof error.option).toBe('string')
    tally.rejected++
    return
  }
  expect(performance.now() - start).toBeLessThan(MAX_CALL_MS)
  await valid(result)
  tally.resolved++
}

/** Everything a resolved options object promises. */
function expectValidOptions(options: ResolvedLanesOptions): void {
  expect(isAbsolute(options.dir)).toBe(true)
  expect(options.dir).not.toContain('\u0000')
  expect(options.domains.length).toBeGreaterThan(0)
  expect(new Set(options.domains).size).toBe(options.domains.length)
  const levelNames = options.levelFiles === false ? [] : [...options.levels.keys()]
  const names = [...options.domains, ...options.lanes, ...levelNames]
  for (const name of names) expect(name).toMatch(LANE_NAME_PATTERN)
  expect(new Set(names.map((name) => name.toLowerCase())).size).toBe(names.length)
  expect(options.domains).toContain(options.defaultDomain)
  expect(typeof options.domainKey).toBe('string')
  expect(options.domainKey.length).toBeGreaterThan(0)
  expect(['exact', 'threshold', false]).toContain(options.levelFiles)
  for (const severity of options.levels.values()) expect(Number.isFinite(severity)).toBe(true)
  if (options.intervalMinutes === null) expect(options.interval).toBe('none')
  else expect(parseInterval(options.interval)).toBe(options.intervalMinutes)
  expect(isKnownTimeZone(options.timezone)).toBe(true)
  expect(['json', 'text']).toContain(options.format)
  expect(() => compileStrftime(options.timestampFormat, createZone(options.timezone))).not.toThrow()
  for (const [source, targets] of options.mirrors) {
    expect([...options.domains, ...levelNames]).toContain(source)
    for (const target of targets) expect(names).toContain(target)
  }
  if (options.retention !== undefined) {
    expect(options.intervalMinutes).not.toBeNull()
    const { keep, maxAgeMs, maxTotalSize, laneMaxAgeMs } = options.retention
    // Some rule is set: a count, an age, a byte budget or a lane's own age.
    expect(
      keep !== undefined || maxAgeMs !== undefined || maxTotalSize !== undefined || laneMaxAgeMs.size > 0,
    ).toBe(true)
    if (keep !== undefined) expect(Number.isInteger(keep) && keep >= 1).toBe(true)
    if (maxAgeMs !== undefined) expect(maxAgeMs).toBeGreaterThan(0)
    if (maxTotalSize !== undefined) expect(Number.isSafeInteger(maxTotalSize) && maxTotalSize > 0).toBe(true)
    for (const [lane, age] of laneMaxAgeMs) {
      expect(names).toContain(lane)
      expect(age).toBeGreaterThan(0)
    }
  }
  expect([false, 'gzip']).toContain(options.compress)
  if (options.symlink !== false) expect(options.symlink).toMatch(LANE_NAME_PATTERN)
  if (options.compress !== false || options.symlink !== false) expect(options.intervalMinutes).not.toBeNull()
  for (const [mode, owner] of [
    [options.fileMode, 0o600],
    [options.dirMode, 0o700],
  ] as const) {
    expect(Number.isInteger(mode) && mode >= 0 && mode <= 0o777).toBe(true)
    expect(mode & owner).toBe(owner)
  }
}

/** The structured cases, each as it is given to an entry point. */
function inputOf(
  sample: { options: Record<string, unknown>; how: Wrapper; key: string },
  io: boolean,
): unknown {
  return wrap(io ? confine(sample.options) : sample.options, sample.how, sample.key)
}

// ---- Tests ---------------------------------------------------------------------------------------------------

describe('options fuzzing', () => {
  it('resolveOptions: anything resolves to valid options or throws LanesConfigError, the same way every time', async () => {
    const tally: Tally = { resolved: 0, rejected: 0 }
    await fc.assert(
      fc.asyncProperty(anything, async (input) => {
        await expectResolvedOrConfigError(
          tally,
          () => resolveOptions(input, { levels: PINO_LEVELS }),
          (options) => {
            expectValidOptions(options)
            expect(resolveOptions(input, { levels: PINO_LEVELS })).toEqual(options)
          },
        )
      }),
      { numRuns: 400 },
    )
    await fc.assert(
      fc.asyncProperty(structured, async (sample) => {
        await expectResolvedOrConfigError(
          tally,
          () => resolveOptions(inputOf(sample, false), { levels: PINO_LEVELS }),
          expectValidOptions,
        )
      }),
      { numRuns: 500 },
    )
    figure('options fuzz: resolveOptions', { ...tally })
    // Both outcomes are exercised.
    expect(tally.resolved).toBeGreaterThan(50)
    expect(tally.rejected).toBeGreaterThan(400)
  })

  it('resolveOptions: the inputs that used to escape as other errors or hang', () => {
    const revocable = Proxy.revocable({}, {})
    revocable.revoke()
    let reads = 0
    const flipping = {
      get interval() {
        return reads++ === 0 ? '1h' : '24h'
      },
    }
    const cases: [unknown, string][] = [
      [
        {
          get dir() {
            throw new Error('boom')
          },
        },
        `loglanes: option "dir" must be readable data (reading it threw); got 'boom'`,
      ],
      [
        new Proxy(
          {},
          {
            getPrototypeOf() {
              throw new Error('trap')
            },
          },
        ),
        `option "options" must be readable data`,
      ],
      [revocable.proxy, `option "options" must be readable data`],
      [{ dir: revocable.proxy }, `option "dir" must be readable data`],
      [{ mirrors: { app: revocable.proxy } }, `option "mirrors.app" must be readable data`],
      [{ ['x'.repeat(1_000_000)]: 1 }, 'is not a loglanes option'],
      [{ mirrors: { app: ['y'.repeat(1_000_000)] } }, 'must list only lanes'],
      [{ dir: 'logs\u0000x' }, `option "dir" must not contain a NUL character`],
      [{ fileMode: 0o444 }, `option "fileMode" must give the owner read and write (0o600); got '0o444'`],
      [
        { dirMode: 0o640 },
        `option "dirMode" must give the owner read, write and search (0o700); got '0o640'`,
      ],
    ]
    for (const [input, message] of cases) {
      const start = performance.now()
      expect(() => resolveOptions(input)).toThrow(LanesConfigError)
      expect(() => resolveOptions(input)).toThrow(message)
      expect(performance.now() - start).toBeLessThan(MAX_CALL_MS)
    }
    // A getter that answers differently on a second read: the options are read once, and agree with themselves.
    const options = resolveOptions(flipping)
    expect([options.interval, options.intervalMinutes]).toEqual(['1h', 60])
  })

  it('LanesTransport and createLanes: the inputs that used to escape as other errors', () => {
    const throwing = {
      get domains() {
        throw new Error('getter')
      },
    }
    const transportCases: [unknown, string][] = [
      [null, `option "options" must be an object; got null`],
      [throwing, `option "domains" must be readable data (reading it threw); got 'getter'`],
      [{ format: {} }, `option "format" must be 'json', 'text' or a winston format`],
      [{ format: { transform: 1 } }, `option "format" must be 'json', 'text' or a winston format`],
    ]
    for (const [input, message] of transportCases) {
      expect(() => new LanesTransport(input as never)).toThrow(LanesConfigError)
      expect(() => new LanesTransport(input as never)).toThrow(message)
    }
    for (const input of [throwing, new Proxy({}, { ownKeys: () => [1] as never })]) {
      expect(() => createLanes(input as never)).toThrow(LanesConfigError)
    }
    expect(() => createLanes(throwing as never)).toThrow(`option "domains" must be readable data`)
  })

  it('pino transport factory: valid options give a stream, anything else throws LanesConfigError', async () => {
    const tally: Tally = { resolved: 0, rejected: 0 }
    const check = async (input: unknown) =>
      expectResolvedOrConfigError(
        tally,
        () => lanesTransport(input as never),
        (stream) => {
          expect(stream.writable).toBe(true)
          stream.destroy()
        },
      )
    await fc.assert(
      fc.asyncProperty(anything, (input) => check(confine(input))),
      { numRuns: 200 },
    )
    await fc.assert(
      fc.asyncProperty(structured, (sample) => check(inputOf(sample, true))),
      { numRuns: 300 },
    )
    figure('options fuzz: pino transport factory', { ...tally })
    expect(tally.resolved).toBeGreaterThan(20)
    expect(tally.rejected).toBeGreaterThan(200)
  })

  it('new LanesTransport: valid options give a transport that starts in a logger, anything else throws LanesConfigError', async () => {
    const tally: Tally = { resolved: 0, rejected: 0 }
    const check = async (input: unknown) =>
      expectResolvedOrConfigError(
        tally,
        // Adding it to a logger checks the options against the logger's levels (and creates dir).
        () => {
          const transport = new LanesTransport(input as never)
          expectValidOptions(transport.options)
          try {
            winston.createLogger({ transports: [transport] })
          } catch (error) {
            transport.close()
            throw error
          }
          return transport
        },
        (transport) => {
          expectValidOptions(transport.options)
          transport.close()
        },
      )
    await fc.assert(
      fc.asyncProperty(anything, (input) => check(confine(input))),
      { numRuns: 200 },
    )
    const winstonEdges = fc
      .tuple(structured, fc.constantFrom<string>(...WINSTON_KEYS, 'format'), edgeValue)
      .map(([sample, key, value]) => ({ ...sample, options: { ...sample.options, [key]: value } }))
    await fc.assert(
      fc.asyncProperty(fc.oneof(structured, winstonEdges), (sample) => check(inputOf(sample, true))),
      { numRuns: 250 },
    )
    // winston's own formats are taken as the transport's format.
    await check({ dir: join(sandbox, 'w'), format: winston.format.json() })
    figure('options fuzz: new LanesTransport', { ...tally })
    expect(tally.resolved).toBeGreaterThan(20)
    expect(tally.rejected).toBeGreaterThan(200)
  })

  it('createLanes: valid options give a facade that shuts down, anything else throws LanesConfigError', async () => {
    const tally: Tally = { resolved: 0, rejected: 0 }
    let skipped = 0
    const check = async (input: unknown) => {
      // The validation createLanes runs, on its own: a pino backend would start a worker per run, so a valid
      // input with it is only resolved here (a few are started below).
      let backend: string | undefined
      try {
        backend = resolveFacadeOptions(input).backend
      } catch {
        backend = undefined
      }
      if (backend === 'pino') {
        await expectResolvedOrConfigError(
          tally,
          () => resolveFacadeOptions(input),
          (facade) => expectValidOptions(facade.resolved),
        )
        skipped++
        return
      }
      await expectResolvedOrConfigError(
        tally,
        () => createLanes(input as never),
        async (log) => {
          expectValidOptions(log.options)
          await log.shutdown()
        },
      )
    }
    const forWinston = (input: unknown) =>
      input !== null && typeof input === 'object' && !Array.isArray(input) && Math.random() < 0.9
        ? { backend: 'winston', ...input }
        : input
    await fc.assert(
      fc.asyncProperty(anything, (input) => check(confine(input))),
      { numRuns: 200 },
    )
    await fc.assert(
      fc.asyncProperty(structured, (sample) =>
        check(wrap(confine(forWinston(sample.options) as Record<string, unknown>), sample.how, sample.key)),
      ),
      { numRuns: 300 },
    )
    figure('options fuzz: createLanes', { ...tally, pinoResolvedOnly: skipped })
    expect(tally.resolved).toBeGreaterThan(20)
    expect(tally.rejected).toBeGreaterThan(200)
    expect(skipped).toBeGreaterThan(0)
  })

  it('createLanes with the pino backend: proxies, frozen and null-prototype options start and shut down', async () => {
    const inputs: unknown[] = [
      { dir: join(sandbox, 'p1'), domains: new Proxy(['app', 'db'], {}) },
      deepFreeze({ dir: join(sandbox, 'p2'), domains: ['app'], mirrors: { error: ['app'] } }),
      Object.assign(Object.create(null), {
        dir: join(sandbox, 'p3'),
        $context: () => 1,
        pinoWillSendConfig: 1n,
      }),
    ]
    for (const input of inputs) {
      const log = createLanes(input as never)
      log.get(log.domains[0]!).info('started')
      await log.shutdown()
    }
  })
})
