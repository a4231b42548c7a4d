import { isMainThread } from 'node:worker_threads'

/** What the signal listeners act on: a facade that is not shut down. */
export interface SignalTarget {
  /** Resolves once every record logged so far is written (the app's own handler decides what comes next). */
  flush(): Promise<void>
  /** Writes every record and closes every file (the process is about to die by the signal). */
  shutdown(): Promise<void>
}

/** The signals that end a service by default and that an app may not handle: a facade flushes on them. */
export const SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT']

/** How long a signal waits for the facades to shut down before the process dies by it anyway. */
export const SIGNAL_SHUTDOWN_MS = 5_000

const targets = new Set<SignalTarget>()
const listeners = new Map<NodeJS.Signals, () => void>()

/**
 * Makes `target` write its records on SIGTERM and SIGINT without changing what the signal does to the process.
 * One listener per signal serves every registered target. When the signal arrives:
 *
 * - if the app listens to it too, the targets flush and nothing else happens: the app's handler decides;
 * - otherwise (the signal would kill the process), the targets shut down, for at most {@link SIGNAL_SHUTDOWN_MS},
 *   then the signal is raised again with no listener left, so the process dies by it as it would have (the
 *   parent sees the signal, a shell sees 128 + its number). Shutting down unregisters the targets, so the
 *   listeners are gone meanwhile: a second signal kills at once, as it would have.
 *
 * Signals do not reach worker threads, so nothing is installed there. Returns the function that unregisters
 * `target`; the listeners go away with the last target.
 */
export function shutdownOnSignals(target: SignalTarget): () => void {
  if (!isMainThread) return () => {}
  targets.add(target)
  for (const signal of SHUTDOWN_SIGNALS) {
    if (listeners.has(signal)) continue
    const listener = () => onSignal(signal, listener)
    listeners.set(signal, listener)
    process.on(signal, listener)
  }
  return () => {
    targets.delete(target)
    if (targets.size === 0) {
      for (const signal of SHUTDOWN_SIGNALS) stopListening(signal)
    }
  }
}

function onSignal(signal: NodeJS.Signals, listener: () => void): void {
  // Decided now, as Node decides the default action: with any other listener the app keeps control.
  if (process.listeners(signal).some((other) => other !== listener)) {
    for (const target of targets) target.flush().catch(() => {})
    return
  }
  let timer: NodeJS.Timeout | undefined
  // A referenced timer: the process must live until the signal is raised again, even with nothing else to do.
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, SIGNAL_SHUTDOWN_MS)
  })
  const shutdowns = Promise.allSettled([...targets].map((facade) => facade.shutdown()))
  void Promise.race([shutdowns, deadline]).then(() => {
    clearTimeout(timer)
    reraise(signal)
  })
}

/** Stops listening to `signal` and sends it to this process again: with no listener left, Node's default applies. */
function reraise(signal: NodeJS.Signals): void {
  stopListening(signal)
  process.kill(process.pid, signal)
}

function stopListening(signal: NodeJS.Signals): void {
  const listener = listeners.get(signal)
  if (listener === undefined) return
  listeners.delete(signal)
  process.off(signal, listener)
}
