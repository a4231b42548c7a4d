import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../support/files.js'

// The shipping recipes without a daemon to run here (Fluent Bit, Vector, the OpenTelemetry Collector; rsyslog's
// lane regex too, beside test/shipping/rsyslog.test.ts): their path patterns and the regexes that take the lane
// from a file's path are read from the example files, translated to JavaScript, and applied to the names loglanes
// makes in `dir`. Each lane file, maxFileSize parts included, must be shipped exactly once and labelled with its
// lane; archives, compression's dot-names, the lock and the `current` link never.

const SHIPPING = join(REPO_ROOT, 'examples/shipping')
const DIR = '/var/log/my-service/'

interface Recipe {
  /** The path patterns a file must match to be shipped (one is enough). */
  readonly patterns: readonly string[]
  /** Takes the lane (and the interval, where the recipe does) from a shipped file's path. */
  readonly label: (path: string) => { lane: string | undefined; interval?: string | undefined }
}

function read(path: string): string {
  return readFileSync(join(SHIPPING, path), 'utf8')
}

/** The one capture of `pattern` in `text`, failing when the example no longer has it. */
function one(text: string, pattern: RegExp, what: string): string {
  const found = [...text.matchAll(pattern)]
  if (found.length !== 1) throw new Error(`expected one ${what}, found ${found.length}`)
  return found[0]![1]!
}

/** Items of a YAML list under the loglanes `dir` (`- /var/log/my-service/...`). */
function listedPaths(text: string): string[] {
  return [...text.matchAll(/^\s+- (\/var\/log\/my-service\/\S+)$/gm)].map((match) => match[1]!)
}

/**
 * A path glob as a RegExp: `*` and `?` within one path segment, `[...]` a character class. A `*` is taken to match
 * a leading dot too (Vector's glob and the Collector's doublestar do; glob(3), in rsyslog and Fluent Bit, does
 * not): compression's dot-names must stay out by their ending alone.
 */
function globToRegExp(glob: string): RegExp {
  let source = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!
    if (c === '*') source += '[^/]*'
    else if (c === '?') source += '[^/]'
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1)
      source += glob.slice(i, end + 1)
      i = end
    } else source += c.replace(/[.+^${}()|\\]/g, '\\$&')
  }
  return new RegExp(`^${source}$`)
}

/** Named groups of a regex written for Go (RE2) or Rust: `(?P<name>` is `(?<name>` in JavaScript. */
function namedGroups(source: string): RegExp {
  return new RegExp(source.replaceAll('(?P<', '(?<'))
}

function byNamedGroups(regex: RegExp): Recipe['label'] {
  return (path) => {
    const groups = regex.exec(path)?.groups
    return { lane: groups?.lane, interval: groups?.interval }
  }
}

const rsyslog = read('rsyslog/edge.conf')
const fluentBit = read('fluent-bit/fluent-bit.conf')
const vector = read('vector/edge.yaml')
const otel = read('otel-collector/config.yaml')

const RECIPES: Record<string, Recipe> = {
  'rsyslog edge.conf': {
    patterns: [one(rsyslog, /^\s*file="([^"]+)"/gm, 'imfile file')],
    // re_extract(text, ERE, match 0, submatch 1, default): the ERE reads the same in JavaScript.
    label: (path) => {
      const lane = new RegExp(
        one(rsyslog, /\$\.lane = re_extract\(\$!metadata!filename, '([^']+)', 0, 1,/g, 'lane'),
      )
      const folder = new RegExp(
        one(rsyslog, /\$\.folder = re_extract\(\$!metadata!filename, '([^']+)', 0, 1,/g, 'folder'),
      )
      return { lane: lane.exec(path)?.[1], interval: folder.exec(path)?.[1] }
    },
  },
  'fluent-bit fluent-bit.conf + parsers.conf': {
    patterns: [one(fluentBit, /^\s*Path\s+(\S+)$/gm, 'tail Path')],
    // Onigmo's named groups read the same in JavaScript.
    label: byNamedGroups(new RegExp(one(read('fluent-bit/parsers.conf'), /^\s*Regex\s+(\S+)$/gm, 'Regex'))),
  },
  'vector edge.yaml': {
    patterns: listedPaths(vector),
    // A VRL raw string in a config where `$$` is a literal `$`.
    label: byNamedGroups(
      namedGroups(one(vector, /parse_regex!\(\.file, r'([^']+)'\)/g, 'parse_regex').replaceAll('$$', '$')),
    ),
  },
  'otel-collector config.yaml': {
    patterns: listedPaths(otel),
    label: byNamedGroups(namedGroups(one(otel, /^\s*regex: '([^']+)'$/gm, 'regex_parser regex'))),
  },
}

const FOLDER = '2026-11-20__14-00'
/** Lane files (maxFileSize parts included) and the lane each belongs to. */
const LANE_FILES: Record<string, string> = {
  [`${FOLDER}/app.log`]: 'app',
  [`${FOLDER}/db.log`]: 'db',
  [`${FOLDER}/db.1.log`]: 'db',
  [`${FOLDER}/db.2.log`]: 'db',
  [`${FOLDER}/db.12.log`]: 'db',
  [`${FOLDER}/http.7.log`]: 'http',
  [`${FOLDER}/db-slow.log`]: 'db-slow',
  [`${FOLDER}/db-slow.3.log`]: 'db-slow',
  [`${FOLDER}/error.log`]: 'error',
  [`${FOLDER}/error.1.log`]: 'error',
  [`${FOLDER}/all_2.4.log`]: 'all_2',
  '2026-11-20/db.1.log': 'db',
}
/** What loglanes also makes in `dir`, none of it to ship: archives, compression's dot-names, the lock, the link. */
const NEVER_SHIPPED = [
  `${FOLDER}/db.log.gz`,
  `${FOLDER}/db.1.log.gz`,
  `${FOLDER}/.db.1.log.gz.k3j9.tmp`,
  `${FOLDER}/.db.1.log.k3j9.pending`,
  `${FOLDER}/.db.log.k3j9.committing`,
  `${FOLDER}/.loglanes.lock`,
  '.loglanes.lock',
  'current/db.log',
  'current/db.1.log',
]
/** The Collector recipe ships the domain lanes it lists (app, db, http) only: see its comment. */
const OTEL_LANES = new Set(['app', 'db', 'http'])

describe('shipping recipes: every lane file and maxFileSize part once, labelled with its lane; never an archive', () => {
  it.each(Object.keys(RECIPES))('%s', (name) => {
    const recipe = RECIPES[name]!
    const globs = recipe.patterns.map(globToRegExp)
    const shipped: Record<string, string | undefined> = {}
    const matchedTwice: string[] = []
    for (const file of [...Object.keys(LANE_FILES), ...NEVER_SHIPPED]) {
      const path = `${DIR}${file}`
      const matches = globs.filter((glob) => glob.test(path)).length
      if (matches > 1) matchedTwice.push(file)
      if (matches === 0) continue
      const { lane, interval } = recipe.label(path)
      shipped[file] = lane
      // Each recipe takes the interval folder from the path too.
      expect(interval).toBe(file.split('/')[0])
    }
    const expected = Object.fromEntries(
      Object.entries(LANE_FILES).filter(
        ([, lane]) => !name.startsWith('otel-collector') || OTEL_LANES.has(lane),
      ),
    )
    expect(matchedTwice).toEqual([])
    expect(shipped).toEqual(expected)
  })
})
