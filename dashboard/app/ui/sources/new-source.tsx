"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { createSource } from "@/app/lib/actions";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";

const HINTS = ["auto", "json", "logfmt", "syslog", "access", "cri"];

/** Admins and owners create sources; the API refuses others (and over the plan's quota). */
export function NewSourceForm() {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const router = useRouter();
  if (!open) {
    return <Button onClick={() => setOpen(true)}>New source</Button>;
  }
  return (
    <form
      className="grid w-full gap-3 rounded-lg border p-4 sm:grid-cols-4 sm:items-end"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        setError(null);
        start(async () => {
          const r = await createSource({
            name: String(f.get("name") ?? ""),
            env: String(f.get("env") ?? ""),
            parser_hint: f.get("hint") === "auto" ? undefined : String(f.get("hint") ?? ""),
          });
          if (r.ok) {
            setOpen(false);
            router.push(`/sources/${r.data.id}`);
          } else setError(`${r.error.title}. ${r.error.detail}`);
        });
      }}
    >
      <div className="grid gap-1.5">
        <Label htmlFor="source-name">Name</Label>
        <Input id="source-name" name="name" required maxLength={200} placeholder="checkout-api" />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="source-env">Environment</Label>
        <Input id="source-env" name="env" defaultValue="production" maxLength={64} />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="source-hint">Format</Label>
        <NativeSelect id="source-hint" name="hint" defaultValue="auto">
          {HINTS.map((h) => (
            <option key={h} value={h}>
              {h === "auto" ? "detect automatically" : h}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create source"}
        </Button>
        <Button type="button" variant="ghost" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </div>
      {error && (
        <p role="alert" className="text-sm text-destructive sm:col-span-4">
          {error}
        </p>
      )}
    </form>
  );
}
