// The logger: JSON lines through process.stdout (so captures see them), the request id on every
// entry inside a request, identical errors collapsed with a count, and the readable dev format.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { captureOutput, type CapturedOutput } from "@/lib/testing/output";
import { flushRepeatedLogs, logger, prettyLine, requestIdFrom, withRequestId } from "./log";
import { z } from "zod";

let output: CapturedOutput;
const entries = () =>
  output
    .text()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => z.record(z.string(), z.unknown()).parse(JSON.parse(line)));

beforeEach(() => {
  output = captureOutput();
});
afterEach(() => output.restore());

describe("logger", () => {
  it("prints JSON lines with level, time, component and message", () => {
    logger("test-json").info({ hookId: "h1" }, "hello");
    const [entry] = entries().filter((line) => line.component === "test-json");
    expect(entry).toMatchObject({ level: 30, component: "test-json", msg: "hello", hookId: "h1", pid: process.pid });
    expect(typeof entry?.time).toBe("number");
  });

  it("attaches the request id to everything logged inside a request, across awaits", async () => {
    await withRequestId("req-123", async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      logger("test-req").info("inside");
    });
    logger("test-req").info("outside");
    const lines = entries().filter((line) => line.component === "test-req");
    expect(lines.map((line) => [line.msg, line.reqId])).toEqual([
      ["inside", "req-123"],
      ["outside", undefined],
    ]);
  });

  it("collapses identical errors into one line and a count", () => {
    const log = logger("test-collapse");
    for (let n = 0; n < 200; n++) log.error({ err: new Error("connect ECONNREFUSED 127.0.0.1:5432") }, "database unavailable");
    log.error({ err: new Error("another failure") }, "database unavailable");
    flushRepeatedLogs();
    const lines = entries().filter((line) => line.component === "test-collapse");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ msg: "database unavailable" });
    expect(lines[1]).toMatchObject({ msg: "database unavailable", err: { message: "another failure" } });
    expect(lines[2]).toMatchObject({ repeated: 199, msg: "database unavailable (repeated 199 more times in 10 s)" });
  });

  it("keeps info lines uncollapsed and drops debug at the default level", () => {
    const log = logger("test-levels");
    log.info("same");
    log.info("same");
    log.debug("housekeeping");
    expect(
      entries()
        .filter((line) => line.component === "test-levels")
        .map((line) => line.msg),
    ).toEqual(["same", "same"]);
  });
});

describe("prettyLine", () => {
  it("formats an entry as one readable line with its fields and the error's stack", () => {
    const line = JSON.stringify({
      level: 50,
      time: Date.UTC(2026, 0, 1, 12, 0, 1, 234),
      pid: 1,
      component: "worker",
      msg: "boom",
      hookId: "h1",
      err: { message: "bad", stack: "Error: bad\n    at x" },
    });
    expect(prettyLine(line)).toBe("12:00:01.234 ERROR [worker] boom hookId=h1\n    Error: bad\n        at x\n");
  });
});

describe("requestIdFrom", () => {
  it("accepts a sane caller id and replaces anything else", () => {
    expect(requestIdFrom("abc-123_x.y", () => "new")).toBe("abc-123_x.y");
    expect(requestIdFrom("has space", () => "new")).toBe("new");
    expect(requestIdFrom("x".repeat(200), () => "new")).toBe("new");
    expect(requestIdFrom(undefined, () => "new")).toBe("new");
  });
});
