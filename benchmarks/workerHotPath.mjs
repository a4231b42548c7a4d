// The @loglanes/pino worker's hot path, measured in-process and repeatably (no worker thread, no pino main loop):
// node benchmarks/workerHotPath.mjs            (after npm run build; it runs the built dist/)
//
// W1 lines exactly as pino writes them (3 child loggers `{ domain }` round-robin, W1 levels and fields) are made
// once, cut into thread-stream-like chunks of CHUNK bytes at arbitrary points (not line-aligned, as the worker may
// get them) and decoded to strings, and fed straight into a LanesStream on the W1 options (day folder, exact level files,
// so 2 lane appends per line). Each repeat routes every chunk PASSES times into a fresh directory, flushing the
// lane files as the router would (writeSync to files on tmpfs when /dev/shm exists), and reports ns per line;
// the figure to compare is the min over REPEATS, the least disturbed by other load on the machine.
//
// Env: BUILD=<dir> runs a frozen build (`benchmarks/freeze.sh <dir>`) instead of the workspace's,
// FORMAT=text for W3's text format (each line parsed and rendered), N lines per pass (default 200000), PASSES (3), REPEATS (7), CHUNK bytes (65536), ASCII=0 to put a
// non-ASCII character in every tenth message (exercises the byte-offset path), QUIET=1 to print one number only.
//
// For instruction counts, which do not move with machine load, run it under callgrind with a modest N, twice:
//   N=10000 PASSES=1 REPEATS=2 QUIET=1 valgrind --tool=callgrind --callgrind-out-file=benchmarks/scratch/cg.out \
//     node --single-threaded benchmarks/workerHotPath.mjs          (then again with N=30000)
// (Ir(30000) - Ir(10000)) / 40000 is the Ir per routed line, without node's start-up and JIT warm-up. Keep
// --single-threaded: with background compilation and GC threads, when optimized code arrives depends on thread
// scheduling, and the figure with it. Compare versions with BUILD=<frozen build> in one session.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { StringDecoder } from 'node:string_decoder'
import pino from 'pino'
import { fieldsFor, lanesOptions, levelsFor, MESSAGE, W1_DOMAINS } from './lib/workload.mjs'

// BUILD=<dir> made by benchmarks/freeze.sh: a frozen build, so that two versions compare exactly (end to end:
// benchmarks/compare.mjs).
const build = process.env.BUILD
const frozen = (name) => resolve(build, 'node_modules/@loglanes', name, 'dist/index.js')
const { LaneRouter, resolveOptions } = await import(build ? frozen('core') : '@loglanes/core')
const { LanesStream, PINO_LEVELS } = await import(build ? frozen('pino') : '@loglanes/pino')

const N = Number(process.env.N ?? 200_000)
const PASSES = Number(process.env.PASSES ?? 3)
const REPEATS = Number(process.env.REPEATS ?? 7)
const CHUNK = Number(process.env.CHUNK ?? 65_536)
const ASCII = process.env.ASCII !== '0'
const QUIET = process.env.QUIET === '1'
const FORMAT = process.env.FORMAT ?? 'json'

// W1's options without its per-file expectations: building those costs per record, and would count here.
const work = { domains: W1_DOMAINS, levelFiles: true, format: FORMAT }
mkdirSync(join(import.meta.dirname, 'scratch'), { recursive: true })

/** The W1 lines as pino writes them, via a synchronous in-memory destination. */
function pinoText() {
  const parts = []
  const logger = pino({ level: 'debug' }, { write: (line) => parts.push(line) })
  const children = work.domains.map((domain) => logger.child({ domain }))
  const levels = levelsFor(N)
  for (let i = 0; i < N; i++) {
    const message = !ASCII && i % 10 === 0 ? `${MESSAGE} é✓` : MESSAGE
    children[i % children.length][levels[i]](fieldsFor(i), message)
  }
  return parts.join('')
}

// Made once per N and ASCII and kept under scratch/: runs then feed identical bytes, and the instruction counts
// of a run hold routing only, not pino making the lines.
const cached = join(import.meta.dirname, 'scratch', `w1-${N}${ASCII ? '' : '-utf8'}.ndjson`)
if (!existsSync(cached)) writeFileSync(cached, pinoText())
const text = readFileSync(cached, 'utf8')
// Cut as bytes and decoded as thread-stream's worker does: flat strings, a multi-byte character may be split.
const encoded = Buffer.from(text, 'utf8')
const decoder = new StringDecoder('utf8')
const chunks = []
for (let i = 0; i < encoded.length; i += CHUNK) chunks.push(decoder.write(encoded.subarray(i, i + CHUNK)))

const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir()

/** One repeat: every chunk PASSES times into a fresh router; ns per line. */
async function repeat() {
  const dir = mkdtempSync(join(base, 'loglanes-hotpath-'))
  try {
    const router = new LaneRouter(resolveOptions(lanesOptions(work, dir), { levels: PINO_LEVELS }))
    const stream = new LanesStream(router)
    const started = performance.now()
    for (let p = 0; p < PASSES; p++) {
      for (const chunk of chunks) {
        // The Writable's bookkeeping is the same for every implementation; call the chunk handler as the
        // worker's write does, then route and write what is left as a flush would.
        stream._write(chunk, 'utf8', noop)
      }
      stream.flushSync()
    }
    const elapsed = performance.now() - started
    await new Promise((resolve) => stream.end(resolve))
    check(dir)
    return (elapsed * 1e6) / (N * PASSES)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Every line must have reached both of its lanes: as JSON the byte total is twice the input's per pass; as text
 * (rendered, so of other sizes) the line total is twice the lines'.
 */
function check(dir) {
  let bytes = 0
  let lines = 0
  for (const folder of readdirSync(dir)) {
    const path = join(dir, folder)
    if (!statSync(path).isDirectory()) continue
    for (const file of readdirSync(path)) {
      if (FORMAT === 'text') lines += readFileSync(join(path, file), 'latin1').split('\n').length - 1
      else bytes += statSync(join(path, file)).size
    }
  }
  const [found, expected] = FORMAT === 'text' ? [lines, 2 * N * PASSES] : [bytes, 2 * encoded.length * PASSES]
  if (found !== expected)
    throw new Error(`lane files hold ${found} ${FORMAT === 'text' ? 'lines' : 'bytes'}, expected ${expected}`)
}

function noop() {}

const figures = []
for (let r = 0; r < REPEATS; r++) figures.push(await repeat())
const best = Math.min(...figures)
if (QUIET) {
  process.stdout.write(`${best.toFixed(1)}\n`)
} else {
  process.stdout.write(
    `${FORMAT === 'text' ? 'W3' : 'W1'} hot path: ${N} lines x ${PASSES} passes, ${chunks.length} chunks of ${CHUNK} bytes${ASCII ? '' : ', non-ASCII'}\n` +
      `ns/line min ${best.toFixed(1)}  (repeats: ${figures.map((f) => f.toFixed(0)).join(' ')})\n`,
  )
}
