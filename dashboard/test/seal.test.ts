// @vitest-environment node
import { describe, expect, it } from "vitest";
import { seal, unseal } from "@/app/lib/seal";

const SECRET = "a-test-secret-that-is-long-enough-0123456789";

describe("sealed cookies", () => {
  it("round-trip, and refuse a changed value, another key or an expired seal", async () => {
    const sealed = await seal({ accessToken: "at", sub: "local|admin" }, SECRET, 60);
    expect(sealed).not.toContain("local|admin"); // encrypted, not only signed
    expect(await unseal(sealed, SECRET)).toMatchObject({ accessToken: "at", sub: "local|admin" });
    const flipped = sealed.slice(0, -4) + (sealed.endsWith("AAAA") ? "BBBB" : "AAAA");
    expect(await unseal(flipped, SECRET)).toBeNull();
    expect(await unseal(sealed, `${SECRET}-other`)).toBeNull();
    expect(await unseal(await seal({ a: 1 }, SECRET, -10), SECRET)).toBeNull();
    expect(await unseal(undefined, SECRET)).toBeNull();
  });
});
