import { attempt, getMe, may } from "@/app/lib/api";
import { formatTime, timeAgo } from "@/app/lib/format";
import type { Member } from "@/app/lib/types";
import { InviteForm, MemberActions } from "@/app/ui/settings/members";
import { StatusBadge } from "@/app/ui/severity";
import { ErrorState, PageHeader } from "@/app/ui/states";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export const metadata = { title: "Members" };

export default async function MembersPage() {
  const me = await getMe();
  const members = await attempt<{ items: Member[] }>("/v1/members");
  const canManage = may(me, "members");
  const isOwner = may(me, "org");
  return (
    <div className="grid gap-6">
      <PageHeader title="Members" description={`The people of ${me.org_name} and their roles: viewers read; members also send logs and manage alert rules; admins also manage sources, keys and people; owners also the plan.`} />
      {canManage && (
        <Card>
          <CardHeader>
            <CardTitle>Invite someone</CardTitle>
          </CardHeader>
          <CardContent>
            <InviteForm canGrantOwner={isOwner} />
          </CardContent>
        </Card>
      )}
      {!members.ok ? (
        <ErrorState error={members.error} what="the members" />
      ) : (
        <Table aria-label="Members">
          <TableHeader>
            <TableRow>
              <TableHead>Person</TableHead>
              <TableHead>Role</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Last sign-in</TableHead>
              {canManage && <TableHead className="sr-only">Actions</TableHead>}
            </TableRow>
          </TableHeader>
          <TableBody>
            {members.data.items.map((m) => (
              <TableRow key={m.id}>
                <TableCell>
                  <div className="font-medium">
                    {m.email ?? m.id} {m.id === me.user_id && <Badge variant="outline">you</Badge>}
                  </div>
                  <div className="text-xs text-muted-foreground">since {formatTime(m.created_at)}</div>
                </TableCell>
                <TableCell>{m.role}</TableCell>
                <TableCell>
                  <StatusBadge status={m.status} />
                </TableCell>
                <TableCell className="text-xs">{timeAgo(m.last_login_at)}</TableCell>
                {canManage && (
                  <TableCell>
                    {m.id !== me.user_id && <MemberActions id={m.id} role={m.role} email={m.email ?? m.id} canGrantOwner={isOwner} />}
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
