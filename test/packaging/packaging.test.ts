import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lineCounts, REPO_ROOT } from '../support/files.js'

// What a user gets from the registry: the four packages are packed (`npm pack`, which runs their prepack build),
// and the tarballs installed into consumer projects in the system's temporary folder, outside the repository.
//
// The tarballs are unpacked into node_modules/<name> as npm would; their third-party dependencies and the peers
// (pino, pino-pretty, winston) are linked from the repository's node_modules, after checking that the version
// there is the one each package asks for. That keeps the test offline and fast (no registry, no npm cache) and
// still catches a dependency a package forgot to declare: our unpacked packages resolve only what is linked
// beside them.

const run = promisify(execFile)

interface PackageInfo {
  readonly name: string
  readonly folder: string
}

const PACKAGES: readonly PackageInfo[] = [
  { name: '@loglanes/core', folder: 'packages/core' },
  { name: '@loglanes/pino', folder: 'packages/pino' },
  { name: '@loglanes/winston', folder: 'packages/winston' },
  { name: 'loglanes', folder: 'packages/facade' },
]
const OURS = new Set(PACKAGES.map((p) => p.name))
const REPO_MODULES = join(REPO_ROOT, 'node_modules')
const TSC = join(REPO_MODULES, 'typescript/bin/tsc')
// TypeScript 5.x: the copy @arethetypeswrong/core depends on (a root devDependency can hold only one `tsc`).
const TSC_5 = join(REPO_MODULES, '@arethetypeswrong/core/node_modules/typescript/bin/tsc')
const ATTW = join(REPO_MODULES, '@arethetypeswrong/cli/dist/index.js')
// `require(esm)` is how CommonJS loads these ES modules on Node >= 20.19 (tested below): not a problem.
const ATTW_IGNORED = 'cjs-resolves-to-esm'

let work: string
/** Tarball path by package name. */
const tarballs = new Map<string, string>()
/** A consumer with every package and every peer. */
let full: string
/** A consumer of the facade on pino only: winston and pino-pretty are not installed. */
let pinoOnly: string

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'loglanes-packaging-'))
  const destination = join(work, 'tarballs')
  mkdirSync(destination)
  const args = ['pack', '--json', '--pack-destination', destination]
  for (const { folder } of PACKAGES) args.push('-w', folder)
  const { stdout } = await run('npm', args, { cwd: REPO_ROOT, maxBuffer: 16 << 20 })
  // The prepack build may print before npm's JSON.
  const packed = JSON.parse(stdout.slice(stdout.indexOf('\n[') + 1)) as { name: string; filename: string }[]
  for (const { name, filename } of packed) tarballs.set(name, join(destination, filename))
  full = await consumer('full', ['pino', 'pino-pretty', 'winston'])
  pinoOnly = await consumer('pino-only', ['pino'])
}, 120_000)

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true })
})

/** A consumer project: our tarballs unpacked, their dependencies and the given peers linked, as an ES module. */
async function consumer(name: string, peers: readonly string[]): Promise<string> {
  const project = join(work, name)
  const modules = join(project, 'node_modules')
  mkdirSync(modules, { recursive: true })
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name, private: true, type: 'module' })}\n`)
  const wanted = new Map<string, string>()
  for (const { name: packageName } of PACKAGES) {
    const target = join(modules, packageName)
    mkdirSync(target, { recursive: true })
    await run('tar', ['-xzf', tarballs.get(packageName)!, '-C', target, '--strip-components=1'])
    const manifest = readManifest(target)
    for (const [dependency, range] of Object.entries(manifest.dependencies ?? {})) {
      if (!OURS.has(dependency)) wanted.set(dependency, range)
    }
  }
  for (const peer of peers) wanted.set(peer, '')
  for (const [dependency, range] of wanted) {
    const source = join(REPO_MODULES, dependency)
    const { version } = readManifest(source)
    // Our dependencies are pinned exactly: the linked copy must be that version.
    if (range !== '' && range !== version) {
      throw new Error(`test/packaging: ${dependency} ${range} is wanted, the repository has ${version}`)
    }
    link(source, join(modules, dependency))
  }
  // Tools of a TypeScript user: Node's types (no `types` setting: the packages' declarations reference them).
  link(join(REPO_MODULES, '@types/node'), join(modules, '@types/node'))
  mkdirSync(join(modules, '.bin'))
  symlinkSync('../loglanes/bin/loglanes.js', join(modules, '.bin/loglanes'))
  return project
}

function link(source: string, target: string): void {
  mkdirSync(dirname(target), { recursive: true })
  symlinkSync(source, target, 'dir')
}

interface Manifest {
  readonly name: string
  readonly version: string
  readonly dependencies?: Record<string, string>
  readonly peerDependencies?: Record<string, string>
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>
  readonly publishConfig?: { access?: string }
  readonly files?: string[]
}

function readManifest(folder: string): Manifest {
  return JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as Manifest
}

async function node(cwd: string, script: string): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [script], { cwd, timeout: 30_000 })
}

/** The output of a command that is expected to fail (a compile error), or '' when it passed. */
async function failureOf(command: string, args: readonly string[], cwd: string): Promise<string> {
  try {
    await run(command, [...args], { cwd, timeout: 60_000 })
    return ''
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string }
    return `${stdout ?? ''}${stderr ?? ''}` || String(error)
  }
}

/** The ```js blocks of a markdown file. */
function jsSamples(markdown: string): string[] {
  return [...markdown.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((match) => match[1]!)
}

/** Four records per entry point: app info and db error, into domain and level lanes. */
const EXPECTED_LANES = { 'app.log': 1, 'db.log': 1, 'error.log': 1, 'info.log': 1 }

/** One script routing through each entry point, in ESM or CommonJS syntax. */
function entryPointsScript(kind: 'esm' | 'cjs'): string {
  const load =
    kind === 'esm'
      ? [
          "import pino from 'pino'",
          "import winston from 'winston'",
          "import { LanesConfigError } from '@loglanes/core'",
          "import { endLogger, LanesTransport } from '@loglanes/winston'",
          "import { createLanes } from 'loglanes'",
        ]
      : [
          "const pino = require('pino')",
          "const winston = require('winston')",
          "const { LanesConfigError } = require('@loglanes/core')",
          "const { endLogger, LanesTransport } = require('@loglanes/winston')",
          "const { createLanes } = require('loglanes')",
        ]
  const body = [
    `const options = (entry) => ({ dir: 'logs/${kind}-' + entry, domains: ['app', 'db'], interval: 'none' })`,
    "const transport = pino.transport({ target: '@loglanes/pino', options: options('pino') })",
    'const logger = pino(transport)',
    "logger.child({ domain: 'app' }).info('service up')",
    "logger.child({ domain: 'db' }).error('connection lost')",
    // No close awaited: at exit pino ends the transport and waits for its worker to write every line.
    "const lanes = new LanesTransport(options('winston'))",
    'const wlogger = winston.createLogger({ transports: [lanes] })',
    "wlogger.child({ domain: 'app' }).info('service up')",
    "wlogger.child({ domain: 'db' }).error('connection lost')",
    'await endLogger(wlogger)',
    "const log = createLanes(options('facade'))",
    "log.app.info('service up')",
    "log.db.error('connection lost')",
    'await log.shutdown()',
    "try { createLanes({ interval: '7m' }) } catch (error) { console.log(error instanceof LanesConfigError) }",
  ]
  if (kind === 'esm') return `${[...load, ...body].join('\n')}\n`
  return `${[...load, ';(async () => {', ...body, '})()'].join('\n')}\n`
}

describe('the packed packages, installed in a project outside the repository', () => {
  it('ship README.md, LICENSE and a built dist without build info; scoped ones publish publicly', async () => {
    expect([...tarballs.keys()].sort()).toEqual([
      '@loglanes/core',
      '@loglanes/pino',
      '@loglanes/winston',
      'loglanes',
    ])
    for (const { name } of PACKAGES) {
      const { stdout } = await run('tar', ['-tzf', tarballs.get(name)!])
      const files = stdout.split('\n').filter((file) => file !== '')
      for (const file of ['README.md', 'LICENSE', 'package.json', 'dist/index.js', 'dist/index.d.ts']) {
        expect(files, `${name}: ${file}`).toContain(`package/${file}`)
      }
      expect(files.filter((file) => file.includes('tsbuildinfo'))).toEqual([])
      const manifest = readManifest(join(full, 'node_modules', name))
      expect(manifest.publishConfig?.access).toBe(name.startsWith('@') ? 'public' : undefined)
      expect(readFileSync(join(full, 'node_modules', name, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/)
    }
    expect(readManifest(join(full, 'node_modules/@loglanes/core')).dependencies).toBeUndefined()
    const facade = readManifest(join(full, 'node_modules/loglanes'))
    expect(Object.keys(facade.dependencies ?? {}).sort()).toEqual([
      '@colors/colors',
      '@loglanes/core',
      '@loglanes/pino',
      '@loglanes/winston',
    ])
    expect(facade.peerDependenciesMeta).toEqual({
      pino: { optional: true },
      'pino-pretty': { optional: true },
      winston: { optional: true },
    })
  })

  it.each(['esm', 'cjs'] as const)(
    'route records through @loglanes/pino, @loglanes/winston and loglanes from %s',
    async (kind) => {
      const script = kind === 'esm' ? 'entry-points.mjs' : 'entry-points.cjs'
      writeFileSync(join(full, script), entryPointsScript(kind))
      const { stdout, stderr } = await node(full, script)
      expect(stderr).toBe('')
      expect(stdout).toBe('true\n')
      for (const entry of ['pino', 'winston', 'facade']) {
        const dir = join(full, 'logs', `${kind}-${entry}`)
        expect(lineCounts(dir), `${kind} ${entry}`).toEqual(EXPECTED_LANES)
        expect(readFileSync(join(dir, 'db.log'), 'utf8')).toContain('connection lost')
        expect(readFileSync(join(dir, 'error.log'), 'utf8')).toBe(readFileSync(join(dir, 'db.log'), 'utf8'))
      }
    },
    60_000,
  )

  it('run the facade on pino without winston installed, and name the package a missing backend needs', async () => {
    expect(existsSync(join(pinoOnly, 'node_modules/winston'))).toBe(false)
    expect(existsSync(join(pinoOnly, 'node_modules/pino-pretty'))).toBe(false)
    writeFileSync(
      join(pinoOnly, 'facade.mjs'),
      [
        "import { createLanes } from 'loglanes'",
        "const log = createLanes({ dir: 'logs', domains: ['app'], interval: 'none' })",
        "log.app.info('on pino')",
        'await log.shutdown()',
        "for (const options of [{ backend: 'winston' }, { console: true }]) {",
        "  try { createLanes({ ...options, dir: 'other' }) } catch (error) { console.log(error.message) }",
        '}',
        '',
      ].join('\n'),
    )
    const { stdout, stderr } = await node(pinoOnly, 'facade.mjs')
    expect(stderr).toBe('')
    expect(stdout.split('\n')).toEqual([
      "loglanes: backend 'winston' needs the package 'winston', which is not installed; install it beside loglanes: npm install winston",
      "loglanes: console output on the pino backend needs the package 'pino-pretty', which is not installed; install it beside loglanes: npm install pino-pretty",
      '',
    ])
    expect(lineCounts(join(pinoOnly, 'logs'))).toEqual({ 'app.log': 1, 'info.log': 1 })
  })

  it("run every JavaScript sample of each package's README as copied, and its loglanes commands", async () => {
    let count = 0
    for (const { name } of PACKAGES) {
      const readme = readFileSync(join(full, 'node_modules', name, 'README.md'), 'utf8')
      expect(readme).toContain('](../../README.md)')
      for (const sample of jsSamples(readme)) {
        const folder = join(full, `readme-${name.replace('/', '-')}-${++count}`)
        mkdirSync(folder)
        writeFileSync(join(folder, 'sample.mjs'), sample)
        const { stderr } = await node(folder, 'sample.mjs')
        expect(stderr, `${name}'s README sample`).toBe('')
        expect(Object.keys(lineCounts(join(folder, 'logs'))).length, name).toBeGreaterThan(0)
        if (name === 'loglanes') {
          const tail = await run(
            join(full, 'node_modules/.bin/loglanes'),
            ['tail', 'logs', '--domain', 'db', '--level', 'error'],
            {
              cwd: folder,
            },
          )
          expect(tail.stdout).toMatch(/ ERROR \[db\] DB connection failed/)
          expect(tail.stdout.split('\n').filter((line) => /^\d/.test(line))).toHaveLength(1)
        }
      }
    }
    expect(count).toBe(4)
  }, 60_000)

  describe('types, compiled with strict and skipLibCheck: false, without a types setting', () => {
    const CHECK = [
      "import { LanesConfigError, type LanesOptions } from '@loglanes/core'",
      "import { PINO_LEVELS } from '@loglanes/pino'",
      "import { endLogger, LanesTransport } from '@loglanes/winston'",
      "import { createLanes, type DomainLogger, type LanesFacade } from 'loglanes'",
      '',
      "const options: LanesOptions = { dir: 'logs', domains: ['app', 'db'] }",
      "const log = createLanes({ domains: ['app', 'db'] })",
      'const db: DomainLogger = log.db',
      "db.error(new Error('timeout'), 'query failed')",
      "const byDefault: LanesFacade<'app'> = createLanes()",
      "const empty: LanesFacade<'app'> = createLanes({})",
      'const transport = new LanesTransport(options)',
      'export const all = [LanesConfigError, PINO_LEVELS, endLogger, transport, byDefault.app, empty.app]',
      '',
    ].join('\n')
    const WRONG =
      "import { createLanes } from 'loglanes'\ncreateLanes({ domains: ['app', 'db'] }).nope.info('x')\n"
    const MODES: Record<string, Record<string, string>> = {
      nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
      bundler: { module: 'esnext', moduleResolution: 'bundler' },
    }

    function project(mode: string, compilerOptions: Record<string, string>, source: string): string {
      const folder = join(full, `types-${mode}`)
      mkdirSync(folder, { recursive: true })
      writeFileSync(join(folder, 'check.ts'), source)
      const config = {
        compilerOptions: {
          strict: true,
          skipLibCheck: false,
          noEmit: true,
          target: 'es2022',
          ...compilerOptions,
        },
        files: ['check.ts'],
      }
      writeFileSync(join(folder, 'tsconfig.json'), JSON.stringify(config))
      return folder
    }

    it.each(Object.entries(MODES))(
      'TypeScript 7 with %s: compile, and a wrong domain fails',
      async (mode, options) => {
        expect((await run(process.execPath, [TSC, '--version'])).stdout).toMatch(/^Version 7\./)
        expect(
          await failureOf(process.execPath, [TSC, '-p', '.'], project(`7-${mode}`, options, CHECK)),
        ).toBe('')
        const wrong = await failureOf(
          process.execPath,
          [TSC, '-p', '.'],
          project(`7-${mode}-wrong`, options, WRONG),
        )
        expect(wrong).toContain("check.ts(2,41): error TS2339: Property 'nope' does not exist on type")
        expect(wrong.match(/error TS/g)).toHaveLength(1)
      },
      60_000,
    )

    it.each(Object.entries({ ...MODES, commonjs: { module: 'commonjs' } }))(
      'TypeScript 5.x with %s: compile (commonjs without esModuleInterop too)',
      async (mode, options) => {
        expect((await run(process.execPath, [TSC_5, '--version'])).stdout).toMatch(/^Version 5\./)
        expect(
          await failureOf(process.execPath, [TSC_5, '-p', '.'], project(`5-${mode}`, options, CHECK)),
        ).toBe('')
      },
      60_000,
    )
  })

  it.each(PACKAGES.map((p) => p.name))(
    '%s: publint and @arethetypeswrong/cli find no problem',
    async (name) => {
      const bytes = readFileSync(tarballs.get(name)!)
      const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
      const { messages, pkg } = await publint({ pack: { tarball }, level: 'suggestion', strict: true })
      expect(messages.map((message) => formatMessage(message, pkg))).toEqual([])
      const attw = await run(
        process.execPath,
        [ATTW, tarballs.get(name)!, '--format', 'json', '--ignore-rules', ATTW_IGNORED],
        {
          maxBuffer: 64 << 20,
        },
      )
      const { problems } = JSON.parse(attw.stdout) as { problems: Record<string, unknown[]> }
      // The ignored rule is the only one that fires: CommonJS loads these packages with require(esm).
      expect(Object.keys(problems).filter((kind) => kind !== 'CJSResolvesToESM')).toEqual([])
    },
    60_000,
  )
})
