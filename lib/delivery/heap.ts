// The V8 heap setting of the processes and threads that deliver (no imports: scripts read it too).
/**
 * V8's semi-space for every isolate that delivers: a delivery allocates a few KB (headers, the
 * response, the grouped write's JSON) and dies young, and with V8's default (16 MB) scavenges were
 * 11 % of the worker's thread. At 32 MB: 6-17 % less worker CPU per delivery in four alternating
 * drain-profile pairs (bench/NOTES.md, "Issue 16, 2026-12-02 (evening)"); 64 MB gained no more.
 * `npm start` and `npm run worker` pass it as a flag (package.json; checked by threads.test.ts),
 * delivery threads (lib/delivery/threads.ts) get it as their young generation's limit, however
 * their process was started.
 */
export const DELIVERY_SEMI_SPACE_MB = 32;
export const DELIVERY_NODE_FLAGS = [`--max-semi-space-size=${DELIVERY_SEMI_SPACE_MB}`];
