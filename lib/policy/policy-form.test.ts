import { describe, expect, it } from "vitest";
import { formFieldOf, formValuesFromPolicy, policyInputFromForm } from "./policy-form";
import { DEFAULT_POLICY, usagePolicySchema } from "./usage-policy";

const fromValues = (values: Record<string, string>) => policyInputFromForm((name) => values[name] ?? null);

describe("policy form", () => {
  it("round-trips the defaults", () => {
    expect(usagePolicySchema.parse(fromValues(formValuesFromPolicy(DEFAULT_POLICY)))).toEqual(DEFAULT_POLICY);
  });

  it("reads MiB with a decimal comma, types per line, the checkbox and the naming rule", () => {
    const values = {
      ...formValuesFromPolicy(DEFAULT_POLICY),
      "attachments.maxMiB": "1,5",
      "attachments.allowedTypes": "application/pdf\n image/png \n",
      "flood.enabled": "",
      "roomNaming.kind": "prefix",
      "roomNaming.value": "BA-",
    };
    const p = usagePolicySchema.parse(fromValues(values));
    expect(p.attachments).toEqual({ maxBytes: 1_572_864, allowedTypes: ["application/pdf", "image/png"] });
    expect(p.flood.enabled).toBe(false);
    expect(p.roomNaming).toEqual({ kind: "prefix", value: "BA-" });
  });

  it("leaves an empty number to the schema, which names the field", () => {
    const result = usagePolicySchema.safeParse(fromValues({ ...formValuesFromPolicy(DEFAULT_POLICY), "powerLevels.kick": "" }));
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path.join(".")).toBe("powerLevels.kick");
    expect(formFieldOf("attachments.maxBytes")).toBe("attachments.maxMiB");
  });
});
