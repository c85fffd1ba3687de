// Summarizes a V8 CPU profile (node --cpu-prof, or `npm run bench -- --profile`): self time by
// package or source file, and the hottest functions.
//   npx tsx scripts/profile-summary.ts <file.cpuprofile> [--top 25]
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
};
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

const { values, positionals } = parseArgs({ options: { top: { type: "string", default: "25" } }, allowPositionals: true });
const [file] = positionals;
if (positionals.length !== 1 || file === undefined) throw new Error("Usage: profile-summary.ts <file.cpuprofile> [--top N]");
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const top = Number(values.top);

/** Where a frame's code lives: a package name, a repository file, node internals, or V8 itself. */
function owner(url: string, name: string) {
  if (!url) return name.startsWith("(") ? name : "(native)";
  if (url.startsWith("node:")) return "node:internal";
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packageMatch?.[1]) return packageMatch[1];
  const chunk = /\.next\/server\/chunks\/(?:ssr\/)?\[root-of-the-server\]|\.next\//.exec(url);
  if (chunk) return ".next bundle";
  return url.replace(/^file:\/\/.*?\/work\/main\//, "");
}

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMicros = new Map<number, number>();
profile.samples.forEach((id, index) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
const total = [...selfMicros.values()].reduce((sum, value) => sum + value, 0);

const byOwner = new Map<string, number>();
const byFunction = new Map<string, number>();
for (const [id, micros] of selfMicros) {
  const node = byId.get(id);
  if (!node) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = owner(url, functionName);
  byOwner.set(where, (byOwner.get(where) ?? 0) + micros);
  const key = `${functionName || "(anonymous)"}  ${where}${url ? `:${lineNumber + 1}` : ""}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
}

const share = (micros: number) => `${((micros / total) * 100).toFixed(1).padStart(5)} %`;
const wall = (profile.endTime - profile.startTime) / 1e6;
const idle = [...selfMicros].filter(([id]) => byId.get(id)?.callFrame.functionName === "(idle)").reduce((s, [, m]) => s + m, 0);
console.log(`${positionals[0]}: ${wall.toFixed(1)} s sampled, ${((1 - idle / total) * 100).toFixed(0)} % busy`);
console.log("\nSelf time by owner:");
for (const [name, micros] of [...byOwner].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${share(micros)}  ${name}`);
console.log("\nHottest functions (self time):");
for (const [name, micros] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${share(micros)}  ${name}`);
