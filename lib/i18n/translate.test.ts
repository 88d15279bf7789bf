import { describe, expect, it } from "vitest";
import { de } from "./messages-de";
import { en } from "./messages-en";
import { fill, isLocale } from "./translate";

function keys(o: object, prefix = ""): string[] {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === "object" ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

function placeholders(o: object): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const walk = (x: object, p: string) =>
    Object.entries(x).forEach(([k, v]) =>
      typeof v === "object" ? walk(v as object, `${p}${k}.`) : (out[`${p}${k}`] = [...String(v).matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort()),
    );
  walk(o, "");
  return out;
}

describe("translations", () => {
  it("English has every German key and no other", () => {
    expect(keys(en).sort()).toEqual(keys(de).sort());
  });

  it("keeps the same placeholders in every language", () => {
    expect(placeholders(en)).toEqual(placeholders(de));
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    expect(fill("Willkommen, {name}", { name: "Anna" })).toBe("Willkommen, Anna");
    expect(fill("{a} {b}", { a: "x" })).toBe("x {b}");
  });

  it.each([["de", true], ["en", true], ["fr", false], [undefined, false]])("isLocale(%j) = %s", (v, ok) => {
    expect(isLocale(v)).toBe(ok);
  });
});
