// readJson on Web requests (the Next path): the size cap holds while reading, not after.
import { describe, expect, it } from "vitest";
import { readJson } from "./route";

/** A body stream of `total` bytes, counting what was pulled from it. */
function endlessBody(total: number) {
  const pulled = { bytes: 0 };
  const chunk = new Uint8Array(64 * 1024).fill(0x78);
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.bytes >= total) return controller.close();
      pulled.bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { body, pulled };
}

describe("readJson", () => {
  it("stops reading a body without content-length once it passes the cap", async () => {
    const { body, pulled } = endlessBody(256 * 1024 * 1024);
    const req = new Request("http://localhost/api/x", { method: "POST", body, duplex: "half" } as RequestInit);
    await expect(readJson(req, 1024 * 1024)).rejects.toMatchObject({ code: "payload_too_large" });
    expect(pulled.bytes).toBeLessThan(4 * 1024 * 1024);
  });

  it("reads a body under the cap as Request.text() would (BOM dropped)", async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"name":"Zoë"}')]);
    const req = new Request("http://localhost/api/x", { method: "POST", body: bytes });
    expect(await readJson(req)).toEqual({ name: "Zoë" });
  });
});
