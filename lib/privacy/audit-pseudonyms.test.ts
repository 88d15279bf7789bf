import { describe, expect, it } from "vitest";
import { replaceIdentifiers } from "./audit-pseudonyms";

const p = {
  pseudonym: "person:1f0c",
  identifiers: ["@paula.privat:stadtfunk.test", "paula@stadt.example", null],
  exactValues: ["Paula Privat", "paula.privat", undefined],
};

describe("pseudonymising audit details", () => {
  it("replaces Matrix ids and e-mail addresses inside texts, at any depth", () => {
    expect(
      replaceIdentifiers(
        {
          matrixUserId: "@paula.privat:stadtfunk.test",
          note: "invited @paula.privat:stadtfunk.test and paula@stadt.example",
          rooms: [{ successor: "@paula.privat:stadtfunk.test", outcome: "handed-over" }],
          count: 3,
          flag: true,
          none: null,
        },
        p,
      ),
    ).toEqual({
      matrixUserId: "person:1f0c",
      note: "invited person:1f0c and person:1f0c",
      rooms: [{ successor: "person:1f0c", outcome: "handed-over" }],
      count: 3,
      flag: true,
      none: null,
    });
  });

  it("replaces names only where the whole value is the name", () => {
    expect(replaceIdentifiers({ name: "Paula Privat", login: "paula.privat", text: "Paula Privaterklärung" }, p)).toEqual({
      name: "person:1f0c",
      login: "person:1f0c",
      text: "Paula Privaterklärung",
    });
  });

  it("leaves details about others unchanged", () => {
    const other = { matrixUserId: "@bernd:stadtfunk.test", reason: "admin-action" };
    expect(replaceIdentifiers(other, p)).toEqual(other);
  });
});

describe("identifiers in another case or with pattern characters", () => {
  it("matches e-mail addresses case-insensitively and treats dots and plus signs literally", () => {
    const q = { pseudonym: "person:9", identifiers: ["olaf+test@stadt.example"], exactValues: [] };
    expect(replaceIdentifiers({ a: "Mail an OLAF+test@Stadt.Example", b: "olafXtest@stadtXexample" }, q)).toEqual({
      a: "Mail an person:9",
      b: "olafXtest@stadtXexample",
    });
  });
});
