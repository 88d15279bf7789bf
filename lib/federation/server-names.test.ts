import { describe, expect, it } from "vitest";
import { canChangeStatus } from "./partner-status";
import { desiredServerAcl, isAclExactly } from "./server-acl";
import { aclHost, parseServerName, parseServerNameList, serverOfUserId } from "./server-names";
import { partnerDirectory, withOrganisation } from "./partner-labels";

describe("partner server names", () => {
  it.each(["matrix.stadtwerke.example", "Company.Test", "company.test:8448", "a-b.c-d.example:443"])("accepts %s", (name) => {
    const check = parseServerName(name);
    expect(check.ok).toBe(true);
    if (check.ok) expect(check.serverName).toBe(name.toLowerCase());
  });

  it.each([
    ["127.0.0.2", "IP-Adresse"],
    ["127.0.0.2:8448", "IP-Adresse"],
    ["[::1]:8448", "IP-Adresse"],
    ["https://company.test", "ohne https://"],
    ["company.test/path", "ohne https://"],
    ["localhost", "DNS-Name"],
    ["-bad.example", "DNS-Name"],
    ["company.test:0", "Port"],
    ["company.test:70000", "Port"],
    ["", "Servernamen"],
  ])("refuses %s", (name, words) => {
    const check = parseServerName(name);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toContain(words);
  });

  it("reads lists and drops duplicates", () => {
    expect(parseServerNameList("a.example, b.example\na.example")).toEqual({ ok: true, serverNames: ["a.example", "b.example"] });
    expect(parseServerNameList("a.example 10.0.0.1").ok).toBe(false);
  });

  it("compares hosts without ports, as ACLs do", () => {
    expect(aclHost("company.test:8448")).toBe("company.test");
    expect(serverOfUserId("@anna:company.test:8448")).toBe("company.test:8448");
    expect(serverOfUserId("not-a-user")).toBeNull();
  });
});

describe("server ACL of a managed room", () => {
  it("is our server plus the partners, bare hosts, sorted, nothing denied, no IP literals", () => {
    expect(desiredServerAcl("city.test", ["other.test:8448", "company.test", "city.test"])).toEqual({
      allow: ["city.test", "company.test", "other.test"],
      deny: [],
      allow_ip_literals: false,
    });
    // Synapse checks its own full name against the ACL, so a server name with a port is allowed as such too.
    expect(desiredServerAcl("city.test:8448", [])).toEqual({ allow: ["city.test", "city.test:8448"], deny: [], allow_ip_literals: false });
  });

  it("counts only an exact match as in line", () => {
    const wanted = desiredServerAcl("city.test", ["company.test"]);
    expect(isAclExactly({ ...wanted }, wanted)).toBe(true);
    expect(isAclExactly({ ...wanted, allow: ["*"] }, wanted)).toBe(false);
    expect(isAclExactly({ ...wanted, allow_ip_literals: true }, wanted)).toBe(false);
    expect(isAclExactly({ ...wanted, extra: 1 }, wanted)).toBe(false);
    expect(isAclExactly(null, wanted)).toBe(false);
  });
});

describe("partner status", () => {
  it.each([
    ["requested", "approved", true],
    ["approved", "suspended", true],
    ["suspended", "approved", true],
    ["requested", "suspended", false],
    ["approved", "requested", false],
    ["suspended", "requested", false],
    ["approved", "approved", false],
  ] as const)("%s → %s: %s", (from, to, ok) => expect(canChangeStatus(from, to)).toBe(ok));
});

describe("partner users are marked with their organisation", () => {
  const dir = partnerDirectory([{ name: "Stadtwerke", serverNames: ["company.test:8448"] }]);
  it("names the organisation for partner users only", () => {
    expect(withOrganisation("Paula", "@paula:company.test", dir, "city.test")).toBe("Paula (Stadtwerke)");
    expect(withOrganisation("Bernd", "@bernd:city.test", dir, "city.test")).toBe("Bernd");
    expect(withOrganisation("X", "@x:unknown.test", dir, "city.test")).toBe("X");
  });
});
