// Parses YAML documents off the main thread: `readSides` gives one side of a large diff to this worker
// while it parses the other (2 cores: about half the wall time when thousands of documents changed).
import { parentPort, workerData } from 'worker_threads';
import { parseDocument, ReviewInputError, SourceDoc } from './load';

interface Job {
  readonly docs: SourceDoc[];
  readonly port: import('worker_threads').MessagePort;
  readonly flag: Int32Array;
}

if (parentPort !== null && workerData && (workerData as Job).docs) {
  const { docs, port, flag } = workerData as Job;
  try {
    port.postMessage({ ok: true, objects: docs.map((d) => parseDocument(d)) });
  } catch (e) {
    port.postMessage({ ok: false, message: (e as Error).message, input: e instanceof ReviewInputError });
  }
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}
