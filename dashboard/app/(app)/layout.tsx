import Link from "next/link";
import { ApiError, getMe } from "@/app/lib/api";
import type { Me } from "@/app/lib/types";
import { Nav } from "@/app/ui/shell/nav";
import { OrgSwitcher } from "@/app/ui/shell/org-switcher";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  let me: Me;
  try {
    me = await getMe();
  } catch (e) {
    // Signed in, but no org to show (removed from it, or the org was deleted): say so, offer a way
    // out. Anything else (the API down) is the error page's.
    if (e instanceof ApiError && (e.status === 403 || e.status === 404)) return <NoOrg detail={e.detail} />;
    throw e;
  }
  return (
    <div className="flex min-h-screen">
      <aside className="hidden w-60 shrink-0 flex-col gap-6 border-r bg-muted/30 p-4 md:flex">
        <Link href="/" className="text-lg font-semibold">
          <span aria-hidden>◆ </span>LogAi
        </Link>
        <div className="grid gap-1">
          <div className="text-sm font-medium" data-testid="org-name">
            {me.org_name}
          </div>
          <div className="flex gap-1">
            <Badge variant="outline">{me.plan}</Badge>
            {me.role && (
              <Badge variant="secondary" data-testid="role">
                {me.role}
              </Badge>
            )}
          </div>
          <OrgSwitcher current={me.org_id} orgs={me.orgs} />
        </div>
        <Nav />
        <div className="mt-auto grid gap-2 text-xs text-muted-foreground">
          <span className="truncate" title={me.email}>
            {me.email}
          </span>
          <form action="/api/auth/logout" method="post">
            <Button type="submit" variant="outline" size="sm" className="w-full">
              Sign out
            </Button>
          </form>
        </div>
      </aside>
      <main className="min-w-0 flex-1 p-6 lg:p-8">{children}</main>
    </div>
  );
}

function NoOrg({ detail }: { detail: string }) {
  return (
    <main className="mx-auto grid max-w-lg gap-4 p-10">
      <h1 className="text-xl font-semibold">No org to show</h1>
      <p className="text-sm text-muted-foreground">
        You are signed in, but not a member of an org LogAi can show you: you may have been removed, or the
        org was deleted. Ask an owner of your org to invite your e-mail again, or sign in as someone else.
      </p>
      <p className="text-xs text-muted-foreground">{detail}</p>
      <form action="/api/auth/logout" method="post">
        <Button type="submit" variant="outline" size="sm">
          Sign out
        </Button>
      </form>
    </main>
  );
}
