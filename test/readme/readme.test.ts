import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT, repoProject } from '../support/files.js'

const run = promisify(execFile)
const TSC = join(REPO_ROOT, 'node_modules/typescript/bin/tsc')
const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')

interface Sample {
  readonly language: string
  readonly code: string
  readonly line: number
}

/** Every fenced code block of the README, with its language and line. */
function samples(): Sample[] {
  const found: Sample[] = []
  const fence = /^```(\w*)\n([\s\S]*?)^```$/gm
  for (let match = fence.exec(README); match; match = fence.exec(README)) {
    found.push({
      language: match[1]!,
      code: match[2]!,
      line: README.slice(0, match.index).split('\n').length,
    })
  }
  return found
}

/** Compiles a TypeScript sample with tsc --strict (its output beside it); fails with tsc's messages. */
async function compile(dir: string, file: string): Promise<void> {
  const args = [
    '--ignoreConfig',
    '--strict',
    '--skipLibCheck',
    '--module',
    'nodenext',
    '--target',
    'es2022',
    file,
  ]
  try {
    await run(process.execPath, [TSC, ...args], { cwd: dir, timeout: 30_000 })
  } catch (error) {
    throw new Error(`tsc failed on the README sample:\n${(error as { stdout?: string }).stdout ?? error}`)
  }
}

const runnable = samples().filter((sample) => ['js', 'ts'].includes(sample.language))

describe('README samples', () => {
  it('has the samples this test runs', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(5)
    // A code block without a language would escape this test: every one that holds code says what it is.
    expect(samples().filter((s) => s.language === '' && /import|require\(/.test(s.code))).toEqual([])
  })

  it.each(runnable.map((sample) => [`line ${sample.line} (${sample.language})`, sample] as const))(
    'runs the sample at %s',
    async (_name, sample) => {
      const dir = repoProject('readme-')
      // Each sample runs exactly as a reader copies it: no names are supplied around it.
      let script = 'sample.mjs'
      if (sample.language === 'ts') {
        writeFileSync(join(dir, 'sample.ts'), sample.code)
        // Compiled as a strict project of the reader's would; the packages' own declarations are checked by
        // test/packaging, so not again here.
        await compile(dir, 'sample.ts')
        script = 'sample.js'
      } else writeFileSync(join(dir, script), sample.code)
      const { stderr } = await run(process.execPath, [script], { cwd: dir, timeout: 20_000 })
      expect(stderr).not.toMatch(/Error|loglanes:/)
    },
    30_000,
  )

  it('runs the shell samples that use loglanes (generate, ls, tail)', async () => {
    const dir = repoProject('readme-')
    writeFileSync(join(dir, 'loglanes.config.json'), JSON.stringify({ domains: ['app', 'db'], dir: 'logs' }))
    await run(
      process.execPath,
      [
        '-e',
        "import('loglanes').then(async ({ createLanes }) => { const log = createLanes({ domains: ['app', 'db', 'http'] }); log.db.error('x'); await log.shutdown() })",
      ],
      { cwd: dir },
    )
    const commands = samples()
      .filter((sample) => sample.language === 'sh')
      .flatMap((sample) => sample.code.split('\n'))
      .map((line) => line.replace(/\s+#.*$/, '').trim())
      .filter((line) => line.startsWith('npx loglanes'))
    expect(commands.length).toBeGreaterThanOrEqual(4)
    mkdirSync(join(dir, 'src'), { recursive: true })
    for (const command of commands) {
      const args = command.split(/\s+/).slice(2)
      const follow = args.includes('--follow')
      try {
        const result = await run(join(REPO_ROOT, 'node_modules/.bin/loglanes'), args, {
          cwd: dir,
          timeout: follow ? 1500 : 20_000,
        })
        expect(result.stderr).toBe('')
      } catch (error) {
        // --follow runs until stopped: the timeout ends it; anything else is a failure.
        if (!follow || !(error as { killed?: boolean }).killed) throw error
      }
    }
  }, 60_000)
})
