import { describe, expect, it } from "vitest";
import { RoomWorkQueue } from "./work-queue";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("RoomWorkQueue", () => {
  it("runs one room's tasks in order and other rooms' tasks alongside", async () => {
    const queue = new RoomWorkQueue(() => {});
    const log: string[] = [];
    const gate = deferred();
    void queue.run("!a", async () => {
      log.push("a1 start");
      await gate.promise;
      log.push("a1 end");
    });
    void queue.run("!a", async () => {
      log.push("a2");
    });
    void queue.run("!b", async () => {
      log.push("b1");
    });
    await new Promise((r) => setTimeout(r, 0));
    expect(log).toEqual(["a1 start", "b1"]);
    gate.resolve();
    await queue.idle();
    expect(log).toEqual(["a1 start", "b1", "a1 end", "a2"]);
  });

  it("idle waits for tracked work only", async () => {
    const queue = new RoomWorkQueue(() => {});
    const sweep = deferred();
    let isSweepDone = false;
    void queue.run(
      "!a",
      async () => {
        await sweep.promise;
        isSweepDone = true;
      },
      { tracked: false },
    );
    let isEventDone = false;
    void queue.run("!b", async () => {
      isEventDone = true;
    });
    await queue.idle();
    expect(isEventDone).toBe(true);
    expect(isSweepDone).toBe(false);
    sweep.resolve();
  });

  it("hands a failure to onError and keeps the room's queue going", async () => {
    const errors: [unknown, string][] = [];
    const queue = new RoomWorkQueue((err, roomId) => errors.push([err, roomId]));
    const ran: string[] = [];
    queue.schedule("!a", async () => {
      throw new Error("boom");
    });
    queue.schedule("!a", async () => {
      ran.push("next");
    });
    await queue.idle();
    expect(errors).toEqual([[new Error("boom"), "!a"]]);
    expect(ran).toEqual(["next"]);
  });
});
