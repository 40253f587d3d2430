import { setFlagsFromString } from 'node:v8';

/**
 * Tunes V8's garbage collector for the engine's heap caps (`--max-old-space-size=256
 * --max-semi-space-size=16`, see ARCHITECTURE.md "Memory and speed"). Call it first thing in
 * every entry point: the flags it sets are not allowed in `NODE_OPTIONS` (docker/), so they
 * cannot travel with the caps.
 *
 * It turns off allocation-site pretenuring. V8 watches where objects are allocated, and a site
 * whose objects mostly survived a scavenge (the reader's records while a batch of 1,000 is
 * planned, saxes' attribute objects while a chunk is parsed) allocates straight into the old
 * generation from then on. Those objects die soon after all the same: under a 256 MiB cap the
 * old generation then fills with garbage, and V8 runs a mark-compact every few hundred
 * milliseconds (85 in the first import of 50,000 persons) and, on bare saxes with
 * `@aaf-sync/ingest` loaded, spent two thirds of the CPU collecting (1.8 → 5.5 s). Without it
 * they die young in the 16 MiB semi-space, where collecting them costs nothing.
 */
export function tuneGarbageCollector(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}
