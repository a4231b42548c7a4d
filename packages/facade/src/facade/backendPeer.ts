import { createRequire } from 'node:module'

/** The facade's optional peers: the app installs the ones its backend needs, and its copy is the one used. */
export type PeerName = 'pino' | 'pino-pretty' | 'winston'

// pino, pino-pretty and winston are CommonJS: require() loads them synchronously, when a backend is created,
// so that an app using one backend never needs the other installed.
const requirePackage = createRequire(import.meta.url)

/**
 * Loads a peer package for `purpose` (e.g. "backend 'winston'").
 * @throws {Error} naming the package and the command to install it, when it is not installed.
 */
export function requirePeer<T>(name: PeerName, purpose: string): T {
  try {
    return requirePackage(name) as T
  } catch (error) {
    if (!isMissing(error, name)) throw error
    throw new Error(
      `loglanes: ${purpose} needs the package '${name}', which is not installed; install it beside loglanes: npm install ${name}`,
      { cause: error },
    )
  }
}

/** True when `error` says `name` itself cannot be found (not some module it requires). */
function isMissing(error: unknown, name: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown }
  return (
    code === 'MODULE_NOT_FOUND' &&
    typeof message === 'string' &&
    message.startsWith(`Cannot find module '${name}'`)
  )
}
