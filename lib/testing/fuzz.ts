// Seeded random and malformed JSON bodies for fuzzing the API. Everything derives from one seed,
// so a failing body is reproduced by rerunning with the seed and index the failure reports.

import { at } from "@/lib/assert";

/** mulberry32: tiny, fast and good enough to pick test inputs. Returns floats in [0, 1). */
export function prng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = ReturnType<typeof prng>;

export const int = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));
export const pick = <T>(random: Random, items: readonly T[]): T => at(items, Math.floor(random() * items.length));

const AWKWARD_STRINGS = [
  "",
  " ",
  "\t\n",
  "null",
  "undefined",
  "true",
  "0",
  "-1",
  "NaN",
  "[]",
  "{}",
  "Zoë 🦄 ☃ 漢字",
  "\u202eevil\u202c",
  "\ufeffbom",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff",
  "\ud83d\ude00",
  "e\u0301",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  '\'; DROP TABLE "Hook"; --',
  "${jndi:ldap://127.0.0.1/a}",
  "{{7*7}}",
  "../../../etc/passwd",
  "%00",
  "%2e%2e%2f",
  "\r\nX-Injected: 1",
  "https://127.0.0.1/",
  "https://hooks.example.com/in",
  "javascript:alert(1)",
  "User.Created",
  "__proto__",
  "constructor",
  "prototype",
];

const AWKWARD_NUMBERS = [0, -0, 1, -1, 0.5, 3, 72, 73, 2 ** 31, -(2 ** 31), 2 ** 53, 2 ** 64, 1e308, -1e308, 5e-324, 1e21];
const DANGEROUS_KEYS = ["__proto__", "constructor", "prototype", "__defineGetter__", "toString", "valueOf", "hasOwnProperty"];

export function randomString(random: Random): string {
  const roll = random();
  if (roll < 0.45) return pick(random, AWKWARD_STRINGS);
  if (roll < 0.9) {
    const length = int(random, 0, 40);
    let out = "";
    for (let i = 0; i < length; i++) {
      // Mostly ASCII, some BMP, some astral, some control characters.
      const kind = random();
      const code =
        kind < 0.7
          ? int(random, 0x20, 0x7e)
          : kind < 0.85
            ? int(random, 0xa0, 0xd7ff)
            : kind < 0.95
              ? int(random, 0x1f300, 0x1faff)
              : int(random, 0, 0x1f);
      out += String.fromCodePoint(code);
    }
    return out;
  }
  // Huge: past most field limits, now and then past the body limits too.
  return pick(random, ["x", "é", "🦄", "a\u0000"]).repeat(pick(random, [300, 2_100, 20_000, 70_000]));
}

/** Any JSON value, biased towards the awkward ones, at most `depth` levels deep. */
export function randomJson(random: Random, depth = 3): unknown {
  const roll = random();
  if (depth <= 0 || roll < 0.5) {
    const scalar = random();
    if (scalar < 0.15) return null;
    if (scalar < 0.3) return random() < 0.5;
    if (scalar < 0.5) return random() < 0.5 ? pick(random, AWKWARD_NUMBERS) : (random() - 0.5) * 10 ** int(random, 0, 20);
    return randomString(random);
  }
  if (roll < 0.75) return Array.from({ length: int(random, 0, 4) }, () => randomJson(random, depth - 1));
  return randomObject(random, depth - 1);
}

function randomObject(random: Random, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = int(random, 0, 4); i > 0; i--) {
    const key = random() < 0.25 ? pick(random, DANGEROUS_KEYS) : randomString(random).slice(0, 40);
    // defineProperty: plain assignment of "__proto__" would set the prototype, not a key.
    Object.defineProperty(out, key, { value: randomJson(random, depth), enumerable: true, configurable: true, writable: true });
  }
  return out;
}

/** Replaces, removes or adds fields anywhere in a (valid) template, `count` times. */
export function mutate(random: Random, template: unknown, count = int(random, 1, 3)): unknown {
  let value = structuredClone(template);
  for (let i = 0; i < count; i++) value = mutateOnce(random, value, 0);
  return value;
}

function mutateOnce(random: Random, value: unknown, depth: number): unknown {
  const isContainer = typeof value === "object" && value !== null;
  // Descend into a child most of the time so deep fields get hit too.
  if (isContainer && depth < 6 && random() < 0.7) {
    const container = value as Record<string, unknown>;
    const keys = Object.keys(container);
    if (keys.length > 0) {
      const key = pick(random, keys);
      Object.defineProperty(container, key, {
        value: mutateOnce(random, container[key], depth + 1),
        enumerable: true,
        configurable: true,
        writable: true,
      });
      return container;
    }
  }
  const roll = random();
  if (roll < 0.45) return randomJson(random, 2);
  if (roll < 0.55) return [value];
  if (roll < 0.65) return { value };
  if (isContainer && roll < 0.85) {
    const container = value as Record<string, unknown>;
    const key = random() < 0.5 ? pick(random, DANGEROUS_KEYS) : randomString(random).slice(0, 20);
    Object.defineProperty(container, key, { value: randomJson(random, 2), enumerable: true, configurable: true, writable: true });
    return container;
  }
  if (isContainer) {
    const container = value as Record<string, unknown>;
    const keys = Object.keys(container);
    if (keys.length > 0) delete container[pick(random, keys)];
    return container;
  }
  return undefined;
}

/** Text that is not quite JSON (or not JSON at all), from a template. */
export function malformed(random: Random, template: unknown): string {
  const valid = JSON.stringify(template) ?? "null";
  switch (int(random, 0, 9)) {
    case 0:
      return valid.slice(0, int(random, 0, Math.max(0, valid.length - 1))); // truncated
    case 1:
      return valid.replace(/"/g, "'"); // single quotes
    case 2:
      return valid.replace(/}$/, ",}"); // trailing comma
    case 3:
      return `${valid}${valid}`; // two documents
    case 4: {
      const depth = int(random, 65, 20_000); // deeper than any validator should recurse
      const open = random() < 0.5 ? "[" : '{"a":';
      return `${open.repeat(depth)}1${(open === "[" ? "]" : "}").repeat(depth)}`;
    }
    case 5:
      return `{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"x":${valid}}`;
    case 6:
      return pick(random, [
        "",
        " ",
        "null",
        "true",
        "0",
        "1e999",
        "-1e999",
        '"text"',
        "[]",
        "{}",
        "NaN",
        "undefined",
        "\u0000",
        "\ufeff{}",
      ]);
    case 7:
      return valid.replace(/"[^"]*"/, `"${pick(random, ["\\u0000", "\\ud800", "\\udc00x", "\\uZZZZ", "\\", "\n"])}"`); // bad escapes
    case 8:
      return Buffer.from(valid).toString("latin1").replace(/./, "\ufffd"); // mangled encoding
    default:
      return `${valid.slice(0, -1)},"extra":${"9".repeat(int(random, 20, 400))}}`; // huge number literal
  }
}
