"use client";

import { useTransition } from "react";
import { switchOrg } from "@/app/lib/actions";

/** Shown to a person in several orgs: changes the org every page reads (X-Org-Id). */
export function OrgSwitcher({ current, orgs }: { current: string; orgs: { id: string; name: string; role?: string }[] }) {
  const [pending, start] = useTransition();
  if (orgs.length < 2) return null;
  return (
    <label className="grid gap-1 text-xs text-muted-foreground">
      Organization
      <select
        className="h-8 rounded-md border bg-background px-2 text-sm text-foreground"
        value={current}
        disabled={pending}
        onChange={(e) => start(() => switchOrg(e.target.value))}
      >
        {orgs.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name} {o.role ? `(${o.role})` : ""}
          </option>
        ))}
      </select>
    </label>
  );
}
