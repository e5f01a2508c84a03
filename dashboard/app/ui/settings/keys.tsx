"use client";

import { useState, useTransition } from "react";
import { createApiKey, revokeApiKey } from "@/app/lib/actions";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";

export function NewKeyForm({ sources }: { sources: { id: string; name: string }[] }) {
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <div className="grid gap-4">
      <form
        className="grid gap-3 sm:grid-cols-4 sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const f = new FormData(form);
          const scopes = ["ingest", "read", "write"].filter((s) => f.get(`scope-${s}`));
          start(async () => {
            setError(null);
            const r = await createApiKey({ name: String(f.get("name") ?? ""), scopes, source_id: String(f.get("source") ?? "") || undefined });
            if (r.ok && r.data.key) {
              setCreated({ name: r.data.name, key: r.data.key });
              form.reset();
            } else if (!r.ok) setError(`${r.error.title}. ${r.error.detail}`);
          });
        }}
      >
        <div className="grid gap-1.5">
          <Label htmlFor="key-name">Name</Label>
          <Input id="key-name" name="name" required maxLength={100} placeholder="ci-shipper" />
        </div>
        <fieldset className="grid gap-1 text-sm">
          <legend className="mb-1 font-medium">Scopes</legend>
          <div className="flex gap-3">
            {["ingest", "read", "write"].map((s) => (
              <label key={s} className="flex items-center gap-1">
                <input type="checkbox" name={`scope-${s}`} defaultChecked={s === "ingest"} /> {s}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="grid gap-1.5">
          <Label htmlFor="key-source">Only for source</Label>
          <NativeSelect id="key-source" name="source" defaultValue="">
            <option value="">any source</option>
            {sources.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </NativeSelect>
        </div>
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create key"}
        </Button>
      </form>
      {error && (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      )}
      {created && (
        <div className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm" data-testid="new-key">
          <p className="font-medium">Copy the key “{created.name}” now: it is shown this once.</p>
          <div className="mt-2 flex gap-2">
            <code className="flex-1 rounded bg-white p-2 font-mono text-xs break-all" data-testid="new-key-value">
              {created.key}
            </code>
            <Button type="button" variant="outline" size="sm" onClick={() => navigator.clipboard?.writeText(created.key)}>
              Copy
            </Button>
          </div>
        </div>
      )}
    </div>
  );
}

export function RevokeKey({ id, name }: { id: string; name: string }) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <Button
        size="sm"
        variant="ghost"
        className="text-destructive"
        disabled={pending}
        aria-label={`Revoke key ${name}`}
        onClick={() => {
          if (!confirm(`Revoke “${name}”? Clients using it are refused within 5 seconds.`)) return;
          start(async () => {
            const r = await revokeApiKey(id);
            setError(r.ok ? null : r.error.detail || r.error.title);
          });
        }}
      >
        Revoke
      </Button>
      {error && <span role="alert" className="text-xs text-destructive">{error}</span>}
    </>
  );
}
