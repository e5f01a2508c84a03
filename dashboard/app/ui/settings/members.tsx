"use client";

import { useState, useTransition } from "react";
import { changeRole, inviteMember, removeMember } from "@/app/lib/actions";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";

const ROLES = ["viewer", "member", "admin", "owner"];

export function InviteForm({ canGrantOwner }: { canGrantOwner: boolean }) {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, start] = useTransition();
  return (
    <form
      className="grid gap-3 sm:grid-cols-3 sm:items-end"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        start(async () => {
          const r = await inviteMember({ email: String(f.get("email") ?? ""), role: String(f.get("role") ?? "viewer") });
          setMessage(
            r.ok
              ? { ok: true, text: `Invited ${r.data.email}. LogAi sends no e-mail yet: tell them to sign in with that address.` }
              : { ok: false, text: `${r.error.title}. ${r.error.detail}` },
          );
          if (r.ok) form.reset();
        });
      }}
    >
      <div className="grid gap-1.5">
        <Label htmlFor="invite-email">E-mail</Label>
        <Input id="invite-email" name="email" type="email" required placeholder="ana@example.com" />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="invite-role">Role</Label>
        <NativeSelect id="invite-role" name="role" defaultValue="viewer">
          {ROLES.filter((r) => canGrantOwner || r !== "owner").map((r) => (
            <option key={r}>{r}</option>
          ))}
        </NativeSelect>
      </div>
      <Button type="submit" disabled={pending}>
        Invite
      </Button>
      {message && (
        <p role={message.ok ? "status" : "alert"} className={`text-sm sm:col-span-3 ${message.ok ? "" : "text-destructive"}`}>
          {message.text}
        </p>
      )}
    </form>
  );
}

export function MemberActions({ id, role, email, canGrantOwner }: { id: string; role: string; email: string; canGrantOwner: boolean }) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex flex-wrap items-center gap-2">
      <NativeSelect
        aria-label={`Role of ${email}`}
        className="h-8 w-28"
        defaultValue={role}
        disabled={pending || (role === "owner" && !canGrantOwner)}
        onChange={(e) => {
          const next = e.target.value;
          start(async () => {
            const r = await changeRole(id, next);
            setError(r.ok ? null : r.error.detail || r.error.title);
          });
        }}
      >
        {ROLES.filter((r) => canGrantOwner || r !== "owner" || role === "owner").map((r) => (
          <option key={r}>{r}</option>
        ))}
      </NativeSelect>
      <Button
        size="sm"
        variant="ghost"
        className="text-destructive"
        disabled={pending}
        onClick={() => {
          if (!confirm(`Remove ${email} from the org?`)) return;
          start(async () => {
            const r = await removeMember(id);
            setError(r.ok ? null : r.error.detail || r.error.title);
          });
        }}
      >
        Remove
      </Button>
      {error && <span role="alert" className="text-xs text-destructive">{error}</span>}
    </div>
  );
}
