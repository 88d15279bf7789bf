import net from "node:net";
import { describe, expect, it } from "vitest";
import { freePorts } from "./ports";

describe("freePorts", () => {
  it("hands out distinct ports that are free again afterwards", async () => {
    const ports = await freePorts(5);
    expect(new Set(ports).size).toBe(5);
    for (const port of ports) {
      await new Promise<void>((resolve, reject) => {
        const srv = net.createServer().once("error", reject);
        srv.listen(port, "127.0.0.1", () => srv.close(() => resolve()));
      });
    }
  });
});
