import { attempt, getMe, may } from "@/app/lib/api";
import { formatTime, timeAgo } from "@/app/lib/format";
import type { ApiKey, Source } from "@/app/lib/types";
import { NewKeyForm, RevokeKey } from "@/app/ui/settings/keys";
import { StatusBadge } from "@/app/ui/severity";
import { EmptyState, ErrorState, PageHeader } from "@/app/ui/states";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export const metadata = { title: "API keys" };

export default async function KeysPage() {
  const me = await getMe();
  if (!may(me, "keys")) {
    return (
      <div>
        <PageHeader title="API keys" />
        <Alert>
          <AlertTitle>Only admins and owners manage API keys</AlertTitle>
          <AlertDescription>You are a {me.role} of {me.org_name}. Ask an admin for a key, or for the admin role.</AlertDescription>
        </Alert>
      </div>
    );
  }
  const [keys, sources] = await Promise.all([attempt<{ items: ApiKey[] }>("/v1/api-keys"), attempt<{ items: Source[] }>("/v1/sources")]);
  const names = new Map((sources.ok ? sources.data.items : []).map((s) => [s.id, s.name]));
  return (
    <div className="grid gap-6">
      <PageHeader title="API keys" description="Keys for machines: shippers, CI jobs, scripts. A key is shown once, when it is created." />
      <Card>
        <CardHeader>
          <CardTitle>New key</CardTitle>
        </CardHeader>
        <CardContent>
          <NewKeyForm sources={(sources.ok ? sources.data.items : []).map((s) => ({ id: s.id, name: s.name }))} />
        </CardContent>
      </Card>
      {!keys.ok ? (
        <ErrorState error={keys.error} what="the keys" />
      ) : keys.data.items.length === 0 ? (
        <EmptyState title="No API keys">Create one above to send logs from a server or CI job.</EmptyState>
      ) : (
        <Table aria-label="API keys">
          <TableHeader>
            <TableRow>
              <TableHead>Key</TableHead>
              <TableHead>Scopes</TableHead>
              <TableHead>Created</TableHead>
              <TableHead>Last used</TableHead>
              <TableHead>State</TableHead>
              <TableHead className="sr-only">Actions</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {keys.data.items.map((k) => (
              <TableRow key={k.id} data-testid={`key-${k.name}`}>
                <TableCell>
                  <div className="font-medium">{k.name}</div>
                  <code className="text-xs text-muted-foreground">{k.prefix}…</code>
                </TableCell>
                <TableCell className="text-xs">
                  {k.scopes.join(", ")}
                  {k.source_id ? ` · ${names.get(k.source_id) ?? k.source_id} only` : ""}
                </TableCell>
                <TableCell className="text-xs">
                  {formatTime(k.created_at)}
                  {k.created_by ? ` by ${k.created_by}` : ""}
                </TableCell>
                <TableCell className="text-xs">{timeAgo(k.last_used_at)}</TableCell>
                <TableCell>
                  <StatusBadge status={k.revoked_at ? "revoked" : k.expires_at && Date.parse(k.expires_at) < Date.now() ? "expired" : "active"} />
                </TableCell>
                <TableCell>{!k.revoked_at && <RevokeKey id={k.id} name={k.name} />}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
