import { describe, expect, it } from "vitest";
import { REPAIR_AFTER_POLLS, shouldReload } from "./guest-waiting";

describe("the guest's waiting page", () => {
  it("keeps waiting while the guest waits or the connection fails", () => {
    expect(shouldReload({ httpStatus: 200, status: "waiting", ready: false }, 0)).toBe(false);
    expect(shouldReload({ httpStatus: 502 }, 0)).toBe(false);
  });

  it("reloads into the room once the admitted guest has joined", () => {
    expect(shouldReload({ httpStatus: 200, status: "admitted", ready: true }, 0)).toBe(true);
  });

  it("does not reload while the admission is still joining the guest, unless that takes too long", () => {
    expect(shouldReload({ httpStatus: 200, status: "admitted", ready: false }, 0)).toBe(false);
    expect(shouldReload({ httpStatus: 200, status: "admitted", ready: false }, REPAIR_AFTER_POLLS - 1)).toBe(false);
    expect(shouldReload({ httpStatus: 200, status: "admitted", ready: false }, REPAIR_AFTER_POLLS)).toBe(true);
  });

  it("reloads when the session ended (rejected, expired, revoked)", () => {
    expect(shouldReload({ httpStatus: 401, status: "none" }, 0)).toBe(true);
  });
});
